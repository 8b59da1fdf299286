//! Tests of login, authentication and logout (S1–S3, C8, L1, U6, U7).

use super::*;
use crate::csv::{LegacyHash, LegacyScheme};
use crate::ports::password::{PlainPassword, Verification};
use crate::ports::records::MockLearningRecords;
use crate::ports::sessions::{FailureCount, MockLoginThrottleStore, MockSessionStore};
use crate::ports::tokens::MockTokenGenerator;
use crate::registration::{
    LoginFailure, PlainToken, RetryAfter, Session, ThrottleKey, Throttled, TokenHash,
};
use crate::services::testing::{Mocks, now, user};
use crate::user::{User, UserStatus};
use chrono::Duration;
use mockall::predicate::eq;
use std::net::{IpAddr, Ipv4Addr};

const STORED: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$stored";

struct SessionMocks {
    m: Mocks,
    sessions: MockSessionStore,
    throttle: MockLoginThrottleStore,
    tokens: MockTokenGenerator,
    records: MockLearningRecords,
}

impl SessionMocks {
    fn new() -> Self {
        Self {
            m: Mocks::new(),
            sessions: MockSessionStore::new(),
            throttle: MockLoginThrottleStore::new(),
            tokens: MockTokenGenerator::new(),
            records: MockLearningRecords::new(),
        }
    }

    fn service(self) -> SessionService {
        let stores = SessionPorts {
            sessions: Arc::new(self.sessions),
            throttle: Arc::new(self.throttle),
            tokens: Arc::new(self.tokens),
            records: Arc::new(self.records),
        };
        SessionService::new(&self.m.ports(), stores, SessionConfig::default())
    }

    /// No failures recorded for any key.
    fn unthrottled(&mut self) {
        self.throttle
            .expect_failures_since()
            .returning(|_, _| Ok(FailureCount::default()));
    }

    /// `login` finds this user with this stored hash (when it has a password).
    fn with_account(&mut self, u: &User) {
        let found = u.clone();
        self.m
            .users
            .expect_get_by_login_id()
            .returning(move |_| Ok(Some(found.clone())));
        let has = u.has_password;
        self.m
            .credentials
            .expect_password_hash()
            .with(eq(u.id))
            .returning(move |_| Ok(has.then(|| PasswordHash::new(STORED))));
    }

    fn verify_answers(&mut self, answer: Verification) {
        self.m
            .hasher
            .expect_verify()
            .times(1)
            .returning(move |_, _| Ok(answer));
    }

    /// A failed attempt counts once per key and opens nothing.
    fn expect_failure_counted(&mut self, keys: usize) {
        self.throttle
            .expect_record_failure()
            .times(keys)
            .withf(|_, at| *at == now())
            .returning(|_, _| Ok(()));
        self.throttle.expect_clear().times(0);
        self.sessions.expect_create().times(0);
        self.records.expect_add_access_log().times(0);
    }

    /// A successful login: token, access log, session.
    fn expect_session_opened(&mut self, u: &User) {
        let key = ThrottleKey::login_id(&u.login_id);
        self.throttle
            .expect_clear()
            .with(eq(key))
            .times(1)
            .returning(|_| Ok(()));
        let id = u.id;
        self.records
            .expect_add_access_log()
            .times(1)
            .withf(move |e| {
                e.user_id == id
                    && e.at == now()
                    && e.ip.as_deref() == Some("192.0.2.7")
                    && e.user_agent.as_deref() == Some("Firefox")
            })
            .returning(|_| Ok(()));
        self.tokens.expect_generate().times(1).returning(|| {
            (
                PlainToken::new("plain-token".into()),
                TokenHash::from_bytes([9; 32]),
            )
        });
        self.sessions
            .expect_create()
            .times(1)
            .withf(move |s| {
                s.user_id == id
                    && s.token_hash == TokenHash::from_bytes([9; 32])
                    && s.created_at == now()
            })
            .returning(|_| Ok(()));
    }
}

fn client() -> ClientInfo {
    ClientInfo {
        ip: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))),
        user_agent: Some("Firefox".into()),
    }
}

fn pw(raw: &str) -> PlainPassword {
    PlainPassword::new(raw)
}

