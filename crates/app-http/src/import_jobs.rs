//! Import job records with their progress kept in memory while the job runs (C6).
//!
//! Why: an all-or-nothing import holds one write transaction from its first chunk to its
//! last; on SQLite (one writer at a time) a progress update on another connection would wait
//! for that very transaction — the import would block on itself. So progress lives in this
//! process while the job runs and is read from here by `GET /imports/{id}`; the database gets
//! the job when it is created, and its last progress and outcome when it ends (after the
//! import's transaction is over). Another server process sees a running job as queued, and
//! its outcome once it ends.

use roster_domain::ids::ImportJobId;
use roster_domain::ports::StoreError;
use roster_domain::ports::imports::{ImportJob, ImportJobs, ImportOutcome, ImportProgress};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// [`ImportJobs`] over a store, with live progress in memory.
pub struct LiveImportJobs {
    store: Arc<dyn ImportJobs>,
    live: Mutex<HashMap<ImportJobId, ImportProgress>>,
}

impl fmt::Debug for LiveImportJobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveImportJobs").finish_non_exhaustive()
    }
}

impl LiveImportJobs {
    /// Jobs stored in `store`.
    pub fn new(store: Arc<dyn ImportJobs>) -> Self {
        Self {
            store,
            live: Mutex::new(HashMap::new()),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<ImportJobId, ImportProgress>> {
        // The map holds plain values: a panic elsewhere cannot leave it half-updated.
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait::async_trait]
impl ImportJobs for LiveImportJobs {
    async fn create(&self, job: &ImportJob) -> Result<(), StoreError> {
        self.store.create(job).await?;
        self.live().insert(job.id, job.progress);
        Ok(())
    }

    async fn get(&self, id: ImportJobId) -> Result<Option<ImportJob>, StoreError> {
        let mut job = self.store.get(id).await?;
        if let (Some(job), Some(progress)) = (job.as_mut(), self.live().get(&id)) {
            job.progress = *progress;
        }
        Ok(job)
    }

    async fn update_progress(
        &self,
        id: ImportJobId,
        progress: &ImportProgress,
    ) -> Result<(), StoreError> {
        self.live().insert(id, *progress);
        Ok(())
    }

    async fn finish(&self, id: ImportJobId, outcome: &ImportOutcome) -> Result<(), StoreError> {
        let last = self.live().get(&id).copied();
        if let Some(progress) = last {
            self.store.update_progress(id, &progress).await?;
        }
        self.store.finish(id, outcome).await?;
        self.live().remove(&id);
        Ok(())
    }
}

impl LiveImportJobs {
    /// The progress of a job running in this process (the CLI's progress bar).
    pub fn progress(&self, id: ImportJobId) -> Option<ImportProgress> {
        self.live().get(&id).copied()
    }
}
