//! Parent edges (G3) and memberships (G2): adding with the errors the port names, removing,
//! and a group's direct members.

use super::entity::{Column, Entity};
use super::graph_lock::lock_graph;
use super::sql::{insert_row, statement};
use crate::error::{Violation, is_foreign_key, store_error, unexpected, violation};
use crate::page;
use crate::tx::begin_write;
use crate::users::row as user_row;
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::groups::LinkError;
use roster_domain::ports::{Page, PageRequest, StoreError};
use roster_domain::user::User;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

fn table(name: &'static str) -> Alias {
    Alias::new(name)
}

/// G3: adds the edge after checking, under the graph lock, that it closes no cycle.
pub(super) async fn add_parent(
    db: &DatabaseConnection,
    child: GroupId,
    parent: GroupId,
) -> Result<(), LinkError> {
    let txn = begin_write(db).await.map_err(unexpected)?;
    lock_graph(&txn).await.map_err(unexpected)?;
    let present = existing_groups(&txn, &[child.as_uuid(), parent.as_uuid()])
        .await
        .map_err(unexpected)?;
    for group in [child, parent] {
        if !present.contains(&group.as_uuid()) {
            return Err(LinkError::UnknownGroup(group));
        }
    }
    if child == parent
        || is_at_or_above(&txn, child, parent)
            .await
            .map_err(unexpected)?
    {
        return Err(LinkError::Cycle { child, parent });
    }
    let insert = insert_row(
        "group_parents",
        ["child_id", "parent_id"],
        [child.as_uuid().into(), parent.as_uuid().into()],
    )
    .map_err(unexpected)?;
    if !edge_exists(&txn, child, parent).await.map_err(unexpected)? {
        txn.execute(&insert).await.map_err(|e| {
            // Deletions take the graph lock too, so both groups are still there.
            if is_foreign_key(&e) {
                LinkError::UnknownGroup(parent)
            } else {
                LinkError::Unexpected(unexpected(e))
            }
        })?;
    }
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}

/// The ids among `ids` that name a group.
pub(super) async fn existing_groups(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await
}

async fn edge_exists(
    conn: &impl ConnectionTrait,
    child: GroupId,
    parent: GroupId,
) -> Result<bool, DbErr> {
    let query = Query::select()
        .expr(Expr::val(1))
        .from(table("group_parents"))
        .and_where(Expr::col(table("child_id")).eq(child.as_uuid()))
        .and_where(Expr::col(table("parent_id")).eq(parent.as_uuid()))
        .to_owned();
    Ok(conn.query_one(&query).await?.is_some())
}

/// Whether `group` is `parent` or above it: then `parent` is below `group`, and the edge
/// (`group` → `parent`) would close a cycle. Walks up from `parent` over the edges this
/// transaction sees.
async fn is_at_or_above(
    conn: &impl ConnectionTrait,
    group: GroupId,
    parent: GroupId,
) -> Result<bool, DbErr> {
    let sql = "WITH RECURSIVE above (id) AS ( \
               SELECT parent_id FROM group_parents WHERE child_id = ? \
               UNION \
               SELECT e.parent_id FROM group_parents e INNER JOIN above a ON e.child_id = a.id) \
               SELECT 1 AS hit FROM above WHERE id = ?";
    let values = [parent.as_uuid().into(), group.as_uuid().into()];
    let found = conn
        .query_one_raw(statement(conn.get_database_backend(), sql, values))
        .await?;
    Ok(found.is_some())
}

/// Removes an edge under the graph lock; whether it existed.
pub(super) async fn remove_parent(
    db: &DatabaseConnection,
    child: GroupId,
    parent: GroupId,
) -> Result<bool, StoreError> {
    let txn = begin_write(db).await.map_err(store_error)?;
    lock_graph(&txn).await.map_err(store_error)?;
    let delete = Query::delete()
        .from_table(table("group_parents"))
        .and_where(Expr::col(table("child_id")).eq(child.as_uuid()))
        .and_where(Expr::col(table("parent_id")).eq(parent.as_uuid()))
        .to_owned();
    let removed = txn.execute(&delete).await.map_err(store_error)?;
    txn.commit().await.map_err(store_error)?;
    Ok(removed.rows_affected() > 0)
}

/// G2: makes the user a direct member; an existing membership is kept as it is.
pub(super) async fn add_member(
    db: &DatabaseConnection,
    group: GroupId,
    user: UserId,
) -> Result<(), LinkError> {
    let insert = insert_row(
        "memberships",
        ["user_id", "group_id"],
        [user.as_uuid().into(), group.as_uuid().into()],
    )
    .map_err(unexpected)?;
    let Err(error) = db.execute(&insert).await else {
        return Ok(());
    };
    match violation(&error) {
        // The primary key (user, group): the user is a member already.
        Some(Violation::Unique(_)) => Ok(()),
        Some(Violation::ForeignKey(_)) => {
            let groups = existing_groups(db, &[group.as_uuid()])
                .await
                .map_err(unexpected)?;
            if groups.is_empty() {
                Err(LinkError::UnknownGroup(group))
            } else {
                Err(LinkError::UnknownUser)
            }
        }
        None => Err(LinkError::Unexpected(unexpected(error))),
    }
}

/// Ends a direct membership; whether it existed.
pub(super) async fn remove_member(
    db: &DatabaseConnection,
    group: GroupId,
    user: UserId,
) -> Result<bool, StoreError> {
    let delete = Query::delete()
        .from_table(table("memberships"))
        .and_where(Expr::col(table("group_id")).eq(group.as_uuid()))
        .and_where(Expr::col(table("user_id")).eq(user.as_uuid()))
        .to_owned();
    let removed = db.execute(&delete).await.map_err(store_error)?;
    Ok(removed.rows_affected() > 0)
}

/// A page of the group's direct members, in user id order.
pub(super) async fn members(
    db: &DatabaseConnection,
    group: GroupId,
    request: PageRequest,
) -> Result<Page<User>, StoreError> {
    let Ok(after) = page::after(request.cursor.as_deref()) else {
        return Ok(Page::empty());
    };
    let direct_members = Query::select()
        .column(table("user_id"))
        .from(table("memberships"))
        .and_where(Expr::col(table("group_id")).eq(group.as_uuid()))
        .to_owned();
    // The user store's own entity and mapping: a member reads exactly as `get` reads it.
    let mut query = user_row::Entity::find()
        .filter(user_row::Column::Id.in_subquery(direct_members))
        .order_by_asc(user_row::Column::Id)
        .limit(page::fetch_limit(request.limit));
    if let Some(after) = after {
        query = query.filter(user_row::Column::Id.gt(after));
    }
    let rows = query.all(db).await.map_err(store_error)?;
    let members = user_row::to_users(rows)?;
    Ok(page::page_of(members, request.limit, |u| u.id.as_uuid()))
}
