//! Tests of password reset (U10).

use super::*;
use crate::error::ErrorCode;
use crate::ports::password::PasswordHash;
use crate::ports::tokens::TokenStoreError;
use crate::registration::{PlainToken, TokenLifetimes};
use crate::services::joining::testing::{
    JoinMocks, config, hash_of, notifications_without, secret,
};
use crate::services::testing::{now, user};
use chrono::Duration;
use mockall::predicate::eq;

fn with_email(login: &str, email: &str) -> User {
    let mut u = user(login);
    u.email = Some(Email::parse(email).unwrap());
    u
}

fn service(m: JoinMocks) -> PasswordResetService {
    let (ports, joining) = m.build();
    PasswordResetService::new(&ports, &joining, &config())
}

/// `get_by_login_id` knows only `known`; `find_by_email` answers `listed`.
fn directory(m: &mut JoinMocks, known: Option<User>, listed: Vec<User>) {
    m.base
        .users
        .expect_get_by_login_id()
        .returning(move |l| Ok(known.clone().filter(|u| u.login_id == *l)));
    m.base
        .users
        .expect_find_by_email()
        .withf(|_, limit| *limit as usize == RESET_MAX_ACCOUNTS)
        .returning(move |e, _| {
            Ok(listed
                .iter()
                // The port's contract: the local part compares without case.
                .filter(|u| {
                    u.email
                        .as_ref()
                        .is_some_and(|m| m.as_str().to_lowercase() == e.as_str().to_lowercase())
                })
                .cloned()
                .collect())
        });
}

#[tokio::test]
async fn u10_known_login_id_gets_a_thirty_minute_link_by_mail() {
    let hanako = with_email("hanako", "hanako@example.jp");
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_notifications(Default::default());
    directory(&mut m, Some(hanako.clone()), Vec::new());
    let id = hanako.id;
    m.tokens
        .expect_issue()
        .times(1)
        .withf(move |t, outbox| {
            t.purpose == TokenPurpose::PasswordReset
                && t.subject == TokenSubject::User(id)
                && t.expires_at == now() + Duration::minutes(30)
                && outbox.len() == 1
                && outbox[0].kind() == MailKind::PasswordReset
                && outbox[0].variables()["link"]
                    == format!("https://lms.example.com/reset/{}", secret(1))
        })
        .returning(|_, _| Ok(()));
    let outcome = service(m).request_reset(" hanako ").await;
    assert!(outcome.failures().is_empty());
}

#[tokio::test]
async fn u10_email_shared_by_several_accounts_mails_each_of_them() {
    let a = with_email("kid-a", "family@example.com");
    let b = with_email("kid-b", "Family@EXAMPLE.com");
    let lookalike = with_email("other", "xfamily@example.com");
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_notifications(Default::default());
    directory(&mut m, None, vec![a.clone(), b.clone(), lookalike]);
    let (ia, ib) = (a.id, b.id);
    m.tokens
        .expect_issue()
        .times(2)
        .withf(move |t, outbox| {
            matches!(t.subject, TokenSubject::User(u) if u == ia || u == ib) && outbox.len() == 1
        })
        .returning(|_, _| Ok(()));
    let outcome = service(m).request_reset("family@example.com").await;
    assert!(outcome.failures().is_empty());
}

