//! Roster's mail adapter (M1–M4): the sandboxed template renderer and the transports the
//! domain's `MailDispatcher` hands rendered mail to.
//!
//! - [`MiniJinjaRenderer`] implements `roster_domain::ports::templates::TemplateRenderer`.
//! - [`SmtpTransport`] (lettre, STARTTLS or TLS when configured) and [`FileOutbox`] (one
//!   `.eml` per message) implement `roster_domain::ports::delivery::MailTransport`;
//!   [`transport`] picks one from the configuration.

mod message;
mod outbox;
mod render;
mod smtp;
#[cfg(feature = "test-support")]
pub mod testing;

pub use message::{MailConfigError, Sender};
pub use outbox::FileOutbox;
pub use render::MiniJinjaRenderer;
pub use smtp::SmtpTransport;

use roster_domain::ports::delivery::MailTransport;
use std::path::Path;
use std::sync::Arc;

/// M1: SMTP when `smtp_url` is set, else the file outbox in `outbox_dir`; both send as
/// `from`. Errors: an unusable `from` or `smtp_url`.
pub fn transport(
    smtp_url: Option<&str>,
    outbox_dir: &Path,
    from: &str,
) -> Result<Arc<dyn MailTransport>, MailConfigError> {
    let sender = Sender::parse(from)?;
    Ok(match smtp_url {
        Some(url) => Arc::new(SmtpTransport::from_url(url, sender)?),
        None => Arc::new(FileOutbox::new(outbox_dir, sender)),
    })
}
