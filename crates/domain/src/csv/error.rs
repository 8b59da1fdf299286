//! One problem found in an import file, located the way a spreadsheet shows it (C4).

use crate::error::{ErrorCode, FieldError};
use serde::Serialize;
use std::fmt;

/// The header's line number: line 1, as a spreadsheet numbers it, so data starts at line 2.
pub const HEADER_LINE: u64 = 1;

/// A problem on one line of an import file: where (line, column), what (a stable code) and a
/// human message. Messages never repeat a password or a password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The line number as the codec counted it (the header is line 1; a quoted field that
    /// spans lines moves the following rows down, so the caller supplies it).
    pub line: u64,
    /// The column's header name (`login_id`, a custom field key…), empty when the problem
    /// concerns the whole row.
    pub column: String,
    /// A stable code (`login_id_exists`, `invalid_email`…).
    pub code: &'static str,
    /// A human message.
    pub message: String,
}

impl RowError {
    /// A problem with an explicit code and message.
    pub fn new(
        line: u64,
        column: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            line,
            column: column.into(),
            code,
            message: message.into(),
        }
    }

    /// A problem reported by a coded error (a value type's parse error).
    pub fn of(
        line: u64,
        column: impl Into<String>,
        error: &(impl ErrorCode + fmt::Display),
    ) -> Self {
        Self::new(line, column, error.code(), error.to_string())
    }

    /// A problem reported by a field check (custom fields, expiry): keeps its code and
    /// message, and names the CSV column rather than the field.
    pub fn from_field(line: u64, column: impl Into<String>, error: FieldError) -> Self {
        Self::new(line, column, error.code, error.message)
    }
}

impl ErrorCode for RowError {
    fn code(&self) -> &'static str {
        self.code
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::EmailError;

    #[test]
    fn c4_row_error_names_line_column_and_code() {
        let e = RowError::of(7, "email", &EmailError);
        assert_eq!(
            (e.line, e.column.as_str(), e.code),
            (7, "email", "invalid_email")
        );
        assert_eq!(
            e.to_string(),
            "line 7, column email: not a valid email address"
        );
        let whole = RowError::new(3, "", "cell_count", "3 cells, expected 4");
        assert_eq!(whole.to_string(), "line 3: 3 cells, expected 4");
        let field = FieldError {
            field: "dept".into(),
            code: "field_option_unknown",
            message: "not an option".into(),
        };
        let e = RowError::from_field(4, "Dept", field);
        assert_eq!(
            (e.column.as_str(), e.code),
            ("Dept", "field_option_unknown")
        );
    }
}
