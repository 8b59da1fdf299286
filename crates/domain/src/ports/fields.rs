//! The custom profile field port (U8): the definitions administrators keep, in the order
//! forms and the CSV format show them.
//!
//! Decision on deleting a field: its values go with it. The store removes the key from every
//! user's attributes and from every open application in the same transaction, as Moodle does
//! when a profile field is deleted. A value with no definition could be neither shown (no
//! label), edited (an unknown key is refused, U8) nor exported (no CSV column, C1), so
//! keeping it would only hide data nobody can reach; re-creating a field with the same key
//! starts empty.
//!
//! Decision on changing a field: the key is its identity (an attribute name and a CSV
//! column) and never changes. Label, type, required and form flags may change; stored
//! values are kept as they are and checked against the new definition the next time they
//! are written, so tightening a field never silently drops data.

use super::StoreError;
use crate::error::{ErrorCode, Unexpected};
use crate::user::{FieldDefinition, FieldKey};

/// Why a field definition could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FieldWriteError {
    /// Another field has this key.
    #[error("a custom field with this key exists already")]
    KeyTaken,
    /// No field has this key.
    #[error("there is no custom field with this key")]
    NotFound,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for FieldWriteError {
    fn code(&self) -> &'static str {
        match self {
            Self::KeyTaken => "field_key_taken",
            Self::NotFound => "not_found",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Keeps the custom field definitions (U8). A handful per installation: lists are whole,
/// not paged, since every user form and every attribute check needs all of them.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait UserFieldRepository: Send + Sync {
    /// Every definition, in display order (the order they were created). Errors:
    /// `Unexpected` only.
    async fn list(&self) -> Result<Vec<FieldDefinition>, StoreError>;

    /// The definition with this key, or `None`. Errors: `Unexpected` only.
    async fn get(&self, key: &FieldKey) -> Result<Option<FieldDefinition>, StoreError>;

    /// Appends a definition at the end of the order. Errors: `KeyTaken` (settled by the
    /// store, so two racing creations cannot both win); `Unexpected`.
    async fn create(&self, definition: &FieldDefinition) -> Result<(), FieldWriteError>;

    /// Replaces the definition with the same key, keeping its place in the order; stored
    /// values are not touched. Errors: `NotFound`; `Unexpected`.
    async fn update(&self, definition: &FieldDefinition) -> Result<(), FieldWriteError>;

    /// Deletes the definition and, in the same transaction, its values from every user and
    /// every open application (see the module documentation). Errors: `NotFound`;
    /// `Unexpected`.
    async fn delete(&self, key: &FieldKey) -> Result<(), FieldWriteError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u8_field_write_errors_have_stable_codes() {
        assert_eq!(FieldWriteError::KeyTaken.code(), "field_key_taken");
        assert_eq!(FieldWriteError::NotFound.code(), "not_found");
        let e = FieldWriteError::from(Unexpected::new("down"));
        assert_eq!(e.code(), "unexpected");
    }
}
