//! G5: a grant whose `groups` scope lost a group (the group was deleted) gets the key of its
//! smaller scope, or goes when nothing is left of its scope.

use super::entity::{Column, Entity};
use super::key::key_of;
use crate::error::is_unique_on;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

/// Recomputes the grant's scope key from its remaining scope groups, inside the caller's
/// transaction. When the smaller scope equals another grant's of the same subject and
/// privilege, the two are one grant: this one is deleted and the other kept. A grant left
/// with no group is deleted (a `groups` scope is never empty).
pub(crate) async fn rescope(txn: &DatabaseTransaction, grant: Uuid) -> Result<(), DbErr> {
    let query = Query::select()
        .column(Alias::new("group_id"))
        .from(Alias::new("grant_scope_groups"))
        .and_where(Expr::col(Alias::new("grant_id")).eq(grant))
        .to_owned();
    let mut groups = Vec::new();
    for row in txn.query_all(&query).await? {
        groups.push(row.try_get::<Uuid>("", "group_id")?);
    }
    if groups.is_empty() {
        return remove(txn, grant).await;
    }
    // A savepoint, so a clash leaves the outer transaction usable (PostgreSQL aborts a
    // transaction on any failed statement).
    let savepoint = txn.begin().await?;
    let update = Entity::update_many()
        .col_expr(Column::ScopeKey, Expr::value(key_of("groups", groups)))
        .filter(Column::Id.eq(grant))
        .exec(&savepoint)
        .await;
    match update {
        Ok(_) => savepoint.commit().await,
        Err(error) if is_unique_on(&error, "privilege") => {
            savepoint.rollback().await?;
            remove(txn, grant).await
        }
        Err(error) => Err(error),
    }
}

async fn remove(conn: &impl ConnectionTrait, grant: Uuid) -> Result<(), DbErr> {
    let scope_rows = Query::delete()
        .from_table(Alias::new("grant_scope_groups"))
        .and_where(Expr::col(Alias::new("grant_id")).eq(grant))
        .to_owned();
    conn.execute(&scope_rows).await?;
    Entity::delete_by_id(grant).exec(conn).await?;
    Ok(())
}
