//! The hashing pool (C9): a fixed set of OS threads, one per core by default, fed through a
//! bounded queue. Password work never runs on the async runtime's threads, and a flood is
//! answered `Busy` at once instead of queueing without end.

use crate::memory::Memory;
use roster_domain::Unexpected;
use roster_domain::ports::password::HashError;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use tokio::sync::oneshot;

/// A unit of work for a worker, given the worker's argon2 memory.
type Job = Box<dyn FnOnce(&mut Memory) + Send>;

/// The queue's sending end. When the last `Pool` is dropped the channel closes; the workers
/// finish what is queued and exit.
#[derive(Debug)]
pub(crate) struct Pool {
    queue: SyncSender<Job>,
    workers: usize,
}

impl Pool {
    /// Starts `workers` threads (at least one) behind a queue of `capacity` jobs. Each keeps an
    /// argon2 buffer of up to `keep_blocks` blocks. A thread the OS refuses is logged and
    /// skipped; with none at all, every call answers `Unexpected`.
    pub(crate) fn start(workers: usize, capacity: usize, keep_blocks: usize) -> Self {
        let (queue, jobs) = sync_channel::<Job>(capacity);
        // std's receiver has one owner; the workers take turns holding it.
        let jobs = Arc::new(Mutex::new(jobs));
        let mut started = 0;
        for index in 0..workers.max(1) {
            let jobs = Arc::clone(&jobs);
            let spawned = thread::Builder::new()
                .name(format!("roster-hash-{index}"))
                .spawn(move || work(&jobs, keep_blocks));
            match spawned {
                Ok(_) => started += 1,
                Err(error) => {
                    tracing::error!(%error, "could not start a password hashing worker");
                }
            }
        }
        Self {
            queue,
            workers: started,
        }
    }

    /// The worker threads started.
    pub(crate) fn workers(&self) -> usize {
        self.workers
    }

    /// Runs `job` on a worker and awaits its answer. Errors: `Busy` when the queue is full;
    /// `Unexpected` when no worker is left to answer; whatever `job` returns.
    pub(crate) async fn run<T, F>(&self, job: F) -> Result<T, HashError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Memory) -> Result<T, HashError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            // The caller has gone (a dropped request): spare the core.
            if answer.is_closed() {
                return;
            }
            // Nobody to tell if the caller went away meanwhile.
            let _ = answer.send(job(memory));
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(HashError::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(stopped()),
        }
        answered.await.map_err(|_| stopped())?
    }
}

fn stopped() -> HashError {
    HashError::Unexpected(Unexpected::new("the password hashing workers have stopped"))
}

/// A worker: takes jobs until the queue closes.
fn work(jobs: &Mutex<Receiver<Job>>, keep_blocks: usize) {
    let mut memory = Memory::new(keep_blocks);
    loop {
        // The lock is held only while waiting for one job, not while running it. A poisoned
        // lock still guards a sound receiver (nothing panics while holding it).
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            return;
        };
        // A panic inside a hash crate must not shrink the pool: the job's answer channel is
        // dropped with it (its caller sees `Unexpected`) and the worker goes on.
        if catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
            tracing::error!("a password hashing job panicked");
            memory = Memory::new(keep_blocks);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn c9_a_panicking_job_is_unexpected_and_the_worker_survives() {
        let pool = Pool::start(1, 4, 0);
        let failed = pool.run::<(), _>(|_| panic!("boom")).await;
        assert!(matches!(failed, Err(HashError::Unexpected(_))));
        assert_eq!(pool.run(|_| Ok(7)).await.unwrap(), 7, "the worker goes on");
        assert_eq!(pool.workers(), 1);
    }
}
