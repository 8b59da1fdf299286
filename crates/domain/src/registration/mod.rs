//! Joining and signing in: self-registration (A), invitations (U5), password reset (U10),
//! sessions and login throttling (S), and the mail these flows send (M). Pure rules; the
//! ports they need are in `crate::ports::{registration, tokens, sessions, mail}`.

pub mod admission;
pub mod application;
pub mod availability;
pub mod code;
mod ct;
pub mod form;
pub mod login;
pub mod mail;
pub mod session;
pub mod settings;
pub mod status;
pub mod throttle;
pub mod token;
pub mod url;

pub use admission::{UrlRefusal, UsedCode, check_application_via_url};
pub use application::{
    Application, ApplicationError, ApplicationUpdate, PasswordHashString, check_open, is_stale,
    stale_cutoff,
};
pub use availability::check_login_id_available;
pub use code::{AuthCode, CodeError, CodeText};
pub use form::{ApplicationForm, ApplyCommand, RawPassword};
pub use login::{LoginFailure, LoginFailureCause, decide_login};
pub use mail::{
    EmailTemplate, MailKind, MailStatus, NotificationSettings, OutgoingMail, RetryPolicy,
    TemplateError, last_error_text,
};
pub use session::{Session, SessionPolicy, SessionRejection, SessionTouch, check_session};
pub use settings::{PurgeAfterDays, RegistrationSettings, TokenLifetimes};
pub use status::{ApplicationEvent, ApplicationStatus, Transition};
pub use throttle::{RetryAfter, ThrottleKey, ThrottlePolicy, Throttled};
pub use token::{
    OneTimeToken, PlainToken, TokenError, TokenHash, TokenPurpose, TokenSubject, check_redeem,
};
pub use url::{
    AuthCodes, CodeSpec, PublishPlan, RegistrationUrl, UrlError, UrlStatus, UrlToken, plan_publish,
};
