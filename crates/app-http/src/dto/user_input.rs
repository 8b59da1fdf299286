//! Request bodies for users (U4): parsed into domain commands, every bad field reported.

use super::{Fields, UserStatusDto};
use crate::problem::ApiError;
use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use roster_domain::ids::GroupId;
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::{RegisterUser, UserPatch};
use roster_domain::user::{DisplayName, Email, LoginId, parse_expiry};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A user to register.
#[derive(Object)]
pub struct NewUserBody {
    /// Unique, case-insensitive, 1–128 characters.
    pub login_id: String,
    /// Display name.
    pub name: String,
    /// Email (needed for an invitation later).
    pub email: Option<String>,
    /// First password; without one the user is `pending` until invited.
    pub password: Option<String>,
    /// `valid` (default with a password), `invalid`, or `pending` (default without).
    pub status: Option<UserStatusDto>,
    /// Expiry: an ISO 8601 date (valid through that day, UTC) or date-time.
    pub expires_at: Option<String>,
    /// Groups to join. A scoped administrator must name at least one in its scope.
    #[oai(default)]
    pub group_ids: Vec<Uuid>,
    /// Custom profile fields (U8), by key.
    #[oai(default)]
    pub attributes: BTreeMap<String, String>,
}

impl std::fmt::Debug for NewUserBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUserBody")
            .field("login_id", &self.login_id)
            .finish_non_exhaustive()
    }
}

impl NewUserBody {
    /// The command, or 422 naming every bad field.
    pub fn parse(self) -> Result<RegisterUser, ApiError> {
        let mut errors = Fields::new();
        let login_id = errors.check("login_id", LoginId::parse(&self.login_id));
        let name = errors.check("name", DisplayName::parse(&self.name));
        let email = match &self.email {
            Some(raw) => errors.check("email", Email::parse(raw)).map(Some),
            None => Some(None),
        };
        let expires_at = match &self.expires_at {
            Some(raw) => errors.check("expires_at", parse_expiry(raw)).map(Some),
            None => Some(None),
        };
        errors.finish()?;
        let (Some(login_id), Some(name), Some(email), Some(expires_at)) =
            (login_id, name, email, expires_at)
        else {
            return Err(ApiError::unexpected());
        };
        Ok(RegisterUser {
            login_id,
            name,
            email,
            password: self.password.map(PlainPassword::new),
            status: self.status.map(Into::into),
            expires_at,
            group_ids: self.group_ids.into_iter().map(GroupId::from_uuid).collect(),
            attributes: self.attributes,
        })
    }
}

/// A change to a user. Absent fields stay as they are; `null` clears `email` and
/// `expires_at`.
#[derive(Debug, Object)]
pub struct UserPatchBody {
    /// New display name.
    pub name: Option<String>,
    /// New email, or `null` to remove it.
    pub email: MaybeUndefined<String>,
    /// New status (U2). Setting an integrated source `valid` is refused (I7).
    pub status: Option<UserStatusDto>,
    /// New expiry (ISO 8601 date or date-time), or `null` to remove it (U6).
    pub expires_at: MaybeUndefined<String>,
    /// Custom fields to set; an empty value clears one.
    pub attributes: Option<BTreeMap<String, String>>,
    /// The `updated_at` last seen; a later change answers 409 `conflict`.
    pub expected_updated_at: Option<DateTime<Utc>>,
}

impl UserPatchBody {
    /// The patch, or 422 naming every bad field.
    pub fn parse(self) -> Result<UserPatch, ApiError> {
        let mut errors = Fields::new();
        let name = match &self.name {
            Some(raw) => errors.check("name", DisplayName::parse(raw)).map(Some),
            None => Some(None),
        };
        let email = match &self.email {
            MaybeUndefined::Undefined => Some(None),
            MaybeUndefined::Null => Some(Some(None)),
            MaybeUndefined::Value(raw) => errors
                .check("email", Email::parse(raw))
                .map(|e| Some(Some(e))),
        };
        let expires_at = match &self.expires_at {
            MaybeUndefined::Undefined => Some(None),
            MaybeUndefined::Null => Some(Some(None)),
            MaybeUndefined::Value(raw) => errors
                .check("expires_at", parse_expiry(raw))
                .map(|at| Some(Some(at))),
        };
        errors.finish()?;
        let (Some(name), Some(email), Some(expires_at)) = (name, email, expires_at) else {
            return Err(ApiError::unexpected());
        };
        Ok(UserPatch {
            name,
            email,
            status: self.status.map(Into::into),
            expires_at,
            attributes: self.attributes,
            expected_updated_at: self.expected_updated_at,
        })
    }
}

/// A password set by an administrator.
#[derive(Object)]
pub struct PasswordBody {
    /// The new password (8–256 characters, not too guessable).
    #[oai(validator(max_length = 4096))]
    pub password: String,
}

impl std::fmt::Debug for PasswordBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordBody").finish_non_exhaustive()
    }
}
