//! The runner (O5): claims, completion, release, and failures that never stop a tick.

use super::testing::{JMocks, code_of, done, settings, t0};
use super::*;
use crate::Unexpected;
use crate::ports::jobs::{ClaimToken, DeliveryCounts, JobClaimError};
use crate::ports::sessions::SessionStoreError;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn o5_tick_runs_every_due_job_in_order_and_completes_each() {
    let mut m = JMocks::new();
    for kind in JobKind::ALL {
        m.completes(kind, 1);
    }
    m.purge
        .expect_users_due_for_grade_purge()
        .returning(|_, _| Ok(Vec::new()));
    m.settings.expect_get().returning(|| Ok(settings(Some(7))));
    m.applications.expect_delete_stale().returning(|_| Ok(2));
    m.tokens.expect_delete_expired().returning(|_| Ok(3));
    m.sessions.expect_delete_expired().returning(|_| Ok(4));
    m.throttle.expect_prune().returning(|_| Ok(1));
    m.mail
        .expect_deliver_due()
        .returning(|_, _| Ok(DeliveryCounts { sent: 6, failed: 9 }));
    let reports = m.runner(JobsConfig::default()).run_due(t0()).await;
    let got: Vec<_> = reports
        .iter()
        .map(|r| (r.kind, r.outcome.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (JobKind::ExpiryPurge, done(0)),
            (JobKind::StaleApplications, done(2)),
            (JobKind::ExpiredTokens, done(3)),
            (JobKind::ExpiredSessions, done(5)),
            (JobKind::MailQueue, done(6)),
        ]
    );
}

#[tokio::test]
async fn o5_job_held_elsewhere_or_not_due_is_not_run() {
    let mut m = JMocks::new();
    m.nothing_else_due();
    m.claims.expect_complete().times(0);
    m.claims.expect_release().times(0);
    m.records.expect_delete_scores_of().times(0);
    m.sessions.expect_delete_expired().times(0);
    m.mail.expect_deliver_due().times(0);
    let reports = m.runner(JobsConfig::default()).run_due(t0()).await;
    assert!(reports.iter().all(|r| r.outcome == JobOutcome::NotDue));
    assert_eq!(reports.len(), JobKind::ALL.len());
}

#[tokio::test]
async fn o5_a_claimed_job_is_not_run_by_a_second_runner() {
    let mut m = JMocks::new();
    let held = Arc::new(AtomicUsize::new(0));
    m.claims.expect_claim().returning(move |k, now, lease| {
        // The shared row: the first claim wins, later ones find it held.
        let first = held.fetch_add(1, Ordering::SeqCst) == 0;
        Ok(first.then(|| ClaimToken::new(k, now, lease)))
    });
    m.claims.expect_complete().times(1).returning(|_, _| Ok(()));
    m.sessions
        .expect_delete_expired()
        .times(1)
        .returning(|_| Ok(1));
    m.throttle.expect_prune().times(1).returning(|_| Ok(0));
    let ports = m.ports();
    let (a, b) = (
        JobRunner::new(ports.clone(), JobsConfig::default()),
        JobRunner::new(ports, JobsConfig::default()),
    );
    let kind = JobKind::ExpiredSessions;
    assert_eq!(a.run_one(kind, t0()).await.outcome, done(1));
    assert_eq!(b.run_one(kind, t0()).await.outcome, JobOutcome::NotDue);
}

#[tokio::test]
async fn o5_failed_job_releases_its_claim_and_the_others_still_run() {
    let mut m = JMocks::new();
    m.claimable(JobKind::ExpiredTokens);
    m.completes(JobKind::MailQueue, 1);
    m.nothing_else_due();
    m.tokens
        .expect_delete_expired()
        .returning(|_| Err(Unexpected::new("disk full").into()));
    m.claims
        .expect_release()
        .withf(|t| t.kind == JobKind::ExpiredTokens)
        .times(1)
        .returning(|_| Ok(()));
    m.mail
        .expect_deliver_due()
        .returning(|_, _| Ok(DeliveryCounts::default()));
    let reports = m.runner(JobsConfig::default()).run_due(t0()).await;
    assert_eq!(code_of(&reports[2].outcome), "unexpected");
    assert_eq!(reports[4].outcome, done(0));
}

#[tokio::test]
async fn o5_release_failure_is_reported_and_the_lease_named() {
    let mut m = JMocks::new();
    m.claimable(JobKind::ExpiredSessions);
    m.sessions
        .expect_delete_expired()
        .returning(|_| Err(SessionStoreError::Unexpected(Unexpected::new("gone"))));
    m.claims
        .expect_release()
        .times(1)
        .returning(|_| Err(JobClaimError::Unexpected(Unexpected::new("gone too"))));
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::ExpiredSessions, t0())
        .await;
    let JobOutcome::Failed { code, message } = report.outcome else {
        panic!("expected a failure");
    };
    assert_eq!(code, "unexpected");
    assert!(message.contains("releasing the claim failed"), "{message}");
    assert!(message.contains("lease"), "{message}");
}

#[tokio::test]
async fn o5_lost_claim_at_completion_is_reported() {
    let mut m = JMocks::new();
    m.claimable(JobKind::MailQueue);
    m.mail
        .expect_deliver_due()
        .returning(|_, _| Ok(DeliveryCounts::default()));
    m.claims
        .expect_complete()
        .returning(|_, _| Err(JobClaimError::Lost));
    m.claims.expect_release().times(0);
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::MailQueue, t0())
        .await;
    assert_eq!(code_of(&report.outcome), "job_claim_lost");
}

#[tokio::test]
async fn o5_claim_error_is_reported_without_running() {
    let mut m = JMocks::new();
    m.claims
        .expect_claim()
        .returning(|_, _, _| Err(JobClaimError::Unexpected(Unexpected::new("no db"))));
    m.mail.expect_deliver_due().times(0);
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::MailQueue, t0())
        .await;
    assert_eq!(code_of(&report.outcome), "unexpected");
}

#[test]
fn o5_runner_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let runner = JMocks::new().runner(JobsConfig::default());
    assert_send(&runner.run_due(t0()));
}
