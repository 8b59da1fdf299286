//! Mail (M1–M4): the kinds of mail, their templates and variables, the notification
//! switches, and the message handed to the mail queue. Rendering and sending are the mail
//! adapter's.

pub mod delivery;
pub mod kind;
pub mod notifications;
pub mod outgoing;
pub mod template;

pub use delivery::{MailStatus, RetryPolicy, last_error_text};
pub use kind::MailKind;
pub use notifications::NotificationSettings;
pub use outgoing::OutgoingMail;
pub use template::{EmailTemplate, TemplateError, check_variables};
