//! Scheduled jobs (U6, A7, M4, O5), the orchestration side: one tick claims each due job,
//! runs it, and records completion — or releases the claim on failure so the next tick
//! retries. The loop and its timers live in the binary (`serve`, `jobs run`).
//!
//! - O5: each job runs on one instance at a time — `JobClaims::claim` is a conditional
//!   write on a shared row — and a crashed holder's lease runs out, so no job is lost.
//! - Every job is idempotent: running it twice (a lease taken over mid-run, a retry after a
//!   failed completion) does no harm.
//! - Never panics: every failure becomes a [`JobOutcome::Failed`] report for the logs.
//! - Not audited: Z1 records what administrators change; these are the system's own
//!   routine, with no acting user. The reports (kind, items, errors) go to the structured
//!   logs instead.

mod config;
mod purge;
mod work;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod work_tests;

pub use config::JobsConfig;

use crate::error::ErrorCode;
use crate::ports::jobs::{ExpiryPurgeStore, JobClaims, JobKind, MailDispatch};
use crate::ports::records::LearningRecords;
use crate::ports::registration::{ApplicationRepository, RegistrationSettingsStore};
use crate::ports::sessions::{LoginThrottleStore, SessionStore};
use crate::ports::tokens::OneTimeTokenStore;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// The adapters the jobs use.
#[derive(Clone)]
pub struct JobPorts {
    /// O5: who holds which job.
    pub claims: Arc<dyn JobClaims>,
    /// U6: who is due for the grade purge.
    pub purge: Arc<dyn ExpiryPurgeStore>,
    /// U6: the scores to delete.
    pub records: Arc<dyn LearningRecords>,
    /// A7: the applications.
    pub applications: Arc<dyn ApplicationRepository>,
    /// A7: whether, and after how many days.
    pub registration_settings: Arc<dyn RegistrationSettingsStore>,
    /// Single-use links.
    pub tokens: Arc<dyn OneTimeTokenStore>,
    /// Sessions.
    pub sessions: Arc<dyn SessionStore>,
    /// Login-failure counts.
    pub throttle: Arc<dyn LoginThrottleStore>,
    /// M4: the mail queue's dispatcher.
    pub mail: Arc<dyn MailDispatch>,
}

impl fmt::Debug for JobPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobPorts").finish_non_exhaustive()
    }
}

/// How one job fared in one tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JobOutcome {
    /// Switched off (configuration, or the A7 setting); nothing deleted.
    Disabled,
    /// Not claimed: not due yet, or another instance holds it.
    NotDue,
    /// Ran. `items`: users purged (U6), applications, links or sessions and failure
    /// counts deleted, or mails sent (a failed send is retried by the queue, M4, and is
    /// not a job failure).
    Done {
        /// How many things it handled.
        items: u64,
    },
    /// Failed, or ran but its completion was not recorded; the claim was released (or its
    /// lease runs out), so a later tick retries.
    Failed {
        /// The stable code of the cause.
        code: String,
        /// What happened, for the logs.
        message: String,
    },
}

/// One job's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobReport {
    /// The job.
    pub kind: JobKind,
    /// How it fared.
    pub outcome: JobOutcome,
}

/// A job's failure: a stable code and a message for the logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    code: &'static str,
    message: String,
}

impl<E: ErrorCode + fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// What a job's work came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ran {
    /// It handled this many things.
    Items(u64),
    /// Its setting is off; it did nothing.
    Off,
}

/// Runs the due jobs.
#[derive(Clone)]
pub struct JobRunner {
    ports: JobPorts,
    config: JobsConfig,
}

impl fmt::Debug for JobRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobRunner")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl JobRunner {
    /// A runner over these ports with this configuration.
    pub fn new(ports: JobPorts, config: JobsConfig) -> Self {
        Self { ports, config }
    }

    /// One tick at `now`: every job in [`JobKind::ALL`] order, each claimed, run and
    /// completed on its own; one job's failure never stops the others.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Vec<JobReport> {
        let mut reports = Vec::with_capacity(JobKind::ALL.len());
        for kind in JobKind::ALL {
            reports.push(self.run_one(kind, now).await);
        }
        reports
    }

    /// One job at `now`, if enabled and due and nobody else holds it.
    pub async fn run_one(&self, kind: JobKind, now: DateTime<Utc>) -> JobReport {
        JobReport {
            kind,
            outcome: self.outcome(kind, now).await,
        }
    }

    async fn outcome(&self, kind: JobKind, now: DateTime<Utc>) -> JobOutcome {
        if !self.config.enabled(kind) {
            return JobOutcome::Disabled;
        }
        let claims = &self.ports.claims;
        let token = match claims.claim(kind, now, self.config.lease()).await {
            Ok(Some(token)) => token,
            Ok(None) => return JobOutcome::NotDue,
            Err(e) => return failed(Failure::from(e)),
        };
        match self.work(kind, now).await {
            Ok(ran) => {
                let next_due = now + self.config.interval(kind);
                match claims.complete(&token, next_due).await {
                    Ok(()) => match ran {
                        Ran::Items(items) => JobOutcome::Done { items },
                        Ran::Off => JobOutcome::Disabled,
                    },
                    Err(e) => failed(Failure {
                        code: e.code(),
                        message: format!("the job ran but its completion was not recorded: {e}"),
                    }),
                }
            }
            Err(failure) => match claims.release(&token).await {
                Ok(()) => failed(failure),
                Err(e) => failed(Failure {
                    code: failure.code,
                    message: format!(
                        "{}; releasing the claim failed too ({e}), so the job waits for its \
                         lease to end at {}",
                        failure.message, token.leased_until
                    ),
                }),
            },
        }
    }
}

fn failed(failure: Failure) -> JobOutcome {
    JobOutcome::Failed {
        code: failure.code.to_owned(),
        message: failure.message,
    }
}
