//! Each job's work (U6, A7, U5, S1, S3, M4) against mocked ports.

use super::testing::{JMocks, boom, code_of, done, due, settings, t0};
use super::*;
use crate::ids::UserId;
use crate::ports::jobs::DeliveryCounts;
use chrono::Duration;
use mockall::predicate::eq;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
