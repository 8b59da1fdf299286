//! Updating users (U4–U6, U10, S1): optimistic concurrency, and the sessions and links the
//! change ends in the same transaction.

use super::fixtures::{at, count_of, created, email, session};
use roster_domain::ids::UserId;
use roster_domain::ports::sessions::SessionStore;
use roster_domain::ports::tokens::OneTimeTokenStore;
use roster_domain::ports::users::{UserFields, UserRepository, UserUpdate, UserWriteError};
use roster_domain::registration::{OneTimeToken, TokenHash, TokenLifetimes};
use roster_domain::user::{DisplayName, User, UserStatus};
use roster_infra_db::Store;

fn change(user: &User, edit: impl FnOnce(&mut UserFields), seconds: i64) -> UserUpdate {
    let mut fields = UserFields::of(user);
    edit(&mut fields);
    UserUpdate {
        id: user.id,
        expected_updated_at: user.updated_at,
        fields,
        updated_at: at(seconds),
    }
}

async fn user(store: &Store, login: &str) -> User {
    let id = created(store, login).await;
    store.get(id).await.unwrap().unwrap()
}

async fn sessions_of(store: &Store, user: UserId) -> i64 {
    count_of(store, "sessions", "user_id", user.as_uuid()).await
}

async fn u4_update_writes_the_fields_once_per_read(store: Store) {
    let alice = user(&store, "alice").await;
    let update = change(
        &alice,
        |f| {
            f.name = DisplayName::parse("Alice Liddell").unwrap();
            f.email = Some(email("alice@Example.org"));
            f.expires_at = Some(at(86_400));
            f.attributes.insert("dept".into(), "Maths".into());
        },
        10,
    );
    let updated = store.update(update.clone()).await.unwrap();
    assert_eq!(updated.name.as_str(), "Alice Liddell");
    assert_eq!(store.get(alice.id).await.unwrap(), Some(updated.clone()));
    // The same decision again was made on a row that has changed since.
    let stale = store.update(update).await;
    assert!(matches!(stale, Err(UserWriteError::Conflict)), "{stale:?}");
    assert_eq!(store.get(alice.id).await.unwrap(), Some(updated.clone()));
    let mut ghost = change(&updated, |_| {}, 20);
    ghost.id = UserId::new();
    let missing = store.update(ghost).await;
    assert!(
        matches!(missing, Err(UserWriteError::NotFound)),
        "{missing:?}"
    );
}

async fn u4_racing_updates_of_one_read_have_one_winner(store: Store) {
    let bob = user(&store, "bob").await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            let update = change(
                &bob,
                |f| f.name = DisplayName::parse(&format!("Bob {i}")).unwrap(),
                i + 1,
            );
            tokio::spawn(async move { store.update(update).await })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(UserWriteError::Conflict) => {}
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(won, 1);
}

async fn s1_u6_disabling_or_expiring_ends_the_sessions(store: Store) {
    let alice = user(&store, "alice").await;
    let other = user(&store, "other").await;
    open_session(&store, alice.id, 1).await;
    open_session(&store, other.id, 2).await;
    // A change that keeps the user able to log in keeps its sessions, as does an expiry
    // still ahead.
    let renamed = change(
        &alice,
        |f| {
            f.name = DisplayName::parse("A").unwrap();
            f.expires_at = Some(at(3_600));
        },
        10,
    );
    let alice = store.update(renamed).await.unwrap();
    assert_eq!(sessions_of(&store, alice.id).await, 1);
    let disabled = change(&alice, |f| f.status = UserStatus::Invalid, 20);
    let alice = store.update(disabled).await.unwrap();
    assert_eq!(sessions_of(&store, alice.id).await, 0);
    assert_eq!(
        sessions_of(&store, other.id).await,
        1,
        "other users keep theirs"
    );

    let enabled = change(&alice, |f| f.status = UserStatus::Valid, 30);
    let alice = store.update(enabled).await.unwrap();
    open_session(&store, alice.id, 3).await;
    // U6: an expiry at or before the change's instant has passed.
    let expired = change(&alice, |f| f.expires_at = Some(at(40)), 40);
    store.update(expired).await.unwrap();
    assert_eq!(sessions_of(&store, alice.id).await, 0);
}

async fn u10_an_email_change_deletes_reset_and_invitation_links(store: Store) {
    let alice = user(&store, "alice").await;
    let other = user(&store, "other").await;
    let lifetimes = TokenLifetimes::default();
    let reset = OneTimeToken::password_reset(alice.id, hash(1), &lifetimes, at(0));
    let invitation = OneTimeToken::invitation(alice.id, hash(2), &lifetimes, at(0));
    let others = OneTimeToken::password_reset(other.id, hash(3), &lifetimes, at(0));
    for token in [&reset, &invitation, &others] {
        store.issue(token, &[]).await.unwrap();
    }
    let renamed = change(&alice, |f| f.name = DisplayName::parse("A").unwrap(), 10);
    let alice = store.update(renamed).await.unwrap();
    assert!(store.find(&reset.token_hash).await.unwrap().is_some());
    assert!(store.find(&invitation.token_hash).await.unwrap().is_some());
    // Set: no address before, one now.
    let set = change(&alice, |f| f.email = Some(email("a@example.org")), 20);
    store.update(set).await.unwrap();
    assert_eq!(store.find(&reset.token_hash).await.unwrap(), None);
    assert_eq!(store.find(&invitation.token_hash).await.unwrap(), None);
    assert!(store.find(&others.token_hash).await.unwrap().is_some());
}

async fn u10_replacing_or_clearing_the_email_deletes_links(store: Store) {
    let alice = user(&store, "alice").await;
    let with_email = change(&alice, |f| f.email = Some(email("a@example.org")), 10);
    let mut alice = store.update(with_email).await.unwrap();
    let lifetimes = TokenLifetimes::default();
    for (n, new_email) in [(1, Some("b@example.org")), (2, None)] {
        let reset = OneTimeToken::password_reset(alice.id, hash(n), &lifetimes, at(0));
        store.issue(&reset, &[]).await.unwrap();
        let edit = change(
            &alice,
            |f| f.email = new_email.map(email),
            10 + i64::from(n) * 10,
        );
        alice = store.update(edit).await.unwrap();
        assert_eq!(
            store.find(&reset.token_hash).await.unwrap(),
            None,
            "{new_email:?}"
        );
    }
}

fn hash(n: u8) -> TokenHash {
    TokenHash::from_bytes([n; 32])
}

async fn open_session(store: &Store, user: UserId, seed: u8) {
    SessionStore::create(store, &session(user, seed, at(0)))
        .await
        .unwrap();
}

on_every_backend!(
    u4_update_writes_the_fields_once_per_read,
    u4_racing_updates_of_one_read_have_one_winner,
    s1_u6_disabling_or_expiring_ends_the_sessions,
    u10_an_email_change_deletes_reset_and_invitation_links,
    u10_replacing_or_clearing_the_email_deletes_links,
);
