//! Reading records: a user's whole set (the planner's input) and rows by id wherever they are
//! now (a cancel's input), on the pool or inside a transaction.

use super::cells::Stored;
use super::entities::{access_log, badge_award, certificate, score};
use super::rows::{AccessLogTuple, BadgeTuple, CertificateTuple, ScoreTuple};
use super::versions;
use super::write::Holdings;
use crate::error::unexpected;
use roster_domain::Unexpected;
use roster_domain::ids::UserId;
use roster_domain::integration::{
    IntegrationPlan, RecordSet, Row, RowChange, UndoRecord, UserRecords,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, Iterable, QueryFilter, QuerySelect, TryGetableMany};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Ids per `IN (…)` list when reading by id.
const IDS_PER_QUERY: usize = 10_000;

/// Whether a read locks the rows it returns (`FOR UPDATE`; SQLite has one writer anyway).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// A plain read.
    No,
    /// The rows stay locked until the transaction ends.
    ForUpdate,
}

/// The rows of `E` matching `condition`, every column selected in the model's order and
/// decoded by position into `R`, then into `T` through the model.
async fn rows<E, R, T>(
    conn: &impl ConnectionTrait,
    condition: Expr,
    lock: Lock,
) -> Result<Vec<T>, Unexpected>
where
    E: EntityTrait,
    R: TryGetableMany + Into<E::Model>,
    T: TryFrom<E::Model, Error = Unexpected>,
{
    let mut select = E::find()
        .select_only()
        .columns(E::Column::iter())
        .filter(condition);
    if lock == Lock::ForUpdate {
        select = select.lock_exclusive();
    }
    select
        .into_tuple::<R>()
        .all(conn)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|row| T::try_from(row.into()))
        .collect()
}

fn owned_by(user: UserId) -> Expr {
    Expr::col(Alias::new("user_id")).eq(user.as_uuid())
}

/// Every record of `user`, superseded scores included, with their version — read first, so
/// the rows are at least as new as the version they carry (a write between the two reads
/// makes the version look stale, never the rows).
pub(crate) async fn records_of(
    conn: &impl ConnectionTrait,
    user: UserId,
    lock: Lock,
) -> Result<UserRecords, Unexpected> {
    let version = versions::read(conn, &[user], lock)
        .await
        .map_err(unexpected)?
        .get(&user)
        .copied();
    Ok(UserRecords {
        version,
        user_id: user,
        scores: rows::<score::Entity, ScoreTuple, _>(conn, owned_by(user), lock).await?,
        badges: rows::<badge_award::Entity, BadgeTuple, _>(conn, owned_by(user), lock).await?,
        certificates: rows::<certificate::Entity, CertificateTuple, _>(conn, owned_by(user), lock)
            .await?,
        access_log: rows::<access_log::Entity, AccessLogTuple, _>(conn, owned_by(user), lock)
            .await?,
    })
}

/// Adds `rows` to what each owner holds.
pub(crate) fn hold<'a, T: Stored + 'a>(held: &mut Holdings, rows: impl IntoIterator<Item = &'a T>) {
    for row in rows {
        held.entry(row.owner().as_uuid())
            .or_default()
            .insert(row.uuid());
    }
}

/// What the accounts hold in each record table that integrations change, read under lock.
#[derive(Debug, Default)]
pub(crate) struct HeldRows {
    /// Scores.
    pub(crate) scores: Holdings,
    /// Badge awards.
    pub(crate) badges: Holdings,
    /// Access-log entries.
    pub(crate) access_log: Holdings,
}

impl HeldRows {
    /// Everything `users` hold, from their records read under lock.
    pub(crate) fn of<'a>(users: impl IntoIterator<Item = &'a UserRecords>) -> Self {
        let mut held = Self::default();
        for records in users {
            hold(&mut held.scores, &records.scores);
            hold(&mut held.badges, &records.badges);
            hold(&mut held.access_log, &records.access_log);
        }
        held
    }
}

