//! Login sessions (S1): an opaque bearer token stored only as its hash, with an idle and an
//! absolute expiry, that stops working the moment its user can no longer log in (U6).
//!
//! `last_seen_at` is written at most once a minute, so a busy client does not cause a write
//! per request; the idle timeout may therefore end a session up to a minute early, never late.

use super::token::TokenHash;
use crate::error::ErrorCode;
use crate::ids::{SessionId, UserId};
use crate::user::User;
use chrono::{DateTime, Duration, Utc};

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    idle_timeout: Duration,
    absolute_timeout: Duration,
}

/// Session timeouts that cannot work together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the idle timeout must be at least a minute and no longer than the absolute timeout")]
pub struct SessionPolicyError;

impl ErrorCode for SessionPolicyError {
    fn code(&self) -> &'static str {
        "session_policy_invalid"
    }
}

/// How stale `last_seen_at` may get before a request writes it again.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);

impl Default for SessionPolicy {
    /// 30 minutes idle, 12 hours in all.
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    /// Checks `1 min <= idle <= absolute`.
    pub fn new(
        idle_timeout: Duration,
        absolute_timeout: Duration,
    ) -> Result<Self, SessionPolicyError> {
        if idle_timeout < Duration::minutes(1) || idle_timeout > absolute_timeout {
            return Err(SessionPolicyError);
        }
        Ok(Self {
            idle_timeout,
            absolute_timeout,
        })
    }

    /// Ends a session this long after its last use.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// Ends a session this long after login, however busy.
    pub fn absolute_timeout(&self) -> Duration {
        self.absolute_timeout
    }
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its id.
    pub id: SessionId,
    /// Whose.
    pub user_id: UserId,
    /// The hash of the bearer token.
    pub token_hash: TokenHash,
    /// Login time.
    pub created_at: DateTime<Utc>,
    /// Last recorded use (at most a minute behind).
    pub last_seen_at: DateTime<Utc>,
    /// The absolute expiry.
    pub expires_at: DateTime<Utc>,
}

impl Session {
    /// S1: a session starting at login.
    pub fn start(
        user_id: UserId,
        token_hash: TokenHash,
        policy: &SessionPolicy,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: SessionId::new(),
            user_id,
            token_hash,
            created_at: now,
            last_seen_at: now,
            expires_at: now + policy.absolute_timeout,
        }
    }
}

/// What to record after an accepted request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionTouch {
    /// `last_seen_at` is recent enough: write nothing.
    Keep,
    /// Write this as the new `last_seen_at`.
    Bump(DateTime<Utc>),
}

/// Why a session no longer works. The caller revokes it and answers 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionRejection {
    /// Unused for longer than the idle timeout.
    #[error("the session ended after a period of inactivity")]
    IdleTimeout,
    /// Past its absolute expiry.
    #[error("the session has expired")]
    Expired,
    /// The user is disabled, pending, expired (U6: at once) or without a password.
    #[error("the session has been revoked")]
    UserCannotLogIn,
    /// The user loaded is not the session's: a caller bug, refused rather than trusted.
    #[error("the session has been revoked")]
    WrongUser,
}

impl ErrorCode for SessionRejection {
    fn code(&self) -> &'static str {
        match self {
            Self::IdleTimeout | Self::Expired => "session_expired",
            Self::UserCannotLogIn | Self::WrongUser => "session_revoked",
        }
    }
}

