//! stand-in
//! The password policy (U1) as a minimal stand-in for helper A's version, with the same API:
//! 8–256 characters, no strength estimate. The coordinator keeps A's file at merge.

use crate::error::ErrorCode;
use std::fmt;

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Longest accepted password, in characters.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// A password that passed the policy.
#[derive(Clone)]
pub struct Password(String);

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Under 8 characters.
    #[error("the password is shorter than {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    /// Over 256 characters.
    #[error("the password is longer than {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    /// Guessable (the stand-in only refuses the user's own inputs).
    #[error("the password is too easy to guess")]
    TooCommon {
        /// An explanation, when there is one.
        warning: Option<String>,
    },
}

impl ErrorCode for PasswordError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
            Self::TooCommon { .. } => "password_too_common",
        }
    }
}

impl Password {
    /// Checks `raw` against the policy; `user_inputs` are the user's login ID, name and email.
    pub fn parse(raw: &str, user_inputs: &[&str]) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if user_inputs.iter().any(|i| i.eq_ignore_ascii_case(raw)) {
            return Err(PasswordError::TooCommon { warning: None });
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password itself, for the hasher.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}
