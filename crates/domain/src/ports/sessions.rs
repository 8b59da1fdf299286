//! Ports of signing in (S1, S3): sessions, and the failure counters of the login throttle.

use crate::Unexpected;
use crate::error::ErrorCode;
use crate::ids::{SessionId, UserId};
use crate::registration::{Session, ThrottleKey, TokenHash};
use chrono::{DateTime, Utc};

/// Failure of the session store.
#[derive(Debug, thiserror::Error)]
pub enum SessionStoreError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for SessionStoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Keeps sessions by the hash of their bearer token (S1).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session. Errors: `Unexpected`.
    async fn create(&self, session: &Session) -> Result<(), SessionStoreError>;

    /// The session whose token has this hash, or `None` (never created, revoked, or its
    /// user deleted: U7 removes a user's sessions with it). Errors: `Unexpected`.
    async fn find_by_token(&self, hash: &TokenHash) -> Result<Option<Session>, SessionStoreError>;

    /// Records a use (`SessionTouch::Bump`). A session gone meanwhile is not an error.
    /// Errors: `Unexpected`.
    async fn touch(
        &self,
        id: SessionId,
        last_seen_at: DateTime<Utc>,
    ) -> Result<(), SessionStoreError>;

    /// Ends one session (logout, or a rejected one); returns whether it existed.
    /// Errors: `Unexpected`.
    async fn revoke(&self, id: SessionId) -> Result<bool, SessionStoreError>;

    /// Ends every session of a user (S1: disabled, expired, deleted, password changed);
    /// returns how many. Errors: `Unexpected`.
    async fn revoke_all_for_user(&self, user_id: UserId) -> Result<u64, SessionStoreError>;

    /// Deletes sessions past their absolute expiry at `now`; returns how many.
    /// Errors: `Unexpected`.
    async fn delete_expired(&self, now: DateTime<Utc>) -> Result<u64, SessionStoreError>;
}

/// Failure of the throttle store.
#[derive(Debug, thiserror::Error)]
pub enum ThrottleStoreError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for ThrottleStoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Recent failures of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCount {
    /// Failures since the window start.
    pub count: u32,
    /// The latest of them.
    pub last_at: Option<DateTime<Utc>>,
}

/// Counts login failures per login ID and per client address (S3). Shared by every
/// instance, so a client cannot spread guesses across them.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait LoginThrottleStore: Send + Sync {
    /// Records one failure of `key` at `at`. Errors: `Unexpected`.
    async fn record_failure(
        &self,
        key: &ThrottleKey,
        at: DateTime<Utc>,
    ) -> Result<(), ThrottleStoreError>;

    /// Failures of `key` at or after `since` (`ThrottlePolicy::window_start`).
    /// Errors: `Unexpected`.
    async fn failures_since(
        &self,
        key: &ThrottleKey,
        since: DateTime<Utc>,
    ) -> Result<FailureCount, ThrottleStoreError>;

    /// Forgets the failures of `key` (after a successful login). Errors: `Unexpected`.
    async fn clear(&self, key: &ThrottleKey) -> Result<(), ThrottleStoreError>;

    /// Deletes failures older than `before`; returns how many. Errors: `Unexpected`.
    async fn prune(&self, before: DateTime<Utc>) -> Result<u64, ThrottleStoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::ThrottlePolicy;
    use chrono::Duration;

    #[tokio::test]
    async fn s3_counts_read_over_the_policy_window_decide_the_lock() {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(1);
        let policy = ThrottlePolicy::per_login_id();
        let key = ThrottleKey::LoginId("alice".into());
        let mut store = MockLoginThrottleStore::new();
        store
            .expect_failures_since()
            .withf(move |k, since| {
                k == &ThrottleKey::LoginId("alice".into()) && *since == now - Duration::hours(1)
            })
            .returning(move |_, _| {
                Ok(FailureCount {
                    count: 5,
                    last_at: Some(now - Duration::seconds(20)),
                })
            });
        let seen = store
            .failures_since(&key, policy.window_start(now))
            .await
            .unwrap();
        let wait = policy.check(seen.count, seen.last_at, now).unwrap_err();
        assert_eq!(wait.seconds(), 40);
    }
}
