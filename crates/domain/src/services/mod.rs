//! Use-case services: each method takes the acting user first, decides authority with the
//! pure functions of `authz` before any side effect (deny by default; out of scope answers
//! `not_found`, in view but not allowed `forbidden`), applies pure rules, then makes its
//! change in one port call and records it in the audit log (Z1).

pub mod actor;
pub mod audit;
pub mod bootstrap;
pub mod exports;
pub mod grants;
pub mod groups;
mod guard;
pub mod imports;
pub mod integrations;
pub mod jobs;
pub mod joining;
pub mod mail;
pub mod me;
pub mod records;
pub mod sessions;
pub mod settings;
pub mod users;

#[cfg(test)]
pub(crate) mod testing;

pub use actor::{LoadActorError, load_active_actor, load_actor};
pub use audit::{AuditService, AuditServiceError, Auditor, Details};
pub use bootstrap::{
    BootstrapError, BootstrapOutcome, GeneratedPassword, OwnerConfig, ensure_owner,
};
pub use exports::{ExportError, ExportService};
pub use grants::{ExplainRequest, ExplainTarget, GrantQuery, GrantService, GrantServiceError};
pub use groups::{CreateGroup, GroupDetails, GroupPatch, GroupService, GroupServiceError};
pub use imports::{ImportConfig, ImportError, ImportPorts, ImportRequest, ImportService};
pub use integrations::{IntegrationService, IntegrationServiceError, IntegrationView};
pub use jobs::{JobOutcome, JobPorts, JobReport, JobRunner, JobsConfig};
pub use joining::{
    ApplicationService, InvitationService, JoiningConfig, JoiningError, JoiningPorts,
    MAX_BULK_URLS, PasswordResetService, PublicLinks, RegistrationUrlService, UrlListItem,
};
pub use mail::{MailDispatchPorts, MailDispatcher};
pub use me::{MeError, MeService, Profile, ProfilePatch};
pub use records::{NewBadge, NewCertificate, NewScore, RecordService, RecordServiceError};
pub use sessions::{
    ClientInfo, LoginError, LoginSuccess, SessionConfig, SessionError, SessionPorts, SessionService,
};
pub use settings::{FieldPatch, SettingsError, SettingsPorts, SettingsService, TemplateView};
pub use users::{RegisterUser, UserPatch, UserQuery, UserService, UserServiceError};

use crate::clock::Clock;
use crate::ports::audit::AuditLog;
use crate::ports::fields::UserFieldRepository;
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
    /// Custom profile field definitions (U8).
    pub fields: Arc<dyn UserFieldRepository>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{NewGrant, Privilege, Scope, Subject};
    use crate::ids::{GrantId, GroupId, UserId};
    use crate::ports::PageRequest;
    use crate::ports::password::PlainPassword;
    use crate::services::testing::{Mocks, owner};

    fn assert_send<T: Send>(_: &T) {}

    /// HTTP servers run handlers on a work-stealing pool: every service future must be `Send`.
    #[test]
    fn service_futures_are_send() {
        let ports = Mocks::new().ports();
        let (users, groups, grants, me, audit) = (
            UserService::new(&ports),
            GroupService::new(&ports),
            GrantService::new(&ports),
            MeService::new(&ports),
            AuditService::new(&ports),
        );
        let a = owner();
        let (u, g) = (UserId::new(), GroupId::new());
        assert_send(&users.get(&a, u));
        assert_send(&users.list(&a, UserQuery::default(), PageRequest::default()));
        assert_send(&users.update(&a, u, UserPatch::default()));
        assert_send(&users.set_password(&a, u, PlainPassword::new("x")));
        assert_send(&users.delete(&a, u));
        assert_send(&groups.add_member(&a, g, u));
        assert_send(&groups.add_parent(&a, g, g));
        assert_send(&groups.delete(&a, g));
        let grant = NewGrant {
            subject: Subject::User(u),
            privilege: Privilege::UsersView,
            scope: Scope::All,
        };
        assert_send(&grants.create(&a, grant));
        assert_send(&grants.revoke(&a, GrantId::new()));
        assert_send(&me.profile(&a));
        assert_send(&audit.list(&a, Default::default(), PageRequest::default()));
        assert_send(&load_actor(u, ports.users.as_ref(), ports.grants.as_ref()));
    }
}
