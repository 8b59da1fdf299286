//! Row validation (C1, C3, C4): one row's cells to a typed [`UserRow`], or every problem in
//! it. Checks that need the store (login ID known, groups exist, authority) come after, in
//! `lookups`; duplicates inside the file in `file`.

use super::cell::{Cell, decode_cell};
use super::error::RowError;
use super::header::{Column, HeaderMap};
use super::legacy_hash::LegacyHash;
use super::mode::FieldChange;
use super::row::{PlainPassword, RowContext, UserRow};
use crate::error::{ErrorCode, FieldError};
use crate::group::GroupName;
use crate::user::{DisplayName, Email, LoginId, UserStatus};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// Parses one data row. `line` is the row's line number as the codec counted it; `cells` are
/// the decoded cells in header order. A wrong number of cells is reported alone (the columns
/// cannot be trusted then); otherwise every cell is checked and all problems are returned.
pub fn validate_row(
    line: u64,
    header: &HeaderMap,
    cells: &[String],
    ctx: &RowContext<'_>,
) -> Result<UserRow, Vec<RowError>> {
    if cells.len() != header.len() {
        return Err(vec![RowError::new(
            line,
            "",
            "cell_count",
            format!(
                "the row has {} cells but the header has {} columns",
                cells.len(),
                header.len()
            ),
        )]);
    }
    let mut errors = Vec::new();
    let mut login_id = None;
    let mut row = Fields::default();
    for (column, raw) in header.columns().iter().zip(cells) {
        let at = At {
            line,
            column: column.name(),
        };
        let cell = decode_cell(raw);
        let result = match column {
            Column::LoginId => at
                .required(cell, coded(LoginId::parse))
                .map(|id| login_id = Some(id)),
            Column::Name => at
                .change(cell, Clearing::Refused, coded(DisplayName::parse))
                .map(|c| row.name = c),
            Column::Email => at
                .change(cell, Clearing::Allowed, coded(Email::parse))
                .map(|c| row.email = c),
            Column::Password => at
                .optional(cell, |v| Ok(PlainPassword::new(v)))
                .map(|p| row.password = p),
            Column::PasswordHash => at
                .optional(cell, coded(LegacyHash::parse))
                .map(|h| row.password_hash = h),
            Column::Groups => at
                .change(cell, Clearing::Allowed, group_names)
                .map(|c| row.groups = c),
            Column::Status => at
                .change(cell, Clearing::Refused, coded(UserStatus::parse))
                .map(|c| row.status = c),
            Column::ExpiresAt => at
                .change(cell, Clearing::Allowed, ctx.parse_expiry)
                .map(|c| row.expires_at = c),
            Column::Attribute(key) => at
                .change(cell, Clearing::Allowed, |v| (ctx.check_attribute)(key, v))
                .map(|c| {
                    if !c.is_keep() {
                        row.attributes.insert(key.clone(), c);
                    }
                }),
        };
        if let Err(error) = result {
            errors.push(error);
        }
    }
    if row.password.is_some() && row.password_hash.is_some() {
        errors.push(RowError::new(
            line,
            Column::PasswordHash.name(),
            "password_and_hash",
            "give either a password or a password hash, not both",
        ));
    }
    match login_id {
        Some(login_id) if errors.is_empty() => Ok(UserRow {
            line,
            login_id,
            name: row.name,
            email: row.email,
            password: row.password,
            password_hash: row.password_hash,
            groups: row.groups,
            status: row.status,
            expires_at: row.expires_at,
            attributes: row.attributes,
        }),
        Some(_) | None => Err(errors),
    }
}

/// The fields gathered while the cells are read.
#[derive(Default)]
struct Fields {
    name: FieldChange<DisplayName>,
    email: FieldChange<Email>,
    password: Option<PlainPassword>,
    password_hash: Option<LegacyHash>,
    groups: FieldChange<Vec<GroupName>>,
    status: FieldChange<UserStatus>,
    expires_at: FieldChange<chrono::DateTime<chrono::Utc>>,
    attributes: BTreeMap<String, FieldChange<String>>,
}

/// Whether the clear marker is accepted in a column (required fields refuse it).
#[derive(Clone, Copy)]
enum Clearing {
    Allowed,
    Refused,
}

/// Where a cell is, to build its errors.
struct At<'a> {
    line: u64,
    column: &'a str,
}

impl At<'_> {
    fn error(&self, code: &'static str, message: impl Into<String>) -> RowError {
        RowError::new(self.line, self.column, code, message)
    }

    fn not_clearable(&self) -> RowError {
        self.error(
            "field_not_clearable",
            format!("{} cannot be cleared", self.column),
        )
    }

    /// A cell that may be empty (keep), the clear marker (when allowed) or a value.
    fn change<T>(
        &self,
        cell: Cell<'_>,
        clearing: Clearing,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Result<FieldChange<T>, RowError> {
        match (cell, clearing) {
            (Cell::Empty, _) => Ok(FieldChange::Keep),
            (Cell::Clear, Clearing::Allowed) => Ok(FieldChange::Clear),
            (Cell::Clear, Clearing::Refused) => Err(self.not_clearable()),
            (Cell::Value(v), _) => parse(v)
                .map(FieldChange::Set)
                .map_err(|e| RowError::from_field(self.line, self.column, e)),
        }
    }

    /// A cell that may be empty or a value, never the clear marker.
    fn optional<T>(
        &self,
        cell: Cell<'_>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Result<Option<T>, RowError> {
        self.change(cell, Clearing::Refused, parse)
            .map(|c| match c {
                FieldChange::Set(value) => Some(value),
                FieldChange::Keep | FieldChange::Clear => None,
            })
    }

    /// A cell that must hold a value.
    fn required<T>(
        &self,
        cell: Cell<'_>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Result<T, RowError> {
        match self.change(cell, Clearing::Refused, parse)? {
            FieldChange::Set(value) => Ok(value),
            FieldChange::Keep | FieldChange::Clear => {
                Err(self.error("field_required", format!("{} is required", self.column)))
            }
        }
    }
}

/// Adapts a value type's parser to the field-error shape.
fn coded<T, E: ErrorCode + fmt::Display>(
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> impl FnOnce(&str) -> Result<T, FieldError> {
    move |v| parse(v).map_err(|e| FieldError::of("", &e))
}

/// `a; b;c` → names, in order, without repeats; empty pieces (a trailing `;`) are skipped.
fn group_names(cell: &str) -> Result<Vec<GroupName>, FieldError> {
    let mut names = Vec::new();
    let mut seen = HashSet::new();
    for piece in cell.split(';').filter(|p| !p.trim().is_empty()) {
        let name = GroupName::parse(piece).map_err(|e| FieldError {
            field: String::new(),
            code: e.code(),
            message: format!("group {:?}: {e}", piece.trim()),
        })?;
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(FieldError {
            field: String::new(),
            code: "groups_empty",
            message: "no group name; write <clear> to remove every group".into(),
        });
    }
    Ok(names)
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
