//! The login ID (U1): 1–128 characters, no control characters, unique and compared
//! case-insensitively. The original spelling is kept for display.

use crate::error::ErrorCode;
use crate::text::{TextProblem, bounded_text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};

/// Longest login ID, in characters.
pub const LOGIN_ID_MAX_CHARS: usize = 128;

/// A login ID as the user typed it; equality, ordering and hashing use its case-folded key.
#[derive(Clone)]
pub struct LoginId {
    original: String,
    key: String,
}

/// Why a login ID was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginIdError {
    /// Empty after trimming.
    #[error("the login ID is empty")]
    Empty,
    /// Over 128 characters.
    #[error("the login ID is longer than {LOGIN_ID_MAX_CHARS} characters")]
    TooLong,
    /// Contains a control character.
    #[error("the login ID contains a control character")]
    ControlCharacter,
}

impl ErrorCode for LoginIdError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "login_id_empty",
            Self::TooLong => "login_id_too_long",
            Self::ControlCharacter => "login_id_control_character",
        }
    }
}

impl LoginId {
    /// Parses a login ID; surrounding white space is trimmed.
    pub fn parse(raw: &str) -> Result<Self, LoginIdError> {
        let text = bounded_text(raw, LOGIN_ID_MAX_CHARS).map_err(|p| match p {
            TextProblem::Empty => LoginIdError::Empty,
            TextProblem::TooLong => LoginIdError::TooLong,
            TextProblem::ControlCharacter => LoginIdError::ControlCharacter,
        })?;
        Ok(Self {
            original: text.to_owned(),
            key: fold(text),
        })
    }

    /// The spelling the user chose.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The case-folded form that uniqueness is checked on (storage indexes this).
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Case folding for comparison: Unicode lower case, so `ALICE`, `Alice` and `alice` are one ID.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

impl PartialEq for LoginId {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for LoginId {}
impl Hash for LoginId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}
impl PartialOrd for LoginId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LoginId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

impl fmt::Debug for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LoginId").field(&self.original).finish()
    }
}
impl fmt::Display for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Serialize for LoginId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.original)
    }
}
impl<'de> Deserialize<'de> for LoginId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn u1_equality_ignores_case_but_keeps_spelling() {
        let a = LoginId::parse("Alice").unwrap();
        let b = LoginId::parse("aLICE").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "Alice");
        assert_eq!(a.key(), "alice");
    }

    #[test]
    fn u1_bounds_and_control_characters() {
        assert_eq!(LoginId::parse("   "), Err(LoginIdError::Empty));
        assert_eq!(LoginId::parse(&"x".repeat(129)), Err(LoginIdError::TooLong));
        assert!(
            LoginId::parse(&"é".repeat(128)).is_ok(),
            "limit counts characters, not bytes"
        );
        assert_eq!(
            LoginId::parse("a\u{0}b"),
            Err(LoginIdError::ControlCharacter)
        );
        assert_eq!(LoginId::parse("a\nb"), Err(LoginIdError::ControlCharacter));
        assert_eq!(LoginId::parse(" bob ").unwrap().as_str(), "bob");
    }

    proptest! {
        #[test]
        fn u1_parse_never_panics_and_accepts_only_valid(raw in any::<String>()) {
            if let Ok(id) = LoginId::parse(&raw) {
                let n = id.as_str().chars().count();
                prop_assert!((1..=LOGIN_ID_MAX_CHARS).contains(&n));
                prop_assert!(!id.as_str().chars().any(char::is_control));
                prop_assert_eq!(LoginId::parse(id.as_str()).unwrap(), id.clone());
            }
        }

        #[test]
        fn u1_case_variants_are_equal(raw in "[a-zA-Z0-9._-]{1,64}") {
            let lower = LoginId::parse(&raw.to_lowercase()).unwrap();
            let upper = LoginId::parse(&raw.to_uppercase()).unwrap();
            prop_assert_eq!(lower, upper);
        }
    }
}
