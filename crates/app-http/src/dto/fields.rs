//! Collecting field errors while parsing a request, so one 422 names every bad field.

use crate::problem::ApiError;
use roster_domain::error::{ErrorCode, FieldError};
use std::fmt::Display;

/// The field errors of one request.
#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one field; on failure records the error and returns `None`.
    pub fn check<T, E: ErrorCode + Display>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(e) => {
                self.0.push(FieldError::of(field, &e));
                None
            }
        }
    }

    /// Records an error found otherwise.
    pub fn push(&mut self, field: &str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code,
            message: message.into(),
        });
    }

    /// `Ok` when every field parsed, else 422 with all of them.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(self.0))
        }
    }
}
