//! `ImportJobs` (C6): create, read, progress, outcome.

use super::fixtures::now;
use roster_domain::csv::{ImportMode, ImportOptions};
use roster_domain::ids::{ImportJobId, UserId};
use roster_domain::ports::imports::{
    ImportJob, ImportJobs, ImportOutcome, ImportPhase, ImportProgress, JobRowError,
};
use roster_infra_db::Store;

async fn c6_job_progress_and_outcome_are_kept(store: Store) {
    let mut options = ImportOptions::new(ImportMode::Upsert);
    options.skip_invalid = true;
    let job = ImportJob {
        id: ImportJobId::new(),
        started_by: UserId::new(),
        options,
        created_at: now(),
        progress: ImportProgress {
            phase: ImportPhase::Queued,
            processed: 0,
            total: None,
        },
        outcome: None,
    };
    store.create(&job).await.unwrap();
    assert_eq!(store.get(job.id).await.unwrap(), Some(job.clone()));

    let progress = ImportProgress {
        phase: ImportPhase::Writing,
        processed: 1_000,
        total: Some(2_500),
    };
    store.update_progress(job.id, &progress).await.unwrap();
    let read = store.get(job.id).await.unwrap().unwrap();
    assert_eq!(read.progress, progress);
    assert_eq!(read.outcome, None);

    let outcome = ImportOutcome::Completed {
        processed: 2_500,
        created: 2_000,
        updated: 499,
        invalid_rows: 1,
        errors: vec![JobRowError {
            line: 7,
            column: "email".into(),
            code: "invalid_email".into(),
            message: "not a valid email address".into(),
        }],
        errors_omitted: 0,
    };
    store.finish(job.id, &outcome).await.unwrap();
    let done = store.get(job.id).await.unwrap().unwrap();
    assert_eq!(done.outcome, Some(outcome));
    assert_eq!(done.progress, progress);
    assert_eq!(
        (done.options, done.created_at),
        (job.options, job.created_at)
    );

    let failed = ImportOutcome::Failed {
        code: "busy".into(),
    };
    store.finish(job.id, &failed).await.unwrap();
    assert_eq!(
        store.get(job.id).await.unwrap().unwrap().outcome,
        Some(failed)
    );
}

/// C6: an unknown job reads as `None`; progress for a job gone meanwhile is not an error.
async fn c6_unknown_job_is_none_and_its_progress_ignored(store: Store) {
    let id = ImportJobId::new();
    assert_eq!(store.get(id).await.unwrap(), None);
    let progress = ImportProgress {
        phase: ImportPhase::Validating,
        processed: 1,
        total: None,
    };
    store.update_progress(id, &progress).await.unwrap();
    assert_eq!(store.get(id).await.unwrap(), None);
}

on_every_backend!(
    c6_job_progress_and_outcome_are_kept,
    c6_unknown_job_is_none_and_its_progress_ignored
);
