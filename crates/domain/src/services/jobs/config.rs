//! The operator's job settings (U6, O5): what runs, how often, and how long a claim holds.

use crate::ports::jobs::JobKind;
use chrono::Duration;

/// How the scheduled jobs behave. Values below their floor are raised to it when used (an
/// interval or lease of zero would make instances fight over the jobs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobsConfig {
    /// U6: delete expired users' scores, as the seed product does. Default on; when off,
    /// the purge is never claimed nor run.
    pub purge_expired_grades: bool,
    /// How often the purge and clean-up jobs run. Default 1 hour; at least 1 minute.
    pub maintenance_interval: Duration,
    /// How often the mail queue is drained (M4). Default 1 minute; at least 1 second (tests run it every second).
    pub mail_interval: Duration,
    /// How long a claim holds a job before another instance may take it over (a crashed
    /// holder's job is not lost). Default 15 minutes, far above one run; at least 1 minute.
    pub lease: Duration,
    /// Users purged per batch. Default 100; at least 1.
    pub purge_batch: u32,
    /// Most purge batches in one run, so a run ends well inside its lease; the rest waits
    /// for the next run. Default 50; at least 1.
    pub purge_max_batches: u32,
    /// Mails sent per round. Default 100; at least 1.
    pub mail_batch: u32,
    /// Expired single-use links are kept this long, so a late click answers "expired"
    /// rather than "invalid" (U5, U10). Default 7 days; at least zero.
    pub token_retention: Duration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            purge_expired_grades: true,
            maintenance_interval: Duration::hours(1),
            mail_interval: Duration::minutes(1),
            lease: Duration::minutes(15),
            purge_batch: 100,
            purge_max_batches: 50,
            mail_batch: 100,
            token_retention: Duration::days(7),
        }
    }
}

impl JobsConfig {
    /// Whether the job runs at all. Only the purge has a switch here; the A7 purge is
    /// switched by the registration settings, read when it runs.
    pub fn enabled(&self, kind: JobKind) -> bool {
        match kind {
            JobKind::ExpiryPurge => self.purge_expired_grades,
            JobKind::StaleApplications
            | JobKind::ExpiredTokens
            | JobKind::ExpiredSessions
            | JobKind::MailQueue => true,
        }
    }

    /// Time from one run of `kind` to the next.
    pub fn interval(&self, kind: JobKind) -> Duration {
        match kind {
            JobKind::MailQueue => self.mail_interval.max(Duration::seconds(1)),
            JobKind::ExpiryPurge
            | JobKind::StaleApplications
            | JobKind::ExpiredTokens
            | JobKind::ExpiredSessions => self.maintenance_interval.max(Duration::minutes(1)),
        }
    }

    /// The claim lease.
    pub fn lease(&self) -> Duration {
        self.lease.max(Duration::minutes(1))
    }

    /// The purge batch size.
    pub fn purge_batch(&self) -> u32 {
        self.purge_batch.max(1)
    }

    /// The most purge batches per run.
    pub fn purge_max_batches(&self) -> u32 {
        self.purge_max_batches.max(1)
    }

    /// The mail batch size.
    pub fn mail_batch(&self) -> u32 {
        self.mail_batch.max(1)
    }

    /// How long expired links are kept.
    pub fn token_retention(&self) -> Duration {
        self.token_retention.max(Duration::zero())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o5_defaults_and_floors() {
        let c = JobsConfig::default();
        assert!(c.enabled(JobKind::ExpiryPurge));
        assert_eq!(c.interval(JobKind::MailQueue), Duration::minutes(1));
        assert_eq!(c.interval(JobKind::ExpiredTokens), Duration::hours(1));
        let silly = JobsConfig {
            purge_expired_grades: false,
            maintenance_interval: Duration::zero(),
            mail_interval: Duration::seconds(-5),
            lease: Duration::zero(),
            purge_batch: 0,
            purge_max_batches: 0,
            mail_batch: 0,
            token_retention: Duration::days(-1),
        };
        assert!(!silly.enabled(JobKind::ExpiryPurge));
        assert!(silly.enabled(JobKind::StaleApplications));
        assert_eq!(
            silly.interval(JobKind::ExpiredSessions),
            Duration::minutes(1)
        );
        assert_eq!(silly.interval(JobKind::MailQueue), Duration::seconds(1));
        assert_eq!(silly.lease(), Duration::minutes(1));
        assert_eq!(
            (
                silly.purge_batch(),
                silly.purge_max_batches(),
                silly.mail_batch()
            ),
            (1, 1, 1)
        );
        assert_eq!(silly.token_retention(), Duration::zero());
    }
}
