//! One chunk of an import's writes, all or none (C4): the rows are sorted into creates and
//! updates, checked against the store inside the writing transaction, and written with
//! multi-row statements. A refusal names the row, as `ImportWriteError::Row` promises.

use super::sql::{MAX_BINDS, name};
use super::{create, update};
use crate::error::{is_foreign_key, is_unique_on, unexpected};
use roster_domain::Unexpected;
use roster_domain::csv::RowError;
use roster_domain::ids::GroupId;
use roster_domain::ports::imports::{ImportInvitation, ImportWriteError, LineWrite, RowWrite};
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::users::{NewUser, UserUpdate};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, TransactionTrait};
use std::collections::{BTreeSet, HashSet};
use uuid::Uuid;

/// A new user of the chunk.
pub(super) struct Create<'a> {
    pub line: u64,
    pub user: &'a NewUser,
    pub invitation: Option<&'a ImportInvitation>,
}

/// A change to an existing user of the chunk.
pub(super) struct Update<'a> {
    pub line: u64,
    pub update: &'a UserUpdate,
    pub group_ids: Option<&'a BTreeSet<GroupId>>,
    pub password_hash: Option<&'a PasswordHash>,
}

/// The chunk, sorted.
pub(super) struct Plan<'a> {
    pub creates: Vec<Create<'a>>,
    pub updates: Vec<Update<'a>>,
}

impl<'a> Plan<'a> {
    fn of(rows: &'a [LineWrite]) -> Self {
        let mut plan = Self {
            creates: Vec::new(),
            updates: Vec::new(),
        };
        for row in rows {
            match &row.write {
                RowWrite::Create { user, invitation } => plan.creates.push(Create {
                    line: row.line,
                    user,
                    invitation: invitation.as_ref(),
                }),
                RowWrite::Update {
                    update,
                    group_ids,
                    password_hash,
                } => plan.updates.push(Update {
                    line: row.line,
                    update,
                    group_ids: group_ids.as_ref(),
                    password_hash: password_hash.as_ref(),
                }),
            }
        }
        plan
    }

    /// Each group the chunk joins, with the first line joining it, in line order.
    fn joined_groups(&self) -> Vec<(u64, Uuid)> {
        let created = self
            .creates
            .iter()
            .flat_map(|c| c.user.group_ids.iter().map(move |g| (c.line, g.as_uuid())));
        let updated = self.updates.iter().flat_map(|u| {
            u.group_ids
                .into_iter()
                .flatten()
                .map(move |g| (u.line, g.as_uuid()))
        });
        let mut all: Vec<(u64, Uuid)> = created.chain(updated).collect();
        all.sort_unstable();
        let mut seen = HashSet::new();
        all.retain(|(_, g)| seen.insert(*g));
        all
    }
}

/// Why a chunk's attempt failed, before it is explained as the port's error.
pub(super) enum Failure {
    /// A row is refused, by name.
    Row(RowError),
    /// A statement failed; a constraint may still name a row (a race lost to another writer).
    Db(DbErr),
    /// Anything else.
    Unexpected(Unexpected),
}

impl From<DbErr> for Failure {
    fn from(error: DbErr) -> Self {
        Self::Db(error)
    }
}

impl From<Unexpected> for Failure {
    fn from(error: Unexpected) -> Self {
        Self::Unexpected(error)
    }
}

/// Writes the chunk in a transaction (or a savepoint of `parent`'s transaction) of its own,
/// so a refused chunk leaves nothing behind while earlier chunks stay pending.
pub(super) async fn write_chunk_in<C>(
    parent: &C,
    rows: &[LineWrite],
) -> Result<(), ImportWriteError>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let plan = Plan::of(rows);
    let attempt = parent.begin().await.map_err(unexpected)?;
    match apply(&attempt, &plan).await {
        Ok(()) => attempt.commit().await.map_err(|e| unexpected(e).into()),
        Err(failure) => {
            attempt.rollback().await.map_err(unexpected)?;
            Err(explain(parent, &plan, failure).await)
        }
    }
}

