//! The updates of a chunk (C3), with the user store's rules (`UserRepository::update`,
//! `CredentialStore::set_password_hash`): an optimistic check on `updated_at`, a batched
//! conditional `UPDATE`, then the side effects of every changed user in a few statements.

use super::effects;
use super::sql::name;
use super::write::{Failure, Update};
use crate::convert::{micros, micros_opt, to_json};
use crate::users::row as user_row;
use crate::users::row::{email_key, name_key};
use chrono::Utc;
use roster_domain::csv::RowError;
use roster_domain::user::{User, UserStatus};
use sea_orm::sea_query::{CaseStatement, Condition, Expr, ExprTrait, Query, UpdateStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// Rows per `UPDATE`: each row adds a branch to every column's `CASE`, so the statement's
/// work grows with the square of its rows; a hundred keeps it small and still saves
/// ninety-nine round trips.
const ROWS_PER_UPDATE: usize = 100;

fn conflict(line: u64) -> Failure {
    Failure::Row(RowError::new(
        line,
        "",
        "conflict",
        "the user was changed or deleted meanwhile; import the row again",
    ))
}

/// Applies the updates, all or none (the caller's transaction).
pub(super) async fn apply(
    conn: &DatabaseTransaction,
    updates: &[Update<'_>],
) -> Result<(), Failure> {
    if updates.is_empty() {
        return Ok(());
    }
    let stored = stored_users(conn, updates).await?;
    for u in updates {
        match stored.get(&u.update.id.as_uuid()) {
            Some(user) if user.updated_at == u.update.expected_updated_at => {}
            _ => return Err(conflict(u.line)),
        }
    }
    for part in updates.chunks(ROWS_PER_UPDATE) {
        let changed = conn.execute(&statement(part)?).await?.rows_affected();
        if changed != part.len() as u64 {
            // Someone wrote one of them between the read above and this update.
            return Err(conflict(overtaken(conn, part).await?));
        }
    }
    let now = Utc::now();
    effects::apply(
        conn,
        updates.iter().map(|u| {
            let before = stored.get(&u.update.id.as_uuid());
            let fields = &u.update.fields;
            effects::Effect {
                user: u.update.id.as_uuid(),
                // S1, U6: sessions end with a new password, a status that is not valid, or
                // an expiry that has passed.
                end_sessions: u.password_hash.is_some()
                    || fields.status != UserStatus::Valid
                    || fields.expires_at.is_some_and(|at| at <= now),
                // U5, U10: links die with a new password or a changed email.
                revoke_links: u.password_hash.is_some()
                    || before.is_some_and(|stored| u.update.revokes_links(stored)),
                groups: u.group_ids,
                password_hash: u.password_hash,
                at: u.update.updated_at,
            }
        }),
    )
    .await
}

/// The line of the first row whose user no longer holds the `updated_at` it was decided
/// on nor the one this batch wrote: the row another writer overtook.
async fn overtaken(conn: &DatabaseTransaction, part: &[Update<'_>]) -> Result<u64, Failure> {
    let now = stored_users(conn, part).await?;
    let line = part
        .iter()
        .find(|u| {
            now.get(&u.update.id.as_uuid()).is_none_or(|user| {
                user.updated_at != u.update.expected_updated_at
                    && user.updated_at != u.update.updated_at
            })
        })
        .or(part.first())
        .map_or(0, |u| u.line);
    Ok(line)
}

/// The users as stored, read inside the writing transaction (`revokes_links` compares with
/// this row).
async fn stored_users(
    conn: &DatabaseTransaction,
    updates: &[Update<'_>],
) -> Result<HashMap<Uuid, User>, Failure> {
    let ids: Vec<Uuid> = updates.iter().map(|u| u.update.id.as_uuid()).collect();
    let mut out = HashMap::with_capacity(ids.len());
    for part in ids.chunks(super::sql::MAX_BINDS) {
        let rows = user_row::Entity::find()
            .filter(user_row::Column::Id.is_in(part.iter().copied()))
            .all(conn)
            .await?;
        for row in rows {
            out.insert(row.id, User::try_from(row)?);
        }
    }
    Ok(out)
}

/// One `UPDATE` for the rows: every column set through a `CASE` on the id, applied only
/// where `updated_at` is still the one each decision was made on.
fn statement(part: &[Update<'_>]) -> Result<UpdateStatement, Failure> {
    let mut attributes = Vec::with_capacity(part.len());
    for u in part {
        attributes.push(to_json(&u.update.fields.attributes)?);
    }
    let by_id = |column: &'static str, value: &dyn Fn(usize, &Update<'_>) -> Value| -> Expr {
        let mut case = CaseStatement::new();
        for (i, u) in part.iter().enumerate() {
            case = case.case(
                Expr::col(name("id")).eq(u.update.id.as_uuid()),
                Expr::val(value(i, u)),
            );
        }
        case.finally(Expr::col(name(column))).into()
    };
    let mut guard = Condition::any();
    for u in part {
        guard = guard.add(
            Expr::col(name("id"))
                .eq(u.update.id.as_uuid())
                .and(Expr::col(name("updated_at")).eq(micros(u.update.expected_updated_at))),
        );
    }
    let mut statement = Query::update();
    statement
        .table(name("users"))
        .value(
            name("name"),
            by_id("name", &|_, u| u.update.fields.name.as_str().into()),
        )
        .value(
            name("name_key"),
            by_id("name_key", &|_, u| name_key(&u.update.fields.name).into()),
        )
        .value(
            name("email"),
            by_id("email", &|_, u| {
                u.update
                    .fields
                    .email
                    .as_ref()
                    .map(|e| e.as_str().to_owned())
                    .into()
            }),
        )
        .value(
            name("email_key"),
            by_id("email_key", &|_, u| {
                u.update.fields.email.as_ref().map(email_key).into()
            }),
        )
        .value(
            name("status"),
            by_id("status", &|_, u| u.update.fields.status.as_str().into()),
        )
        .value(
            name("expires_at"),
            by_id("expires_at", &|_, u| {
                micros_opt(u.update.fields.expires_at).into()
            }),
        )
        .value(
            name("attributes"),
            by_id("attributes", &|i, _| {
                attributes.get(i).cloned().unwrap_or_default().into()
            }),
        )
        .value(
            name("updated_at"),
            by_id("updated_at", &|_, u| micros(u.update.updated_at).into()),
        )
        .cond_where(guard);
    // Only a new hash changes `has_password`; the other rows keep theirs (the `ELSE`).
    let mut with_hash = part.iter().filter(|u| u.password_hash.is_some()).peekable();
    if with_hash.peek().is_some() {
        let mut case = CaseStatement::new();
        for u in with_hash {
            case = case.case(
                Expr::col(name("id")).eq(u.update.id.as_uuid()),
                Expr::val(true),
            );
        }
        statement.value(
            name("has_password"),
            case.finally(Expr::col(name("has_password"))),
        );
    }
    Ok(statement.to_owned())
}
