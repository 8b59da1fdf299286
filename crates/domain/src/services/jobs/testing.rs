//! Test support for the jobs: every port mocked (a call with no expectation panics, so a
//! test that sets none for a job's work also proves the work never ran).

use super::JobOutcome;
use super::{JobPorts, JobRunner, JobsConfig};
use crate::Unexpected;
use crate::ids::UserId;
use crate::ports::StoreError;
use crate::ports::jobs::DueGradePurge;
use crate::ports::jobs::MockMailDispatch;
use crate::ports::jobs::{ClaimToken, JobKind, MockExpiryPurgeStore, MockJobClaims};
use crate::ports::records::MockLearningRecords;
use crate::ports::registration::{MockApplicationRepository, MockRegistrationSettingsStore};
use crate::ports::sessions::{MockLoginThrottleStore, MockSessionStore};
use crate::ports::tokens::MockOneTimeTokenStore;
use crate::registration::{PurgeAfterDays, RegistrationSettings};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;

/// The instant every job test runs at.
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 3, 0, 0).unwrap()
}

pub(crate) struct JMocks {
    pub claims: MockJobClaims,
    pub purge: MockExpiryPurgeStore,
    pub records: MockLearningRecords,
    pub applications: MockApplicationRepository,
    pub settings: MockRegistrationSettingsStore,
    pub tokens: MockOneTimeTokenStore,
    pub sessions: MockSessionStore,
    pub throttle: MockLoginThrottleStore,
    pub mail: MockMailDispatch,
}

impl JMocks {
    pub fn new() -> Self {
        Self {
            claims: MockJobClaims::new(),
            purge: MockExpiryPurgeStore::new(),
            records: MockLearningRecords::new(),
            applications: MockApplicationRepository::new(),
            settings: MockRegistrationSettingsStore::new(),
            tokens: MockOneTimeTokenStore::new(),
            sessions: MockSessionStore::new(),
            throttle: MockLoginThrottleStore::new(),
            mail: MockMailDispatch::new(),
        }
    }

    pub fn ports(self) -> JobPorts {
        JobPorts {
            claims: Arc::new(self.claims),
            purge: Arc::new(self.purge),
            records: Arc::new(self.records),
            applications: Arc::new(self.applications),
            registration_settings: Arc::new(self.settings),
            tokens: Arc::new(self.tokens),
            sessions: Arc::new(self.sessions),
            throttle: Arc::new(self.throttle),
            mail: Arc::new(self.mail),
        }
    }

    pub fn runner(self, config: JobsConfig) -> JobRunner {
        JobRunner::new(self.ports(), config)
    }

    /// `kind` is claimed (every time it is asked for) with a lease from `JobsConfig`.
    pub fn claimable(&mut self, kind: JobKind) {
        let lease = JobsConfig::default().lease();
        self.claims
            .expect_claim()
            .withf(move |k, now, l| *k == kind && *now == t0() && *l == lease)
            .returning(move |k, now, l| Ok(Some(ClaimToken::new(k, now, l))));
    }

    /// `kind` is claimed, then completed exactly `times` times with its next due time.
    pub fn completes(&mut self, kind: JobKind, times: usize) {
        self.claimable(kind);
        let next = t0() + JobsConfig::default().interval(kind);
        self.claims
            .expect_complete()
            .withf(move |t, due| t.kind == kind && *due == next)
            .times(times)
            .returning(|_, _| Ok(()));
    }

    /// Every other claim finds the job not due.
    pub fn nothing_else_due(&mut self) {
        self.claims.expect_claim().returning(|_, _, _| Ok(None));
    }
}

pub(crate) fn boom() -> StoreError {
    StoreError::Unexpected(Unexpected::new("database down"))
}

pub(crate) fn done(items: u64) -> JobOutcome {
    JobOutcome::Done { items }
}

pub(crate) fn code_of(outcome: &JobOutcome) -> &str {
    match outcome {
        JobOutcome::Failed { code, .. } => code,
        other => panic!("expected a failure, got {other:?}"),
    }
}

pub(crate) fn settings(purge_days: Option<u16>) -> RegistrationSettings {
    RegistrationSettings {
        self_registration: true,
        auto_approve: false,
        purge_not_activated_after: purge_days.map(|d| PurgeAfterDays::new(d).unwrap()),
    }
}

pub(crate) fn due(user: UserId) -> DueGradePurge {
    DueGradePurge {
        user_id: user,
        expired_at: t0() - Duration::days(1),
    }
}
