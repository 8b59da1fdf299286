//! Conventions shared by every error of the domain: a stable machine code per variant, and
//! one wrapper for causes that are for the logs, never for clients.

use std::fmt;

/// A stable, machine-readable code (`login_id_taken`, `integration_active`…). HTTP maps it
/// into problem details; clients and tests match on it, so it never changes once published.
pub trait ErrorCode {
    /// The stable code of this error.
    fn code(&self) -> &'static str;
}

/// A failure nobody can act on (a database down, a bug): carried for the logs. Its text is
/// never shown to clients; they see only the code `unexpected`.
#[derive(Debug)]
pub struct Unexpected(pub Box<dyn std::error::Error + Send + Sync + 'static>);

impl Unexpected {
    /// Wraps any error as unexpected.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self(error.into())
    }
}

impl fmt::Display for Unexpected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected: {}", self.0)
    }
}

impl std::error::Error for Unexpected {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// Where a value failed to parse, for errors that must name the offending field
/// (422 per-field errors, CSV column reports).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field or column name (`login_id`, `email`, a custom field key).
    pub field: String,
    /// The stable code of the problem (`too_long`, `invalid_email`…).
    pub code: &'static str,
    /// A human message.
    pub message: String,
}

impl FieldError {
    /// Builds a field error from any coded error.
    pub fn of(field: impl Into<String>, error: &(impl ErrorCode + fmt::Display)) -> Self {
        Self {
            field: field.into(),
            code: error.code(),
            message: error.to_string(),
        }
    }
}
