//! Awaiting several futures at once (C9): the hasher runs each password on its own worker,
//! so the import hands it a batch and waits for all of them together instead of one by one.
//! A few lines here rather than a dependency on `futures` for one function.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

/// A boxed future, as `async_trait` methods return them.
pub(super) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

enum Slot<'a, T> {
    Running(BoxFuture<'a, T>),
    Done(T),
}

/// Runs every future concurrently and returns their outputs in the given order. Each wake-up
/// polls the futures still running; batches are small (the hash concurrency), so that costs
/// nothing next to a password hash.
pub(super) async fn join_all<'a, T>(futures: Vec<BoxFuture<'a, T>>) -> Vec<T> {
    let mut slots: Vec<Slot<'a, T>> = futures.into_iter().map(Slot::Running).collect();
    poll_fn(|cx| {
        let mut running = false;
        for slot in slots.iter_mut() {
            if let Slot::Running(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(output) => *slot = Slot::Done(output),
                    Poll::Pending => running = true,
                }
            }
        }
        if running {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    slots
        .into_iter()
        .filter_map(|slot| match slot {
            Slot::Done(output) => Some(output),
            Slot::Running(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Ready after yielding `n` times, recording how many futures were in flight at once.
    fn ready_after(
        n: usize,
        value: usize,
        live: Arc<AtomicUsize>,
        peak: Arc<AtomicUsize>,
    ) -> BoxFuture<'static, usize> {
        Box::pin(async move {
            let now = live.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            for _ in 0..n {
                tokio::task::yield_now().await;
            }
            live.fetch_sub(1, Ordering::SeqCst);
            value
        })
    }

    #[tokio::test]
    async fn c9_all_futures_run_at_once_and_outputs_keep_their_order() {
        let (live, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let futures = (0..5)
            .map(|i| ready_after(5 - i, i, live.clone(), peak.clone()))
            .collect();
        assert_eq!(join_all(futures).await, vec![0, 1, 2, 3, 4]);
        assert_eq!(
            peak.load(Ordering::SeqCst),
            5,
            "all five were in flight together"
        );
        assert!(join_all::<u8>(Vec::new()).await.is_empty());
    }
}
