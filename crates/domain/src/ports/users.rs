//! The user ports (U1–U7, I7–I9, S1): the account store and, apart, the credential store —
//! password hashes never travel with the user record.

use super::password::PasswordHash;
use super::{Page, PageRequest, StoreError};
use crate::authz::Visibility;
use crate::error::{ErrorCode, Unexpected};
use crate::ids::{GroupId, UserId};
use crate::user::{Attributes, DisplayName, Email, LoginId, User, UserStatus};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// A user to store, decided by the domain (id, times and status included).
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    /// A fresh id (UUIDv7).
    pub id: UserId,
    /// Unique, case-insensitive.
    pub login_id: LoginId,
    /// Display name.
    pub name: DisplayName,
    /// Optional email.
    pub email: Option<Email>,
    /// The hash of its first password, if it has one.
    pub password_hash: Option<PasswordHash>,
    /// Its first status.
    pub status: UserStatus,
    /// Optional expiry (U6).
    pub expires_at: Option<DateTime<Utc>>,
    /// Custom fields (U8), already checked.
    pub attributes: Attributes,
    /// The groups it joins at once (G2).
    pub group_ids: BTreeSet<GroupId>,
    /// Only for the one owner created at first start (U3, U9).
    pub is_owner: bool,
    /// Creation time (also its first `updated_at`).
    pub created_at: DateTime<Utc>,
}

/// The editable fields of a user, as they must be after the change.
#[derive(Debug, Clone, PartialEq)]
pub struct UserFields {
    /// Display name.
    pub name: DisplayName,
    /// Email.
    pub email: Option<Email>,
    /// Status.
    pub status: UserStatus,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Custom fields.
    pub attributes: Attributes,
}

impl UserFields {
    /// The current fields of a user, to change and write back.
    pub fn of(user: &User) -> Self {
        Self {
            name: user.name.clone(),
            email: user.email.clone(),
            status: user.status,
            expires_at: user.expires_at,
            attributes: user.attributes.clone(),
        }
    }
}

impl UserUpdate {
    /// U5, U10: whether writing this update over `stored` (the row as it is in the store,
    /// inside the writing transaction) must delete the user's reset and invitation links:
    /// the email is set, cleared or replaced. The adapter asks exactly this, so every writer
    /// (self-service, administrator, CSV import) revokes alike.
    pub fn revokes_links(&self, stored: &User) -> bool {
        self.fields.email != stored.email
    }
}

/// A change to a user, applied only if nobody changed it since it was read (optimistic
/// concurrency: `expected_updated_at` is the `updated_at` the decision was made on).
#[derive(Debug, Clone, PartialEq)]
pub struct UserUpdate {
    /// Which user.
    pub id: UserId,
    /// The `updated_at` the change was decided on.
    pub expected_updated_at: DateTime<Utc>,
    /// The new values.
    pub fields: UserFields,
    /// The new `updated_at`.
    pub updated_at: DateTime<Utc>,
}

