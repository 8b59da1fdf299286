//! User status (U2): `valid` may log in, `invalid` is disabled by an administrator,
//! `pending` is invited with no password set yet.

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// May log in (when unexpired and with a password).
    Valid,
    /// Disabled by an administrator, or the source of an integration.
    Invalid,
    /// Invited; becomes valid when the person sets a password.
    Pending,
}

/// An unknown status word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown status {0:?}: expected valid, invalid or pending")]
pub struct UserStatusError(pub String);

impl ErrorCode for UserStatusError {
    fn code(&self) -> &'static str {
        "invalid_status"
    }
}

impl UserStatus {
    /// Every status, in a stable order.
    pub const ALL: [Self; 3] = [Self::Valid, Self::Invalid, Self::Pending];

    /// The wire and storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Pending => "pending",
        }
    }

    /// Parses the wire word, ignoring case and surrounding white space.
    pub fn parse(raw: &str) -> Result<Self, UserStatusError> {
        let word = raw.trim().to_lowercase();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == word)
            .ok_or_else(|| UserStatusError(raw.to_owned()))
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u2_words_round_trip() {
        for s in UserStatus::ALL {
            assert_eq!(UserStatus::parse(s.as_str()).unwrap(), s);
        }
        assert_eq!(UserStatus::parse(" VALID ").unwrap(), UserStatus::Valid);
        assert!(UserStatus::parse("active").is_err());
    }
}
