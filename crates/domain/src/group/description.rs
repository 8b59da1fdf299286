//! A group's description (G1): free text for people, bounded so a request cannot store an
//! arbitrarily large blob, and free of control characters other than line breaks and tabs
//! so it cannot smuggle terminal escapes or NULs into logs, CSV exports or other systems.

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest description, in characters (Unicode scalar values), after `\r\n` became `\n`.
pub const GROUP_DESCRIPTION_MAX_CHARS: usize = 2000;

/// A checked group description; empty is allowed (and is the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GroupDescription(String);

/// Why a description was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GroupDescriptionError {
    /// More than [`GROUP_DESCRIPTION_MAX_CHARS`] characters.
    #[error("the description is longer than {GROUP_DESCRIPTION_MAX_CHARS} characters")]
    TooLong,
    /// A control character other than a newline or a tab.
    #[error("the description contains a control character other than newline or tab")]
    ControlCharacter,
}

impl ErrorCode for GroupDescriptionError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLong => "group_description_too_long",
            Self::ControlCharacter => "group_description_control_character",
        }
    }
}

impl GroupDescription {
    /// Parses a description. Browsers send a text area's line breaks as `\r\n`; those become
    /// `\n` first, so the same text is accepted whatever the client, and a lone `\r` is a
    /// control character like any other. The text is kept as given otherwise (no trimming:
    /// layout is the author's).
    pub fn parse(raw: &str) -> Result<Self, GroupDescriptionError> {
        let text = raw.replace("\r\n", "\n");
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(GroupDescriptionError::ControlCharacter);
        }
        if text.chars().count() > GROUP_DESCRIPTION_MAX_CHARS {
            return Err(GroupDescriptionError::TooLong);
        }
        Ok(Self(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for GroupDescription {
    type Error = GroupDescriptionError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<GroupDescription> for String {
    fn from(description: GroupDescription) -> Self {
        description.0
    }
}

impl fmt::Display for GroupDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn g1_description_keeps_newlines_and_tabs() {
        let d = GroupDescription::parse("Year 1\n\tclass A\r\nclass B").unwrap();
        assert_eq!(d.as_str(), "Year 1\n\tclass A\nclass B");
        assert_eq!(
            GroupDescription::parse("").unwrap(),
            GroupDescription::default()
        );
    }

    #[test]
    fn g1_description_refuses_other_control_characters() {
        for raw in ["a\u{0}b", "a\rb", "\u{1b}[31mred", "a\u{7f}", "a\u{85}b"] {
            let err = GroupDescription::parse(raw).unwrap_err();
            assert_eq!(err, GroupDescriptionError::ControlCharacter, "{raw:?}");
            assert_eq!(err.code(), "group_description_control_character");
        }
    }

    #[test]
    fn g1_description_is_bounded_in_characters_not_bytes() {
        let at_limit = "é".repeat(GROUP_DESCRIPTION_MAX_CHARS);
        assert!(GroupDescription::parse(&at_limit).is_ok());
        let over = "é".repeat(GROUP_DESCRIPTION_MAX_CHARS + 1);
        let err = GroupDescription::parse(&over).unwrap_err();
        assert_eq!(err, GroupDescriptionError::TooLong);
        assert_eq!(err.code(), "group_description_too_long");
    }

    #[test]
    fn g1_description_deserializes_only_when_valid() {
        let ok: GroupDescription = serde_json::from_str("\"line\\nnext\"").unwrap();
        assert_eq!(ok.as_str(), "line\nnext");
        assert!(serde_json::from_str::<GroupDescription>("\"bell\\u0007\"").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"line\\nnext\"");
    }

    proptest! {
        #[test]
        fn g1_description_parse_never_panics_and_is_idempotent(raw in any::<String>()) {
            if let Ok(d) = GroupDescription::parse(&raw) {
                prop_assert_eq!(GroupDescription::parse(d.as_str()).unwrap(), d.clone());
                prop_assert!(d.as_str().chars().count() <= GROUP_DESCRIPTION_MAX_CHARS);
            }
        }
    }
}