#[tokio::test]
async fn s1_l1_login_returns_token_once_stores_its_hash_and_logs_the_access() {
    let alice = user("alice");
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.with_account(&alice);
    s.verify_answers(Verification::Ok);
    s.m.hasher.expect_hash().times(0);
    s.expect_session_opened(&alice);
    let ok = s
        .service()
        .login("Alice", &pw("maple-syrup-lantern"), &client())
        .await
        .unwrap();
    assert_eq!(ok.token.expose(), "plain-token");
    assert_eq!(ok.user_id, alice.id);
    assert_eq!(ok.expires_at, now() + Duration::hours(12));
}

/// One run of `login` for `account` (None: unknown login ID) whose password verifies as
/// `matches`; returns the error.
async fn failed_login(account: Option<User>, matches: bool) -> LoginError {
    let mut s = SessionMocks::new();
    s.unthrottled();
    match &account {
        Some(u) => s.with_account(u),
        None => {
            s.m.users.expect_get_by_login_id().returning(|_| Ok(None));
            s.m.credentials
                .expect_password_hash()
                .with(eq(SENTINEL_CREDENTIAL_ID))
                .times(1)
                .returning(|_| Ok(None));
        }
    }
    let answer = if matches {
        Verification::Ok
    } else {
        Verification::Mismatch
    };
    s.verify_answers(answer);
    s.expect_failure_counted(2);
    s.service()
        .login("alice", &pw("maple-syrup-lantern"), &client())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn s2_every_failure_is_the_identical_answer() {
    let mut disabled = user("alice");
    disabled.status = UserStatus::Invalid;
    let mut pending = user("alice");
    pending.status = UserStatus::Pending;
    pending.has_password = false;
    let mut expired = user("alice");
    expired.expires_at = Some(now());
    let mut no_password = user("alice");
    no_password.has_password = false;
    let cases = [
        (None, true),
        (Some(user("alice")), false),
        (Some(disabled), true),
        (Some(pending), true),
        (Some(expired), true),
        (Some(no_password), true),
    ];
    for (account, matches) in cases {
        let err = failed_login(account, matches).await;
        assert_eq!(err, LoginError::Failed(LoginFailure));
        assert_eq!(err.code(), "login_failed");
        assert_eq!(err.to_string(), "the login ID or password is not correct");
    }
}

#[tokio::test]
async fn s2_unknown_login_id_costs_one_credential_read_and_one_dummy_verification() {
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.m.users.expect_get_by_login_id().returning(|_| Ok(None));
    // S2: the same one credential read a known account costs; even a hash answered for the
    // sentinel is never used.
    s.m.credentials
        .expect_password_hash()
        .with(eq(SENTINEL_CREDENTIAL_ID))
        .times(1)
        .returning(|_| Ok(Some(PasswordHash::new(STORED))));
    s.m.hasher
        .expect_verify()
        .times(1)
        .withf(|p, h| p.expose() == "guess-guess-guess" && h.expose() == DUMMY_PASSWORD_HASH)
        // Even a "match" against the dummy lets nobody in.
        .returning(|_, _| Ok(Verification::Ok));
    s.expect_failure_counted(2);
    let err = s
        .service()
        .login("nobody", &pw("guess-guess-guess"), &client())
        .await
        .unwrap_err();
    assert_eq!(err, LoginError::Failed(LoginFailure));
}

#[tokio::test]
async fn s2_unparsable_login_id_verifies_once_and_counts_against_the_address() {
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.m.users.expect_get_by_login_id().times(0);
    s.m.credentials
        .expect_password_hash()
        .with(eq(SENTINEL_CREDENTIAL_ID))
        .times(1)
        .returning(|_| Ok(None));
    s.m.hasher
        .expect_verify()
        .times(1)
        .returning(|_, _| Ok(Verification::Mismatch));
    s.throttle
        .expect_record_failure()
        .times(1)
        .withf(|k, _| k == &ThrottleKey::Address("192.0.2.7".into()))
        .returning(|_, _| Ok(()));
    s.sessions.expect_create().times(0);
    let err = s
        .service()
        .login("", &pw("x"), &client())
        .await
        .unwrap_err();
    assert_eq!(err, LoginError::Failed(LoginFailure));
}

#[tokio::test]
async fn s2_dummy_hash_is_a_well_formed_argon2id_phc_string() {
    let parsed = LegacyHash::parse(DUMMY_PASSWORD_HASH).unwrap();
    assert_eq!(parsed.scheme(), LegacyScheme::Argon2id);
    assert_eq!(
        SessionConfig::default().dummy_hash.expose(),
        DUMMY_PASSWORD_HASH
    );
}

#[tokio::test]
async fn s3_throttled_login_answers_retry_after_and_checks_no_password() {
    let mut s = SessionMocks::new();
    s.throttle
        .expect_failures_since()
        .times(2)
        .returning(|key, since| {
            assert_eq!(since, now() - Duration::hours(1));
            Ok(match key {
                ThrottleKey::LoginId(_) => FailureCount {
                    count: 5,
                    last_at: Some(now() - Duration::seconds(20)),
                },
                ThrottleKey::Address(_) => FailureCount::default(),
            })
        });
    s.m.users.expect_get_by_login_id().times(0);
    s.m.hasher.expect_verify().times(0);
    s.throttle.expect_record_failure().times(0);
    s.sessions.expect_create().times(0);
    let err = s
        .service()
        .login("alice", &pw("maple-syrup-lantern"), &client())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        LoginError::Throttled(Throttled(RetryAfter(Duration::seconds(40))))
    );
    assert_eq!(err.code(), "too_many_attempts");
}

