//! Single-use links (U5, A2, U10, M4): one live link per purpose and subject, issued with its
//! mail in one transaction, redeemed once even when opened twice at the same moment.

use super::fixtures::{application, at, count, count_of, created, email};
use chrono::Duration;
use roster_domain::ids::UserId;
use roster_domain::ports::tokens::{OneTimeTokenStore, RedeemError};
use roster_domain::registration::{
    MailKind, OneTimeToken, OutgoingMail, TokenError, TokenHash, TokenLifetimes, TokenPurpose,
    TokenSubject,
};
use roster_infra_db::Store;
use sea_orm::sea_query::{Expr, ExprTrait};
use std::collections::BTreeMap;

fn hash(n: u8) -> TokenHash {
    TokenHash::from_bytes([n; 32])
}

fn invitation(user: UserId, n: u8) -> OneTimeToken {
    OneTimeToken::invitation(user, hash(n), &TokenLifetimes::default(), at(0))
}

fn mail(to: &str) -> OutgoingMail {
    let variables = BTreeMap::from([("link".to_owned(), "https://lms/t/secret".to_owned())]);
    OutgoingMail::new(email(to), MailKind::Invitation, variables).unwrap()
}

async fn queued(store: &Store) -> i64 {
    count(store, "mail_queue", Expr::col("kind").eq("invitation")).await
}

async fn u5_m4_issue_replaces_the_earlier_link_and_queues_its_mail(store: Store) {
    let alice = created(&store, "alice").await;
    let first = invitation(alice, 1);
    store
        .issue(&first, &[mail("alice@example.org")])
        .await
        .unwrap();
    assert_eq!(
        store.find(&first.token_hash).await.unwrap(),
        Some(micros(first.clone()))
    );
    assert_eq!(queued(&store).await, 1);
    let reset = OneTimeToken::password_reset(alice, hash(2), &TokenLifetimes::default(), at(0));
    store.issue(&reset, &[]).await.unwrap();
    let resent = invitation(alice, 3);
    store
        .issue(&resent, &[mail("alice@example.org")])
        .await
        .unwrap();
    assert_eq!(
        store.find(&first.token_hash).await.unwrap(),
        None,
        "U5: the old link stops"
    );
    assert!(store.find(&resent.token_hash).await.unwrap().is_some());
    assert!(
        store.find(&reset.token_hash).await.unwrap().is_some(),
        "another purpose stays"
    );
    assert_eq!(queued(&store).await, 2);
    let to_alice = Expr::col("recipient")
        .eq("alice@example.org")
        .and(Expr::col("status").eq("queued"));
    assert_eq!(count(&store, "mail_queue", to_alice).await, 2);
}

async fn m4_a_failed_issue_writes_nothing(store: Store) {
    let alice = created(&store, "alice").await;
    let bob = created(&store, "bob").await;
    let bobs = invitation(bob, 2);
    store.issue(&bobs, &[]).await.unwrap();
    store.issue(&invitation(alice, 1), &[]).await.unwrap();
    // Bob's new link collides with Alice's hash: the insert fails after Bob's old link was
    // deleted, so the rollback must bring it back, with no mail queued.
    let clash = invitation(bob, 1);
    let failed = store.issue(&clash, &[mail("bob@example.org")]).await;
    assert!(failed.is_err());
    assert!(store.find(&bobs.token_hash).await.unwrap().is_some());
    assert_eq!(queued(&store).await, 0);
}

async fn u5_a_link_redeems_once(store: Store) {
    let alice = created(&store, "alice").await;
    let token = invitation(alice, 1);
    store.issue(&token, &[]).await.unwrap();
    let wrong_purpose = store
        .redeem(&token.token_hash, TokenPurpose::PasswordReset, at(1))
        .await;
    assert!(matches!(
        wrong_purpose,
        Err(RedeemError::Refused(TokenError::Invalid))
    ));
    let subject = store
        .redeem(&token.token_hash, TokenPurpose::Invitation, at(1))
        .await
        .unwrap();
    assert_eq!(subject, TokenSubject::User(alice));
    let found = store.find(&token.token_hash).await.unwrap().unwrap();
    assert_eq!(
        found.used_at.map(|t| t.timestamp_micros()),
        Some(at(1).timestamp_micros())
    );
    let again = store
        .redeem(&token.token_hash, TokenPurpose::Invitation, at(2))
        .await;
    assert!(
        matches!(again, Err(RedeemError::Refused(TokenError::Invalid))),
        "{again:?}"
    );
    let unknown = store
        .redeem(&hash(77), TokenPurpose::Invitation, at(1))
        .await;
    assert!(matches!(
        unknown,
        Err(RedeemError::Refused(TokenError::Invalid))
    ));
}

