//! The grant service (P2, P4–P6): listing, granting and revoking privileges, and explaining a
//! decision — each decided before any write, and every change (or refusal) audited (Z1).

mod explain;
mod list;
mod manage;

pub use explain::{ExplainRequest, ExplainTarget};
pub use list::GrantQuery;

use super::Ports;
use super::audit::Auditor;
use super::guard::target_user;
use crate::authz::{Denied, EscalationError, Subject, Target};
use crate::error::{ErrorCode, Unexpected};
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::ports::StoreError;
use crate::ports::grants::{CreateGrantError, DeleteGrantError, GrantRepository};
use crate::ports::groups::GroupRepository;
use crate::ports::users::UserRepository;
use crate::user::rules::UserRuleError;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// Why a grant operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum GrantServiceError {
    /// P4: the subject is out of scope (`not_found`) or the actor lacks
    /// `admin.authorization` over it (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// P5: `privilege_not_held`, `scope_exceeds_own`.
    #[error(transparent)]
    Escalation(#[from] EscalationError),
    /// P3: nobody changes their own grants.
    #[error(transparent)]
    Rule(#[from] UserRuleError),
    /// A group of the scope does not exist.
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// The same grant exists already.
    #[error("this grant exists already")]
    GrantExists,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for GrantServiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::Escalation(e) => e.code(),
            Self::Rule(e) => e.code(),
            Self::UnknownGroup(_) => "unknown_group",
            Self::GrantExists => "grant_exists",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for GrantServiceError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<CreateGrantError> for GrantServiceError {
    fn from(e: CreateGrantError) -> Self {
        match e {
            CreateGrantError::UnknownSubject => Self::Denied(Denied::NotFound),
            CreateGrantError::UnknownGroup(g) => Self::UnknownGroup(g),
            CreateGrantError::Exists => Self::GrantExists,
            CreateGrantError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<DeleteGrantError> for GrantServiceError {
    fn from(e: DeleteGrantError) -> Self {
        match e {
            DeleteGrantError::NotFound => Self::Denied(Denied::NotFound),
            DeleteGrantError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// Grants: who holds which privilege where.
#[derive(Clone)]
pub struct GrantService {
    grants: Arc<dyn GrantRepository>,
    users: Arc<dyn UserRepository>,
    groups: Arc<dyn GroupRepository>,
    auditor: Auditor,
}

impl fmt::Debug for GrantService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GrantService").finish_non_exhaustive()
    }
}

impl GrantService {
    /// The service over these ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            grants: ports.grants.clone(),
            users: ports.users.clone(),
            groups: ports.groups.clone(),
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
        }
    }

    /// The decision's target for a grant's subject, and a user subject's direct groups (to
    /// resolve `member_groups`). `not_found` when the subject does not exist.
    async fn subject_target(
        &self,
        graph: &GroupGraph,
        subject: Subject,
    ) -> Result<(Target, BTreeSet<GroupId>), GrantServiceError> {
        match subject {
            Subject::User(id) => {
                let user = self.users.get(id).await?.ok_or(Denied::NotFound)?;
                let groups = self.users.direct_groups(id).await?;
                Ok((Target::User(target_user(&user, groups.clone())), groups))
            }
            Subject::Group(g) if graph.contains(g) => Ok((Target::Group(g), BTreeSet::new())),
            Subject::Group(_) => Err(Denied::NotFound.into()),
        }
    }
}
