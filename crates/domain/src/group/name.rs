//! A group's name (G1): 1–128 characters, unique case-insensitively; and its optional
//! external code: 1–64 characters, unique.

use crate::error::ErrorCode;
use crate::text::{TextProblem, bounded_text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};

/// Longest group name, in characters.
pub const GROUP_NAME_MAX_CHARS: usize = 128;
/// Longest external code, in characters.
pub const EXTERNAL_CODE_MAX_CHARS: usize = 64;

/// A group name; equality and hashing ignore case, as uniqueness does.
#[derive(Clone)]
pub struct GroupName {
    original: String,
    key: String,
}

/// Why a group name or external code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GroupNameError {
    /// Empty after trimming.
    #[error("the name is empty")]
    Empty,
    /// Too long.
    #[error("the name is too long")]
    TooLong,
    /// Contains a control character.
    #[error("the name contains a control character")]
    ControlCharacter,
    /// Contains `;`, which separates group names in the CSV `groups` column (C1).
    #[error("the name contains ';', which separates groups in CSV files")]
    Semicolon,
}

impl ErrorCode for GroupNameError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "group_name_empty",
            Self::TooLong => "group_name_too_long",
            Self::ControlCharacter => "group_name_control_character",
            Self::Semicolon => "group_name_semicolon",
        }
    }
}

fn checked(raw: &str, max: usize) -> Result<&str, GroupNameError> {
    let text = bounded_text(raw, max).map_err(|p| match p {
        TextProblem::Empty => GroupNameError::Empty,
        TextProblem::TooLong => GroupNameError::TooLong,
        TextProblem::ControlCharacter => GroupNameError::ControlCharacter,
    })?;
    if text.contains(';') {
        return Err(GroupNameError::Semicolon);
    }
    Ok(text)
}

impl GroupName {
    /// Parses a group name; surrounding white space is trimmed.
    pub fn parse(raw: &str) -> Result<Self, GroupNameError> {
        let text = checked(raw, GROUP_NAME_MAX_CHARS)?;
        Ok(Self {
            original: text.to_owned(),
            key: crate::user::login_id::fold(text),
        })
    }
    /// The name as given.
    pub fn as_str(&self) -> &str {
        &self.original
    }
    /// The case-folded form uniqueness is checked on.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl PartialEq for GroupName {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for GroupName {}
impl Hash for GroupName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}
impl fmt::Debug for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("GroupName").field(&self.original).finish()
    }
}
impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}
impl Serialize for GroupName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.original)
    }
}
impl<'de> Deserialize<'de> for GroupName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A group's external code (an SIS or HR identifier), compared exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ExternalCode(String);

impl ExternalCode {
    /// Parses an external code; surrounding white space is trimmed.
    pub fn parse(raw: &str) -> Result<Self, GroupNameError> {
        checked(raw, EXTERNAL_CODE_MAX_CHARS).map(|t| Self(t.to_owned()))
    }
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for ExternalCode {
    type Error = GroupNameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}
impl From<ExternalCode> for String {
    fn from(code: ExternalCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn g1_names_compare_case_insensitively() {
        assert_eq!(
            GroupName::parse("Class 1-A").unwrap(),
            GroupName::parse("class 1-a").unwrap()
        );
        assert_eq!(GroupName::parse("a;b"), Err(GroupNameError::Semicolon));
        assert_eq!(
            GroupName::parse(&"x".repeat(129)),
            Err(GroupNameError::TooLong)
        );
        assert_eq!(
            ExternalCode::parse(&"x".repeat(65)),
            Err(GroupNameError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn g1_parse_never_panics_and_is_idempotent(raw in any::<String>()) {
            if let Ok(name) = GroupName::parse(&raw) {
                prop_assert_eq!(GroupName::parse(name.as_str()).unwrap(), name.clone());
                prop_assert!(!name.as_str().contains(';'));
            }
        }
    }
}
