//! Use-case services: each method takes the acting user first, decides authority with the
//! pure functions of `authz` before any side effect (deny by default; out of scope answers
//! `not_found`, in view but not allowed `forbidden`), applies pure rules, then makes its
//! change in one port call and records it in the audit log (Z1).

pub mod actor;
pub mod audit;
pub mod grants;
pub mod groups;
mod guard;
pub mod me;
pub mod users;

#[cfg(test)]
pub(crate) mod testing;

pub use actor::{LoadActorError, load_active_actor, load_actor};
pub use audit::{AuditService, AuditServiceError, Auditor};
pub use grants::{ExplainRequest, ExplainTarget, GrantQuery, GrantService, GrantServiceError};
pub use groups::{CreateGroup, GroupDetails, GroupPatch, GroupService, GroupServiceError};
pub use users::{RegisterUser, UserPatch, UserQuery, UserService, UserServiceError};

use crate::clock::Clock;
use crate::ports::audit::AuditLog;
use crate::ports::grants::GrantRepository;
use crate::ports::groups::GroupRepository;
use crate::ports::password::PasswordHasher;
use crate::ports::users::{CredentialStore, UserRepository};
use std::fmt;
use std::sync::Arc;

/// The adapters a host plugs in, bundled so each service takes what it needs.
#[derive(Clone)]
pub struct Ports {
    /// Users and memberships.
    pub users: Arc<dyn UserRepository>,
    /// Password hashes.
    pub credentials: Arc<dyn CredentialStore>,
    /// Groups and the group graph.
    pub groups: Arc<dyn GroupRepository>,
    /// Grants.
    pub grants: Arc<dyn GrantRepository>,
    /// The password hasher.
    pub hasher: Arc<dyn PasswordHasher>,
    /// The audit log.
    pub audit: Arc<dyn AuditLog>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ports").finish_non_exhaustive()
    }
}
