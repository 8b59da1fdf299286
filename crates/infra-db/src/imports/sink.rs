//! `ImportSink` (C4): the write pass of an import, in one transaction for all-or-nothing or
//! one per chunk with `skip_invalid`.

use super::write::write_chunk_in;
use crate::error::store_error;
use crate::store::Store;
use crate::tx::begin_write;
use roster_domain::ports::StoreError;
use roster_domain::ports::imports::{
    ImportSink, ImportTxn, ImportWriteError, LineWrite, WriteMode,
};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

#[async_trait::async_trait]
impl ImportSink for Store {
    async fn begin(&self, mode: WriteMode) -> Result<Box<dyn ImportTxn>, StoreError> {
        Ok(Box::new(StoreImportTxn {
            db: self.db().clone(),
            mode,
            open: None,
        }))
    }
}

/// An open write pass. In `AllOrNothing` the transaction starts with the first chunk rather
/// than at `begin`: the service reads its first lookups after `begin`, and an in-memory
/// SQLite pool has a single connection, which an open transaction would hold. Nothing is
/// written before the first chunk, so starting then changes nothing else.
struct StoreImportTxn {
    db: DatabaseConnection,
    mode: WriteMode,
    /// The all-or-nothing transaction, once a chunk went into it.
    open: Option<DatabaseTransaction>,
}

#[async_trait::async_trait]
impl ImportTxn for StoreImportTxn {
    async fn write_chunk(&mut self, rows: &[LineWrite]) -> Result<(), ImportWriteError> {
        if rows.is_empty() {
            return Ok(());
        }
        match self.mode {
            WriteMode::PerChunk => write_chunk_in(&self.db, rows).await,
            WriteMode::AllOrNothing => {
                let txn = match self.open.take() {
                    Some(txn) => txn,
                    None => begin_write(&self.db)
                        .await
                        .map_err(crate::error::unexpected)?,
                };
                let written = write_chunk_in(&txn, rows).await;
                // Kept open either way: after a refusal the service drops the pass, which
                // rolls everything back; earlier chunks stay pending meanwhile.
                self.open = Some(txn);
                written
            }
        }
    }

    async fn commit(&mut self) -> Result<(), StoreError> {
        match self.open.take() {
            Some(txn) => txn.commit().await.map_err(store_error),
            None => Ok(()),
        }
    }
}
