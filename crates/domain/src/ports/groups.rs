//! The group port (G1–G5): groups, their parent edges and their direct members.

use super::{Page, PageRequest, StoreError};
use crate::authz::Visibility;
use crate::error::{ErrorCode, Unexpected};
use crate::group::graph::GroupGraph;
use crate::group::{ExternalCode, Group, GroupName};
use crate::ids::{GroupId, UserId};
use crate::user::User;
use std::collections::BTreeSet;

/// A group to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    /// A fresh id.
    pub id: GroupId,
    /// Unique, case-insensitive.
    pub name: GroupName,
    /// Optional, unique.
    pub external_code: Option<ExternalCode>,
    /// Free text (checked, G1).
    pub description: crate::group::GroupDescription,
    /// Its parents (G3); empty for a root group. A new group has no children, so no cycle.
    pub parent_ids: BTreeSet<GroupId>,
}

/// What a group list shows and how it is narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFilter {
    /// Case-insensitive substring of the name or external code.
    pub q: Option<String>,
    /// P4: `Groups(set)` means exactly those groups (closure-expanded); `Nothing` returns
    /// nothing.
    pub visibility: Visibility,
}

/// Why a group could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum GroupWriteError {
    /// No such group (update).
    #[error("the group does not exist")]
    NotFound,
    /// The name (case-insensitive) is held by another group.
    #[error("the group name is already taken")]
    NameTaken,
    /// The external code is held by another group.
    #[error("the external code is already taken")]
    ExternalCodeTaken,
    /// A parent does not exist (create).
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for GroupWriteError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::NameTaken => "group_name_taken",
            Self::ExternalCodeTaken => "external_code_taken",
            Self::UnknownGroup(_) => "unknown_group",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why an edge or a membership could not be added.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// One of the groups does not exist.
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// The user does not exist.
    #[error("the user does not exist")]
    UnknownUser,
    /// G3: the edge would close a cycle (found by the store's own check in its transaction).
    #[error("making {parent} a parent of {child} would create a cycle")]
    Cycle {
        /// The would-be child.
        child: GroupId,
        /// The would-be parent.
        parent: GroupId,
    },
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for LinkError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownGroup(_) => "unknown_group",
            Self::UnknownUser => "not_found",
            Self::Cycle { .. } => "group_cycle",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Stores groups, their edges and memberships.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait GroupRepository: Send + Sync {
    /// The whole group graph. Adapters may cache it, but it reflects every committed change
    /// (a cache is invalidated by each write, in every instance). Errors: `Unexpected` only.
    async fn graph(&self) -> Result<GroupGraph, StoreError>;

    /// The group, or `None`. Errors: `Unexpected` only.
    async fn get(&self, id: GroupId) -> Result<Option<Group>, StoreError>;

    /// The group with this name (case-insensitive), or `None`. Errors: `Unexpected` only.
    async fn get_by_name(&self, name: &GroupName) -> Result<Option<Group>, StoreError>;

    /// One page of groups matching `filter`, in id order. Errors: `Unexpected` only.
    async fn list(&self, filter: GroupFilter, page: PageRequest)
    -> Result<Page<Group>, StoreError>;

    /// Stores a group with its parent edges in one transaction. Errors: `NameTaken`,
    /// `ExternalCodeTaken` (settled by unique indexes); `UnknownGroup` for a missing parent;
    /// `Unexpected`.
    async fn create(&self, group: NewGroup) -> Result<Group, GroupWriteError>;

    /// Writes the group's name, external code and description. Errors: `NotFound`,
    /// `NameTaken`, `ExternalCodeTaken`, `Unexpected`.
    async fn update(&self, group: Group) -> Result<Group, GroupWriteError>;

    /// G5: deletes the group in one transaction with its memberships, its edges, the grants
    /// it holds, and its id from every grant scope (a `groups` scope left empty deletes that
    /// grant). Never deletes a user. Errors: `NotFound`; `Unexpected`.
    async fn delete(&self, id: GroupId) -> Result<(), GroupWriteError>;

    /// G3: makes `parent` a parent of `child` (no-op when it is). The store checks again,
    /// inside its transaction, that `child` is not `parent` or above it, so two concurrent
    /// edges cannot close a cycle. Errors: `UnknownGroup`; `Cycle`; `Unexpected`.
    async fn add_parent(&self, child: GroupId, parent: GroupId) -> Result<(), LinkError>;

    /// Removes the edge; returns whether it existed. Errors: `Unexpected` only.
    async fn remove_parent(&self, child: GroupId, parent: GroupId) -> Result<bool, StoreError>;

    /// Makes the user a direct member (no-op when it is). Errors: `UnknownGroup`;
    /// `UnknownUser`; `Unexpected`.
    async fn add_member(&self, group: GroupId, user: UserId) -> Result<(), LinkError>;

    /// Ends a direct membership; returns whether it existed. Errors: `Unexpected` only.
    async fn remove_member(&self, group: GroupId, user: UserId) -> Result<bool, StoreError>;

    /// One page of the group's direct members, in id order. Errors: `Unexpected` only.
    async fn members(&self, group: GroupId, page: PageRequest) -> Result<Page<User>, StoreError>;
}
