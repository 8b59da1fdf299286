//! The session service (S1–S3, C8, L1): logging in with a login ID and password, checking a
//! bearer token on every request, and logging out. Public flows: no actor.
//!
//! Login answers one `login_failed` for every failure (S2) after the same work — one
//! password verification, against a fixed dummy hash when there is no real one — and is
//! throttled per login ID and per client address before anything else (S3).

mod authenticate;
mod login;

#[cfg(test)]
mod tests;

pub use login::{ClientInfo, DUMMY_PASSWORD_HASH, LoginSuccess, SENTINEL_CREDENTIAL_ID};

use super::Ports;
use crate::clock::Clock;
use crate::error::{ErrorCode, Unexpected};
use crate::ports::StoreError;
use crate::ports::grants::GrantRepository;
use crate::ports::password::{HashError, PasswordHash, PasswordHasher};
use crate::ports::records::{AddRecordError, LearningRecords};
use crate::ports::sessions::{
    LoginThrottleStore, SessionStore, SessionStoreError, ThrottleStoreError,
};
use crate::ports::tokens::TokenGenerator;
use crate::ports::users::{CredentialStore, UserRepository};
use crate::registration::{
    LoginFailure, SessionPolicy, SessionRejection, ThrottlePolicy, Throttled,
};
use crate::services::actor::LoadActorError;
use std::fmt;
use std::sync::Arc;

/// Why a login did not give a session.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// S2: wrong login ID or password, or an account that cannot log in — one answer.
    #[error(transparent)]
    Failed(LoginFailure),
    /// S3: too many failures for this login ID or address; retry after the wait (HTTP 429).
    #[error(transparent)]
    Throttled(Throttled),
    /// The password hasher is saturated; retry shortly (HTTP 503). No failure is counted.
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// Compares the public answers; an unexpected failure equals nothing (its cause is opaque),
/// so callers and tests can check that two failures are the very same answer (S2).
impl PartialEq for LoginError {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Failed(a), Self::Failed(b)) => a == b,
            (Self::Throttled(a), Self::Throttled(b)) => a == b,
            (Self::Busy, Self::Busy) => true,
            (Self::Failed(_) | Self::Throttled(_) | Self::Busy | Self::Unexpected(_), _) => false,
        }
    }
}

impl ErrorCode for LoginError {
    fn code(&self) -> &'static str {
        match self {
            Self::Failed(e) => e.code(),
            Self::Throttled(e) => e.code(),
            Self::Busy => "busy",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        Unexpected::from(e).into()
    }
}

impl From<SessionStoreError> for LoginError {
    fn from(e: SessionStoreError) -> Self {
        match e {
            SessionStoreError::Unexpected(u) => u.into(),
        }
    }
}

impl From<ThrottleStoreError> for LoginError {
    fn from(e: ThrottleStoreError) -> Self {
        match e {
            ThrottleStoreError::Unexpected(u) => u.into(),
        }
    }
}

impl From<AddRecordError> for LoginError {
    fn from(e: AddRecordError) -> Self {
        match e {
            AddRecordError::Unexpected(u) => u.into(),
            // The user vanished between the check and the log, or the id clashed: either way
            // nothing the client can act on.
            other @ (AddRecordError::UserNotFound | AddRecordError::DuplicateId) => {
                Unexpected::new(other.to_string()).into()
            }
        }
    }
}

/// Why a bearer token was not accepted (HTTP 401, except `unexpected`).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No session has this token: never issued, logged out, or its user deleted (U7).
    #[error("the session is not valid")]
    Invalid,
    /// The session ended: idle or absolute timeout, or its user can no longer log in (S1, U6).
    #[error(transparent)]
    Rejected(SessionRejection),
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for SessionError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid => "session_invalid",
            Self::Rejected(r) => r.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for SessionError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<SessionStoreError> for SessionError {
    fn from(e: SessionStoreError) -> Self {
        match e {
            SessionStoreError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<LoadActorError> for SessionError {
    fn from(e: LoadActorError) -> Self {
        match e {
            // Deleted or deactivated while the request ran: the session is over.
            LoadActorError::UnknownUser | LoadActorError::Inactive => {
                Self::Rejected(SessionRejection::UserCannotLogIn)
            }
            LoadActorError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<HashError> for LoginError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::UnusableHash => Unexpected::new(HashError::UnusableHash).into(),
            HashError::Unexpected(u) => u.into(),
        }
    }
}

/// The stores sessions need besides [`Ports`].
#[derive(Clone)]
pub struct SessionPorts {
    /// Sessions by token hash.
    pub sessions: Arc<dyn SessionStore>,
    /// Login failure counters.
    pub throttle: Arc<dyn LoginThrottleStore>,
    /// Bearer secrets.
    pub tokens: Arc<dyn TokenGenerator>,
    /// The access log (L1: logins to Roster are logged there).
    pub records: Arc<dyn LearningRecords>,
}

impl fmt::Debug for SessionPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionPorts").finish_non_exhaustive()
    }
}

/// Session lifetimes, throttling, and the dummy hash of logins without a real one.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Idle and absolute timeouts (S1).
    pub policy: SessionPolicy,
    /// Failures allowed per login ID (S3).
    pub per_login_id: ThrottlePolicy,
    /// Failures allowed per client address (S3).
    pub per_address: ThrottlePolicy,
    /// S2: verified when the user is unknown or has no password, so those logins cost what
    /// a wrong password costs. It must be a hash the hasher verifies at the cost of a current
    /// hash: [`DUMMY_PASSWORD_HASH`] matches the recommended argon2id parameters
    /// (m=19456, t=2, p=1); a host hashing with other parameters passes a hash of a random
    /// password made at start-up with its own hasher instead.
    pub dummy_hash: PasswordHash,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            policy: SessionPolicy::default(),
            per_login_id: ThrottlePolicy::per_login_id(),
            per_address: ThrottlePolicy::per_address(),
            dummy_hash: PasswordHash::new(DUMMY_PASSWORD_HASH),
        }
    }
}

/// Logs in, checks sessions and logs out.
#[derive(Clone)]
pub struct SessionService {
    users: Arc<dyn UserRepository>,
    credentials: Arc<dyn CredentialStore>,
    grants: Arc<dyn GrantRepository>,
    hasher: Arc<dyn PasswordHasher>,
    clock: Arc<dyn Clock>,
    stores: SessionPorts,
    config: SessionConfig,
}

impl fmt::Debug for SessionService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionService").finish_non_exhaustive()
    }
}

impl SessionService {
    /// The service over these ports and settings.
    pub fn new(ports: &Ports, stores: SessionPorts, config: SessionConfig) -> Self {
        Self {
            users: ports.users.clone(),
            credentials: ports.credentials.clone(),
            grants: ports.grants.clone(),
            hasher: ports.hasher.clone(),
            clock: ports.clock.clone(),
            stores,
            config,
        }
    }
}