/// What a user list shows (P4) and how it is narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    /// Case-insensitive substring of the login ID, name or email.
    pub q: Option<String>,
    /// Only users who are direct members of one of these groups (the service expands a
    /// `group_id` to the group and everything below it, G4).
    pub in_groups: Option<BTreeSet<GroupId>>,
    /// Only users with this status.
    pub status: Option<UserStatus>,
    /// P4: `Groups(set)` means users who are direct members of one of those groups (the set
    /// is closure-expanded); `Nothing` returns nothing.
    pub visibility: Visibility,
}

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    /// The login ID (compared case-insensitively) is held by another user.
    #[error("the login ID is already taken")]
    LoginIdTaken,
    /// A group of `group_ids` does not exist (deleted meanwhile).
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// U3: an owner exists already.
    #[error("an owner account exists already")]
    OwnerExists,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for CreateUserError {
    fn code(&self) -> &'static str {
        match self {
            Self::LoginIdTaken => "login_id_taken",
            Self::UnknownGroup(_) => "unknown_group",
            Self::OwnerExists => "owner_exists",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why a user could not be changed or deleted.
#[derive(Debug, thiserror::Error)]
pub enum UserWriteError {
    /// No such user.
    #[error("the user does not exist")]
    NotFound,
    /// The user changed since it was read; read it again and retry.
    #[error("the user was changed by someone else; reload and retry")]
    Conflict,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for UserWriteError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Stores user accounts and their memberships.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait UserRepository: Send + Sync {
    /// The user, or `None`. Errors: `Unexpected` only.
    async fn get(&self, id: UserId) -> Result<Option<User>, StoreError>;

    /// The user holding this login ID (compared by its case-folded key), or `None`.
    /// Errors: `Unexpected` only.
    async fn get_by_login_id(&self, login_id: &LoginId) -> Result<Option<User>, StoreError>;

    /// Stores a new user with its memberships and password hash in one transaction.
    /// Errors: `LoginIdTaken` (unique, case-insensitive — settled by the store, so two racing
    /// creations cannot both win); `UnknownGroup`; `OwnerExists` when `is_owner` and an owner
    /// exists (U3); `Unexpected`.
    async fn create(&self, user: NewUser) -> Result<User, CreateUserError>;

    /// Writes `fields` if the stored `updated_at` still equals `expected_updated_at`, in one
    /// conditional update. When the new status is not `valid`, or the new expiry has passed,
    /// the user's sessions end in the same transaction (S1, U6). When the email changes
    /// ([`UserUpdate::revokes_links`] against the stored row: set, cleared or replaced), the
    /// user's live links of the purposes in [`super::tokens::REVOKED_WITH_CREDENTIALS`]
    /// (password reset and invitation, subject the user) are deleted in the same transaction
    /// (U5, U10): a link mailed to the old address must not outlive it, whichever service or
    /// import made the change.
    /// Errors: `NotFound`; `Conflict` when the user changed meanwhile; `Unexpected`.
    async fn update(&self, update: UserUpdate) -> Result<User, UserWriteError>;

    /// Deletes the user in one transaction (U7): its sessions, memberships, grants and
    /// password go; integrations where it is the source stay, marked source-deleted (I8);
    /// integrations where it is the target, with their history, go (I9).
    /// Errors: `NotFound`; `Unexpected`. (`Conflict` is never returned.)
    async fn delete(&self, id: UserId) -> Result<(), UserWriteError>;

    /// One page of users matching `filter`, in id (creation) order. Errors: `Unexpected` only.
    async fn list(&self, filter: UserFilter, page: PageRequest) -> Result<Page<User>, StoreError>;

    /// U10: the users whose email is `email` — the domain part is stored lower-cased, the
    /// local part is compared without case, as mail providers do — at most `limit`, in id
    /// order. Emails are not unique (U1), so several may answer. Errors: `Unexpected` only.
    async fn find_by_email(&self, email: &Email, limit: u32) -> Result<Vec<User>, StoreError>;

    /// The groups the user is a direct member of (empty for an unknown user).
    /// Errors: `Unexpected` only.
    async fn direct_groups(&self, id: UserId) -> Result<BTreeSet<GroupId>, StoreError>;

    /// I7: whether the user is the source of a live (not cancelled, not frozen)
    /// integration — the one place this fact is asked, read from the integration store's
    /// tables by the adapter. Errors: `Unexpected` only.
    async fn is_live_integration_source(&self, id: UserId) -> Result<bool, StoreError>;
}

/// Why a password could not be set.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// No such user.
    #[error("the user does not exist")]
    NotFound,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for CredentialError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Stores password hashes, apart from the user record so they never leave with it (U1).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait CredentialStore: Send + Sync {
    /// The user's hash, or `None` (no password, or no such user). Errors: `Unexpected` only.
    async fn password_hash(&self, user: UserId) -> Result<Option<PasswordHash>, StoreError>;

    /// Sets a new password in one transaction: stores the hash, marks the user as having a
    /// password, ends every session of the user (S1), deletes the user's live links of the
    /// purposes in [`super::tokens::REVOKED_WITH_CREDENTIALS`] (password reset and
    /// invitation: a reset link asked for before the change, or an invitation to set a first
    /// password, no longer applies — U5, U10), and, when `activate_pending` and the user is
    /// `pending`, makes it `valid` (U2, U5). Every password change goes through here (self
    /// change, reset, invitation, administrator), so this is the one place links die with a
    /// password.
    /// Errors: `NotFound`; `Unexpected`.
    async fn set_password_hash(
        &self,
        user: UserId,
        hash: PasswordHash,
        activate_pending: bool,
    ) -> Result<(), CredentialError>;

    /// C8: replaces a hash by an equivalent one (same password, current parameters) after a
    /// successful login, only if the stored hash is still `old`; sessions are kept, since the
    /// password did not change. Returns whether it replaced it.
    /// Errors: `NotFound`; `Unexpected`.
    async fn upgrade_hash(
        &self,
        user: UserId,
        old: PasswordHash,
        new: PasswordHash,
    ) -> Result<bool, CredentialError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::user::fixtures::user;

    fn with_email(stored: &User, email: Option<&str>) -> UserUpdate {
        let mut fields = UserFields::of(stored);
        fields.email = email.map(|e| Email::parse(e).unwrap());
        UserUpdate {
            id: stored.id,
            expected_updated_at: stored.updated_at,
            fields,
            updated_at: stored.updated_at,
        }
    }

    #[test]
    fn u10_email_set_cleared_or_replaced_revokes_links() {
        let mut stored = user("alice");
        stored.email = Some(Email::parse("alice@example.org").unwrap());
        assert!(with_email(&stored, Some("mallory@example.org")).revokes_links(&stored));
        assert!(with_email(&stored, None).revokes_links(&stored));
        stored.email = None;
        assert!(with_email(&stored, Some("alice@example.org")).revokes_links(&stored));
    }

    #[test]
    fn u10_unchanged_email_keeps_links() {
        let mut stored = user("alice");
        stored.email = Some(Email::parse("alice@example.org").unwrap());
        let mut update = with_email(&stored, Some("alice@example.org"));
        update.fields.name = DisplayName::parse("Alice B").unwrap();
        assert!(!update.revokes_links(&stored));
    }
}
