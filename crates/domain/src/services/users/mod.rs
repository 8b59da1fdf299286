//! The user service (U2–U7, P3–P5): registering, reading and listing, editing, enabling and
//! disabling, expiry, passwords and deletion — each decided before any write, and every
//! change (or refusal) audited (Z1).

mod attributes;
mod delete;
mod password;
mod read;
mod register;
mod status;
mod update;

pub use read::UserQuery;
pub use register::RegisterUser;
pub use update::UserPatch;

use super::Ports;
use super::audit::Auditor;
use super::guard::{GroupRefusal, target_user};
use crate::authz::{Actor, Denied, EscalationError, Privilege, Target, TargetUser};
use crate::authz::{authorize, check_may_manage};
use crate::clock::Clock;
use crate::error::{ErrorCode, FieldError, Unexpected};
use crate::group::graph::GroupGraph;
use crate::ids::{GroupId, UserId};
use crate::ports::StoreError;
use crate::ports::fields::UserFieldRepository;
use crate::ports::grants::GrantRepository;
use crate::ports::groups::GroupRepository;
use crate::ports::password::{HashError, PasswordHasher};
use crate::ports::users::UserWriteError;
use crate::ports::users::{CreateUserError, CredentialError, CredentialStore, UserRepository};
use crate::user::User;
use crate::user::password::PasswordError;
use crate::user::rules::{self, UserRuleError};
use std::fmt;
use std::sync::Arc;

/// Why a user operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum UserServiceError {
    /// P4: out of scope (`not_found`) or not allowed (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// P5, U3: the user holds more than the actor, or is the owner.
    #[error(transparent)]
    Escalation(#[from] EscalationError),
    /// U2, U3, I7, P3: a user rule.
    #[error(transparent)]
    Rule(#[from] UserRuleError),
    /// Fields that do not pass (the password policy, custom fields — U8).
    #[error("{} field(s) are invalid", .0.len())]
    Invalid(Vec<FieldError>),
    /// U1: the login ID is held by another user.
    #[error("the login ID is already taken")]
    LoginIdTaken,
    /// A group does not exist or is out of the actor's view.
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// P3: a scoped administrator puts every new user in at least one group of its scope.
    #[error("choose at least one group: users in no group are outside your scope")]
    GroupRequired,
    /// The user changed since it was read; reload and retry.
    #[error("the user was changed by someone else; reload and retry")]
    Conflict,
    /// The password hasher is saturated; retry shortly.
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for UserServiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::Escalation(e) => e.code(),
            Self::Rule(e) => e.code(),
            Self::Invalid(_) => "validation_failed",
            Self::LoginIdTaken => "login_id_taken",
            Self::UnknownGroup(_) => "unknown_group",
            Self::GroupRequired => "group_required",
            Self::Conflict => "conflict",
            Self::Busy => "busy",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for UserServiceError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<CreateUserError> for UserServiceError {
    fn from(e: CreateUserError) -> Self {
        match e {
            CreateUserError::LoginIdTaken => Self::LoginIdTaken,
            CreateUserError::UnknownGroup(g) => Self::UnknownGroup(g),
            CreateUserError::OwnerExists => Self::Rule(UserRuleError::OwnerExists),
            CreateUserError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<UserWriteError> for UserServiceError {
    fn from(e: UserWriteError) -> Self {
        match e {
            UserWriteError::NotFound => Self::Denied(Denied::NotFound),
            UserWriteError::Conflict => Self::Conflict,
            UserWriteError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<CredentialError> for UserServiceError {
    fn from(e: CredentialError) -> Self {
        match e {
            CredentialError::NotFound => Self::Denied(Denied::NotFound),
            CredentialError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<HashError> for UserServiceError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::UnusableHash => Self::Unexpected(Unexpected::new(HashError::UnusableHash)),
            HashError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<PasswordError> for UserServiceError {
    fn from(e: PasswordError) -> Self {
        Self::Invalid(vec![FieldError::of("password", &e)])
    }
}

impl From<GroupRefusal> for UserServiceError {
    fn from(r: GroupRefusal) -> Self {
        match r {
            GroupRefusal::Denied(d) => Self::Denied(d),
            GroupRefusal::UnknownGroup(g) => Self::UnknownGroup(g),
        }
    }
}

/// Users, as administrators and the users themselves act on them.
#[derive(Clone)]
pub struct UserService {
    users: Arc<dyn UserRepository>,
    credentials: Arc<dyn CredentialStore>,
    groups: Arc<dyn GroupRepository>,
    grants: Arc<dyn GrantRepository>,
    hasher: Arc<dyn PasswordHasher>,
    fields: Arc<dyn UserFieldRepository>,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for UserService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserService").finish_non_exhaustive()
    }
}

impl UserService {
    /// The service over these ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            users: ports.users.clone(),
            credentials: ports.credentials.clone(),
            groups: ports.groups.clone(),
            grants: ports.grants.clone(),
            hasher: ports.hasher.clone(),
            fields: ports.fields.clone(),
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
            clock: ports.clock.clone(),
        }
    }

    /// The user and the decision's view of it; `not_found` when absent.
    async fn load(&self, id: UserId) -> Result<(User, TargetUser), UserServiceError> {
        let user = self.users.get(id).await?.ok_or(Denied::NotFound)?;
        let groups = self.users.direct_groups(id).await?;
        let target = target_user(&user, groups);
        Ok((user, target))
    }

    /// P4, U3, P5: `users.edit` over the user, only the owner touches the owner, and the user
    /// holds nothing the actor lacks.
    async fn check_manage(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        user: &User,
        target: &TargetUser,
    ) -> Result<(), UserServiceError> {
        authorize(
            actor,
            graph,
            Privilege::UsersEdit,
            &Target::User(target.clone()),
        )?;
        rules::check_owner_edit(actor.user_id, user)?;
        let held = self.grants.grants_for_user(user.id).await?;
        check_may_manage(actor, graph, target, &held)?;
        Ok(())
    }
}

/// The words a password must not be built from (U1): the user's login ID, name and email.
fn user_inputs(user: &User) -> [&str; 3] {
    [
        user.login_id.as_str(),
        user.name.as_str(),
        user.email.as_ref().map_or("", |e| e.as_str()),
    ]
}
