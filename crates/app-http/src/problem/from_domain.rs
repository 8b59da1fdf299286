//! Each service error becomes an [`ApiError`]: most through their stable code alone; the
//! ones that carry more (per-field errors, a retry wait, a cause for the logs) explicitly.

use super::ApiError;
use roster_domain::services::{
    GrantServiceError, GroupServiceError, LoginError, MeError, SessionError, SettingsError,
    UserServiceError,
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

impl From<SettingsError> for ApiError {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::Invalid(fields) => Self::invalid(fields),
            SettingsError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}