#[tokio::test]
async fn c9_busy_hasher_counts_no_failure() {
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.with_account(&user("alice"));
    s.m.hasher
        .expect_verify()
        .returning(|_, _| Err(HashError::Busy));
    s.throttle.expect_record_failure().times(0);
    s.sessions.expect_create().times(0);
    let err = s
        .service()
        .login("alice", &pw("maple-syrup-lantern"), &client())
        .await
        .unwrap_err();
    assert_eq!(err, LoginError::Busy);
}

#[tokio::test]
async fn c8_legacy_hash_is_upgraded_at_login() {
    let alice = user("alice");
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.with_account(&alice);
    s.verify_answers(Verification::OkNeedsRehash);
    s.expect_session_opened(&alice);
    s.m.hasher.expect_hash().times(0);
    s.m.hasher
        .expect_rehash()
        .times(1)
        .withf(|p| p.expose() == "maple-syrup-lantern")
        .returning(|_| Ok(PasswordHash::new("$argon2id$new")));
    s.m.credentials
        .expect_upgrade_hash()
        .with(
            eq(alice.id),
            eq(PasswordHash::new(STORED)),
            eq(PasswordHash::new("$argon2id$new")),
        )
        .times(1)
        .returning(|_, _, _| Ok(true));
    let ok = s
        .service()
        .login("alice", &pw("maple-syrup-lantern"), &client())
        .await
        .unwrap();
    assert_eq!(ok.user_id, alice.id);
}