#[tokio::test]
async fn u10_unknown_and_known_accounts_get_the_same_answer_and_work() {
    let known = with_email("hanako", "hanako@example.jp");
    let mut answers = Vec::new();
    for (input, issues) in [("nobody", 0), ("hanako", 1)] {
        let mut m = JoinMocks::new();
        m.with_notifications(Default::default());
        directory(&mut m, Some(known.clone()), Vec::new());
        // Exactly one secret is generated either way.
        m.generator
            .expect_generate()
            .times(1)
            .returning(|| (PlainToken::new(secret(1)), hash_of(&secret(1))));
        m.tokens
            .expect_issue()
            .times(issues)
            .returning(|_, _| Ok(()));
        answers.push(format!("{:?}", service(m).request_reset(input).await));
    }
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn u10_accounts_that_could_not_log_in_get_no_link() {
    let mut disabled = with_email("off", "off@example.com");
    disabled.status = UserStatus::Invalid;
    let mut pending = with_email("invited", "invited@example.com");
    pending.status = UserStatus::Pending;
    let mut expired = with_email("old", "old@example.com");
    expired.expires_at = Some(now());
    let no_email = user("nomail");
    for u in [disabled, pending, expired, no_email] {
        let mut m = JoinMocks::new();
        m.with_generator();
        m.with_notifications(Default::default());
        directory(&mut m, Some(u.clone()), Vec::new());
        m.tokens.expect_issue().times(0);
        let outcome = service(m).request_reset(u.login_id.as_str()).await;
        assert!(outcome.failures().is_empty());
    }
}

#[tokio::test]
async fn u10_m3_reset_mail_off_issues_nothing() {
    let hanako = with_email("hanako", "hanako@example.jp");
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_notifications(notifications_without(MailKind::PasswordReset));
    directory(&mut m, Some(hanako), Vec::new());
    m.tokens.expect_issue().times(0);
    let outcome = service(m).request_reset("hanako").await;
    assert!(outcome.failures().is_empty());
}

#[tokio::test]
async fn u10_storage_failure_is_for_the_logs_not_the_answer() {
    let hanako = with_email("hanako", "hanako@example.jp");
    let mut m = JoinMocks::new();
    m.with_generator();
    m.with_notifications(Default::default());
    directory(&mut m, Some(hanako), Vec::new());
    m.tokens
        .expect_issue()
        .times(1)
        .returning(|_, _| Err(TokenStoreError::Unexpected(Unexpected::new("db down"))));
    let outcome = service(m).request_reset("hanako").await;
    assert_eq!(outcome.failures().len(), 1);
}

fn reset_for(u: &User, presented: &str) -> OneTimeToken {
    OneTimeToken::password_reset(
        u.id,
        hash_of(presented),
        &TokenLifetimes::default(),
        now() - Duration::minutes(5),
    )
}

/// A stored link for `u`, the user, and the hasher.
fn confirmable(m: &mut JoinMocks, u: &User) {
    m.with_generator();
    m.with_stored_token("reset-secret", reset_for(u, "reset-secret"));
    m.base.with_user(u, [].into());
}

#[tokio::test]
async fn u10_confirm_sets_the_new_password_without_touching_status() {
    for status in [UserStatus::Valid, UserStatus::Invalid] {
        let mut u = with_email("hanako", "hanako@example.jp");
        u.status = status;
        let mut m = JoinMocks::new();
        confirmable(&mut m, &u);
        m.base
            .hasher
            .expect_hash()
            .times(1)
            .returning(|_| Ok(PasswordHash::new("h")));
        let id = u.id;
        m.tokens
            .expect_redeem()
            .with(
                eq(hash_of("reset-secret")),
                eq(TokenPurpose::PasswordReset),
                eq(now()),
            )
            .times(1)
            .returning(move |_, _, _| Ok(TokenSubject::User(id)));
        // `false`: a reset never re-enables a disabled user (U2).
        m.base
            .credentials
            .expect_set_password_hash()
            .with(eq(u.id), eq(PasswordHash::new("h")), eq(false))
            .times(1)
            .returning(|_, _, _| Ok(()));
        service(m)
            .confirm_reset("reset-secret", PlainPassword::new("quiet-harbor-lamp"))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn u10_confirm_with_weak_password_keeps_the_link() {
    let u = with_email("hanako", "hanako@example.jp");
    let mut m = JoinMocks::new();
    confirmable(&mut m, &u);
    m.tokens.expect_redeem().times(0);
    m.base.credentials.expect_set_password_hash().times(0);
    let err = service(m)
        .confirm_reset("reset-secret", PlainPassword::new("hanako"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
}

#[tokio::test]
async fn u10_confirm_refuses_unknown_invitation_and_expired_links() {
    let u = with_email("hanako", "hanako@example.jp");
    let mut expired = reset_for(&u, "late");
    expired.expires_at = now();
    let invitation =
        OneTimeToken::invitation(u.id, hash_of("invite"), &TokenLifetimes::default(), now());
    for (presented, token, code) in [
        ("late", Some(expired), "token_expired"),
        ("invite", Some(invitation), "token_invalid"),
        ("nothing", None, "token_invalid"),
    ] {
        let mut m = JoinMocks::new();
        m.with_generator();
        match token {
            Some(t) => m.with_stored_token(presented, t),
            None => {
                m.tokens.expect_find().returning(|_| Ok(None));
            }
        }
        m.tokens.expect_redeem().times(0);
        m.base.credentials.expect_set_password_hash().times(0);
        let err = service(m)
            .confirm_reset(presented, PlainPassword::new("quiet-harbor-lamp"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{presented}");
    }
}

#[tokio::test]
async fn s3_reset_requests_count_against_the_address_and_are_refused_when_locked() {
    use crate::ports::sessions::FailureCount;
    use std::net::{IpAddr, Ipv4Addr};
    let client = ClientInfo {
        ip: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))),
        user_agent: None,
    };
    let mut m = JoinMocks::new();
    m.throttle
        .expect_failures_since()
        .times(1)
        .returning(|_, _| {
            Ok(FailureCount {
                count: 0,
                last_at: None,
            })
        });
    m.throttle
        .expect_record_failure()
        .withf(|k, at| {
            *k == ThrottleKey::address(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))) && *at == now()
        })
        .times(1)
        .returning(|_, _| Ok(()));
    service(m).admit_request(&client).await.unwrap();

    let mut m = JoinMocks::new();
    m.throttle.expect_failures_since().returning(|_, _| {
        Ok(FailureCount {
            count: 20,
            last_at: Some(now()),
        })
    });
    m.throttle.expect_record_failure().times(0);
    let err = service(m).admit_request(&client).await.unwrap_err();
    assert_eq!(err.code(), "too_many_attempts");

    // No address known: nothing to count, admitted.
    let m = JoinMocks::new();
    service(m)
        .admit_request(&ClientInfo::default())
        .await
        .unwrap();
}
