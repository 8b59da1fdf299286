//! Ports of the scheduled jobs (U6, A7, M4, O5): the claims that let several instances share
//! one database and still run each due job once, the bookkeeping of the expiry purge, and
//! the mail dispatcher the mail-queue job drives.
//!
//! The loop and its timers live in the binary; the domain's `services::jobs::JobRunner`
//! decides what one tick does with these ports.

use super::StoreError;
use crate::error::{ErrorCode, Unexpected};
use crate::ids::UserId;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// A scheduled job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// U6: deletes the scores of expired users.
    ExpiryPurge,
    /// A7: deletes applications left `not_activated` past the configured days.
    StaleApplications,
    /// Deletes single-use links long expired (U5, A2, U10).
    ExpiredTokens,
    /// Deletes sessions past their absolute expiry and old login-failure counts (S1, S3).
    ExpiredSessions,
    /// M4: delivers queued mail, retrying failures with back-off.
    MailQueue,
}

/// An unknown job word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown job {0:?}")]
pub struct JobKindError(pub String);

impl ErrorCode for JobKindError {
    fn code(&self) -> &'static str {
        "unknown_job"
    }
}

impl JobKind {
    /// Every job, in the order a tick runs them.
    pub const ALL: [Self; 5] = [
        Self::ExpiryPurge,
        Self::StaleApplications,
        Self::ExpiredTokens,
        Self::ExpiredSessions,
        Self::MailQueue,
    ];

    /// The storage and log word (the claim row's key).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ExpiryPurge => "expiry_purge",
            Self::StaleApplications => "stale_applications",
            Self::ExpiredTokens => "expired_tokens",
            Self::ExpiredSessions => "expired_sessions",
            Self::MailQueue => "mail_queue",
        }
    }

    /// Parses the storage word exactly.
    pub fn parse(raw: &str) -> Result<Self, JobKindError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| JobKindError(raw.to_owned()))
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Proof of holding a job until `leased_until`. `claim_id` is fresh for every claim, so an
/// instance whose lease passed and was taken over cannot complete or release the new
/// holder's claim (a fencing token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimToken {
    /// The job held.
    pub kind: JobKind,
    /// This claim's unique id.
    pub claim_id: Uuid,
    /// When the lease ends and another instance may take the job over.
    pub leased_until: DateTime<Utc>,
}

impl ClaimToken {
    /// A fresh claim of `kind` leased for `lease` from `now` (for adapters).
    pub fn new(kind: JobKind, now: DateTime<Utc>, lease: Duration) -> Self {
        Self {
            kind,
            claim_id: Uuid::now_v7(),
            leased_until: now + lease,
        }
    }
}

/// Why a claim operation failed.
#[derive(Debug, thiserror::Error)]
pub enum JobClaimError {
    /// The claim is no longer held by this token: its lease passed and another instance took
    /// the job over. Nothing written.
    #[error("the job's lease passed and another instance took it over")]
    Lost,
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for JobClaimError {
    fn code(&self) -> &'static str {
        match self {
            Self::Lost => "job_claim_lost",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// O5: one row per job kind in the shared database (`kind`, `next_due_at`, `claim_id`,
/// `leased_until`), so each due job runs on one instance at a time.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait JobClaims: Send + Sync {
    /// Takes the job when it is due (`next_due_at <= now`, or never run) and nobody holds it
    /// (no claim, or a claim whose `leased_until <= now` — a crashed holder's lease is taken
    /// over). One conditional write (`UPDATE … WHERE` on the row, or `SELECT … FOR UPDATE
    /// SKIP LOCKED`), so of two instances claiming at once at most one gets `Some`.
    /// `None`: not due, or held. Errors: `Unexpected`.
    async fn claim(
        &self,
        kind: JobKind,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<ClaimToken>, JobClaimError>;

    /// The job ran: clears the claim and sets `next_due_at = next_due`, only while `token`
    /// still holds it. Errors: `Lost` (taken over; nothing written), `Unexpected`.
    async fn complete(
        &self,
        token: &ClaimToken,
        next_due: DateTime<Utc>,
    ) -> Result<(), JobClaimError>;

    /// The job failed: clears the claim and leaves `next_due_at` as it was, so the next tick
    /// retries, only while `token` still holds it. Errors: `Lost`, `Unexpected`.
    async fn release(&self, token: &ClaimToken) -> Result<(), JobClaimError>;
}

/// U6: an expired user whose scores have not been purged since this expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueGradePurge {
    /// The user.
    pub user_id: UserId,
    /// The expiry that passed (the user's `expires_at` when read).
    pub expired_at: DateTime<Utc>,
}

/// U6: which expired users still hold scores to purge. The adapter keeps, per user, the
/// expiry its scores were last purged for; a later expiry (after an extension) is due again.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ExpiryPurgeStore: Send + Sync {
    /// Up to `limit` users whose `expires_at <= now` and whose scores were not purged for
    /// that `expires_at` yet, oldest expiry first. The owner never expires (U3), so never
    /// appears. Errors: `Unexpected`.
    async fn users_due_for_grade_purge(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DueGradePurge>, StoreError>;

    /// Records that `user`'s scores were purged for the expiry `expired_at`; the user is no
    /// longer due until its expiry changes. Idempotent; a deleted user is not an error.
    /// Errors: `Unexpected`.
    async fn mark_grades_purged(
        &self,
        user: UserId,
        expired_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// What one dispatch round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryCounts {
    /// Mails handed to the server (or written to the outbox).
    pub sent: u64,
    /// Mails that failed this time; they stay queued with a later retry time (M4).
    pub failed: u64,
}

/// M1, M4: delivers queued mail: renders each with the current template, sends it, and on
/// failure keeps it with a back-off retry time and its last error, visible. Implemented by
/// `services::mail::MailDispatcher` over the `ports::delivery` ports.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait MailDispatch: Send + Sync {
    /// Sends up to `limit` mails due at `now`. A send failure is counted, not returned.
    /// Errors: `Unexpected` when the queue itself cannot be read or written.
    async fn deliver_due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<DeliveryCounts, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o5_job_words_round_trip() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()).unwrap(), kind);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{kind}\""));
        }
        assert_eq!(
            JobKind::parse("Mail_Queue").unwrap_err().code(),
            "unknown_job"
        );
    }

    #[test]
    fn o5_each_claim_has_its_own_fencing_id() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let a = ClaimToken::new(JobKind::MailQueue, now, Duration::minutes(5));
        let b = ClaimToken::new(JobKind::MailQueue, now, Duration::minutes(5));
        assert_ne!(a.claim_id, b.claim_id);
        assert_eq!(a.leased_until, now + Duration::minutes(5));
        assert_eq!(JobClaimError::Lost.code(), "job_claim_lost");
    }
}