async fn u5_an_expired_link_answers_expired(store: Store) {
    let alice = created(&store, "alice").await;
    let token = invitation(alice, 1);
    store.issue(&token, &[]).await.unwrap();
    let expired = store
        .redeem(
            &token.token_hash,
            TokenPurpose::Invitation,
            token.expires_at,
        )
        .await;
    assert!(
        matches!(expired, Err(RedeemError::Refused(TokenError::Expired))),
        "{expired:?}"
    );
    let just_before = token.expires_at - Duration::microseconds(1);
    assert!(
        store
            .redeem(&token.token_hash, TokenPurpose::Invitation, just_before)
            .await
            .is_ok()
    );
}

async fn u5_a_link_opened_ten_times_at_once_works_once(store: Store) {
    let alice = created(&store, "alice").await;
    let token = invitation(alice, 1);
    store.issue(&token, &[]).await.unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            let hash = token.token_hash;
            tokio::spawn(async move { store.redeem(&hash, TokenPurpose::Invitation, at(1)).await })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(RedeemError::Refused(TokenError::Invalid)) => {}
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(won, 1);
}

async fn a2_revoke_and_delete_expired(store: Store) {
    let alice = created(&store, "alice").await;
    let applicant = application(&store).await;
    let lifetimes = TokenLifetimes::default();
    let activation = OneTimeToken::activation(applicant, hash(1), &lifetimes, at(0));
    let invite = invitation(alice, 2);
    let reset = OneTimeToken::password_reset(alice, hash(3), &lifetimes, at(0));
    for token in [&activation, &invite, &reset] {
        store.issue(token, &[]).await.unwrap();
    }
    let subject = store
        .redeem(&activation.token_hash, TokenPurpose::Activation, at(1))
        .await;
    assert_eq!(subject.unwrap(), TokenSubject::Application(applicant));
    store
        .revoke(TokenPurpose::Invitation, TokenSubject::User(alice))
        .await
        .unwrap();
    assert_eq!(store.find(&invite.token_hash).await.unwrap(), None);
    assert!(store.find(&reset.token_hash).await.unwrap().is_some());
    // Nothing live to revoke is not an error.
    store
        .revoke(TokenPurpose::Invitation, TokenSubject::User(alice))
        .await
        .unwrap();
    let by_application = count_of(
        &store,
        "one_time_tokens",
        "subject_application_id",
        applicant.as_uuid(),
    );
    assert_eq!(
        by_application.await,
        1,
        "a used link is not live: revoke keeps it"
    );
    store
        .revoke(
            TokenPurpose::Activation,
            TokenSubject::Application(applicant),
        )
        .await
        .unwrap();
    assert!(store.find(&activation.token_hash).await.unwrap().is_some());
    // Reset links live a shorter time than activation links.
    assert_eq!(store.delete_expired(reset.expires_at).await.unwrap(), 0);
    let later = std::cmp::max(activation.expires_at, reset.expires_at) + Duration::seconds(1);
    assert_eq!(store.delete_expired(later).await.unwrap(), 2);
    assert_eq!(store.find(&reset.token_hash).await.unwrap(), None);
}

/// The token as the store keeps it (instants to the microsecond).
fn micros(mut token: OneTimeToken) -> OneTimeToken {
    let cut = |t: chrono::DateTime<chrono::Utc>| {
        chrono::DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap()
    };
    token.issued_at = cut(token.issued_at);
    token.expires_at = cut(token.expires_at);
    token
}

on_every_backend!(
    u5_m4_issue_replaces_the_earlier_link_and_queues_its_mail,
    m4_a_failed_issue_writes_nothing,
    u5_a_link_redeems_once,
    u5_an_expired_link_answers_expired,
    u5_a_link_opened_ten_times_at_once_works_once,
    a2_revoke_and_delete_expired,
);
