//! Keys the host LMS gives its own things (a material, a badge, a certificate kind): opaque
//! strings, 1–128 characters, no control characters, kept exactly as given.

use crate::error::ErrorCode;
use crate::text::{TextProblem, bounded_text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Longest host key, in characters.
pub const RECORD_KEY_MAX_CHARS: usize = 128;

/// Why a host key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecordKeyError {
    /// Empty or only white space.
    #[error("the key is empty")]
    Empty,
    /// Over 128 characters.
    #[error("the key is longer than {RECORD_KEY_MAX_CHARS} characters")]
    TooLong,
    /// Contains a control character.
    #[error("the key contains a control character")]
    ControlCharacter,
    /// Starts or ends with white space. Refused rather than trimmed: the key must match the
    /// host's own key byte for byte.
    #[error("the key starts or ends with white space")]
    Padded,
}

impl ErrorCode for RecordKeyError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "record_key_empty",
            Self::TooLong => "record_key_too_long",
            Self::ControlCharacter => "record_key_control_character",
            Self::Padded => "record_key_padded",
        }
    }
}

fn checked(raw: &str) -> Result<&str, RecordKeyError> {
    let text = bounded_text(raw, RECORD_KEY_MAX_CHARS).map_err(|p| match p {
        TextProblem::Empty => RecordKeyError::Empty,
        TextProblem::TooLong => RecordKeyError::TooLong,
        TextProblem::ControlCharacter => RecordKeyError::ControlCharacter,
    })?;
    if text.len() != raw.len() {
        return Err(RecordKeyError::Padded);
    }
    Ok(text)
}

macro_rules! record_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses a host key; see the module doc for the rules.
            pub fn parse(raw: &str) -> Result<Self, RecordKeyError> {
                checked(raw).map(|text| Self(text.to_owned()))
            }
            /// The key as the host gave it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

record_key!(
    /// A teaching material (quiz, course) as the host LMS names it.
    MaterialId
);
record_key!(
    /// A badge as the host LMS names it; two awards of one key are "the same badge" (I3).
    BadgeKey
);
record_key!(
    /// A certificate kind as the host LMS names it.
    CertificateKey
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn l1_keys_bounds_and_refusals() {
        assert_eq!(MaterialId::parse(""), Err(RecordKeyError::Empty));
        assert_eq!(MaterialId::parse("  "), Err(RecordKeyError::Empty));
        assert_eq!(MaterialId::parse(" m1"), Err(RecordKeyError::Padded));
        assert_eq!(
            BadgeKey::parse("a\tb"),
            Err(RecordKeyError::ControlCharacter)
        );
        assert_eq!(
            CertificateKey::parse(&"x".repeat(129)),
            Err(RecordKeyError::TooLong)
        );
        assert!(MaterialId::parse(&"é".repeat(128)).is_ok());
        assert_eq!(MaterialId::parse("quiz 7").unwrap().as_str(), "quiz 7");
        assert_eq!(RecordKeyError::Padded.code(), "record_key_padded");
    }

    #[test]
    fn l1_keys_are_case_sensitive_and_serialize_as_strings() {
        assert_ne!(
            BadgeKey::parse("Gold").unwrap(),
            BadgeKey::parse("gold").unwrap()
        );
        let key = BadgeKey::parse("gold").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"gold\"");
        assert!(serde_json::from_str::<BadgeKey>("\" gold\"").is_err());
    }

    proptest! {
        #[test]
        fn l1_parsed_keys_round_trip(raw in any::<String>()) {
            if let Ok(key) = MaterialId::parse(&raw) {
                prop_assert_eq!(key.as_str(), raw.as_str());
                let json = serde_json::to_string(&key).unwrap();
                prop_assert_eq!(serde_json::from_str::<MaterialId>(&json).unwrap(), key);
            }
        }
    }
}
