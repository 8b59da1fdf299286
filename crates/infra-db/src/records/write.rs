//! Bulk writes of record rows: multi-row inserts, and a plan's row changes applied with as
//! few statements as rows allow (I10 performance: no per-row round trips for 100k scores).
//!
//! Changes that alter the same columns from the same values to the same values (every score
//! moving from the source to the target, say) form one group, written by
//! `UPDATE … SET <columns> WHERE id IN (<chunk>) AND <each changed column = its old value>`.
//! The old values in the `WHERE` clause are the staleness guard: a row changed since it was
//! read no longer matches, the row count falls short and the whole transaction is refused.

use super::cells::{Cell, Stored, uuid_of};
use super::read::HeldRows;
use roster_domain::integration::{RecordChanges, RowChange};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The ids of every row each account holds in one table, read inside the writing
/// transaction with the rows locked (see the module doc).
pub(crate) type Holdings = HashMap<Uuid, HashSet<Uuid>>;

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

/// Writes every row change of an integration or of its cancel (I6, I10), table by table,
/// against the rows the transaction holds.
pub(crate) async fn write_record_changes(
    conn: &impl ConnectionTrait,
    changes: &RecordChanges,
    held: &HeldRows,
) -> Result<(), WriteError> {
    write_changes(conn, &changes.scores, &held.scores).await?;
    write_changes(conn, &changes.badges, &held.badges).await?;
    write_changes(conn, &changes.access_log, &held.access_log).await
}

/// One changed column: its index in `COLUMNS`, the value before and after.
type ColumnChange = (usize, Cell, Cell);

/// Writes `changes`, each checked against its `before`: a deleted row must still belong to
/// its old owner, an updated row must still hold the old value of every column that
/// changes, a re-created row must still be absent. All or nothing only within the caller's
/// transaction. `held` (the rows the transaction read and locked) lets owner-only groups
/// move wholesale (module doc).
async fn write_changes<T: Stored>(
    conn: &impl ConnectionTrait,
    changes: &[RowChange<T>],
    held: &Holdings,
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
    let wholesale = wholesale_moves::<T>(held, &deletes, &updates, &inserts);
    for (owner, ids) in &deletes {
        delete_owned::<T>(conn, owner, ids).await?;
    }
    for (changed, ids) in &updates {
        if !wholesale.iter().any(|m| m.group == changed) {
            update_group::<T>(conn, changed, ids).await?;
        }
    }
    insert_rows(conn, &inserts).await.map_err(|e| {
        if crate::error::violation(&e).is_some() {
            WriteError::Stale(format!("{}: a re-created row exists again: {e}", T::TABLE))
        } else {
            WriteError::Db(e)
        }
    })?;
    for moved in &wholesale {
        move_wholesale::<T>(conn, moved).await?;
    }
    Ok(())
}

/// An owner-only group written as one statement over the old owner's rows.
struct Wholesale<'a> {
    group: &'a Vec<ColumnChange>,
    from: Uuid,
    to: Uuid,
    /// Rows of `from` that stay (or arrive before the move): excluded by id.
    kept: Vec<Uuid>,
    /// The group's size: the rows the statement must meet.
    moved: usize,
}

/// The owner of a change's column list when it changes the owner (`user_id`, second
/// column) and nothing else: `(from, to)`.
fn owner_only(changed: &[ColumnChange]) -> Option<(Uuid, Uuid)> {
    match changed {
        [(1, Cell::Uuid(from), Cell::Uuid(to))] => Some((*from, *to)),
        _ => None,
    }
}

/// The owner-only groups worth moving wholesale: every row is among the old owner's rows
/// read, and fewer rows stay than move. Rows that the statements run before delete or move
/// away from the old owner need no exclusion: their guarded statements already met them
/// (and two moves away from one owner never race, the rows being locked).
fn wholesale_moves<'a, T: Stored>(
    held: &Holdings,
    deletes: &HashMap<Cell, Vec<Uuid>>,
    updates: &'a HashMap<Vec<ColumnChange>, Vec<Uuid>>,
    inserts: &[&T],
) -> Vec<Wholesale<'a>> {
    let mut moves = Vec::new();
    for (group, ids) in updates {
        let Some((from, to)) = owner_only(group) else {
            continue;
        };
        let Some(rows) = held.get(&from) else {
            continue;
        };
        let moving: HashSet<Uuid> = ids.iter().copied().collect();
        if moving.len() != ids.len() || !moving.is_subset(rows) {
            continue;
        }
        let arriving = |new: &Cell| *new == Cell::Uuid(from);
        // Rows `from` holds that other statements, run before, delete or give away.
        let mut leaving: HashSet<Uuid> = deletes
            .get(&Cell::Uuid(from))
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default();
        let mut kept = Vec::new();
        for (other, other_ids) in updates {
            if other.iter().any(|(i, _, new)| *i == 1 && arriving(new)) {
                kept.extend(other_ids);
            } else if other != group
                && owner_only(other).is_none()
                && other
                    .iter()
                    .any(|(i, old, _)| *i == 1 && *old == Cell::Uuid(from))
            {
                leaving.extend(other_ids);
            }
        }
        kept.extend(
            rows.iter()
                .filter(|id| !moving.contains(id) && !leaving.contains(id)),
        );
        for row in inserts {
            let cells = row.cells();
            if cells.get(1).is_some_and(arriving) {
                kept.extend(uuid_of(&cells));
            }
        }
        if kept.len() < ids.len() && kept.len() <= IDS_PER_STATEMENT {
            moves.push(Wholesale {
                group,
                from,
                to,
                kept,
                moved: ids.len(),
            });
        }
    }
    moves
}

async fn move_wholesale<T: Stored>(
    conn: &impl ConnectionTrait,
    moved: &Wholesale<'_>,
) -> Result<(), WriteError> {
    let owner = || Alias::new("user_id");
    let mut update = Query::update();
    update
        .table(Alias::new(T::TABLE))
        .value(owner(), moved.to)
        .and_where(Expr::col(owner()).eq(moved.from));
    if !moved.kept.is_empty() {
        update.and_where(Expr::col(Alias::new("id")).is_not_in(moved.kept.iter().copied()));
    }
    let updated = conn.execute(&update).await?.rows_affected();
    expect_rows::<T>(updated, moved.moved, "moved")
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
