//! `cancel` (I6, I10): the integration's new state and the return of its records in one
//! transaction.
//!
//! The integration row is locked and its state written conditionally (`WHERE state =
//! 'live'`), so of two racing cancels exactly one proceeds; the other finds it cancelled.
//! The rows to restore are their state as the integration left them when neither account's
//! record version moved since (read locked, so none can move until the end), else they are
//! read inside the transaction; the writes are guarded by the values expected either way,
//! so the cancel plan cannot be stale.

use super::entities::integration;
use super::plans;
use crate::convert::{micros, stored_instant};
use crate::error::unexpected;
use crate::records::{
    Lock, WriteError, bump_versions, current_rows, held_ids, read_versions, write_record_changes,
};
use crate::store::Store;
use crate::tx::begin_write;
use chrono::{DateTime, Utc};
use roster_domain::Unexpected;
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::integration::{
    Integration, IntegrationEvent, IntegrationState, UndoRecord, check_cancel_order, plan_cancel,
};
use roster_domain::ports::integrations::{CancelError, CancelOutcome};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

fn db_error(error: DbErr) -> CancelError {
    CancelError::Unexpected(unexpected(error))
}

fn write_error(error: WriteError) -> CancelError {
    match error {
        WriteError::Stale(detail) => CancelError::Unexpected(Unexpected::new(format!(
            "the records changed while they were being returned; try again: {detail}"
        ))),
        WriteError::Db(e) => db_error(e),
    }
}

async fn load(txn: &DatabaseTransaction, id: IntegrationId) -> Result<Integration, CancelError> {
    let row = integration::Entity::find_by_id(id.as_uuid())
        .lock_exclusive()
        .one(txn)
        .await
        .map_err(db_error)?
        .ok_or(CancelError::NotFound)?;
    Ok(Integration::try_from(row)?)
}

/// Writes the cancelled state, only while the integration is still live.
async fn mark_cancelled(
    txn: &DatabaseTransaction,
    integration: &Integration,
) -> Result<(), CancelError> {
    let column = |name: &'static str| Alias::new(name);
    let update = Query::update()
        .table(column("integrations"))
        .value(column("state"), IntegrationState::Cancelled.as_str())
        .value(column("live_source_id"), Option::<uuid::Uuid>::None)
        .value(column("cancelled_at"), integration.cancelled_at.map(micros))
        .value(
            column("cancelled_by"),
            integration.cancelled_by.map(|u| u.as_uuid()),
        )
        .and_where(Expr::col(column("id")).eq(integration.id.as_uuid()))
        .and_where(Expr::col(column("state")).eq(IntegrationState::Live.as_str()))
        .to_owned();
    let updated = txn
        .execute(&update)
        .await
        .map_err(db_error)?
        .rows_affected();
    if updated == 1 {
        return Ok(());
    }
    // Lost a race: the winner's state says why.
    let now = load(txn, integration.id).await?;
    Err(match now.state {
        IntegrationState::Frozen => CancelError::Frozen,
        IntegrationState::Cancelled | IntegrationState::Live => CancelError::AlreadyCancelled,
    })
}

/// The undo records of the live integrations into the same target made after `integration`.
async fn later_live(
    txn: &DatabaseTransaction,
    integration: &Integration,
) -> Result<Vec<(IntegrationId, UndoRecord)>, CancelError> {
    let rows = integration::Entity::find()
        .filter(integration::Column::TargetUserId.eq(integration.target_user_id.as_uuid()))
        .filter(integration::Column::State.eq(IntegrationState::Live.as_str()))
        .filter(integration::Column::Id.ne(integration.id.as_uuid()))
        .all(txn)
        .await
        .map_err(db_error)?;
    let ours = (micros(integration.integrated_at), integration.id.as_uuid());
    let mut later = Vec::new();
    for row in rows.into_iter().filter(|r| (r.integrated_at, r.id) > ours) {
        let id = IntegrationId::from_uuid(row.id);
        later.push((id, plans::load(txn, id).await?.0.undo()));
    }
    Ok(later)
}

impl Store {
    /// `IntegrationRepository::cancel`.
    pub(super) async fn cancel_integration(
        &self,
        id: IntegrationId,
        at: DateTime<Utc>,
        by: UserId,
    ) -> Result<CancelOutcome, CancelError> {
        let txn = begin_write(self.db()).await.map_err(db_error)?;
        let mut integration = load(&txn, id).await?;
        integration.handle(IntegrationEvent::Cancel, stored_instant(at), by)?;
        mark_cancelled(&txn, &integration).await?;
        let (plan, applied) = plans::load(&txn, id).await?;
        let undo = plan.undo();
        let later = later_live(&txn, &integration).await?;
        check_cancel_order(&undo, later.iter().map(|(id, undo)| (*id, undo)))?;
        let users = [undo.source_user_id, undo.target_user_id];
        let now = read_versions(&txn, &users, Lock::ForUpdate)
            .await
            .map_err(db_error)?;
        let untouched = Some(applied.0) == now.get(&users[0]).copied()
            && Some(applied.1) == now.get(&users[1]).copied();
        let (current, held) = if untouched {
            // Neither account's records were written since the integration (the versions
            // stay locked): every row it touched is as it left it.
            let held = held_ids(&txn, &users).await.map_err(db_error)?;
            (plan.applied_rows(), held)
        } else {
            current_rows(&txn, &undo).await?
        };
        let cancel = plan_cancel(&undo, &current);
        write_record_changes(&txn, cancel.changes(), &held)
            .await
            .map_err(write_error)?;
        bump_versions(&txn, &users).await.map_err(db_error)?;
        txn.commit().await.map_err(db_error)?;
        Ok(CancelOutcome {
            integration,
            summary: cancel.summary(),
        })
    }
}
