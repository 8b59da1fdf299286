//! G5: deleting a group with everything that names it, in one transaction, never a user.

use super::entity::Entity;
use super::graph_lock::lock_graph;
use super::links::existing_groups;
use crate::error::unexpected;
use crate::grants::rescope;
use crate::tx::begin_write;
use roster_domain::ids::GroupId;
use roster_domain::ports::groups::GroupWriteError;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

fn name(text: &'static str) -> Alias {
    Alias::new(text)
}

/// Deletes the group's memberships, edges, held grants and scope mentions, rescoping (or
/// deleting, when left empty) every grant whose scope named it, then the group. The foreign
/// keys would cascade most of this; it is done explicitly so the effect does not depend on
/// a backend enforcing them, and because shrunk scopes need their keys recomputed.
pub(super) async fn delete(db: &DatabaseConnection, id: GroupId) -> Result<(), GroupWriteError> {
    let group = id.as_uuid();
    let txn = begin_write(db).await.map_err(unexpected)?;
    lock_graph(&txn).await.map_err(unexpected)?;
    if existing_groups(&txn, &[group])
        .await
        .map_err(unexpected)?
        .is_empty()
    {
        return Err(GroupWriteError::NotFound);
    }
    let scoped = grants_scoped_on(&txn, group).await.map_err(unexpected)?;
    remove_rows(&txn, group).await.map_err(unexpected)?;
    for grant in scoped {
        rescope(&txn, grant).await.map_err(unexpected)?;
    }
    Entity::delete_by_id(group)
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

/// The grants whose `groups` scope lists the group.
async fn grants_scoped_on(conn: &impl ConnectionTrait, group: Uuid) -> Result<Vec<Uuid>, DbErr> {
    let query = Query::select()
        .column(name("grant_id"))
        .from(name("grant_scope_groups"))
        .and_where(Expr::col(name("group_id")).eq(group))
        .to_owned();
    let mut ids = Vec::new();
    for row in conn.query_all(&query).await? {
        ids.push(row.try_get::<Uuid>("", "grant_id")?);
    }
    Ok(ids)
}

/// Every row naming the group except the group itself.
async fn remove_rows(conn: &impl ConnectionTrait, group: Uuid) -> Result<(), DbErr> {
    let held = Query::select()
        .column(name("id"))
        .from(name("grants"))
        .and_where(Expr::col(name("subject_group_id")).eq(group))
        .to_owned();
    let statements = [
        Query::delete()
            .from_table(name("grant_scope_groups"))
            .and_where(Expr::col(name("group_id")).eq(group))
            .to_owned(),
        Query::delete()
            .from_table(name("grant_scope_groups"))
            .and_where(Expr::col(name("grant_id")).in_subquery(held))
            .to_owned(),
        Query::delete()
            .from_table(name("grants"))
            .and_where(Expr::col(name("subject_group_id")).eq(group))
            .to_owned(),
        Query::delete()
            .from_table(name("memberships"))
            .and_where(Expr::col(name("group_id")).eq(group))
            .to_owned(),
        Query::delete()
            .from_table(name("group_parents"))
            .and_where(
                Expr::col(name("child_id"))
                    .eq(group)
                    .or(Expr::col(name("parent_id")).eq(group)),
            )
            .to_owned(),
    ];
    for statement in &statements {
        conn.execute(statement).await?;
    }
    Ok(())
}
