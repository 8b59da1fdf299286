//! Ports of mail delivery (M1, M4): the drain side of the durable queue ([`MailOutbox`])
//! and the transport that hands a rendered message to a mail server or an outbox folder
//! ([`MailTransport`]). `services::mail::MailDispatcher` drives both.
//!
//! Several instances may drain one queue: `claim_due` takes each mail with a conditional
//! write, so a mail is held by one dispatcher at a time; a claim is a lease, so a mail
//! held by a crashed instance becomes due again, and the claim's `attempt` fences the
//! settle of a dispatcher whose lease passed.

use super::{Page, PageRequest};
use crate::ports::mail::MailStoreError;
use crate::registration::{MailKind, MailStatus, OutgoingMail};
use crate::user::Email;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// Proof of holding one queued mail: its id and the attempt number the claim made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailClaim {
    /// The queued mail.
    pub id: Uuid,
    /// This attempt's number (1 for the first); settles with another number are refused.
    pub attempt: u32,
}

/// A mail claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    /// The claim to settle.
    pub claim: MailClaim,
    /// What to send.
    pub mail: OutgoingMail,
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Sent at this time: the adapter drops the variables (they may hold a link's token).
    Sent {
        /// When.
        at: DateTime<Utc>,
    },
    /// Failed; tried again at `next_attempt_at` (M4).
    Retry {
        /// When to try again.
        next_attempt_at: DateTime<Utc>,
        /// Why, one bounded line with no secret in it.
        error: String,
    },
    /// Failed for good: status `failed`, the variables dropped, kept for administrators.
    GiveUp {
        /// Why.
        error: String,
    },
}

/// A queued mail as administrators see it: never its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMailView {
    /// The queue row.
    pub id: Uuid,
    /// The recipient (as queued).
    pub recipient: String,
    /// The kind of mail.
    pub kind: MailKind,
    /// Where it stands.
    pub status: MailStatus,
    /// Attempts made.
    pub attempts: u32,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// When it is (or was last) due.
    pub next_attempt_at: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// Why the queue could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum MailListError {
    /// The page cursor is not one this store issued.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] crate::Unexpected),
}

impl crate::error::ErrorCode for MailListError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidCursor => "invalid_cursor",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// The drain side of the mail queue (the enqueue side is `ports::mail::MailQueue` and the
/// state-changing ports' transactions).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait MailOutbox: Send + Sync {
    /// Claims up to `limit` mails with status `queued` and `next_attempt_at <= now`, oldest
    /// due first: each with one conditional write that counts the attempt and moves
    /// `next_attempt_at` to `now + lease`, so no other dispatcher takes it meanwhile. A row
    /// that cannot be read back as a mail is given up with its reason, not returned.
    /// Errors: `Unexpected`.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<ClaimedMail>, MailStoreError>;

    /// Records how the claimed attempt ended, only while the claim holds (status `queued`,
    /// same attempt number). `false`: the claim was lost (another dispatcher took the
    /// mail over after the lease); nothing written. Errors: `Unexpected`.
    async fn settle(
        &self,
        claim: &MailClaim,
        settlement: &Settlement,
    ) -> Result<bool, MailStoreError>;

    /// The queue, newest first, optionally of one status (keyset pagination).
    /// Errors: `InvalidCursor`, `Unexpected`.
    async fn list(
        &self,
        status: Option<MailStatus>,
        page: &PageRequest,
    ) -> Result<Page<QueuedMailView>, MailListError>;
}

/// A message ready to hand over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMessage {
    /// The queue row, for the Message-ID (one id per mail, so a resent mail is recognisable
    /// as the same message).
    pub id: Uuid,
    /// The recipient.
    pub to: Email,
    /// One-line subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Why a transport did not deliver. Messages name the cause, never a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// Worth retrying: the server is unreachable, busy or answered 4xx.
    #[error("{0}")]
    Transient(String),
    /// Never going to work: the server refused the message or recipient for good (5xx).
    #[error("{0}")]
    Permanent(String),
}

/// M1: hands rendered mail to its destination (an SMTP server, or the outbox folder).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait MailTransport: Send + Sync {
    /// Delivers one message. Errors: `Transient`; `Permanent`.
    async fn send(&self, message: &RenderedMessage) -> Result<(), TransportError>;
}
