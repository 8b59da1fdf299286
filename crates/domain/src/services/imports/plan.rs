//! What a checked row will write (C1, C3, C5, C8, U2, U3, U8, P3): the new user, or the
//! existing user's fields after the row — with the rules a row must still pass once the
//! store is known: the password policy, the status rules, required custom fields, and no
//! change to one's own status, expiry or groups. Pure; hashing happens at write time.

use crate::csv::{CheckedRow, Column, FieldChange, RowAction, RowError, UserRow};
use crate::ids::{GroupId, UserId};
use crate::ports::imports::ImportUser;
use crate::ports::password::PasswordHash;
use crate::ports::users::{NewUser, UserFields, UserUpdate};
use crate::user::fields::{AttributeError, FieldDefinition};
use crate::user::rules::{self, StatusEvent, StatusFacts, UserAspect, UserRuleError};
use crate::user::{Attributes, Password, User, UserStatus};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// What planning needs besides the row.
#[derive(Debug)]
pub(super) struct PlanContext<'a> {
    /// Who imports (P3: not its own status, expiry or groups).
    pub actor: UserId,
    /// The custom field definitions (U8: required ones).
    pub fields: &'a [FieldDefinition],
    /// The import's instant.
    pub now: DateTime<Utc>,
}

/// A row ready to write.
#[derive(Debug)]
pub(super) struct Planned {
    /// Its line.
    pub line: u64,
    /// Create or update, for the tally.
    pub action: RowAction,
    /// What to write.
    pub change: Change,
}

/// The write a row makes.
#[derive(Debug)]
pub(super) enum Change {
    /// A new user; `password` is hashed into `user.password_hash` at write time (a legacy
    /// hash is there already, C8).
    Create {
        user: Box<NewUser>,
        password: Option<Password>,
        invite: bool,
    },
    /// New fields for an existing user.
    Update {
        update: Box<UserUpdate>,
        group_ids: Option<BTreeSet<GroupId>>,
        password: Option<Password>,
        legacy_hash: Option<PasswordHash>,
    },
    /// The row changes nothing (C7: an export imported back).
    Unchanged,
}

impl Planned {
    /// The password to hash at write time.
    pub fn password(&self) -> Option<&Password> {
        match &self.change {
            Change::Create { password, .. } | Change::Update { password, .. } => password.as_ref(),
            Change::Unchanged => None,
        }
    }
}

/// Plans a row that passed `check_row`; `existing` is the stored user of an update.
pub(super) fn plan_row(
    checked: CheckedRow,
    existing: Option<&ImportUser>,
    ctx: &PlanContext<'_>,
) -> Result<Planned, Vec<RowError>> {
    let CheckedRow {
        row,
        action,
        group_ids,
        wants_invitation,
    } = checked;
    let line = row.line;
    let change = match (&action, existing) {
        (RowAction::Create, _) => plan_create(row, group_ids, wants_invitation, ctx)?,
        (RowAction::Update(_), Some(current)) => plan_update(row, group_ids, current, ctx)?,
        (RowAction::Update(_), None) => {
            return Err(vec![RowError::new(
                line,
                Column::LoginId.name(),
                "login_id_unknown",
                "no user has this login ID",
            )]);
        }
    };
    Ok(Planned {
        line,
        action,
        change,
    })
}

