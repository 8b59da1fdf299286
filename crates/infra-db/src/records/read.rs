//! Reading records: a user's whole set (the planner's input) and rows by id wherever they are
//! now (a cancel's input), on the pool or inside a transaction.

use super::entities::{access_log, badge_award, certificate, score};
use crate::error::unexpected;
use roster_domain::Unexpected;
use roster_domain::ids::UserId;
use roster_domain::integration::{RecordSet, Row, UndoRecord, UserRecords};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Ids per `IN (…)` list when reading by id.
const IDS_PER_QUERY: usize = 10_000;

async fn rows<E, T>(conn: &impl ConnectionTrait, condition: Expr) -> Result<Vec<T>, Unexpected>
where
    E: EntityTrait,
    T: TryFrom<E::Model, Error = Unexpected>,
{
    E::find()
        .filter(condition)
        .all(conn)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(T::try_from)
        .collect()
}

fn owned_by(user: UserId) -> Expr {
    Expr::col(Alias::new("user_id")).eq(user.as_uuid())
}

/// Every record of `user`, superseded scores included.
pub(crate) async fn records_of(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<UserRecords, Unexpected> {
    Ok(UserRecords {
        user_id: user,
        scores: rows::<score::Entity, _>(conn, owned_by(user)).await?,
        badges: rows::<badge_award::Entity, _>(conn, owned_by(user)).await?,
        certificates: rows::<certificate::Entity, _>(conn, owned_by(user)).await?,
        access_log: rows::<access_log::Entity, _>(conn, owned_by(user)).await?,
    })
}

async fn by_ids<E, T>(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<T>, Unexpected>
where
    E: EntityTrait,
    T: TryFrom<E::Model, Error = Unexpected>,
{
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let condition = Expr::col(Alias::new("id")).is_in(chunk.iter().copied());
        found.extend(rows::<E, T>(conn, condition).await?);
    }
    Ok(found)
}

fn keyed<T: Row>(rows: Vec<T>) -> BTreeMap<T::Id, T> {
    rows.into_iter().map(|r| (r.id(), r)).collect()
}

/// I6: the current rows of every id `undo` names, wherever they are now (absent: deleted).
pub(crate) async fn current_rows(
    conn: &impl ConnectionTrait,
    undo: &UndoRecord,
) -> Result<RecordSet, Unexpected> {
    let score_ids: Vec<Uuid> = undo.scores.iter().map(|r| r.id.as_uuid()).collect();
    let badge_ids: Vec<Uuid> = undo.badges.iter().map(|r| r.id.as_uuid()).collect();
    let log_ids: Vec<Uuid> = undo.access_log.iter().map(|r| r.id.as_uuid()).collect();
    Ok(RecordSet {
        scores: keyed(by_ids::<score::Entity, _>(conn, &score_ids).await?),
        badges: keyed(by_ids::<badge_award::Entity, _>(conn, &badge_ids).await?),
        certificates: BTreeMap::new(),
        access_log: keyed(by_ids::<access_log::Entity, _>(conn, &log_ids).await?),
    })
}
