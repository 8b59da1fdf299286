//! O5: job claims — one holder per kind, fencing ids, leases taken over once passed.

use chrono::Duration;
use roster_domain::ports::jobs::{JobClaimError, JobClaims, JobKind};
use roster_infra_db::Store;

use super::fixtures::t0;

async fn o5_claim_runs_once_until_due_again(store: Store) {
    let lease = Duration::minutes(5);
    let kind = JobKind::MailQueue;
    let token = store.claim(kind, t0(), lease).await.unwrap().unwrap();
    assert_eq!((token.kind, token.leased_until), (kind, t0() + lease));
    assert_eq!(store.claim(kind, t0(), lease).await.unwrap(), None, "held");
    assert!(
        store
            .claim(JobKind::ExpiredTokens, t0(), lease)
            .await
            .unwrap()
            .is_some(),
        "kinds are claimed apart"
    );
    let next_due = t0() + Duration::hours(1);
    store.complete(&token, next_due).await.unwrap();
    assert!(matches!(
        store.complete(&token, next_due).await,
        Err(JobClaimError::Lost)
    ));
    let later = t0() + Duration::minutes(30);
    assert_eq!(
        store.claim(kind, later, lease).await.unwrap(),
        None,
        "not due yet"
    );
    let again = store.claim(kind, next_due, lease).await.unwrap().unwrap();
    assert_ne!(again.claim_id, token.claim_id);
    // A failed run releases: due at once again, next_due_at unchanged.
    store.release(&again).await.unwrap();
    assert!(matches!(
        store.release(&again).await,
        Err(JobClaimError::Lost)
    ));
    assert!(store.claim(kind, next_due, lease).await.unwrap().is_some());
}

async fn o5_a_passed_lease_is_taken_over_and_the_old_holder_fenced(store: Store) {
    let lease = Duration::minutes(5);
    let kind = JobKind::StaleApplications;
    let crashed = store.claim(kind, t0(), lease).await.unwrap().unwrap();
    let just_before = t0() + lease - Duration::microseconds(1);
    assert_eq!(store.claim(kind, just_before, lease).await.unwrap(), None);
    let taker = store
        .claim(kind, t0() + lease, lease)
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        store.complete(&crashed, t0() + Duration::days(1)).await,
        Err(JobClaimError::Lost)
    ));
    assert!(matches!(
        store.release(&crashed).await,
        Err(JobClaimError::Lost)
    ));
    store
        .complete(&taker, t0() + Duration::days(1))
        .await
        .unwrap();
}

async fn o5_of_many_instances_claiming_at_once_exactly_one_wins(store: Store) {
    for (round, kind) in [JobKind::ExpiryPurge, JobKind::ExpiredSessions]
        .into_iter()
        .enumerate()
    {
        if round == 1 {
            // The second kind races on an existing row (the UPDATE path), not the insert.
            let first = store
                .claim(kind, t0(), Duration::seconds(1))
                .await
                .unwrap()
                .unwrap();
            store.release(&first).await.unwrap();
        }
        let racers: Vec<_> = (0..10)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.claim(kind, t0(), Duration::minutes(5)).await })
            })
            .collect();
        let mut winners = 0;
        for racer in racers {
            if racer.await.unwrap().unwrap().is_some() {
                winners += 1;
            }
        }
        assert_eq!(winners, 1, "{kind}");
    }
}

on_every_backend!(
    o5_claim_runs_once_until_due_again,
    o5_a_passed_lease_is_taken_over_and_the_old_holder_fenced,
    o5_of_many_instances_claiming_at_once_exactly_one_wins,
);
