//! Deleting users (U7, I7–I9): what goes by cascade on every backend, and what happens to
//! the integrations the user was part of.

use super::fixtures::{
    at, count, count_of, created, grant_to, group, integration, new_user, session,
};
use roster_domain::ports::sessions::SessionStore;
use roster_domain::ports::tokens::OneTimeTokenStore;
use roster_domain::ports::users::{UserRepository, UserWriteError};
use roster_domain::registration::{OneTimeToken, TokenHash, TokenLifetimes};
use roster_infra_db::Store;
use sea_orm::sea_query::{Expr, ExprTrait};
use std::collections::BTreeSet;

async fn u7_delete_takes_sessions_memberships_grants_password_and_links(store: Store) {
    let g = group(&store, "Class").await;
    let mut new = new_user("leaver");
    new.group_ids = BTreeSet::from([g]);
    let id = UserRepository::create(&store, new).await.unwrap().id;
    let stays = created(&store, "stays").await;
    SessionStore::create(&store, &session(id, 1, at(0)))
        .await
        .unwrap();
    SessionStore::create(&store, &session(stays, 2, at(0)))
        .await
        .unwrap();
    grant_to(&store, id).await;
    let link = OneTimeToken::invitation(
        id,
        TokenHash::from_bytes([9; 32]),
        &TokenLifetimes::default(),
        at(0),
    );
    store.issue(&link, &[]).await.unwrap();
    let uuid = id.as_uuid();
    for (table, column) in [
        ("sessions", "user_id"),
        ("memberships", "user_id"),
        ("grants", "subject_user_id"),
        ("user_credentials", "user_id"),
        ("one_time_tokens", "subject_user_id"),
    ] {
        assert_eq!(
            count_of(&store, table, column, uuid).await,
            1,
            "{table} before"
        );
    }

    store.delete(id).await.unwrap();

    assert_eq!(store.get(id).await.unwrap(), None);
    for (table, column) in [
        ("sessions", "user_id"),
        ("memberships", "user_id"),
        ("grants", "subject_user_id"),
        ("user_credentials", "user_id"),
        ("one_time_tokens", "subject_user_id"),
    ] {
        assert_eq!(
            count_of(&store, table, column, uuid).await,
            0,
            "{table} after"
        );
    }
    // G5's converse: the group and the other user's session stay.
    assert_eq!(count_of(&store, "groups", "id", g.as_uuid()).await, 1);
    assert_eq!(
        count_of(&store, "sessions", "user_id", stays.as_uuid()).await,
        1
    );
    let again = store.delete(id).await;
    assert!(matches!(again, Err(UserWriteError::NotFound)), "{again:?}");
}

async fn i8_i9_delete_freezes_source_integrations_and_removes_target_ones(store: Store) {
    let leaver = created(&store, "leaver").await;
    let target = created(&store, "target").await;
    let source = created(&store, "source").await;
    let live = integration(&store, leaver, target, "live").await;
    let cancelled = integration(&store, leaver, target, "cancelled").await;
    let into_leaver = integration(&store, source, leaver, "live").await;
    let unrelated = integration(&store, source, target, "cancelled").await;
    assert!(store.is_live_integration_source(leaver).await.unwrap());

    store.delete(leaver).await.unwrap();

    // I8: kept, marked; the live one is frozen and frees its live-source slot.
    for (id, state) in [(live, "frozen"), (cancelled, "cancelled")] {
        let kept = Expr::col("id")
            .eq(id)
            .and(Expr::col("state").eq(state))
            .and(Expr::col("source_deleted").eq(true));
        assert_eq!(count(&store, "integrations", kept).await, 1, "{state}");
    }
    let live_slots = Expr::col("live_source_id").eq(leaver.as_uuid());
    assert_eq!(count(&store, "integrations", live_slots).await, 0);
    assert!(!store.is_live_integration_source(leaver).await.unwrap());
    // I9: the leaver's own history as a target goes; others' stays untouched.
    assert_eq!(count_of(&store, "integrations", "id", into_leaver).await, 0);
    let untouched = Expr::col("id")
        .eq(unrelated)
        .and(Expr::col("source_deleted").eq(false));
    assert_eq!(count(&store, "integrations", untouched).await, 1);
}

async fn i7_only_a_live_integration_makes_a_live_source(store: Store) {
    let (a, b, c) = (
        created(&store, "a").await,
        created(&store, "b").await,
        created(&store, "c").await,
    );
    integration(&store, a, c, "live").await;
    integration(&store, b, c, "cancelled").await;
    assert!(store.is_live_integration_source(a).await.unwrap());
    assert!(!store.is_live_integration_source(b).await.unwrap());
    assert!(
        !store.is_live_integration_source(c).await.unwrap(),
        "a target is no source"
    );
}

on_every_backend!(
    u7_delete_takes_sessions_memberships_grants_password_and_links,
    i8_i9_delete_freezes_source_integrations_and_removes_target_ones,
    i7_only_a_live_integration_makes_a_live_source,
);
