//! The grant port (P2): stored grants, read per holder for decisions and per scope for lists.

use super::{Page, PageRequest, StoreError};
use crate::authz::{Grant, NewGrant, Privilege, Subject, Visibility};
use crate::error::{ErrorCode, Unexpected};
use crate::ids::{GrantId, GroupId, UserId};
use std::collections::BTreeSet;

/// What a grant list shows and how it is narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantFilter {
    /// Only grants held by this subject.
    pub subject: Option<Subject>,
    /// Only grants of this privilege.
    pub privilege: Option<Privilege>,
    /// P4: `Groups(set)` means grants held by a user who is a direct member of one of those
    /// groups, or by one of those groups (closure-expanded); `Nothing` returns nothing.
    pub visibility: Visibility,
}

/// Why a grant could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateGrantError {
    /// The subject user or group does not exist.
    #[error("the grant's subject does not exist")]
    UnknownSubject,
    /// A group of the scope does not exist.
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// The same (subject, privilege, scope) is granted already.
    #[error("this grant exists already")]
    Exists,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for CreateGrantError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownSubject => "unknown_subject",
            Self::UnknownGroup(_) => "unknown_group",
            Self::Exists => "grant_exists",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why a grant could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteGrantError {
    /// No such grant.
    #[error("the grant does not exist")]
    NotFound,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for DeleteGrantError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Stores grants.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait GrantRepository: Send + Sync {
    /// Every grant that may apply to the user: its own, and those of every group it is a
    /// direct member of or that is above one of those (G4). Returning more group grants is
    /// harmless (the decision filters them), fewer is a bug. Errors: `Unexpected` only.
    async fn grants_for_user(&self, user: UserId) -> Result<Vec<Grant>, StoreError>;

    /// The grants held by any of these groups. Errors: `Unexpected` only.
    async fn grants_for_groups(&self, groups: BTreeSet<GroupId>) -> Result<Vec<Grant>, StoreError>;

    /// The grants whose scope names one of `groups` (G3, G5, P5: nesting a group below one of
    /// them widens these grants, deleting one narrows them): every `groups` scope listing any
    /// of them, and every `member_groups` grant that applies to a direct member of any of
    /// them — held by that user, or by a group that user is a member of (G4). Scope `all`
    /// grants are not returned (they cover every group anyway). Returning more
    /// `member_groups` grants is harmless (callers treat a group-held `member_groups` grant
    /// as naming the groups), fewer is a bug. Errors: `Unexpected` only.
    async fn grants_scoped_on(&self, groups: BTreeSet<GroupId>) -> Result<Vec<Grant>, StoreError>;

    /// One grant, or `None`. Errors: `Unexpected` only.
    async fn get(&self, id: GrantId) -> Result<Option<Grant>, StoreError>;

    /// One page of grants matching `filter`, in id order. Errors: `Unexpected` only.
    async fn list(&self, filter: GrantFilter, page: PageRequest)
    -> Result<Page<Grant>, StoreError>;

    /// Stores a grant under `id`. Errors: `UnknownSubject`; `UnknownGroup` for a scope group;
    /// `Exists` when the same (subject, privilege, scope) is stored; `Unexpected`.
    async fn create(&self, id: GrantId, grant: NewGrant) -> Result<Grant, CreateGrantError>;

    /// Deletes a grant. Errors: `NotFound`; `Unexpected`.
    async fn delete(&self, id: GrantId) -> Result<(), DeleteGrantError>;
}
