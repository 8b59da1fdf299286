//! Reading records: a user's whole set (the planner's input) and rows by id wherever they are
//! now (a cancel's input), on the pool or inside a transaction.

use super::entities::{access_log, badge_award, certificate, score};
use crate::error::unexpected;
use roster_domain::Unexpected;
use roster_domain::ids::UserId;
use roster_domain::integration::{RecordSet, Row, UndoRecord, UserRecords};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet};
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

/// The current rows of `snapshots`' ids: first every row of the two accounts (one indexed
/// read), then by id only the few found elsewhere or gone — 100k ids read by id would cost
/// ten large `IN` lists.
async fn current<E, T>(
    conn: &impl ConnectionTrait,
    owners: &Expr,
    snapshots: &[T],
    uuid: impl Fn(&T) -> Uuid,
) -> Result<BTreeMap<T::Id, T>, Unexpected>
where
    E: EntityTrait,
    T: Row + TryFrom<E::Model, Error = Unexpected>,
{
    if snapshots.is_empty() {
        return Ok(BTreeMap::new());
    }
    let wanted: BTreeSet<T::Id> = snapshots.iter().map(Row::id).collect();
    let mut found: BTreeMap<T::Id, T> = rows::<E, T>(conn, owners.clone())
        .await?
        .into_iter()
        .filter(|r| wanted.contains(&r.id()))
        .map(|r| (r.id(), r))
        .collect();
    let elsewhere: Vec<Uuid> = snapshots
        .iter()
        .filter(|s| !found.contains_key(&s.id()))
        .map(uuid)
        .collect();
    for row in by_ids::<E, T>(conn, &elsewhere).await? {
        found.insert(row.id(), row);
    }
    Ok(found)
}

/// I6: the current rows of every id `undo` names, wherever they are now (absent: deleted).
pub(crate) async fn current_rows(
    conn: &impl ConnectionTrait,
    undo: &UndoRecord,
) -> Result<RecordSet, Unexpected> {
    let accounts = [undo.source_user_id.as_uuid(), undo.target_user_id.as_uuid()];
    let owners = Expr::col(Alias::new("user_id")).is_in(accounts);
    Ok(RecordSet {
        scores: current::<score::Entity, _>(conn, &owners, &undo.scores, |r| r.id.as_uuid())
            .await?,
        badges: current::<badge_award::Entity, _>(conn, &owners, &undo.badges, |r| r.id.as_uuid())
            .await?,
        certificates: BTreeMap::new(),
        access_log: current::<access_log::Entity, _>(conn, &owners, &undo.access_log, |r| {
            r.id.as_uuid()
        })
        .await?,
    })
}
