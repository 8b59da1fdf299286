//! The login throttle's counters (S3): failures per key in a window, cleared on success,
//! pruned when old.

use super::fixtures::at;
use roster_domain::ports::sessions::{FailureCount, LoginThrottleStore};
use roster_domain::registration::ThrottleKey;
use roster_domain::user::LoginId;
use roster_infra_db::Store;
use std::net::IpAddr;

fn alice() -> ThrottleKey {
    ThrottleKey::login_id(&LoginId::parse("Alice").unwrap())
}

fn address() -> ThrottleKey {
    ThrottleKey::address("192.0.2.7".parse::<IpAddr>().unwrap())
}

async fn s3_failures_are_counted_per_key_in_the_window(store: Store) {
    assert_eq!(
        store.failures_since(&alice(), at(0)).await.unwrap(),
        FailureCount::default()
    );
    for seconds in [0, 10, 20, 30] {
        store.record_failure(&alice(), at(seconds)).await.unwrap();
    }
    store.record_failure(&address(), at(25)).await.unwrap();
    // A login ID and an address of the same text never share a counter.
    store
        .record_failure(&ThrottleKey::Address("alice".into()), at(25))
        .await
        .unwrap();
    let seen = store.failures_since(&alice(), at(10)).await.unwrap();
    assert_eq!(seen.count, 3, "the window includes its start");
    assert_eq!(
        seen.last_at.unwrap().timestamp_micros(),
        at(30).timestamp_micros()
    );
    let all = store.failures_since(&alice(), at(-60)).await.unwrap();
    assert_eq!(all.count, 4);
    assert_eq!(
        store.failures_since(&alice(), at(31)).await.unwrap().count,
        0
    );
    assert_eq!(
        store.failures_since(&address(), at(0)).await.unwrap().count,
        1
    );
}

async fn s3_clear_forgets_one_key_and_prune_forgets_old_failures(store: Store) {
    for seconds in [0, 10, 20] {
        store.record_failure(&alice(), at(seconds)).await.unwrap();
        store.record_failure(&address(), at(seconds)).await.unwrap();
    }
    store.clear(&alice()).await.unwrap();
    assert_eq!(
        store.failures_since(&alice(), at(0)).await.unwrap().count,
        0
    );
    assert_eq!(
        store.failures_since(&address(), at(0)).await.unwrap().count,
        3
    );
    // Older than `before`: the failure at `before` itself stays.
    assert_eq!(store.prune(at(10)).await.unwrap(), 1);
    assert_eq!(
        store
            .failures_since(&address(), at(-60))
            .await
            .unwrap()
            .count,
        2
    );
    assert_eq!(store.prune(at(10)).await.unwrap(), 0);
}

on_every_backend!(
    s3_failures_are_counted_per_key_in_the_window,
    s3_clear_forgets_one_key_and_prune_forgets_old_failures,
);
