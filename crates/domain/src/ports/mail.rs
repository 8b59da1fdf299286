//! Ports of mail (M1–M4): the outgoing queue, the templates and the notification switches.
//!
//! M4 — a failed send never loses the state change: mail is queued, not sent, by the code
//! that changes state, and the queue lives in the same database. The state-changing ports
//! (`ApplicationRepository::create`/`transition`, `OneTimeTokenStore::issue`) take the
//! mails to queue and commit them in their own transaction; `MailQueue::enqueue` is for
//! mail with no state change attached. The mail adapter drains the queue, renders with the
//! current template, retries failures with back-off, and keeps failures visible.

use crate::Unexpected;
use crate::error::ErrorCode;
use crate::registration::{EmailTemplate, MailKind, NotificationSettings, OutgoingMail};

/// Failure of a mail port.
#[derive(Debug, thiserror::Error)]
pub enum MailStoreError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for MailStoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Queues mail for delivery (M1, M4).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait MailQueue: Send + Sync {
    /// Queues one mail; delivery happens later, with retries. Never fails because the mail
    /// server is down, only when the queue itself cannot be written. Errors: `Unexpected`.
    async fn enqueue(&self, mail: &OutgoingMail) -> Result<(), MailStoreError>;
}

/// Keeps the templates administrators saved (M2).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait TemplateStore: Send + Sync {
    /// The saved template of a kind, or `None` when the built-in one applies
    /// (`EmailTemplate::default_for`). Errors: `Unexpected`.
    async fn get(&self, kind: MailKind) -> Result<Option<EmailTemplate>, MailStoreError>;

    /// Saves a template already checked (shape, variables, and rendering by the adapter).
    /// Errors: `Unexpected`.
    async fn put(&self, template: &EmailTemplate) -> Result<(), MailStoreError>;

    /// Drops the saved template of a kind, so the built-in one applies again.
    /// Errors: `Unexpected`.
    async fn reset(&self, kind: MailKind) -> Result<(), MailStoreError>;
}

/// Keeps the notification switches (M3).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait NotificationSettingsStore: Send + Sync {
    /// The switches; all on when never saved. Errors: `Unexpected`.
    async fn get(&self) -> Result<NotificationSettings, MailStoreError>;

    /// Replaces the switches. Errors: `Unexpected`.
    async fn put(&self, settings: &NotificationSettings) -> Result<(), MailStoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn m2_unsaved_kind_falls_back_to_the_built_in_template() {
        let mut store = MockTemplateStore::new();
        store.expect_get().returning(|_| Ok(None));
        let kind = MailKind::Activation;
        let template = store
            .get(kind)
            .await
            .unwrap()
            .unwrap_or_else(|| EmailTemplate::default_for(kind));
        assert_eq!(template.kind(), kind);
        assert!(template.body().contains("{{ link }}"));
    }
}
