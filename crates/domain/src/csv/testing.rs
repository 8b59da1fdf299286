//! Test support for the CSV rules: a row context over the real expiry parser with a small
//! custom-field check, and in-memory lookups.

use super::lookups::{ExistingUserFacts, RowLookups, WriteDenial};
use super::mode::FieldChange;
use super::row::RowContext;
use crate::error::FieldError;
use crate::group::GroupName;
use crate::ids::{GroupId, UserId};
use crate::user::LoginId;
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

pub(crate) fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// The real expiry parser (U6), its error as a field error.
pub(crate) fn parse_expiry(raw: &str) -> Result<DateTime<Utc>, FieldError> {
    crate::user::expiry::parse_expiry(raw).map_err(|e| FieldError::of("expires_at", &e))
}

/// `grade` must be a number (trimmed); every other key takes any text as it is.
pub(crate) fn check_attribute(key: &str, value: &str) -> Result<String, FieldError> {
    match key {
        "grade" if value.trim().chars().all(|c| c.is_ascii_digit()) => Ok(value.trim().to_owned()),
        "grade" => Err(FieldError {
            field: key.into(),
            code: "field_not_a_number",
            message: "not a number".into(),
        }),
        _ => Ok(value.to_owned()),
    }
}

pub(crate) fn ctx() -> RowContext<'static> {
    RowContext {
        parse_expiry: &parse_expiry,
        check_attribute: &check_attribute,
    }
}

/// One recorded authority check: the existing user (if any) and the row's groups.
pub(crate) type WriteCall = (Option<UserId>, FieldChange<Vec<GroupId>>);

type Policy = fn(Option<&ExistingUserFacts>, &FieldChange<Vec<GroupId>>) -> Result<(), WriteDenial>;

/// Users and groups by case-folded key, an authority policy, and a record of the checks.
#[derive(Debug)]
pub(crate) struct FakeLookups {
    pub users: HashMap<String, ExistingUserFacts>,
    pub groups: HashMap<String, GroupId>,
    pub policy: Policy,
    pub calls: RefCell<Vec<WriteCall>>,
}

impl FakeLookups {
    /// No users, no groups, every write allowed.
    pub fn new() -> Self {
        Self {
            users: HashMap::new(),
            groups: HashMap::new(),
            policy: |_, _| Ok(()),
            calls: RefCell::new(Vec::new()),
        }
    }

    pub fn add_user(&mut self, login: &str, is_owner: bool) -> ExistingUserFacts {
        let facts = ExistingUserFacts {
            id: UserId::new(),
            is_owner,
            direct_groups: BTreeSet::new(),
        };
        let key = LoginId::parse(login).unwrap().key().to_owned();
        self.users.insert(key, facts.clone());
        facts
    }

    pub fn add_group(&mut self, name: &str) -> GroupId {
        let id = GroupId::new();
        self.groups
            .insert(GroupName::parse(name).unwrap().key().to_owned(), id);
        id
    }
}

impl RowLookups for FakeLookups {
    fn user(&self, login_id: &LoginId) -> Option<ExistingUserFacts> {
        self.users.get(login_id.key()).cloned()
    }

    fn group(&self, name: &GroupName) -> Option<GroupId> {
        self.groups.get(name.key()).copied()
    }

    fn may_write(
        &self,
        existing: Option<&ExistingUserFacts>,
        groups: &FieldChange<Vec<GroupId>>,
    ) -> Result<(), WriteDenial> {
        self.calls
            .borrow_mut()
            .push((existing.map(|f| f.id), groups.clone()));
        (self.policy)(existing, groups)
    }
}
