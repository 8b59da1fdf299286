//! `apply` (I10): an integration and its plan's row changes in one transaction.
//!
//! Races are settled inside the transaction, never by read-then-write across calls:
//! - both users' rows are locked first (`FOR UPDATE`; SQLite serialises writers anyway), in
//!   id order so two integrations of one pair cannot deadlock, which queues concurrent
//!   integrations of the same users one behind the other;
//! - the integration row's `live_source_id` has a unique index, so of two live integrations
//!   of one source only one can ever be committed (`SourceAlreadyIntegrated`);
//! - the records must be the ones the plan was made from: when both accounts' record versions
//!   (read locked) are still the ones the plan was read at, they are, and nothing more is
//!   read; otherwise the records are read again and planned again, and a plan other than
//!   the caller's means they changed since the preview (`Conflict`). Each write is guarded
//!   by the values it expects (see `records::write`), and moves check their row counts.

use super::entities::integration;
use super::plans;
use super::row::model_of;
use crate::error::{is_unique_on, unexpected};
use crate::records::{
    HeldRows, Lock, WriteError, bump_versions, read_versions, records_of, write_record_changes,
};
use crate::store::Store;
use crate::tx::begin_write;
use roster_domain::ids::UserId;
use roster_domain::integration::{
    Integration, IntegrationPlan, IntegrationState, RecordsVersion, plan_integration,
};
use roster_domain::ports::integrations::ApplyError;
use roster_domain::user::UserStatus;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockType, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait};

fn db_error(error: DbErr) -> ApplyError {
    if is_unique_on(&error, "live_source") {
        ApplyError::SourceAlreadyIntegrated
    } else {
        ApplyError::Unexpected(unexpected(error))
    }
}

fn write_error(error: WriteError) -> ApplyError {
    match error {
        WriteError::Stale(detail) => {
            tracing::info!(%detail, "integration refused: records changed since the plan");
            ApplyError::Conflict
        }
        WriteError::Db(e) => db_error(e),
    }
}

/// Locks both users and returns their stored statuses (`None`: no such user).
async fn lock_statuses(
    txn: &DatabaseTransaction,
    source: UserId,
    target: UserId,
) -> Result<(Option<String>, Option<String>), ApplyError> {
    let id = || Alias::new("id");
    let query = Query::select()
        .columns([id(), Alias::new("status")])
        .from(Alias::new("users"))
        .and_where(Expr::col(id()).is_in([source.as_uuid(), target.as_uuid()]))
        .order_by(id(), Order::Asc)
        .lock(LockType::Update)
        .to_owned();
    let (mut source_status, mut target_status) = (None, None);
    for row in txn.query_all(&query).await.map_err(db_error)? {
        let user: uuid::Uuid = row.try_get("", "id").map_err(db_error)?;
        let status: String = row.try_get("", "status").map_err(db_error)?;
        if user == source.as_uuid() {
            source_status = Some(status);
        } else if user == target.as_uuid() {
            target_status = Some(status);
        }
    }
    Ok((source_status, target_status))
}

/// Whether an integration exists where `column` is `user` (and, when given, in `state`).
pub(crate) async fn exists(
    conn: &impl ConnectionTrait,
    column: &'static str,
    user: UserId,
    state: Option<IntegrationState>,
) -> Result<bool, DbErr> {
    let mut query = Query::select();
    query
        .expr(Expr::val(1))
        .from(Alias::new("integrations"))
        .and_where(Expr::col(Alias::new(column)).eq(user.as_uuid()))
        .limit(1);
    if let Some(state) = state {
        query.and_where(Expr::col(Alias::new("state")).eq(state.as_str()));
    }
    Ok(conn.query_one(&query).await?.is_some())
}

/// Steps 1–2 of `apply`: the users and the chain rules, then the integration row.
async fn claim_source(
    txn: &DatabaseTransaction,
    plan: &IntegrationPlan,
    integration: &Integration,
) -> Result<(), ApplyError> {
    let (source, target) = (integration.source_user_id, integration.target_user_id);
    let same_pair = plan.source_user_id() == source && plan.target_user_id() == target;
    if !same_pair || source == target || !integration.is_live() {
        return Err(ApplyError::Conflict);
    }
    let statuses = lock_statuses(txn, source, target).await?;
    let invalid = Some(UserStatus::Invalid.as_str().to_owned());
    let valid = Some(UserStatus::Valid.as_str().to_owned());
    if statuses != (invalid, valid) {
        return Err(ApplyError::Conflict);
    }
    let live = Some(IntegrationState::Live);
    if exists(txn, "live_source_id", source, None)
        .await
        .map_err(db_error)?
    {
        return Err(ApplyError::SourceAlreadyIntegrated);
    }
    if exists(txn, "live_source_id", target, None)
        .await
        .map_err(db_error)?
    {
        return Err(ApplyError::TargetIsSource);
    }
    if exists(txn, "target_user_id", source, live)
        .await
        .map_err(db_error)?
    {
        return Err(ApplyError::SourceIsTarget);
    }
    let row = integration::ActiveModel::from(model_of(integration)?);
    integration::Entity::insert(row)
        .exec_without_returning(txn)
        .await
        .map_err(db_error)?;
    Ok(())
}

impl Store {
    /// `IntegrationRepository::apply`.
    pub(super) async fn apply_integration(
        &self,
        plan: &IntegrationPlan,
        integration: &Integration,
    ) -> Result<(), ApplyError> {
        let txn = begin_write(self.db()).await.map_err(db_error)?;
        claim_source(&txn, plan, integration).await?;
        let (source, target) = (plan.source_user_id(), plan.target_user_id());
        let users = [source, target];
        let now = read_versions(&txn, &users, Lock::ForUpdate)
            .await
            .map_err(db_error)?;
        let unchanged =
            plan.read_versions() == (now.get(&source).copied(), now.get(&target).copied());
        let held = if unchanged {
            // Both versions are the ones the plan was read at, and stay locked: the records
            // are the plan's input, so planning again would give the same plan.
            HeldRows::of_source(plan)
        } else {
            let source = records_of(&txn, source, Lock::ForUpdate).await?;
            let target = records_of(&txn, target, Lock::ForUpdate).await?;
            if plan_integration(&source, &target) != *plan {
                return Err(ApplyError::Conflict);
            }
            HeldRows::of([&source, &target])
        };
        write_record_changes(&txn, plan.changes(), &held)
            .await
            .map_err(write_error)?;
        bump_versions(&txn, &users).await.map_err(db_error)?;
        let after = read_versions(&txn, &users, Lock::No)
            .await
            .map_err(db_error)?;
        let applied = (
            after
                .get(&source)
                .copied()
                .unwrap_or(RecordsVersion::new(0)),
            after
                .get(&target)
                .copied()
                .unwrap_or(RecordsVersion::new(0)),
        );
        plans::save(&txn, integration.id, plan, applied).await?;
        txn.commit().await.map_err(db_error)
    }
}
