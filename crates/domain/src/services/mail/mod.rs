//! M1, M4: the mail dispatcher — drains the durable queue. Each due mail is claimed (one
//! dispatcher at a time), rendered with its kind's template in force (the saved one, else
//! the built-in one), handed to the transport, and settled: sent (its variables, which may
//! hold a link's token, are dropped), retried later with exponential back-off and the
//! error kept, or given up and kept for administrators to see. A send failure never
//! touches the state change that queued the mail.

#[cfg(test)]
mod tests;

use crate::error::ErrorCode;
use crate::ports::StoreError;
use crate::ports::delivery::{
    ClaimedMail, MailOutbox, MailTransport, RenderedMessage, Settlement, TransportError,
};
use crate::ports::jobs::{DeliveryCounts, MailDispatch};
use crate::ports::mail::{MailStoreError, TemplateStore};
use crate::ports::templates::TemplateRenderer;
use crate::registration::{EmailTemplate, RetryPolicy, last_error_text};
use chrono::{DateTime, Duration, Utc};
use std::fmt;
use std::sync::Arc;

/// The adapters the dispatcher uses.
#[derive(Clone)]
pub struct MailDispatchPorts {
    /// The queue's drain side.
    pub outbox: Arc<dyn MailOutbox>,
    /// Saved templates.
    pub templates: Arc<dyn TemplateStore>,
    /// The sandboxed template engine.
    pub renderer: Arc<dyn TemplateRenderer>,
    /// SMTP or the outbox folder.
    pub transport: Arc<dyn MailTransport>,
}

impl fmt::Debug for MailDispatchPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailDispatchPorts").finish_non_exhaustive()
    }
}

/// Drains the mail queue; the `MailDispatch` the mail-queue job drives.
#[derive(Debug, Clone)]
pub struct MailDispatcher {
    ports: MailDispatchPorts,
    retry: RetryPolicy,
    lease: Duration,
}

/// How long a claimed mail is held: far longer than one send (the SMTP adapter times out
/// well before), so only a crashed dispatcher's mail is taken over.
pub const DEFAULT_MAIL_LEASE_MINUTES: i64 = 10;

/// How one attempt ended, before it is recorded.
enum Attempt {
    Sent,
    Failed(TransportError),
}

impl MailDispatcher {
    /// A dispatcher with the default lease.
    pub fn new(ports: MailDispatchPorts, retry: RetryPolicy) -> Self {
        Self {
            ports,
            retry,
            lease: Duration::minutes(DEFAULT_MAIL_LEASE_MINUTES),
        }
    }

    async fn attempt(&self, claimed: &ClaimedMail) -> Result<Attempt, MailStoreError> {
        let mail = &claimed.mail;
        let kind = mail.kind();
        let template = self
            .ports
            .templates
            .get(kind)
            .await?
            .unwrap_or_else(|| EmailTemplate::default_for(kind));
        let rendered = match self.ports.renderer.render(&template, mail.variables()) {
            Ok(rendered) => rendered,
            // The template in force cannot render this mail's values (edited since it was
            // queued): kept and retried, so fixing the template delivers it.
            Err(e) => {
                return Ok(Attempt::Failed(TransportError::Transient(format!(
                    "the {kind} template does not render: {}",
                    e.code()
                ))));
            }
        };
        let message = RenderedMessage {
            id: claimed.claim.id,
            to: mail.to().clone(),
            subject: rendered.subject,
            body: rendered.body,
        };
        Ok(match self.ports.transport.send(&message).await {
            Ok(()) => Attempt::Sent,
            Err(e) => Attempt::Failed(e),
        })
    }

    fn settlement(&self, attempt: Attempt, number: u32, now: DateTime<Utc>) -> Settlement {
        match attempt {
            Attempt::Sent => Settlement::Sent { at: now },
            Attempt::Failed(TransportError::Permanent(e)) => Settlement::GiveUp {
                error: last_error_text(&e),
            },
            Attempt::Failed(TransportError::Transient(e)) => {
                let error = last_error_text(&e);
                match self.retry.next_attempt(number, now) {
                    Some(next_attempt_at) => Settlement::Retry {
                        next_attempt_at,
                        error,
                    },
                    None => Settlement::GiveUp {
                        error: format!("gave up after {number} attempts: {error}"),
                    },
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl MailDispatch for MailDispatcher {
    async fn deliver_due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<DeliveryCounts, StoreError> {
        let claimed = self
            .ports
            .outbox
            .claim_due(now, limit, self.lease)
            .await
            .map_err(unexpected)?;
        let mut counts = DeliveryCounts::default();
        for mail in claimed {
            let attempt = self.attempt(&mail).await.map_err(unexpected)?;
            let sent = matches!(attempt, Attempt::Sent);
            let settlement = self.settlement(attempt, mail.claim.attempt, now);
            // `false` (the claim was lost after its lease): the mail is another
            // dispatcher's now, and that one records its outcome.
            self.ports
                .outbox
                .settle(&mail.claim, &settlement)
                .await
                .map_err(unexpected)?;
            if sent {
                counts.sent += 1;
            } else {
                counts.failed += 1;
            }
        }
        Ok(counts)
    }
}

fn unexpected(e: MailStoreError) -> StoreError {
    match e {
        MailStoreError::Unexpected(u) => StoreError::Unexpected(u),
    }
}
