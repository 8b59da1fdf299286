//! Ending a transaction by its outcome: commit what succeeded, roll back what did not.

use crate::error::unexpected;
use roster_domain::Unexpected;
use sea_orm::DatabaseTransaction;

/// Commits `txn` when `outcome` is `Ok`, rolls it back otherwise, and returns the outcome.
/// A failed commit is unexpected; a failed rollback loses nothing (the server discards the
/// transaction with its connection), so the original error is the one returned.
pub(crate) async fn finish<T, E: From<Unexpected>>(
    txn: DatabaseTransaction,
    outcome: Result<T, E>,
) -> Result<T, E> {
    match outcome {
        Ok(value) => {
            txn.commit().await.map_err(unexpected)?;
            Ok(value)
        }
        Err(error) => {
            // Ignored on purpose: see above.
            let _rolled_back = txn.rollback().await;
            Err(error)
        }
    }
}