impl HeldRows {
    /// What the source holds, from a plan whose read versions are still current: the plan
    /// moves or retires every source row of the tables it writes, so its source befores are
    /// all the source holds there. The target is left out — its untouched rows are not in the
    /// plan — so no statement moves the target's rows wholesale.
    pub(crate) fn of_source(plan: &IntegrationPlan) -> Self {
        let changes = plan.changes();
        let source = plan.source_user_id();
        let mut held = Self::default();
        hold(&mut held.scores, source_befores(&changes.scores, source));
        hold(&mut held.badges, source_befores(&changes.badges, source));
        hold(
            &mut held.access_log,
            source_befores(&changes.access_log, source),
        );
        held
    }
}

/// The rows `changes` expect `source` to hold.
fn source_befores<T: Row>(changes: &[RowChange<T>], source: UserId) -> impl Iterator<Item = &T> {
    changes
        .iter()
        .filter_map(RowChange::before)
        .filter(move |row| row.owner() == source)
}

async fn by_ids<E, R, T>(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<T>, Unexpected>
where
    E: EntityTrait,
    R: TryGetableMany + Into<E::Model>,
    T: TryFrom<E::Model, Error = Unexpected>,
{
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let condition = Expr::col(Alias::new("id")).is_in(chunk.iter().copied());
        found.extend(rows::<E, R, T>(conn, condition, Lock::ForUpdate).await?);
    }
    Ok(found)
}

/// The current rows of `snapshots`' ids, locked: first every row of the two accounts (one
/// indexed read, which also fills `held`), then by id only the few found elsewhere or gone
/// — 100k ids read by id would cost ten large `IN` lists.
async fn current<E, R, T>(
    conn: &impl ConnectionTrait,
    owners: &Expr,
    snapshots: &[T],
    held: &mut Holdings,
) -> Result<BTreeMap<T::Id, T>, Unexpected>
where
    E: EntityTrait,
    R: TryGetableMany + Into<E::Model>,
    T: Stored + TryFrom<E::Model, Error = Unexpected>,
{
    if snapshots.is_empty() {
        return Ok(BTreeMap::new());
    }
    let wanted: BTreeSet<T::Id> = snapshots.iter().map(Row::id).collect();
    let theirs = rows::<E, R, T>(conn, owners.clone(), Lock::ForUpdate).await?;
    hold(held, &theirs);
    let mut found: BTreeMap<T::Id, T> = theirs
        .into_iter()
        .filter(|r| wanted.contains(&r.id()))
        .map(|r| (r.id(), r))
        .collect();
    let elsewhere: Vec<Uuid> = snapshots
        .iter()
        .filter(|s| !found.contains_key(&s.id()))
        .map(Stored::uuid)
        .collect();
    for row in by_ids::<E, R, T>(conn, &elsewhere).await? {
        found.insert(row.id(), row);
    }
    Ok(found)
}

/// I6: the current rows of every id `undo` names, wherever they are now (absent: deleted),
/// locked; and, for each table `undo` names rows of, every row the two accounts hold.
pub(crate) async fn current_rows(
    conn: &impl ConnectionTrait,
    undo: &UndoRecord,
) -> Result<(RecordSet, HeldRows), Unexpected> {
    let accounts = [undo.source_user_id.as_uuid(), undo.target_user_id.as_uuid()];
    let owners = Expr::col(Alias::new("user_id")).is_in(accounts);
    let mut held = HeldRows::default();
    let current = RecordSet {
        scores: current::<score::Entity, ScoreTuple, _>(
            conn,
            &owners,
            &undo.scores,
            &mut held.scores,
        )
        .await?,
        badges: current::<badge_award::Entity, BadgeTuple, _>(
            conn,
            &owners,
            &undo.badges,
            &mut held.badges,
        )
        .await?,
        certificates: BTreeMap::new(),
        access_log: current::<access_log::Entity, AccessLogTuple, _>(
            conn,
            &owners,
            &undo.access_log,
            &mut held.access_log,
        )
        .await?,
    };
    Ok((current, held))
}