fn plan_create(
    row: UserRow,
    group_ids: FieldChange<Vec<GroupId>>,
    invite: bool,
    ctx: &PlanContext<'_>,
) -> Result<Change, Vec<RowError>> {
    let line = row.line;
    let mut errors = Vec::new();
    let Some(name) = row.name.as_set().cloned() else {
        return Err(vec![RowError::new(
            line,
            Column::Name.name(),
            "name_required",
            "a new user needs a name",
        )]);
    };
    let email = row.email.as_set().cloned();
    let has_password = row.password.is_some() || row.password_hash.is_some();
    let status =
        rules::initial_status(row.status.as_set().copied(), has_password).unwrap_or_else(|e| {
            errors.push(RowError::of(line, Column::Status.name(), &e));
            UserStatus::Pending
        });
    let inputs = [
        row.login_id.as_str(),
        name.as_str(),
        email.as_ref().map_or("", |e| e.as_str()),
    ];
    let password = policy(&row, &inputs, &mut errors);
    for def in ctx.fields.iter().filter(|d| d.required()) {
        let key = def.key().as_str();
        if row
            .attributes
            .get(key)
            .and_then(FieldChange::as_set)
            .is_none()
        {
            errors.push(RowError::of(line, key, &AttributeError::Required));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let attributes: Attributes = row
        .attributes
        .into_iter()
        .filter_map(|(key, change)| match change {
            FieldChange::Set(value) => Some((key, value)),
            FieldChange::Keep | FieldChange::Clear => None,
        })
        .collect();
    let user = NewUser {
        id: UserId::new(),
        login_id: row.login_id,
        name,
        email,
        password_hash: row.password_hash.map(|h| PasswordHash::new(h.expose())),
        status,
        expires_at: row.expires_at.as_set().copied(),
        attributes,
        group_ids: match group_ids {
            FieldChange::Set(ids) => ids.into_iter().collect(),
            FieldChange::Keep | FieldChange::Clear => BTreeSet::new(),
        },
        is_owner: false,
        created_at: ctx.now,
    };
    // An invitation leads to setting a first password, which activates only a pending
    // user; one created disabled is not invited.
    let invite = invite && user.status == UserStatus::Pending;
    Ok(Change::Create {
        user: Box::new(user),
        password,
        invite,
    })
}

fn plan_update(
    row: UserRow,
    group_ids: FieldChange<Vec<GroupId>>,
    current: &ImportUser,
    ctx: &PlanContext<'_>,
) -> Result<Change, Vec<RowError>> {
    let user = &current.user;
    let line = row.line;
    let mut errors = Vec::new();
    let mut fields = UserFields::of(user);
    if let FieldChange::Set(name) = &row.name {
        fields.name = name.clone();
    }
    fields.email = row.email.clone().apply(fields.email);
    fields.expires_at = row.expires_at.clone().apply(user.expires_at);
    if fields.expires_at != user.expires_at
        && let Err(e) = rules::check_expiry(user, fields.expires_at)
    {
        errors.push(RowError::of(line, Column::ExpiresAt.name(), &e));
    }
    let new_groups = match group_ids {
        FieldChange::Keep => None,
        FieldChange::Set(ids) => Some(ids.into_iter().collect()),
        FieldChange::Clear => Some(BTreeSet::new()),
    }
    .filter(|groups| groups != &current.direct_groups);
    let inputs = [
        row.login_id.as_str(),
        fields.name.as_str(),
        fields.email.as_ref().map_or("", |e| e.as_str()),
    ];
    let password = policy(&row, &inputs, &mut errors);
    let legacy_hash = row
        .password_hash
        .as_ref()
        .map(|h| PasswordHash::new(h.expose()));
    let sets_password = row.password.is_some() || legacy_hash.is_some();
    match next_status(&row, current, sets_password) {
        Ok(status) => fields.status = status,
        Err((column, e)) => errors.push(RowError::of(line, column, &e)),
    }
    apply_attributes(&row, ctx.fields, &mut fields.attributes, &mut errors);
    if user.id == ctx.actor {
        self_changes(user, &fields, new_groups.is_some(), line, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if fields == UserFields::of(user) && new_groups.is_none() && !sets_password {
        return Ok(Change::Unchanged);
    }
    Ok(Change::Update {
        update: Box::new(UserUpdate {
            id: user.id,
            expected_updated_at: user.updated_at,
            fields,
            updated_at: ctx.now,
        }),
        group_ids: new_groups,
        password,
        legacy_hash,
    })
}

/// U1: the password column passes the policy, with the user's own words as known words.
fn policy(row: &UserRow, inputs: &[&str], errors: &mut Vec<RowError>) -> Option<Password> {
    let raw = row.password.as_ref()?;
    match Password::parse(raw.expose(), inputs) {
        Ok(password) => Some(password),
        Err(e) => {
            errors.push(RowError::of(row.line, Column::Password.name(), &e));
            None
        }
    }
}

/// U2, U3, U5, I7: a new password first (a pending user becomes valid), then the status
/// column, each through the status rules.
fn next_status(
    row: &UserRow,
    current: &ImportUser,
    sets_password: bool,
) -> Result<UserStatus, (&'static str, UserRuleError)> {
    let mut facts = StatusFacts {
        is_owner: current.user.is_owner,
        has_password: current.user.has_password,
        live_integration_source: current.live_integration_source,
    };
    let mut status = current.user.status;
    if sets_password {
        status = rules::next_status(status, StatusEvent::PasswordSet, facts)
            .map_err(|e| (Column::Password.name(), e))?;
        facts.has_password = true;
    }
    if let FieldChange::Set(asked) = row.status {
        status = rules::next_status(status, StatusEvent::AdminSets(asked), facts)
            .map_err(|e| (Column::Status.name(), e))?;
    }
    Ok(status)
}

/// U8: set values replace, cleared ones go — except required fields, which stay.
fn apply_attributes(
    row: &UserRow,
    defs: &[FieldDefinition],
    attributes: &mut Attributes,
    errors: &mut Vec<RowError>,
) {
    for (key, change) in &row.attributes {
        match change {
            FieldChange::Keep => {}
            FieldChange::Set(value) => {
                attributes.insert(key.clone(), value.clone());
            }
            FieldChange::Clear => {
                let required = defs.iter().any(|d| d.key().as_str() == key && d.required());
                if required {
                    errors.push(RowError::of(
                        row.line,
                        key.as_str(),
                        &AttributeError::Required,
                    ));
                } else {
                    attributes.remove(key);
                }
            }
        }
    }
}

/// P3: nobody changes their own status, expiry or groups — not even through a file. A row
/// that repeats the current values (an export imported back) changes nothing and passes.
fn self_changes(
    user: &User,
    fields: &UserFields,
    groups_change: bool,
    line: u64,
    errors: &mut Vec<RowError>,
) {
    let changed = [
        (
            fields.status != user.status,
            UserAspect::Status,
            Column::Status,
        ),
        (
            fields.expires_at != user.expires_at,
            UserAspect::Expiry,
            Column::ExpiresAt,
        ),
        (groups_change, UserAspect::Groups, Column::Groups),
    ];
    for (aspect, column) in changed
        .into_iter()
        .filter_map(|(changed, aspect, column)| changed.then_some((aspect, column)))
    {
        errors.push(RowError::of(
            line,
            column.name(),
            &UserRuleError::SelfChangeForbidden(aspect),
        ));
    }
}
