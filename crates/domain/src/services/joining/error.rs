//! The one error of the joining flows, each variant with its stable code, and how port
//! errors map into it.

use crate::authz::{Denied, EscalationError};
use crate::error::{ErrorCode, FieldError, Unexpected};
use crate::ports::StoreError;
use crate::ports::mail::MailStoreError;
use crate::ports::password::HashError;
use crate::ports::registration::{
    ApplicationRepositoryError, CreateApplicationError, RegistrationSettingsError, TransitionError,
    UrlRepositoryError,
};
use crate::ports::sessions::ThrottleStoreError;
use crate::ports::tokens::{RedeemError, TokenStoreError};
use crate::registration::{
    ApplicationError, ApplicationStatus, TemplateError, Throttled, TokenError, UrlError, UrlRefusal,
};
use crate::user::password::PasswordError;
use crate::user::rules::UserRuleError;

/// Why a joining step was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum JoiningError {
    /// P4: out of scope (`not_found`) or not allowed (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// P5, U3: the user holds more than the actor, or the groups joined would hand out
    /// grants the actor could not give.
    #[error(transparent)]
    Escalation(#[from] EscalationError),
    /// U2, U3, I7: a user rule.
    #[error(transparent)]
    Rule(#[from] UserRuleError),
    /// U5: only a `pending` user can be invited.
    #[error("only a pending user can be invited")]
    NotPending,
    /// U5: an invitation goes by email; the user has none.
    #[error("the user has no email address to send the invitation to")]
    EmailRequired,
    /// A single-use link was refused: `token_invalid` or `token_expired`.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// Fields that do not pass: the form (A2), custom fields (U8), the password policy.
    #[error("{} field(s) are invalid", .0.len())]
    Invalid(Vec<FieldError>),
    /// A1–A6: `registration_closed`, `login_id_taken`, `application_not_activated`…
    #[error(transparent)]
    Application(#[from] ApplicationError),
    /// A5: the registration URL or its code refuses the application.
    #[error(transparent)]
    Url(#[from] UrlRefusal),
    /// A5: the codes of a URL are not acceptable.
    #[error(transparent)]
    Codes(#[from] UrlError),
    /// A5: the group got a URL meanwhile.
    #[error("the group already has a registration URL")]
    UrlExists,
    /// A4: someone else decided the application first; it is now in this status.
    #[error("the application was changed meanwhile; it is now {0}")]
    StatusChanged(ApplicationStatus),
    /// The password hasher is saturated; retry shortly.
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// S3, A6: too many failed applications from this client address (429, Retry-After).
    #[error(transparent)]
    Throttled(#[from] Throttled),
    /// A bulk call names more items than one call may (`max`).
    #[error("too many items in one call (at most {max})")]
    TooManyItems {
        /// The most one call accepts.
        max: usize,
    },
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for JoiningError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::Escalation(e) => e.code(),
            Self::Rule(e) => e.code(),
            Self::NotPending => "not_pending",
            Self::EmailRequired => "email_required",
            Self::Token(e) => e.code(),
            Self::Invalid(_) => "validation_failed",
            Self::Application(e) => e.code(),
            Self::Url(e) => e.code(),
            Self::Codes(e) => e.code(),
            Self::UrlExists => "registration_url_exists",
            Self::StatusChanged(_) => "application_status_changed",
            Self::Busy => "busy",
            Self::Throttled(e) => e.code(),
            Self::TooManyItems { .. } => "too_many_items",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Errors that only ever carry an unexpected cause.
macro_rules! unexpected_only {
    ($($ty:ident),+ $(,)?) => {$(
        impl From<$ty> for JoiningError {
            fn from(e: $ty) -> Self {
                match e {
                    $ty::Unexpected(cause) => Self::Unexpected(cause),
                }
            }
        }
    )+};
}

unexpected_only!(
    StoreError,
    TokenStoreError,
    MailStoreError,
    RegistrationSettingsError,
    ThrottleStoreError,
    ApplicationRepositoryError,
);

impl From<HashError> for JoiningError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::UnusableHash => Self::Unexpected(Unexpected::new(HashError::UnusableHash)),
            HashError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<PasswordError> for JoiningError {
    fn from(e: PasswordError) -> Self {
        Self::Invalid(vec![FieldError::of("password", &e)])
    }
}

impl From<RedeemError> for JoiningError {
    fn from(e: RedeemError) -> Self {
        match e {
            RedeemError::Refused(t) => Self::Token(t),
            RedeemError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<CreateApplicationError> for JoiningError {
    fn from(e: CreateApplicationError) -> Self {
        match e {
            CreateApplicationError::LoginIdTaken => ApplicationError::LoginIdTaken.into(),
            CreateApplicationError::Url(r) => Self::Url(r),
            CreateApplicationError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<TransitionError> for JoiningError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::NotFound => Denied::NotFound.into(),
            TransitionError::StatusChanged { current } => Self::StatusChanged(current),
            TransitionError::LoginIdTaken => ApplicationError::LoginIdTaken.into(),
            TransitionError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<UrlRepositoryError> for JoiningError {
    fn from(e: UrlRepositoryError) -> Self {
        match e {
            // A group deleted meanwhile reads as any absent object (P4).
            UrlRepositoryError::NotFound | UrlRepositoryError::UnknownGroup => {
                Denied::NotFound.into()
            }
            UrlRepositoryError::GroupHasUrl => Self::UrlExists,
            UrlRepositoryError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<TemplateError> for JoiningError {
    /// A mail built with a variable its kind does not offer is a bug here, not the client's.
    fn from(e: TemplateError) -> Self {
        Self::Unexpected(Unexpected::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u5_a4_codes_are_stable() {
        assert_eq!(JoiningError::NotPending.code(), "not_pending");
        assert_eq!(JoiningError::EmailRequired.code(), "email_required");
        assert_eq!(
            JoiningError::from(TokenError::Invalid).code(),
            "token_invalid"
        );
        let raced = TransitionError::StatusChanged {
            current: ApplicationStatus::Approved,
        };
        assert_eq!(
            JoiningError::from(raced).code(),
            "application_status_changed"
        );
        assert_eq!(
            JoiningError::from(CreateApplicationError::LoginIdTaken).code(),
            "login_id_taken"
        );
        assert_eq!(
            JoiningError::from(UrlRepositoryError::GroupHasUrl).code(),
            "registration_url_exists"
        );
        assert_eq!(JoiningError::from(HashError::Busy).code(), "busy");
    }
}
