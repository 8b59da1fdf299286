//! A person's display name (U1): 1–200 characters, no control characters.

use crate::error::ErrorCode;
use crate::text::{TextProblem, bounded_text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Longest display name, in characters.
pub const DISPLAY_NAME_MAX_CHARS: usize = 200;

/// A display name, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DisplayName(String);

/// Why a display name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    /// Empty after trimming.
    #[error("the name is empty")]
    Empty,
    /// Over 200 characters.
    #[error("the name is longer than {DISPLAY_NAME_MAX_CHARS} characters")]
    TooLong,
    /// Contains a control character (a newline, a tab…).
    #[error("the name contains a control character")]
    ControlCharacter,
}

impl ErrorCode for DisplayNameError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "name_empty",
            Self::TooLong => "name_too_long",
            Self::ControlCharacter => "name_control_character",
        }
    }
}

impl DisplayName {
    /// Parses a display name; surrounding white space is trimmed.
    pub fn parse(raw: &str) -> Result<Self, DisplayNameError> {
        bounded_text(raw, DISPLAY_NAME_MAX_CHARS)
            .map(|t| Self(t.to_owned()))
            .map_err(|p| match p {
                TextProblem::Empty => DisplayNameError::Empty,
                TextProblem::TooLong => DisplayNameError::TooLong,
                TextProblem::ControlCharacter => DisplayNameError::ControlCharacter,
            })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl Serialize for DisplayName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for DisplayName {
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
    fn trims_and_bounds() {
        assert_eq!(
            DisplayName::parse(" 山田 太郎 ").unwrap().as_str(),
            "山田 太郎"
        );
        assert_eq!(DisplayName::parse(""), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"あ".repeat(201)),
            Err(DisplayNameError::TooLong)
        );
        assert_eq!(
            DisplayName::parse("a\tb"),
            Err(DisplayNameError::ControlCharacter)
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_is_idempotent(raw in any::<String>()) {
            if let Ok(name) = DisplayName::parse(&raw) {
                prop_assert_eq!(DisplayName::parse(name.as_str()).unwrap(), name.clone());
            }
        }
    }
}
