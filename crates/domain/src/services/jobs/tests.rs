//! The runner (O5) and each job (U6, A7, S1, S3, M4) against mocked ports.

use super::testing::{JMocks, t0};
use super::*;
use crate::Unexpected;
use crate::ids::UserId;
use crate::ports::StoreError;
use crate::ports::jobs::{ClaimToken, DeliveryCounts, DueGradePurge, JobClaimError};
use crate::ports::sessions::SessionStoreError;
use crate::registration::{PurgeAfterDays, RegistrationSettings};
use chrono::Duration;
use mockall::predicate::eq;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn boom() -> StoreError {
    StoreError::Unexpected(Unexpected::new("database down"))
}

fn done(items: u64) -> JobOutcome {
    JobOutcome::Done { items }
}

fn code_of(outcome: &JobOutcome) -> &str {
    match outcome {
        JobOutcome::Failed { code, .. } => code,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn settings(purge_days: Option<u16>) -> RegistrationSettings {
    RegistrationSettings {
        self_registration: true,
        auto_approve: false,
        purge_not_activated_after: purge_days.map(|d| PurgeAfterDays::new(d).unwrap()),
    }
}

fn due(user: UserId) -> DueGradePurge {
    DueGradePurge {
        user_id: user,
        expired_at: t0() - Duration::days(1),
    }
}

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

#[tokio::test]
async fn u6_purge_switched_off_is_never_claimed_nor_run() {
    let mut m = JMocks::new();
    m.claims.expect_claim().times(0);
    m.purge.expect_users_due_for_grade_purge().times(0);
    m.records.expect_delete_scores_of().times(0);
    let config = JobsConfig {
        purge_expired_grades: false,
        ..JobsConfig::default()
    };
    let report = m.runner(config).run_one(JobKind::ExpiryPurge, t0()).await;
    assert_eq!(report.outcome, JobOutcome::Disabled);
}

#[tokio::test]
async fn u6_purge_deletes_each_due_users_scores_and_marks_that_expiry() {
    let (alice, bob) = (UserId::new(), UserId::new());
    let mut m = JMocks::new();
    m.completes(JobKind::ExpiryPurge, 1);
    m.purge
        .expect_users_due_for_grade_purge()
        .with(eq(t0()), eq(100))
        .times(1)
        .returning(move |_, _| Ok(vec![due(alice), due(bob)]));
    for user in [alice, bob] {
        m.records
            .expect_delete_scores_of()
            .with(eq(user))
            .times(1)
            .returning(|_| Ok(5));
        m.purge
            .expect_mark_grades_purged()
            .with(eq(user), eq(t0() - Duration::days(1)))
            .times(1)
            .returning(|_, _| Ok(()));
    }
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::ExpiryPurge, t0())
        .await;
    assert_eq!(report.outcome, done(2));
}

/// A store that behaves as the port says: marked users are no longer due.
fn honest_store(m: &mut JMocks, users: Vec<UserId>) -> Arc<Mutex<BTreeSet<UserId>>> {
    let marked = Arc::new(Mutex::new(BTreeSet::new()));
    let seen = marked.clone();
    m.purge
        .expect_users_due_for_grade_purge()
        .returning(move |_, limit| {
            let marked = seen.lock().unwrap();
            let due_now = users.iter().filter(|u| !marked.contains(*u));
            Ok(due_now.take(limit as usize).map(|u| due(*u)).collect())
        });
    marked
}

#[tokio::test]
async fn u6_purge_is_idempotent_across_runs() {
    let users = vec![UserId::new(), UserId::new(), UserId::new()];
    let mut m = JMocks::new();
    m.completes(JobKind::ExpiryPurge, 2);
    let marked = honest_store(&mut m, users.clone());
    let writer = marked.clone();
    m.purge.expect_mark_grades_purged().returning(move |u, _| {
        writer.lock().unwrap().insert(u);
        Ok(())
    });
    for user in &users {
        m.records
            .expect_delete_scores_of()
            .with(eq(*user))
            .times(1)
            .returning(|_| Ok(1));
    }
    let runner = m.runner(JobsConfig::default());
    let first = runner.run_one(JobKind::ExpiryPurge, t0()).await;
    let second = runner.run_one(JobKind::ExpiryPurge, t0()).await;
    assert_eq!((first.outcome, second.outcome), (done(3), done(0)));
    assert_eq!(marked.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn u6_purge_crash_between_delete_and_mark_is_retried() {
    let user = UserId::new();
    let mut m = JMocks::new();
    m.claimable(JobKind::ExpiryPurge);
    let marked = honest_store(&mut m, vec![user]);
    m.records
        .expect_delete_scores_of()
        .times(2)
        .returning(|_| Ok(0));
    let attempts = AtomicUsize::new(0);
    let writer = marked.clone();
    m.purge.expect_mark_grades_purged().returning(move |u, _| {
        if attempts.fetch_add(1, Ordering::SeqCst) == 0 {
            return Err(boom());
        }
        writer.lock().unwrap().insert(u);
        Ok(())
    });
    m.claims.expect_release().times(1).returning(|_| Ok(()));
    m.claims.expect_complete().times(1).returning(|_, _| Ok(()));
    let runner = m.runner(JobsConfig::default());
    let first = runner.run_one(JobKind::ExpiryPurge, t0()).await;
    assert_eq!(code_of(&first.outcome), "unexpected");
    let second = runner.run_one(JobKind::ExpiryPurge, t0()).await;
    assert_eq!(second.outcome, done(1));
    assert!(marked.lock().unwrap().contains(&user));
}

#[tokio::test]
async fn u6_purge_pages_through_batches_within_its_budget() {
    let users: Vec<UserId> = (0..7).map(|_| UserId::new()).collect();
    let mut m = JMocks::new();
    m.claimable(JobKind::ExpiryPurge);
    m.claims.expect_complete().times(2).returning(|_, _| Ok(()));
    let marked = honest_store(&mut m, users);
    let writer = marked.clone();
    m.purge.expect_mark_grades_purged().returning(move |u, _| {
        writer.lock().unwrap().insert(u);
        Ok(())
    });
    m.records.expect_delete_scores_of().returning(|_| Ok(1));
    let config = JobsConfig {
        purge_batch: 2,
        purge_max_batches: 3,
        ..JobsConfig::default()
    };
    let runner = m.runner(config);
    let first = runner.run_one(JobKind::ExpiryPurge, t0()).await;
    assert_eq!(
        first.outcome,
        done(6),
        "three batches of two, then the budget ends"
    );
    let second = runner.run_one(JobKind::ExpiryPurge, t0()).await;
    assert_eq!(second.outcome, done(1), "the short batch ends the run");
}

#[tokio::test]
async fn a7_stale_applications_are_deleted_at_the_configured_cutoff() {
    let mut m = JMocks::new();
    m.completes(JobKind::StaleApplications, 1);
    m.settings.expect_get().returning(|| Ok(settings(Some(14))));
    m.applications
        .expect_delete_stale()
        .with(eq(t0() - Duration::days(14)))
        .times(1)
        .returning(|_| Ok(4));
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::StaleApplications, t0())
        .await;
    assert_eq!(report.outcome, done(4));
}

#[tokio::test]
async fn a7_setting_off_deletes_nothing_and_still_completes() {
    let mut m = JMocks::new();
    m.completes(JobKind::StaleApplications, 1);
    m.settings.expect_get().returning(|| Ok(settings(None)));
    m.applications.expect_delete_stale().times(0);
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::StaleApplications, t0())
        .await;
    assert_eq!(report.outcome, JobOutcome::Disabled);
}

#[tokio::test]
async fn u5_expired_links_are_kept_for_the_retention_then_deleted() {
    let mut m = JMocks::new();
    m.completes(JobKind::ExpiredTokens, 1);
    m.tokens
        .expect_delete_expired()
        .with(eq(t0() - Duration::days(7)))
        .times(1)
        .returning(|_| Ok(8));
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::ExpiredTokens, t0())
        .await;
    assert_eq!(report.outcome, done(8));
}

