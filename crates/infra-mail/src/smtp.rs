//! M1: the SMTP transport (lettre on tokio, rustls). `ROSTER_SMTP_URL` says where and how:
//! `smtp://host:port` (plain), `smtp://host:port?tls=starttls` (STARTTLS required; also
//! lettre's `tls=required`, or `tls=opportunistic`), `smtps://host:port` (TLS from the
//! first byte), with `user:password@` for authentication. Failures are sorted into
//! transient (retried) and permanent (5xx: given up) for the queue.

use crate::message::{MailConfigError, Sender};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use roster_domain::ports::delivery::{MailTransport, RenderedMessage, TransportError};
use std::fmt;
use std::time::Duration;

/// One send gives up after this long: far below the dispatcher's claim lease.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends through an SMTP server.
#[derive(Clone)]
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    sender: Sender,
}

impl fmt::Debug for SmtpTransport {
    // Not the inner transport: it holds the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport").finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// A transport for `url` sending as `sender`. Connects lazily, at the first send.
    pub fn from_url(url: &str, sender: Sender) -> Result<Self, MailConfigError> {
        let url = url.replace("tls=starttls", "tls=required");
        let inner = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            // lettre's message names the scheme or TLS parameter, never the password.
            .map_err(|e| MailConfigError(format!("smtp_url is not usable: {e}")))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Self { inner, sender })
    }
}

#[async_trait::async_trait]
impl MailTransport for SmtpTransport {
    async fn send(&self, mail: &RenderedMessage) -> Result<(), TransportError> {
        let message = self.sender.message(mail)?;
        match self.inner.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(TransportError::Permanent(format!("smtp: {e}"))),
            Err(e) => Err(TransportError::Transient(format!("smtp: {e}"))),
        }
    }
}
