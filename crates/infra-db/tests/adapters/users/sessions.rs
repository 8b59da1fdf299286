//! Sessions (S1, U7): stored by token hash, touched forwards only, revoked one by one or
//! all of a user's, and pruned at their absolute expiry.

use super::fixtures::{at, created, session};
use chrono::Duration;
use roster_domain::ports::sessions::SessionStore;
use roster_domain::ports::users::UserRepository;
use roster_domain::registration::TokenHash;
use roster_infra_db::Store;

async fn s1_a_session_is_found_by_its_token_hash(store: Store) {
    let alice = created(&store, "alice").await;
    let started = session(alice, 1, at(0));
    SessionStore::create(&store, &started).await.unwrap();
    let found = store.find_by_token(&started.token_hash).await.unwrap();
    // Read back equal, to the microsecond the store keeps.
    let found = found.unwrap();
    assert_eq!((found.id, found.user_id), (started.id, alice));
    assert_eq!(found.token_hash, started.token_hash);
    assert_eq!(
        found.created_at.timestamp_micros(),
        started.created_at.timestamp_micros()
    );
    assert_eq!(
        found.expires_at,
        at(0) + Duration::hours(12) - Duration::nanoseconds(789)
    );
    let unknown = TokenHash::from_bytes([99; 32]);
    assert_eq!(store.find_by_token(&unknown).await.unwrap(), None);
}

async fn s1_touch_moves_last_seen_forwards_only(store: Store) {
    let alice = created(&store, "alice").await;
    let started = session(alice, 1, at(0));
    SessionStore::create(&store, &started).await.unwrap();
    store.touch(started.id, at(120)).await.unwrap();
    store.touch(started.id, at(60)).await.unwrap();
    let found = store
        .find_by_token(&started.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        found.last_seen_at.timestamp_micros(),
        at(120).timestamp_micros()
    );
    // A session gone meanwhile is not an error.
    store.revoke(started.id).await.unwrap();
    store.touch(started.id, at(180)).await.unwrap();
}

async fn s1_revoke_one_or_all_of_a_user(store: Store) {
    let alice = created(&store, "alice").await;
    let bob = created(&store, "bob").await;
    let (a1, a2, a3) = (
        session(alice, 1, at(0)),
        session(alice, 2, at(0)),
        session(alice, 3, at(0)),
    );
    let b1 = session(bob, 4, at(0));
    for s in [&a1, &a2, &a3, &b1] {
        SessionStore::create(&store, s).await.unwrap();
    }
    assert!(store.revoke(a1.id).await.unwrap());
    assert!(!store.revoke(a1.id).await.unwrap(), "already gone");
    assert_eq!(store.find_by_token(&a1.token_hash).await.unwrap(), None);
    assert_eq!(store.revoke_all_for_user(alice).await.unwrap(), 2);
    assert_eq!(store.revoke_all_for_user(alice).await.unwrap(), 0);
    assert!(store.find_by_token(&b1.token_hash).await.unwrap().is_some());
    // U7: deleting the user takes its sessions.
    UserRepository::delete(&store, bob).await.unwrap();
    assert_eq!(store.find_by_token(&b1.token_hash).await.unwrap(), None);
}

async fn s1_delete_expired_removes_sessions_at_their_absolute_expiry(store: Store) {
    let alice = created(&store, "alice").await;
    let early = session(alice, 1, at(0));
    let late = session(alice, 2, at(3_600));
    SessionStore::create(&store, &early).await.unwrap();
    SessionStore::create(&store, &late).await.unwrap();
    assert_eq!(
        store
            .delete_expired(early.expires_at - Duration::seconds(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.delete_expired(early.expires_at).await.unwrap(), 1);
    assert_eq!(store.find_by_token(&early.token_hash).await.unwrap(), None);
    assert!(
        store
            .find_by_token(&late.token_hash)
            .await
            .unwrap()
            .is_some()
    );
}

on_every_backend!(
    s1_a_session_is_found_by_its_token_hash,
    s1_touch_moves_last_seen_forwards_only,
    s1_revoke_one_or_all_of_a_user,
    s1_delete_expired_removes_sessions_at_their_absolute_expiry,
);
