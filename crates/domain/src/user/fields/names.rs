//! Names of a custom field (U8): its key, which is also its CSV column (C1) and API name, and
//! its label, which people see.

use crate::error::ErrorCode;
use crate::text::{TextProblem, bounded_text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Longest field key, in characters.
pub const FIELD_KEY_MAX_CHARS: usize = 64;
/// Longest field label and select option, in characters.
pub const FIELD_LABEL_MAX_CHARS: usize = 200;
/// The built-in CSV columns (C1): a custom field becomes a column, so it may not take one of
/// these names.
pub const RESERVED_FIELD_KEYS: [&str; 8] = [
    "login_id",
    "name",
    "email",
    "password",
    "password_hash",
    "groups",
    "status",
    "expires_at",
];

/// The key of a custom user field (U8): its stable name in the API and the CSV header.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldKey(String);

/// Why a field key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldKeyError {
    /// Empty after trimming.
    #[error("the field key is empty")]
    Empty,
    /// Over 64 characters.
    #[error("the field key is longer than {FIELD_KEY_MAX_CHARS} characters")]
    TooLong,
    /// Does not start with a lowercase letter.
    #[error("the field key must start with a lowercase letter (a-z)")]
    MustStartWithLetter,
    /// Holds something other than `a-z`, `0-9` and `_`.
    #[error("the field key may only hold lowercase letters (a-z), digits and _")]
    InvalidCharacter,
    /// Takes the name of a built-in CSV column.
    #[error("{0:?} is a built-in column and cannot be a custom field key")]
    Reserved(String),
}

impl ErrorCode for FieldKeyError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "field_key_empty",
            Self::TooLong => "field_key_too_long",
            Self::MustStartWithLetter => "field_key_must_start_with_letter",
            Self::InvalidCharacter => "field_key_invalid_character",
            Self::Reserved(_) => "field_key_reserved",
        }
    }
}

impl FieldKey {
    /// Parses a field key; surrounding white space is trimmed, nothing else is changed (an
    /// uppercase letter is refused rather than folded, so the key is what the admin sees).
    pub fn parse(raw: &str) -> Result<Self, FieldKeyError> {
        let key = raw.trim();
        let first = key.chars().next().ok_or(FieldKeyError::Empty)?;
        if key.chars().count() > FIELD_KEY_MAX_CHARS {
            return Err(FieldKeyError::TooLong);
        }
        if !first.is_ascii_lowercase() {
            return Err(FieldKeyError::MustStartWithLetter);
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
        if !key.chars().all(allowed) {
            return Err(FieldKeyError::InvalidCharacter);
        }
        if RESERVED_FIELD_KEYS.contains(&key) {
            return Err(FieldKeyError::Reserved(key.to_owned()));
        }
        Ok(Self(key.to_owned()))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A field's label as shown to people: 1–200 characters, no control characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldLabel(String);

/// Why a field label was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldLabelError {
    /// Empty after trimming.
    #[error("the field label is empty")]
    Empty,
    /// Over 200 characters.
    #[error("the field label is longer than {FIELD_LABEL_MAX_CHARS} characters")]
    TooLong,
    /// Contains a control character.
    #[error("the field label contains a control character")]
    ControlCharacter,
}

impl ErrorCode for FieldLabelError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "field_label_empty",
            Self::TooLong => "field_label_too_long",
            Self::ControlCharacter => "field_label_control_character",
        }
    }
}

impl FieldLabel {
    /// Parses a label; surrounding white space is trimmed.
    pub fn parse(raw: &str) -> Result<Self, FieldLabelError> {
        bounded_text(raw, FIELD_LABEL_MAX_CHARS)
            .map(|t| Self(t.to_owned()))
            .map_err(|p| match p {
                TextProblem::Empty => FieldLabelError::Empty,
                TextProblem::TooLong => FieldLabelError::TooLong,
                TextProblem::ControlCharacter => FieldLabelError::ControlCharacter,
            })
    }

    /// The label.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_serde {
    ($ty:ty) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}
string_serde!(FieldKey);
string_serde!(FieldLabel);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn u8_field_key_rules() {
        assert_eq!(FieldKey::parse(" dept_2 ").unwrap().as_str(), "dept_2");
        assert!(FieldKey::parse(&"a".repeat(64)).is_ok());
        let cases = [
            ("", FieldKeyError::Empty),
            ("  ", FieldKeyError::Empty),
            (&*"a".repeat(65), FieldKeyError::TooLong),
            ("2nd", FieldKeyError::MustStartWithLetter),
            ("_x", FieldKeyError::MustStartWithLetter),
            ("Dept", FieldKeyError::MustStartWithLetter),
            ("deptName", FieldKeyError::InvalidCharacter),
            ("dept-name", FieldKeyError::InvalidCharacter),
            ("dept name", FieldKeyError::InvalidCharacter),
            ("départ", FieldKeyError::InvalidCharacter),
        ];
        for (raw, want) in cases {
            assert_eq!(FieldKey::parse(raw), Err(want), "{raw:?}");
        }
    }

    #[test]
    fn u8_c1_field_key_may_not_take_a_builtin_column() {
        for column in RESERVED_FIELD_KEYS {
            let err = FieldKey::parse(column).unwrap_err();
            assert_eq!(err.code(), "field_key_reserved", "{column}");
        }
        assert!(FieldKey::parse("login_id2").is_ok());
    }

    #[test]
    fn u8_field_label_rules() {
        assert_eq!(
            FieldLabel::parse(" 学籍番号 ").unwrap().as_str(),
            "学籍番号"
        );
        assert_eq!(FieldLabel::parse(" "), Err(FieldLabelError::Empty));
        assert!(FieldLabel::parse(&"字".repeat(200)).is_ok());
        assert_eq!(
            FieldLabel::parse(&"字".repeat(201)),
            Err(FieldLabelError::TooLong)
        );
        assert_eq!(
            FieldLabel::parse("a\nb").unwrap_err().code(),
            "field_label_control_character"
        );
    }

    proptest! {
        #[test]
        fn u8_field_key_parse_never_panics_and_is_idempotent(raw in any::<String>()) {
            if let Ok(k) = FieldKey::parse(&raw) {
                prop_assert!(!RESERVED_FIELD_KEYS.contains(&k.as_str()));
                prop_assert_eq!(FieldKey::parse(k.as_str()).unwrap(), k.clone());
            }
        }
    }
}
