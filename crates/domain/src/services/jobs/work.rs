//! What each job does once claimed: the U6 purge (in `purge`), and the clean-ups — stale
//! applications (A7), expired links, expired sessions and old login-failure counts (S1,
//! S3) — and the mail queue (M4). Each is one or two idempotent port calls.

use super::{Failure, JobRunner, Ran, purge};
use crate::ports::jobs::JobKind;
use crate::registration::{ThrottlePolicy, stale_cutoff};
use chrono::{DateTime, Duration, Utc};

impl JobRunner {
    pub(super) async fn work(&self, kind: JobKind, now: DateTime<Utc>) -> Result<Ran, Failure> {
        let p = &self.ports;
        match kind {
            JobKind::ExpiryPurge => {
                let purged = purge::purge_expired_grades(
                    p.purge.as_ref(),
                    p.records.as_ref(),
                    &self.config,
                    now,
                )
                .await?;
                Ok(Ran::Items(purged))
            }
            JobKind::StaleApplications => {
                // A7: the administrator's setting, read at each run, switches it.
                let settings = p.registration_settings.get().await?;
                match stale_cutoff(&settings, now) {
                    None => Ok(Ran::Off),
                    Some(cutoff) => Ok(Ran::Items(p.applications.delete_stale(cutoff).await?)),
                }
            }
            JobKind::ExpiredTokens => {
                let before = now - self.config.token_retention();
                Ok(Ran::Items(p.tokens.delete_expired(before).await?))
            }
            JobKind::ExpiredSessions => {
                let sessions = p.sessions.delete_expired(now).await?;
                let failures = p.throttle.prune(now - throttle_window()).await?;
                Ok(Ran::Items(sessions + failures))
            }
            JobKind::MailQueue => {
                let counts = p.mail.deliver_due(now, self.config.mail_batch()).await?;
                Ok(Ran::Items(counts.sent))
            }
        }
    }
}

/// S3: failures older than every throttle window no longer count anywhere.
pub(super) fn throttle_window() -> Duration {
    ThrottlePolicy::per_login_id()
        .window
        .max(ThrottlePolicy::per_address().window)
}
