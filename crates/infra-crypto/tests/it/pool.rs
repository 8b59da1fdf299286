//! C9: the pool — bounded queue answering `Busy`, hashing off the async threads.

use crate::support::*;
use roster_domain::ports::password::{HashError, PasswordHasher, Verification};
use roster_infra_crypto::{Argon2Params, HasherConfig};
use std::time::Duration;
use tokio::task::JoinSet;

#[tokio::test]
async fn c9_a_full_queue_answers_busy_and_the_rest_correctly() {
    // One worker and room for one waiting job; each verification at the production cost.
    let hasher = hasher_with(Argon2Params::weak_for_tests(), 1, 1);
    let mut flood = JoinSet::new();
    for i in 0..12 {
        let hasher = hasher.clone();
        let right = i % 2 == 0;
        flood.spawn(async move {
            let candidate = if right { PASSWORD } else { "not the password" };
            let result = hasher
                .verify(&plain(candidate), &stored(ARGON2ID_PROD))
                .await;
            (right, result)
        });
    }
    let (mut busy, mut answered) = (0, 0);
    while let Some(joined) = flood.join_next().await {
        match joined.unwrap() {
            (_, Err(HashError::Busy)) => busy += 1,
            (right, Ok(verification)) => {
                answered += 1;
                let expected = if right {
                    Verification::OkNeedsRehash
                } else {
                    Verification::Mismatch
                };
                assert_eq!(verification, expected);
            }
            (_, Err(other)) => panic!("{other:?}"),
        }
    }
    assert!(busy >= 1, "a flood past the queue is refused");
    assert!(answered >= 1, "the first job always gets in");
    assert_eq!(busy + answered, 12);
    // Once the queue has drained, work is accepted again.
    let after = hasher
        .verify(&plain(PASSWORD), &stored(ARGON2ID_WEAK))
        .await;
    assert_eq!(after.unwrap(), Verification::Ok);
}

#[tokio::test(flavor = "current_thread")]
async fn c9_hashing_leaves_the_async_thread_free() {
    // A single-threaded runtime: if hashing ran on it, the batch would finish within its
    // first poll, before the timer could ever be polled again.
    let hasher = Argon2Hasher::new(HasherConfig {
        workers: 1,
        queue_capacity: 8,
        ..HasherConfig::production()
    });
    let batch = async {
        let mut results = Vec::new();
        for _ in 0..4 {
            results.push(hasher.rehash(&plain("a batch of passwords")).await);
        }
        results
    };
    tokio::pin!(batch);
    let timer_fired = tokio::select! {
        biased;
        _ = &mut batch => false,
        () = tokio::time::sleep(Duration::from_millis(1)) => true,
    };
    assert!(timer_fired, "a timer fires while the hashes are computed");
    for result in batch.await {
        assert!(
            result
                .unwrap()
                .expose()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
        );
    }
}

use roster_infra_crypto::Argon2Hasher;

#[tokio::test]
async fn c9_workers_are_started_as_configured_and_shared_by_clones() {
    let hasher = hasher_with(Argon2Params::weak_for_tests(), 3, 8);
    assert_eq!(hasher.workers(), 3);
    let clone = hasher.clone();
    drop(hasher);
    let result = clone.rehash(&plain("still running")).await;
    assert!(result.is_ok(), "the workers live while a clone does");
    assert_eq!(
        hasher_with(Argon2Params::weak_for_tests(), 0, 8).workers(),
        1
    );
}
