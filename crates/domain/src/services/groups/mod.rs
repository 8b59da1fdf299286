//! The group service (G1–G5, P3–P5): creating and editing groups, nesting them, and their
//! members — each decided before any write, and every change (or refusal) audited (Z1).

mod hierarchy;
mod manage;
mod membership;
mod read;

pub use manage::{CreateGroup, GroupPatch};
pub use read::GroupDetails;

use super::Ports;
use super::audit::Auditor;
use super::guard::{self, GroupRefusal};
use crate::authz::{Actor, Denied, EscalationError, Subject};
use crate::error::{ErrorCode, Unexpected};
use crate::group::graph::{GroupGraph, GroupGraphError};
use crate::ids::GroupId;
use crate::ports::StoreError;
use crate::ports::grants::GrantRepository;
use crate::ports::groups::{GroupRepository, GroupWriteError, LinkError};
use crate::ports::users::UserRepository;
use crate::user::rules::UserRuleError;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// Why a group operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum GroupServiceError {
    /// P4: out of scope (`not_found`) or not allowed (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// P5: the change would hand out, or take away, grants the actor could not give.
    #[error(transparent)]
    Escalation(#[from] EscalationError),
    /// P3: nobody changes their own groups.
    #[error(transparent)]
    Rule(#[from] UserRuleError),
    /// G3: `unknown_group`, `group_self_parent`, `group_cycle`.
    #[error(transparent)]
    Graph(#[from] GroupGraphError),
    /// G1: the name (case-insensitive) is held by another group.
    #[error("the group name is already taken")]
    NameTaken,
    /// G1: the external code is held by another group.
    #[error("the external code is already taken")]
    ExternalCodeTaken,
    /// P3: only an administrator with `users.edit` scope `all` leaves a user in no group
    /// (users in no group are only in scope `all`).
    #[error("the user would be in no group: only an administrator with scope all may do that")]
    GroupRequired,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for GroupServiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::Escalation(e) => e.code(),
            Self::Rule(e) => e.code(),
            Self::Graph(e) => e.code(),
            Self::NameTaken => "group_name_taken",
            Self::ExternalCodeTaken => "external_code_taken",
            Self::GroupRequired => "group_required",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for GroupServiceError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<GroupWriteError> for GroupServiceError {
    fn from(e: GroupWriteError) -> Self {
        match e {
            GroupWriteError::NotFound => Self::Denied(Denied::NotFound),
            GroupWriteError::NameTaken => Self::NameTaken,
            GroupWriteError::ExternalCodeTaken => Self::ExternalCodeTaken,
            GroupWriteError::UnknownGroup(g) => Self::Graph(GroupGraphError::UnknownGroup(g)),
            GroupWriteError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<LinkError> for GroupServiceError {
    fn from(e: LinkError) -> Self {
        match e {
            LinkError::UnknownGroup(g) => Self::Graph(GroupGraphError::UnknownGroup(g)),
            LinkError::UnknownUser => Self::Denied(Denied::NotFound),
            LinkError::Cycle { child, parent } => {
                Self::Graph(GroupGraphError::Cycle { child, parent })
            }
            LinkError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<GroupRefusal> for GroupServiceError {
    fn from(r: GroupRefusal) -> Self {
        match r {
            GroupRefusal::Denied(d) => Self::Denied(d),
            GroupRefusal::UnknownGroup(g) => Self::Graph(GroupGraphError::UnknownGroup(g)),
        }
    }
}

/// Groups, their nesting and their members.
#[derive(Clone)]
pub struct GroupService {
    groups: Arc<dyn GroupRepository>,
    users: Arc<dyn UserRepository>,
    grants: Arc<dyn GrantRepository>,
    auditor: Auditor,
}

impl fmt::Debug for GroupService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupService").finish_non_exhaustive()
    }
}

impl GroupService {
    /// The service over these ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            groups: ports.groups.clone(),
            users: ports.users.clone(),
            grants: ports.grants.clone(),
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
        }
    }

    /// `not_found` unless the group is in the graph.
    fn known(graph: &GroupGraph, g: GroupId) -> Result<(), GroupServiceError> {
        if graph.contains(g) {
            Ok(())
        } else {
            Err(Denied::NotFound.into())
        }
    }

    /// P5: `guard::grants_could_be_given` with this service's grant store.
    async fn check_grants_could_be_given(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        holders: BTreeSet<GroupId>,
        subject: Subject,
        subject_groups: &BTreeSet<GroupId>,
    ) -> Result<(), GroupServiceError> {
        guard::grants_could_be_given(
            self.grants.as_ref(),
            actor,
            graph,
            holders,
            subject,
            subject_groups,
        )
        .await
    }
}
