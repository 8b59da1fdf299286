//! The second stage of row validation (C3, C4, C5): checks that need the store — is the
//! login ID known, do the groups exist, may the actor write this row — answered by
//! synchronous lookups over data the service pre-loads in chunks, so this stays pure.
//!
//! The file can never grant privileges: there is no column for grants (see `header`), and
//! every row passes the actor's authority check ([`RowLookups::may_write`]) with the groups
//! it would put the user in (P3, P5).

use super::error::RowError;
use super::header::Column;
use super::mode::{FieldChange, ImportMode};
use super::report::ImportOptions;
use super::row::UserRow;
use crate::group::GroupName;
use crate::ids::{GroupId, UserId};
use crate::user::{LoginId, UserStatus};
use std::collections::BTreeSet;

/// What the authority check and the owner rule need to know about an existing user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingUserFacts {
    /// The user.
    pub id: UserId,
    /// The owner account (U3).
    pub is_owner: bool,
    /// The groups the user is a direct member of now.
    pub direct_groups: BTreeSet<GroupId>,
}

/// Why the actor may not write a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteDenial {
    /// The actor cannot even see the existing user (P4): reported as if it were unknown,
    /// where the mode allows that.
    NotVisible,
    /// The actor sees the user (or is creating one) but may not write it as the row asks;
    /// the code is reported (`forbidden`, `owner_protected`, `target_holds_more`…).
    Forbidden(&'static str),
}

/// The store as row validation sees it: pure, synchronous lookups. A caller may pass
/// lookups whose `may_write` only checks visibility and decide write authority itself once
/// it knows whether the row changes anything (see `services::imports`).
pub trait RowLookups {
    /// The user holding this login ID (compared case-insensitively), if any.
    fn user(&self, login_id: &LoginId) -> Option<ExistingUserFacts>;
    /// The group with this name (case-insensitive), if any.
    fn group(&self, name: &GroupName) -> Option<GroupId>;
    /// Whether the actor may create (`existing` is `None`) or edit `existing` so that its
    /// groups change as `groups` says (P3, P4, P5).
    fn may_write(
        &self,
        existing: Option<&ExistingUserFacts>,
        groups: &FieldChange<Vec<GroupId>>,
    ) -> Result<(), WriteDenial>;
}

/// What a checked row will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowAction {
    /// Create a new user.
    Create,
    /// Edit this existing user.
    Update(ExistingUserFacts),
}

/// A row that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRow {
    /// The parsed row.
    pub row: UserRow,
    /// Create or update.
    pub action: RowAction,
    /// The row's groups, resolved to ids (same order as `row.groups`).
    pub group_ids: FieldChange<Vec<GroupId>>,
    /// C5: send an invitation (U5) — the import asked for invitations, the row creates a
    /// user, and it has an email and no password or hash. Existing users are never invited
    /// by an import (an export imported back must change nothing, C7); they are re-invited
    /// one by one.
    pub wants_invitation: bool,
}

