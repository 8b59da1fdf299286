//! U6: after a user's expiry the scheduled job deletes the user's grades (scores), as the
//! seed product does; the operator can turn it off (`JobsConfig::purge_expired_grades`).
//!
//! - Idempotent: a user is purged once per expiry. The store lists users whose expiry
//!   passed and whose scores were not yet purged *for that expiry*; after deleting, the job
//!   marks them. A crash between the two only means the next run deletes again (nothing
//!   left) and marks then.
//! - Extending the expiry restores login (U6), not the deleted grades: they are gone. If
//!   the user expires again later, the scores earned meanwhile are purged after that
//!   expiry in turn.
//! - Scores an integration moved to an expired target are deleted with the target's; a
//!   cancel still re-creates them from its snapshot for the source (I6).
//! - A user whose expiry is extended between the listing and the delete loses the scores
//!   anyway (the expiry had passed when read); the window is one batch long.

use super::Failure;
use super::config::JobsConfig;
use crate::ports::jobs::{DueGradePurge, ExpiryPurgeStore};
use crate::ports::records::LearningRecords;
use chrono::{DateTime, Utc};

/// Purges batch after batch until one comes back short or the run's batch budget is spent;
/// returns how many users were purged. A user that fails is skipped for the rest of its
/// batch; the run then stops and reports the first failure (the user stays due and is
/// retried next time).
pub(super) async fn purge_expired_grades(
    store: &dyn ExpiryPurgeStore,
    records: &dyn LearningRecords,
    config: &JobsConfig,
    now: DateTime<Utc>,
) -> Result<u64, Failure> {
    let batch = config.purge_batch();
    let mut purged = 0u64;
    for _ in 0..config.purge_max_batches() {
        let due = store.users_due_for_grade_purge(now, batch).await?;
        let full = due.len() >= batch as usize;
        let mut first_failure: Option<Failure> = None;
        for user in due {
            match purge_one(store, records, user).await {
                Ok(()) => purged += 1,
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        if let Some(failure) = first_failure {
            return Err(Failure {
                code: failure.code,
                message: format!("{} ({purged} users purged before)", failure.message),
            });
        }
        if !full {
            break;
        }
    }
    Ok(purged)
}

async fn purge_one(
    store: &dyn ExpiryPurgeStore,
    records: &dyn LearningRecords,
    due: DueGradePurge,
) -> Result<(), Failure> {
    records.delete_scores_of(due.user_id).await?;
    store
        .mark_grades_purged(due.user_id, due.expired_at)
        .await?;
    Ok(())
}
