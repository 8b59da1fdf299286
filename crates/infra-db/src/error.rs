//! Database errors at the seam: which constraint a write broke, and everything else as
//! `Unexpected` (logged by the service, never shown to a client).

use roster_domain::Unexpected;
use roster_domain::ports::StoreError;
use sea_orm::{DbErr, SqlErr};

/// The database refused a write: unique or foreign-key constraint, with the backend's
/// message (it names the index or the columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Violation {
    /// A unique index or key.
    Unique(String),
    /// A foreign key.
    ForeignKey(String),
}

impl Violation {
    /// Whether the violated constraint concerns `column`. Unique indexes are named
    /// `ux_<table>_<columns>`, so PostgreSQL's and MySQL's messages (the index name) and
    /// SQLite's (`table.column`) all contain the column's name.
    pub(crate) fn mentions(&self, column: &str) -> bool {
        match self {
            Self::Unique(message) | Self::ForeignKey(message) => message.contains(column),
        }
    }
}

/// The constraint a failed statement broke, if that is why it failed.
pub(crate) fn violation(error: &DbErr) -> Option<Violation> {
    match error.sql_err()? {
        SqlErr::UniqueConstraintViolation(message) => Some(Violation::Unique(message)),
        SqlErr::ForeignKeyConstraintViolation(message) => Some(Violation::ForeignKey(message)),
        _ => None,
    }
}

/// Whether the statement broke a unique constraint naming `column`.
pub(crate) fn is_unique_on(error: &DbErr, column: &str) -> bool {
    matches!(violation(error), Some(v @ Violation::Unique(_)) if v.mentions(column))
}

/// Whether the statement broke a foreign key.
pub(crate) fn is_foreign_key(error: &DbErr) -> bool {
    matches!(violation(error), Some(Violation::ForeignKey(_)))
}

/// A database error no caller can act on.
pub(crate) fn unexpected(error: DbErr) -> Unexpected {
    Unexpected::new(error)
}

/// A database error as the ports' read error.
pub(crate) fn store_error(error: DbErr) -> StoreError {
    StoreError::Unexpected(unexpected(error))
}

/// A stored row the domain refuses (corrupt or written by something else).
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> Unexpected {
    Unexpected::new(format!("stored {what} is not valid: {detail}"))
}