/// S1: whether `session`, owned by `user`, still works at `now`, and whether to record the
/// use. A deleted user has no row to pass here: the service treats that as revoked.
pub fn check_session(
    session: &Session,
    user: &User,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
) -> Result<SessionTouch, SessionRejection> {
    if session.user_id != user.id {
        return Err(SessionRejection::WrongUser);
    }
    if now >= session.expires_at {
        return Err(SessionRejection::Expired);
    }
    if now >= session.last_seen_at + policy.idle_timeout {
        return Err(SessionRejection::IdleTimeout);
    }
    if !user.can_log_in(now) {
        return Err(SessionRejection::UserCannotLogIn);
    }
    if now - session.last_seen_at > TOUCH_INTERVAL {
        Ok(SessionTouch::Bump(now))
    } else {
        Ok(SessionTouch::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::UserStatus;
    use crate::user::user::fixtures::user;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(5)
    }

    fn setup() -> (Session, User, SessionPolicy) {
        let u = user("alice");
        let policy = SessionPolicy::default();
        let s = Session::start(u.id, TokenHash::from_bytes([7; 32]), &policy, t0());
        (s, u, policy)
    }

    #[test]
    fn s1_default_policy_and_bounds() {
        let p = SessionPolicy::default();
        assert_eq!(p.idle_timeout(), Duration::minutes(30));
        assert_eq!(p.absolute_timeout(), Duration::hours(12));
        assert_eq!(
            SessionPolicy::new(Duration::hours(2), Duration::hours(1)),
            Err(SessionPolicyError)
        );
        assert_eq!(
            SessionPolicy::new(Duration::seconds(10), Duration::hours(1)),
            Err(SessionPolicyError)
        );
    }

    #[test]
    fn s1_fresh_session_works_without_a_write() {
        let (s, u, p) = setup();
        assert_eq!(s.expires_at, t0() + Duration::hours(12));
        assert_eq!(
            check_session(&s, &u, &p, t0() + Duration::seconds(30)),
            Ok(SessionTouch::Keep)
        );
    }

    #[test]
    fn s1_use_after_a_minute_bumps_last_seen() {
        let (s, u, p) = setup();
        let at = t0() + Duration::seconds(61);
        assert_eq!(check_session(&s, &u, &p, at), Ok(SessionTouch::Bump(at)));
    }

    #[test]
    fn s1_idle_timeout_ends_the_session() {
        let (s, u, p) = setup();
        let at = t0() + Duration::minutes(30);
        assert_eq!(
            check_session(&s, &u, &p, at),
            Err(SessionRejection::IdleTimeout)
        );
        assert_eq!(SessionRejection::IdleTimeout.code(), "session_expired");
    }

    #[test]
    fn s1_absolute_timeout_ends_a_busy_session() {
        let (mut s, u, p) = setup();
        let at = t0() + Duration::hours(12);
        s.last_seen_at = at - Duration::seconds(5);
        assert_eq!(
            check_session(&s, &u, &p, at),
            Err(SessionRejection::Expired)
        );
    }

    #[test]
    fn s1_disabled_user_loses_sessions() {
        let (s, mut u, p) = setup();
        u.status = UserStatus::Invalid;
        assert_eq!(
            check_session(&s, &u, &p, t0()),
            Err(SessionRejection::UserCannotLogIn)
        );
        assert_eq!(SessionRejection::UserCannotLogIn.code(), "session_revoked");
    }

    #[test]
    fn u6_expired_user_loses_sessions_at_once() {
        let (s, mut u, p) = setup();
        u.expires_at = Some(t0() + Duration::minutes(5));
        assert!(check_session(&s, &u, &p, t0() + Duration::minutes(4)).is_ok());
        assert_eq!(
            check_session(&s, &u, &p, t0() + Duration::minutes(5)),
            Err(SessionRejection::UserCannotLogIn)
        );
    }

    #[test]
    fn s1_session_of_another_user_refused() {
        let (s, _, p) = setup();
        assert_eq!(
            check_session(&s, &user("bob"), &p, t0()),
            Err(SessionRejection::WrongUser)
        );
    }

    proptest! {
        #[test]
        fn s1_accepted_only_within_both_timeouts(idle_gap in 0i64..4_000, age in 0i64..50_000) {
            let (mut s, u, p) = setup();
            let now = t0() + Duration::seconds(age);
            s.last_seen_at = (now - Duration::seconds(idle_gap)).max(t0());
            let ok = check_session(&s, &u, &p, now).is_ok();
            let within = now < s.expires_at && now < s.last_seen_at + p.idle_timeout();
            prop_assert_eq!(ok, within);
        }
    }
}
