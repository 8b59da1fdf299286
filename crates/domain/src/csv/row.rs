//! A validated import row (C1, C3): every cell parsed into its domain type, as a change per
//! field. What the service needs to validate a row but cannot be known here — the expiry
//! syntax and the custom field definitions (U8) — comes in through [`RowContext`].

use super::legacy_hash::LegacyHash;
use super::mode::FieldChange;
use crate::error::FieldError;
use crate::group::GroupName;
use crate::user::{DisplayName, Email, LoginId, UserStatus};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt;

/// A password as written in the file, untrimmed. The service applies the password policy
/// and hashes it; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainPassword(String);

impl PlainPassword {
    /// Wraps a password read from a cell.
    pub fn new(password: impl Into<String>) -> Self {
        Self(password.into())
    }

    /// The password, for the policy check and the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainPassword(<redacted>)")
    }
}

/// One row, parsed. An empty cell is [`FieldChange::Keep`], the clear marker
/// [`FieldChange::Clear`]; on create both mean "not given".
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// The row's line number (the header is line 1).
    pub line: u64,
    /// Which user the row is about.
    pub login_id: LoginId,
    /// Display name; never cleared (every user has one), required on create.
    pub name: FieldChange<DisplayName>,
    /// Email.
    pub email: FieldChange<Email>,
    /// A new password. Passwords cannot be cleared from a file: removing a password is an
    /// invitation or a reset (U5, U10), not a bulk edit.
    pub password: Option<PlainPassword>,
    /// A hash from another system (C8); never together with `password` in one row.
    pub password_hash: Option<LegacyHash>,
    /// The user's groups, replacing the current memberships when set; `Clear` removes all.
    pub groups: FieldChange<Vec<GroupName>>,
    /// Status; never cleared (every user has one).
    pub status: FieldChange<UserStatus>,
    /// Expiry; `Clear` removes it.
    pub expires_at: FieldChange<DateTime<Utc>>,
    /// Custom fields the row changes, by key as defined; a key that is absent is kept.
    pub attributes: BTreeMap<String, FieldChange<String>>,
}

impl UserRow {
    /// C5: a row with an email and neither a password nor a hash can become an invitation.
    pub fn is_invitable(&self) -> bool {
        self.password.is_none() && self.password_hash.is_none() && self.email.as_set().is_some()
    }
}

/// Parses an `expires_at` cell (the service passes `user::expiry`'s parser); the error's code
/// and message are reported, its field is replaced by the column name.
pub type ExpiryParser<'a> = &'a dyn Fn(&str) -> Result<DateTime<Utc>, FieldError>;

/// Checks one custom field value: `(key as defined, value) -> normalised value` (the service
/// passes `user::fields`' check for the field's definition).
pub type AttributeCheck<'a> = &'a dyn Fn(&str, &str) -> Result<String, FieldError>;

/// What row validation needs from outside the CSV rules.
#[derive(Clone, Copy)]
pub struct RowContext<'a> {
    /// The expiry syntax (ISO 8601 date or date-time, U6).
    pub parse_expiry: ExpiryParser<'a>,
    /// The custom field checks (U8).
    pub check_attribute: AttributeCheck<'a>,
}

impl fmt::Debug for RowContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowContext").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_password_debug_is_redacted() {
        let password = PlainPassword::new("hunter2 ");
        assert_eq!(format!("{password:?}"), "PlainPassword(<redacted>)");
        assert_eq!(password.expose(), "hunter2 ", "white space is kept");
    }
}
