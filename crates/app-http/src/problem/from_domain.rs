//! Each service error becomes an [`ApiError`]: most through their stable code alone; the
//! ones that carry more (per-field errors, a retry wait, a cause for the logs) explicitly.

use super::ApiError;
use roster_domain::services::{
    AuditServiceError, GrantServiceError, GroupServiceError, IntegrationServiceError, JoiningError,
    LoginError, MeError, RecordServiceError, SessionError, SettingsError, UserServiceError,
};

impl From<UserServiceError> for ApiError {
    fn from(e: UserServiceError) -> Self {
        match e {
            UserServiceError::Invalid(fields) => Self::invalid(fields),
            UserServiceError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<AuditServiceError> for ApiError {
    fn from(e: AuditServiceError) -> Self {
        match e {
            AuditServiceError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<GroupServiceError> for ApiError {
    fn from(e: GroupServiceError) -> Self {
        match e {
            GroupServiceError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<GrantServiceError> for ApiError {
    fn from(e: GrantServiceError) -> Self {
        match e {
            GrantServiceError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<MeError> for ApiError {
    fn from(e: MeError) -> Self {
        match e {
            MeError::Invalid(fields) => Self::invalid(fields),
            MeError::Throttled(t) => Self::throttled(t.to_string(), t.0.seconds()),
            MeError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Throttled(t) => Self::throttled(t.to_string(), t.0.seconds()),
            LoginError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<SessionError> for ApiError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<JoiningError> for ApiError {
    fn from(e: JoiningError) -> Self {
        match e {
            JoiningError::Invalid(fields) => Self::invalid(fields),
            JoiningError::Throttled(t) => Self::throttled(t.to_string(), t.0.seconds()),
            JoiningError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<SettingsError> for ApiError {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::Invalid(fields) => Self::invalid(fields),
            SettingsError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<RecordServiceError> for ApiError {
    fn from(e: RecordServiceError) -> Self {
        match e {
            RecordServiceError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

impl From<IntegrationServiceError> for ApiError {
    fn from(e: IntegrationServiceError) -> Self {
        match e {
            IntegrationServiceError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}
