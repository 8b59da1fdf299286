//! Record versions (I10): one counter per user in `record_versions`, bumped in the
//! transaction of every write of that user's records (adds, the grade purge, integrations
//! and their cancels). `records_of` reads it before the rows, so a plan made from a read
//! carries a version no newer than its rows; while the version is unchanged the rows are
//! too, and `apply`/`cancel` need not read every row to know it.

use super::read::Lock;
use roster_domain::ids::UserId;
use roster_domain::integration::RecordsVersion;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockType, OnConflict, Order, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;

const TABLE: &str = "record_versions";

fn col(name: &'static str) -> Alias {
    Alias::new(name)
}

/// Bumps the versions of `users` (users that do not exist are skipped), in id order so two
/// writers lock alike.
pub(crate) async fn bump(conn: &impl ConnectionTrait, users: &[UserId]) -> Result<(), DbErr> {
    let ids = users.iter().map(|u| u.as_uuid());
    let existing = Query::select()
        .column(col("id"))
        .expr(Expr::val(1_i64))
        .from(col("users"))
        .and_where(Expr::col(col("id")).is_in(ids))
        .order_by(col("id"), Order::Asc)
        .to_owned();
    let next = Expr::col((col(TABLE), col("version"))).add(1_i64);
    let insert = Query::insert()
        .into_table(col(TABLE))
        .columns([col("user_id"), col("version")])
        .select_from(existing)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .on_conflict(
            OnConflict::column(col("user_id"))
                .value(col("version"), next)
                .to_owned(),
        )
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}

/// The versions of `users` (0 for a user whose records were never written through the
/// store), locked until the transaction ends when asked.
pub(crate) async fn read(
    conn: &impl ConnectionTrait,
    users: &[UserId],
    lock: Lock,
) -> Result<HashMap<UserId, RecordsVersion>, DbErr> {
    let mut query = Query::select();
    query
        .columns([col("user_id"), col("version")])
        .from(col(TABLE))
        .and_where(Expr::col(col("user_id")).is_in(users.iter().map(|u| u.as_uuid())))
        .order_by(col("user_id"), Order::Asc);
    if lock == Lock::ForUpdate {
        query.lock(LockType::Update);
    }
    let mut versions: HashMap<UserId, RecordsVersion> =
        users.iter().map(|u| (*u, RecordsVersion::new(0))).collect();
    for row in conn.query_all(&query).await? {
        let user: uuid::Uuid = row.try_get_by_index(0)?;
        let version: i64 = row.try_get_by_index(1)?;
        versions.insert(UserId::from_uuid(user), RecordsVersion::new(version));
    }
    Ok(versions)
}
