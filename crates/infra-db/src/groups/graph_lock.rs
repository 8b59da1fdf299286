//! The graph-version row: every edge write bumps it first, inside its transaction. The
//! conditional UPDATE takes that row's write lock (PostgreSQL, MariaDB) or the database's
//! write lock (SQLite), so edge writers run one after another and each one's cycle check
//! reads the edges every earlier writer committed (G3).

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// Takes the graph lock in the caller's transaction (held until it ends). Must be the
/// transaction's first statement: on SQLite a transaction that read before writing cannot
/// take the write lock once another writer committed, and on MariaDB the snapshot of
/// later reads starts after the lock is granted only if nothing was read before.
pub(super) async fn lock_graph(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    let bump = Query::update()
        .table(Alias::new("group_graph"))
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    let result = txn.execute(&bump).await?;
    if result.rows_affected() == 1 {
        Ok(())
    } else {
        Err(DbErr::Custom(
            "the group_graph row is missing: the schema is not migrated".into(),
        ))
    }
}
