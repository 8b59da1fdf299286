//! Write transactions: how they begin, and how they end by their outcome.

use crate::error::unexpected;
use roster_domain::Unexpected;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
/// "database is locked" when another writer committed in between, instead of waiting for
/// it. The other backends ignore the mode.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

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