/// Checks a parsed row against the store. Every problem found is returned.
pub fn check_row(
    row: UserRow,
    options: &ImportOptions,
    lookups: &dyn RowLookups,
) -> Result<CheckedRow, Vec<RowError>> {
    let line = row.line;
    let mut errors = Vec::new();
    let existing = lookups.user(&row.login_id);
    let action = match (options.mode, existing) {
        (ImportMode::Create, Some(_)) => {
            errors.push(login_error(
                line,
                "login_id_exists",
                "the login ID is already taken",
            ));
            None
        }
        (ImportMode::Update, None) => {
            errors.push(unknown_login(line));
            None
        }
        (ImportMode::Create | ImportMode::Upsert, None) => Some(RowAction::Create),
        (ImportMode::Update | ImportMode::Upsert, Some(facts)) => Some(RowAction::Update(facts)),
    };
    let group_ids = resolve_groups(&row, lookups, &mut errors);
    match &action {
        Some(RowAction::Create) => {
            if row.name.as_set().is_none() {
                errors.push(RowError::new(
                    line,
                    Column::Name.name(),
                    "name_required",
                    "a new user needs a name",
                ));
            }
        }
        Some(RowAction::Update(facts)) if facts.is_owner => owner_rules(&row, &mut errors),
        Some(RowAction::Update(_)) | None => {}
    }
    if let (Some(action), Some(group_ids)) = (&action, &group_ids) {
        let existing = match action {
            RowAction::Create => None,
            RowAction::Update(facts) => Some(facts),
        };
        if let Err(denial) = lookups.may_write(existing, group_ids) {
            errors.push(denied(line, options.mode, existing.is_some(), denial));
        }
    }
    match (action, group_ids) {
        (Some(action), Some(group_ids)) if errors.is_empty() => {
            let wants_invitation =
                options.invite && action == RowAction::Create && row.is_invitable();
            Ok(CheckedRow {
                row,
                action,
                group_ids,
                wants_invitation,
            })
        }
        _ => Err(errors),
    }
}

fn login_error(line: u64, code: &'static str, message: &str) -> RowError {
    RowError::new(line, Column::LoginId.name(), code, message)
}

fn unknown_login(line: u64) -> RowError {
    login_error(line, "login_id_unknown", "no user has this login ID")
}

/// The groups' ids, or `None` after reporting each unknown name.
fn resolve_groups(
    row: &UserRow,
    lookups: &dyn RowLookups,
    errors: &mut Vec<RowError>,
) -> Option<FieldChange<Vec<GroupId>>> {
    match &row.groups {
        FieldChange::Keep => Some(FieldChange::Keep),
        FieldChange::Clear => Some(FieldChange::Clear),
        FieldChange::Set(names) => {
            let before = errors.len();
            let ids: Vec<GroupId> = names
                .iter()
                .filter_map(|name| {
                    let id = lookups.group(name);
                    if id.is_none() {
                        errors.push(RowError::new(
                            row.line,
                            Column::Groups.name(),
                            "group_unknown",
                            format!("no group is named {:?}", name.as_str()),
                        ));
                    }
                    id
                })
                .collect();
            (errors.len() == before).then_some(FieldChange::Set(ids))
        }
    }
}

/// U3: the owner cannot be disabled or expired, not even by itself.
fn owner_rules(row: &UserRow, errors: &mut Vec<RowError>) {
    if row.status.as_set().is_some_and(|s| *s != UserStatus::Valid) {
        errors.push(RowError::new(
            row.line,
            Column::Status.name(),
            "owner_protected",
            "the owner account cannot be disabled",
        ));
    }
    if row.expires_at.as_set().is_some() {
        errors.push(RowError::new(
            row.line,
            Column::ExpiresAt.name(),
            "owner_protected",
            "the owner account cannot expire",
        ));
    }
}

/// P4: a user the actor cannot see is reported as unknown where the mode allows it; in
/// upsert mode the login ID cannot be created either, so it is reported as taken, as a
/// create would be. Public for callers that check authority after planning a row (a row
/// that changes nothing needs no write authority, C7).
pub fn denied(line: u64, mode: ImportMode, exists: bool, denial: WriteDenial) -> RowError {
    match (denial, exists, mode) {
        (WriteDenial::NotVisible, true, ImportMode::Update) => unknown_login(line),
        (WriteDenial::NotVisible, true, ImportMode::Create | ImportMode::Upsert) => {
            login_error(line, "login_id_exists", "the login ID is already taken")
        }
        (WriteDenial::NotVisible, false, _) => {
            login_error(line, "forbidden", "you may not create this user")
        }
        (WriteDenial::Forbidden(code), true, _) => {
            login_error(line, code, "you may not change this user as the row asks")
        }
        (WriteDenial::Forbidden(code), false, _) => {
            login_error(line, code, "you may not create this user as the row asks")
        }
    }
}

#[cfg(test)]
#[path = "lookups_tests.rs"]
mod tests;
