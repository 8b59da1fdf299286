//! The login decision (S2): wrong login ID, wrong password, disabled, pending, expired — one
//! public answer, `login_failed`. The cause is kept for logs and the audit trail only.
//!
//! One timing is the service's part: when no user matches, it still verifies the password
//! against a fixed dummy hash, so an unknown login ID costs as much as a wrong password.

use crate::error::ErrorCode;
use crate::ids::UserId;
use crate::user::{User, UserStatus};
use chrono::{DateTime, Utc};

/// The one public answer to a failed login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the login ID or password is not correct")]
pub struct LoginFailure;

impl ErrorCode for LoginFailure {
    fn code(&self) -> &'static str {
        "login_failed"
    }
}

/// Why a login really failed: for logs, never for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailureCause {
    /// No user has this login ID.
    UnknownLoginId,
    /// The password does not match.
    WrongPassword,
    /// Disabled by an administrator (U2).
    Disabled,
    /// Invited, no password set yet (U2).
    Pending,
    /// Past the expiry date (U6).
    Expired,
    /// Valid but without a password (registered by an administrator without one).
    NoPassword,
}

impl LoginFailureCause {
    /// The log word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UnknownLoginId => "unknown_login_id",
            Self::WrongPassword => "wrong_password",
            Self::Disabled => "disabled",
            Self::Pending => "pending",
            Self::Expired => "expired",
            Self::NoPassword => "no_password",
        }
    }
}

impl From<LoginFailureCause> for LoginFailure {
    fn from(_: LoginFailureCause) -> Self {
        LoginFailure
    }
}

/// S2: decides a login from the user found (if any) and whether the password verified.
/// The password is checked first, so a right password is needed before the answer could
/// even internally depend on the account's state.
pub fn decide_login(
    user: Option<&User>,
    password_matches: bool,
    now: DateTime<Utc>,
) -> Result<UserId, LoginFailureCause> {
    let user = user.ok_or(LoginFailureCause::UnknownLoginId)?;
    if !user.has_password {
        return Err(LoginFailureCause::NoPassword);
    }
    if !password_matches {
        return Err(LoginFailureCause::WrongPassword);
    }
    match user.status {
        UserStatus::Invalid => Err(LoginFailureCause::Disabled),
        UserStatus::Pending => Err(LoginFailureCause::Pending),
        UserStatus::Valid if user.is_expired(now) => Err(LoginFailureCause::Expired),
        UserStatus::Valid => Ok(user.id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::user::fixtures::user;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(2)
    }

    fn public(r: Result<UserId, LoginFailureCause>) -> Result<UserId, LoginFailure> {
        r.map_err(LoginFailure::from)
    }

    #[test]
    fn s2_valid_user_with_right_password_logs_in() {
        let u = user("alice");
        assert_eq!(decide_login(Some(&u), true, now()), Ok(u.id));
    }

    #[test]
    fn s2_every_failure_is_one_public_answer() {
        let mut disabled = user("a");
        disabled.status = UserStatus::Invalid;
        let mut pending = user("b");
        pending.status = UserStatus::Pending;
        let mut expired = user("c");
        expired.expires_at = Some(now());
        let mut no_password = user("d");
        no_password.has_password = false;
        let ok = user("e");
        let cases = [
            (None, true, LoginFailureCause::UnknownLoginId),
            (Some(&ok), false, LoginFailureCause::WrongPassword),
            (Some(&disabled), true, LoginFailureCause::Disabled),
            (Some(&pending), true, LoginFailureCause::Pending),
            (Some(&expired), true, LoginFailureCause::Expired),
            (Some(&no_password), true, LoginFailureCause::NoPassword),
        ];
        for (u, pw, cause) in cases {
            let r = decide_login(u, pw, now());
            assert_eq!(r, Err(cause), "{}", cause.as_str());
            let e = public(r).unwrap_err();
            assert_eq!(e.code(), "login_failed");
            assert_eq!(e.to_string(), "the login ID or password is not correct");
        }
    }

    #[test]
    fn s2_wrong_password_on_a_disabled_account_says_wrong_password_internally() {
        let mut u = user("a");
        u.status = UserStatus::Invalid;
        assert_eq!(
            decide_login(Some(&u), false, now()),
            Err(LoginFailureCause::WrongPassword)
        );
    }
}
