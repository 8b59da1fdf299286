//! Password hashes (U1, U2, U5, U10, C8, S1): setting one ends sessions and links and may
//! activate a pending user; upgrading is conditional on the old hash.

use super::fixtures::{at, count_of, created, new_user, session};
use roster_domain::ids::UserId;
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::sessions::SessionStore;
use roster_domain::ports::tokens::OneTimeTokenStore;
use roster_domain::ports::users::{CredentialError, CredentialStore, UserRepository};
use roster_domain::registration::{OneTimeToken, TokenHash, TokenLifetimes};
use roster_domain::user::UserStatus;
use roster_infra_db::Store;

fn hash(text: &str) -> PasswordHash {
    PasswordHash::new(text)
}

async fn pending_user(store: &Store, login: &str) -> UserId {
    let mut new = new_user(login);
    new.password_hash = None;
    new.status = UserStatus::Pending;
    UserRepository::create(store, new).await.unwrap().id
}

async fn u5_setting_a_password_activates_a_pending_user_when_asked(store: Store) {
    let kept = pending_user(&store, "kept").await;
    store
        .set_password_hash(kept, hash("h1"), false)
        .await
        .unwrap();
    let user = store.get(kept).await.unwrap().unwrap();
    assert_eq!(
        (user.status, user.has_password),
        (UserStatus::Pending, true)
    );
    assert_eq!(store.password_hash(kept).await.unwrap(), Some(hash("h1")));

    let activated = pending_user(&store, "activated").await;
    let before = store.get(activated).await.unwrap().unwrap();
    store
        .set_password_hash(activated, hash("h2"), true)
        .await
        .unwrap();
    let after = store.get(activated).await.unwrap().unwrap();
    assert_eq!(after.status, UserStatus::Valid);
    // The user row changed, so a decision made on the old row conflicts.
    assert!(after.updated_at > before.updated_at);

    // Only pending becomes valid.
    let disabled = created(&store, "disabled").await;
    let row = store.get(disabled).await.unwrap().unwrap();
    let mut fields = roster_domain::ports::users::UserFields::of(&row);
    fields.status = UserStatus::Invalid;
    let update = roster_domain::ports::users::UserUpdate {
        id: disabled,
        expected_updated_at: row.updated_at,
        fields,
        updated_at: at(5),
    };
    store.update(update).await.unwrap();
    store
        .set_password_hash(disabled, hash("h3"), true)
        .await
        .unwrap();
    let still = store.get(disabled).await.unwrap().unwrap();
    assert_eq!(still.status, UserStatus::Invalid);
    assert_eq!(
        store.password_hash(disabled).await.unwrap(),
        Some(hash("h3"))
    );
}

async fn s1_u10_a_new_password_ends_sessions_and_links(store: Store) {
    let alice = created(&store, "alice").await;
    let other = created(&store, "other").await;
    SessionStore::create(&store, &session(alice, 1, at(0)))
        .await
        .unwrap();
    SessionStore::create(&store, &session(alice, 2, at(0)))
        .await
        .unwrap();
    SessionStore::create(&store, &session(other, 3, at(0)))
        .await
        .unwrap();
    let lifetimes = TokenLifetimes::default();
    let reset =
        OneTimeToken::password_reset(alice, TokenHash::from_bytes([1; 32]), &lifetimes, at(0));
    let invite = OneTimeToken::invitation(alice, TokenHash::from_bytes([2; 32]), &lifetimes, at(0));
    let others =
        OneTimeToken::password_reset(other, TokenHash::from_bytes([3; 32]), &lifetimes, at(0));
    for token in [&reset, &invite, &others] {
        store.issue(token, &[]).await.unwrap();
    }
    store
        .set_password_hash(alice, hash("new"), false)
        .await
        .unwrap();
    assert_eq!(
        count_of(&store, "sessions", "user_id", alice.as_uuid()).await,
        0
    );
    assert_eq!(
        count_of(&store, "sessions", "user_id", other.as_uuid()).await,
        1
    );
    assert_eq!(store.find(&reset.token_hash).await.unwrap(), None);
    assert_eq!(store.find(&invite.token_hash).await.unwrap(), None);
    assert!(store.find(&others.token_hash).await.unwrap().is_some());
    assert_eq!(store.password_hash(alice).await.unwrap(), Some(hash("new")));
}

async fn c8_upgrade_replaces_only_the_hash_it_was_given(store: Store) {
    let alice = created(&store, "alice").await;
    let original = store.password_hash(alice).await.unwrap().unwrap();
    SessionStore::create(&store, &session(alice, 1, at(0)))
        .await
        .unwrap();
    let stale = store
        .upgrade_hash(alice, hash("not-the-stored-one"), hash("x"))
        .await;
    assert!(!stale.unwrap());
    assert_eq!(
        store.password_hash(alice).await.unwrap(),
        Some(original.clone())
    );
    assert!(
        store
            .upgrade_hash(alice, original, hash("upgraded"))
            .await
            .unwrap()
    );
    assert_eq!(
        store.password_hash(alice).await.unwrap(),
        Some(hash("upgraded"))
    );
    // The password did not change: sessions stay.
    assert_eq!(
        count_of(&store, "sessions", "user_id", alice.as_uuid()).await,
        1
    );
    // A user without a password has nothing to upgrade.
    let invited = pending_user(&store, "invited").await;
    assert!(
        !store
            .upgrade_hash(invited, hash("a"), hash("b"))
            .await
            .unwrap()
    );
}

async fn u1_unknown_users_have_no_password_to_set(store: Store) {
    let nobody = UserId::new();
    assert_eq!(store.password_hash(nobody).await.unwrap(), None);
    let set = store.set_password_hash(nobody, hash("h"), true).await;
    assert!(matches!(set, Err(CredentialError::NotFound)), "{set:?}");
    assert_eq!(
        count_of(&store, "user_credentials", "user_id", nobody.as_uuid()).await,
        0
    );
    let upgrade = store.upgrade_hash(nobody, hash("a"), hash("b")).await;
    assert!(
        matches!(upgrade, Err(CredentialError::NotFound)),
        "{upgrade:?}"
    );
}

on_every_backend!(
    u5_setting_a_password_activates_a_pending_user_when_asked,
    s1_u10_a_new_password_ends_sessions_and_links,
    c8_upgrade_replaces_only_the_hash_it_was_given,
    u1_unknown_users_have_no_password_to_set,
);
