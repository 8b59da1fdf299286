//! Import modes and per-field changes (C3).

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an import does with each row's login ID (C3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Every row creates a user; a known login ID is an error.
    Create,
    /// Every row edits a user; an unknown login ID is an error.
    Update,
    /// A known login ID is edited, an unknown one created.
    Upsert,
}

/// An unknown mode word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown import mode {0:?}: expected create, update or upsert")]
pub struct ImportModeError(pub String);

impl ErrorCode for ImportModeError {
    fn code(&self) -> &'static str {
        "invalid_import_mode"
    }
}

impl ImportMode {
    /// Every mode, in a stable order.
    pub const ALL: [Self; 3] = [Self::Create, Self::Update, Self::Upsert];

    /// The wire word (`?mode=`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Upsert => "upsert",
        }
    }

    /// Parses the wire word, ignoring case and surrounding white space.
    pub fn parse(raw: &str) -> Result<Self, ImportModeError> {
        let word = raw.trim().to_lowercase();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == word)
            .ok_or_else(|| ImportModeError(raw.to_owned()))
    }
}

impl fmt::Display for ImportMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a row does to one field: an empty cell keeps it (on create: not given), a value sets
/// it, the clear marker clears it (on create: not given either).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FieldChange<T> {
    /// Leave the field as it is.
    #[default]
    Keep,
    /// Set the field to this value.
    Set(T),
    /// Remove the field's value.
    Clear,
}

impl<T> FieldChange<T> {
    /// Whether the row leaves the field alone.
    pub fn is_keep(&self) -> bool {
        matches!(self, Self::Keep)
    }

    /// The new value, when the row sets one.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Self::Set(value) => Some(value),
            Self::Keep | Self::Clear => None,
        }
    }

    /// Converts the value, keeping the kind of change.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> FieldChange<U> {
        match self {
            Self::Keep => FieldChange::Keep,
            Self::Set(value) => FieldChange::Set(f(value)),
            Self::Clear => FieldChange::Clear,
        }
    }

    /// The field's value after the change.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Self::Keep => current,
            Self::Set(value) => Some(value),
            Self::Clear => None,
        }
    }
}

impl<T: PartialEq> FieldChange<T> {
    /// Whether applying the change to `current` would alter it (C7: an export imported back
    /// in update mode changes nothing).
    pub fn changes(&self, current: Option<&T>) -> bool {
        match self {
            Self::Keep => false,
            Self::Set(value) => current != Some(value),
            Self::Clear => current.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c3_mode_words_round_trip() {
        for mode in ImportMode::ALL {
            assert_eq!(ImportMode::parse(mode.as_str()), Ok(mode));
        }
        assert_eq!(ImportMode::parse(" UPSERT "), Ok(ImportMode::Upsert));
        let err = ImportMode::parse("merge").unwrap_err();
        assert_eq!(err.code(), "invalid_import_mode");
    }

    #[test]
    fn c3_field_change_apply_and_changes() {
        let keep: FieldChange<u8> = FieldChange::Keep;
        assert_eq!(keep.clone().apply(Some(1)), Some(1));
        assert!(!keep.changes(Some(&1)) && !keep.changes(None));
        let set = FieldChange::Set(2);
        assert_eq!(set.clone().apply(Some(1)), Some(2));
        assert!(set.changes(Some(&1)) && set.changes(None) && !set.changes(Some(&2)));
        let clear: FieldChange<u8> = FieldChange::Clear;
        assert_eq!(clear.clone().apply(Some(1)), None);
        assert!(clear.changes(Some(&1)) && !clear.changes(None));
        assert_eq!(FieldChange::Set(2).map(|v| v * 10), FieldChange::Set(20));
        assert_eq!(set.as_set(), Some(&2));
        assert_eq!(clear.as_set(), None);
        assert!(FieldChange::<u8>::default().is_keep());
    }
}