#[tokio::test]
async fn c8_failed_upgrade_does_not_fail_the_login() {
    let alice = user("alice");
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.with_account(&alice);
    s.verify_answers(Verification::OkNeedsRehash);
    s.expect_session_opened(&alice);
    s.m.hasher
        .expect_rehash()
        .times(1)
        .returning(|_| Err(HashError::Busy));
    s.m.credentials.expect_upgrade_hash().times(0);
    assert!(
        s.service()
            .login("alice", &pw("maple-syrup-lantern"), &client())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn c8_legacy_password_below_todays_policy_logs_in_and_is_upgraded() {
    let alice = user("alice");
    let mut s = SessionMocks::new();
    s.unthrottled();
    s.with_account(&alice);
    s.verify_answers(Verification::OkNeedsRehash);
    s.expect_session_opened(&alice);
    s.m.hasher.expect_hash().times(0);
    s.m.hasher
        .expect_rehash()
        .times(1)
        .withf(|p| p.expose() == "password")
        .returning(|_| Ok(PasswordHash::new("$argon2id$new")));
    s.m.credentials
        .expect_upgrade_hash()
        .times(1)
        .returning(|_, _, _| Ok(true));
    let ok = s
        .service()
        .login("alice", &pw("password"), &client())
        .await
        .unwrap();
    assert_eq!(ok.user_id, alice.id);
}

fn session_of(u: &User, last_seen: chrono::DateTime<chrono::Utc>) -> Session {
    let mut s = Session::start(
        u.id,
        TokenHash::from_bytes([3; 32]),
        &crate::registration::SessionPolicy::default(),
        now() - Duration::hours(1),
    );
    s.last_seen_at = last_seen;
    s
}

fn finds(s: &mut SessionMocks, session: &Session) {
    s.tokens
        .expect_hash()
        .withf(|t| t == "bearer")
        .returning(|_| TokenHash::from_bytes([3; 32]));
    let found = session.clone();
    s.sessions
        .expect_find_by_token()
        .with(eq(TokenHash::from_bytes([3; 32])))
        .returning(move |_| Ok(Some(found.clone())));
}

#[tokio::test]
async fn s1_u6_disabled_or_expired_user_loses_the_session_at_once() {
    let mut disabled = user("alice");
    disabled.status = UserStatus::Invalid;
    let mut expired = user("bob");
    expired.expires_at = Some(now() - Duration::seconds(1));
    for u in [disabled, expired] {
        let mut s = SessionMocks::new();
        let session = session_of(&u, now());
        finds(&mut s, &session);
        s.m.with_user(&u, [].into());
        s.m.grants.expect_grants_for_user().times(0);
        s.sessions
            .expect_revoke()
            .with(eq(session.id))
            .times(1)
            .returning(|_| Ok(true));
        s.sessions.expect_touch().times(0);
        let err = s.service().authenticate("bearer").await.unwrap_err();
        assert_eq!(err.code(), "session_revoked");
    }
}

#[tokio::test]
async fn u7_deleted_user_session_is_revoked() {
    let gone = user("gone");
    let mut s = SessionMocks::new();
    let session = session_of(&gone, now());
    finds(&mut s, &session);
    s.m.users.expect_get().returning(|_| Ok(None));
    s.sessions.expect_revoke().times(1).returning(|_| Ok(false));
    let err = s.service().authenticate("bearer").await.unwrap_err();
    assert!(matches!(
        err,
        SessionError::Rejected(SessionRejection::UserCannotLogIn)
    ));
}

#[tokio::test]
async fn s1_idle_session_expires_and_is_revoked() {
    let alice = user("alice");
    let mut s = SessionMocks::new();
    let session = session_of(&alice, now() - Duration::minutes(30));
    finds(&mut s, &session);
    s.m.with_user(&alice, [].into());
    s.sessions.expect_revoke().times(1).returning(|_| Ok(true));
    let err = s.service().authenticate("bearer").await.unwrap_err();
    assert_eq!(err.code(), "session_expired");
}

#[tokio::test]
async fn s1_live_session_gives_the_actor_and_records_the_use() {
    let alice = user("alice");
    let g = crate::ids::GroupId::new();
    let mut s = SessionMocks::new();
    let session = session_of(&alice, now() - Duration::minutes(2));
    finds(&mut s, &session);
    s.m.with_user(&alice, [g].into());
    s.m.with_grants_of(alice.id, Vec::new());
    s.sessions
        .expect_touch()
        .with(eq(session.id), eq(now()))
        .times(1)
        .returning(|_, _| Ok(()));
    s.sessions.expect_revoke().times(0);
    let actor = s.service().authenticate("bearer").await.unwrap();
    assert_eq!(actor.user_id, alice.id);
    assert_eq!(actor.direct_groups, [g].into());
}

#[tokio::test]
async fn s1_unknown_token_is_invalid() {
    let mut s = SessionMocks::new();
    s.tokens
        .expect_hash()
        .returning(|_| TokenHash::from_bytes([1; 32]));
    s.sessions.expect_find_by_token().returning(|_| Ok(None));
    let err = s.service().authenticate("nope").await.unwrap_err();
    assert_eq!(err.code(), "session_invalid");
}

#[tokio::test]
async fn s1_logout_revokes_and_is_idempotent() {
    let alice = user("alice");
    let mut s = SessionMocks::new();
    let session = session_of(&alice, now());
    finds(&mut s, &session);
    s.sessions
        .expect_revoke()
        .with(eq(session.id))
        .times(1)
        .returning(|_| Ok(true));
    s.service().logout("bearer").await.unwrap();

    let mut s = SessionMocks::new();
    s.tokens
        .expect_hash()
        .returning(|_| TokenHash::from_bytes([1; 32]));
    s.sessions.expect_find_by_token().returning(|_| Ok(None));
    s.sessions.expect_revoke().times(0);
    s.service().logout("unknown").await.unwrap();
}

fn assert_send<T: Send>(_: &T) {}

/// HTTP handlers run on a work-stealing pool: the service futures must be `Send`.
#[test]
fn s1_session_futures_are_send() {
    let service = SessionMocks::new().service();
    let (password, client) = (pw("x"), client());
    assert_send(&service.login("a", &password, &client));
    assert_send(&service.authenticate("t"));
    assert_send(&service.logout("t"));
}