async fn apply(conn: &DatabaseTransaction, plan: &Plan<'_>) -> Result<(), Failure> {
    if let Some(refused) = missing_group(conn, plan).await? {
        return Err(Failure::Row(refused));
    }
    // Taken login IDs are left to the unique index (one probe on the rare failure, in
    // `explain`): checking every chunk beforehand would scan a table the open transaction
    // is still growing, which the planner cannot know about — quadratic on PostgreSQL.
    update::apply(conn, &plan.updates).await?;
    create::insert(conn, &plan.creates).await?;
    Ok(())
}

/// A constraint the checks did not foresee was broken by a concurrent writer: name the row
/// it concerns, reading the latest committed state.
async fn explain(
    conn: &impl ConnectionTrait,
    plan: &Plan<'_>,
    failure: Failure,
) -> ImportWriteError {
    let error = match failure {
        Failure::Row(row) => return ImportWriteError::Row(row),
        Failure::Unexpected(cause) => return ImportWriteError::Unexpected(cause),
        Failure::Db(error) => error,
    };
    let named = if is_unique_on(&error, "login_key") {
        taken_login_id(conn, plan).await
    } else if is_foreign_key(&error) {
        missing_group(conn, plan).await
    } else {
        Ok(None)
    };
    match named {
        Ok(Some(row)) => ImportWriteError::Row(row),
        _ => ImportWriteError::Unexpected(unexpected(error)),
    }
}

/// The first row joining a group that no longer exists. The groups found are share-locked
/// (PostgreSQL, MySQL), so none can be deleted before the chunk commits.
async fn missing_group(
    conn: &impl ConnectionTrait,
    plan: &Plan<'_>,
) -> Result<Option<RowError>, DbErr> {
    let joined = plan.joined_groups();
    let mut existing = HashSet::with_capacity(joined.len());
    for part in joined.chunks(MAX_BINDS) {
        let query = Query::select()
            .column(name("id"))
            .from(name("groups"))
            .and_where(Expr::col(name("id")).is_in(part.iter().map(|(_, g)| *g)))
            .lock_shared()
            .to_owned();
        for row in conn.query_all(&query).await? {
            existing.insert(row.try_get::<Uuid>("", "id")?);
        }
    }
    Ok(joined
        .into_iter()
        .find(|(_, g)| !existing.contains(g))
        .map(|(line, group)| {
            RowError::new(
                line,
                "groups",
                "unknown_group",
                format!("group {group} no longer exists"),
            )
        }))
}

/// The first new user whose login ID another user holds (or an earlier row of the chunk),
/// read with a share lock, which on MySQL sees the latest committed rows rather than the
/// transaction's snapshot.
async fn taken_login_id(
    conn: &impl ConnectionTrait,
    plan: &Plan<'_>,
) -> Result<Option<RowError>, DbErr> {
    let keys: Vec<&str> = plan.creates.iter().map(|c| c.user.login_id.key()).collect();
    let mut stored: HashSet<String> = HashSet::new();
    for part in keys.chunks(MAX_BINDS) {
        let query = Query::select()
            .column(name("login_key"))
            .from(name("users"))
            .and_where(Expr::col(name("login_key")).is_in(part.iter().copied()))
            .lock_shared()
            .to_owned();
        for row in conn.query_all(&query).await? {
            stored.insert(row.try_get::<String>("", "login_key")?);
        }
    }
    let mut seen = HashSet::with_capacity(keys.len());
    Ok(plan
        .creates
        .iter()
        .find(|c| {
            let key = c.user.login_id.key();
            stored.contains(key) || !seen.insert(key)
        })
        .map(|c| {
            RowError::new(
                c.line,
                "login_id",
                "login_id_taken",
                "another user holds this login ID",
            )
        }))
}
