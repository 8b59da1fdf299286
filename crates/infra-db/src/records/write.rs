//! Bulk writes of record rows: multi-row inserts, and a plan's row changes applied with as
//! few statements as rows allow (I10 performance: no per-row round trips for 100k scores).
//!
//! Changes that alter the same columns from the same values to the same values (every score
//! moving from the source to the target, say) form one group, written by
//! `UPDATE … SET <columns> WHERE id IN (<chunk>) AND <each changed column = its old value>`.
//! The old values in the `WHERE` clause are the staleness guard: a row changed since it was
//! read no longer matches, the row count falls short and the whole transaction is refused.

use super::cells::{Cell, Stored, uuid_of};
use roster_domain::integration::RowChange;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;
use uuid::Uuid;

/// Most bind parameters one statement carries (SQLite allows 32,766).
const MAX_PARAMETERS: usize = 30_000;
/// Ids per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 10_000;

/// Why changes were not written.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// A row was not as its change expected (changed since it was read); for the logs.
    Stale(String),
    /// The database failed.
    Db(DbErr),
}

impl From<DbErr> for WriteError {
    fn from(error: DbErr) -> Self {
        Self::Db(error)
    }
}

/// Inserts `rows` with multi-row statements, each under the parameter limit.
pub(crate) async fn insert_rows<T: Stored>(
    conn: &impl ConnectionTrait,
    rows: &[&T],
) -> Result<(), DbErr> {
    let per_statement = (MAX_PARAMETERS / T::COLUMNS.len()).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(T::TABLE))
            .columns(T::COLUMNS.iter().map(|c| Alias::new(*c)));
        for row in chunk {
            let values = row.cells().into_iter().map(|c| Expr::val(c.value()));
            insert
                .values(values)
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// One changed column: its index in `COLUMNS`, the value before and after.
type ColumnChange = (usize, Cell, Cell);

/// Writes `changes`, each checked against its `before`: a deleted row must still belong to
/// its old owner, an updated row must still hold the old value of every column that
/// changes, a re-created row must still be absent. All or nothing only within the caller's
/// transaction.
pub(crate) async fn write_changes<T: Stored>(
    conn: &impl ConnectionTrait,
    changes: &[RowChange<T>],
) -> Result<(), WriteError> {
    let mut deletes: HashMap<Cell, Vec<Uuid>> = HashMap::new();
    let mut inserts: Vec<&T> = Vec::new();
    let mut updates: HashMap<Vec<ColumnChange>, Vec<Uuid>> = HashMap::new();
    for change in changes {
        match (change.before(), change.after()) {
            (Some(before), None) => {
                let cells = before.cells();
                let (Some(id), Some(owner)) = (uuid_of(&cells), cells.get(1)) else {
                    return Err(stale::<T>("a row without id"));
                };
                deletes.entry(owner.clone()).or_default().push(id);
            }
            (None, Some(after)) => inserts.push(after),
            (Some(before), Some(after)) => {
                let (old, new) = (before.cells(), after.cells());
                let id = uuid_of(&old).filter(|id| Some(*id) == uuid_of(&new));
                let Some(id) = id else {
                    return Err(stale::<T>("a change between two ids"));
                };
                let changed: Vec<ColumnChange> = old
                    .into_iter()
                    .zip(new)
                    .enumerate()
                    .filter(|(_, (o, n))| o != n)
                    .map(|(i, (o, n))| (i, o, n))
                    .collect();
                if !changed.is_empty() {
                    updates.entry(changed).or_default().push(id);
                }
            }
            (None, None) => return Err(stale::<T>("an empty change")),
        }
    }
    for (owner, ids) in &deletes {
        delete_owned::<T>(conn, owner, ids).await?;
    }
    for (changed, ids) in &updates {
        update_group::<T>(conn, changed, ids).await?;
    }
    insert_rows(conn, &inserts).await.map_err(|e| {
        if crate::error::violation(&e).is_some() {
            WriteError::Stale(format!("{}: a re-created row exists again: {e}", T::TABLE))
        } else {
            WriteError::Db(e)
        }
    })
}

async fn delete_owned<T: Stored>(
    conn: &impl ConnectionTrait,
    owner: &Cell,
    ids: &[Uuid],
) -> Result<(), WriteError> {
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let delete = Query::delete()
            .from_table(Alias::new(T::TABLE))
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()))
            .and_where(owner.matched_by("user_id"))
            .to_owned();
        let deleted = conn.execute(&delete).await?.rows_affected();
        expect_rows::<T>(deleted, chunk.len(), "deleted")?;
    }
    Ok(())
}

async fn update_group<T: Stored>(
    conn: &impl ConnectionTrait,
    changed: &[ColumnChange],
    ids: &[Uuid],
) -> Result<(), WriteError> {
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let mut update = Query::update();
        update.table(Alias::new(T::TABLE));
        for (index, old, new) in changed {
            let column = column_name::<T>(*index)?;
            update.value(Alias::new(column), new.value());
            update.and_where(old.matched_by(column));
        }
        update.and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()));
        let updated = conn.execute(&update).await?.rows_affected();
        expect_rows::<T>(updated, chunk.len(), "updated")?;
    }
    Ok(())
}

fn column_name<T: Stored>(index: usize) -> Result<&'static str, WriteError> {
    T::COLUMNS
        .get(index)
        .copied()
        .ok_or_else(|| stale::<T>("a column beyond the table"))
}

fn expect_rows<T: Stored>(written: u64, expected: usize, verb: &str) -> Result<(), WriteError> {
    if written == expected as u64 {
        Ok(())
    } else {
        Err(WriteError::Stale(format!(
            "{}: {verb} {written} rows of {expected}: some changed since they were read",
            T::TABLE
        )))
    }
}

fn stale<T: Stored>(what: &str) -> WriteError {
    WriteError::Stale(format!("{}: {what}", T::TABLE))
}