#[tokio::test]
async fn s1_s3_expired_sessions_and_old_failures_are_deleted() {
    let mut m = JMocks::new();
    m.completes(JobKind::ExpiredSessions, 1);
    m.sessions
        .expect_delete_expired()
        .with(eq(t0()))
        .times(1)
        .returning(|_| Ok(2));
    m.throttle
        .expect_prune()
        .with(eq(t0() - Duration::hours(1)))
        .times(1)
        .returning(|_| Ok(3));
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::ExpiredSessions, t0())
        .await;
    assert_eq!(report.outcome, done(5));
}

#[tokio::test]
async fn m4_mail_round_reports_sent_and_failed_sends_are_not_job_failures() {
    let mut m = JMocks::new();
    m.completes(JobKind::MailQueue, 1);
    m.mail
        .expect_deliver_due()
        .with(eq(t0()), eq(100))
        .times(1)
        .returning(|_, _| Ok(DeliveryCounts { sent: 3, failed: 2 }));
    let report = m
        .runner(JobsConfig::default())
        .run_one(JobKind::MailQueue, t0())
        .await;
    assert_eq!(report.outcome, done(3));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["kind"], "mail_queue");
    assert_eq!(json["outcome"]["status"], "done");
}

#[test]
fn o5_runner_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let runner = JMocks::new().runner(JobsConfig::default());
    assert_send(&runner.run_due(t0()));
}
