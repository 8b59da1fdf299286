//! Reading grants: per holder (decisions), one by id, and filtered keyset pages (lists).

use super::entity::{COLUMNS, Column, Entity, Model};
use super::key::subject_key;
use super::rows::{grant_of, grants_of};
use crate::error::store_error;
use crate::groups::chunks::{chunks, merged_rows};
use crate::groups::sql::statement;
use crate::page;
use roster_domain::authz::{Grant, Visibility};
use roster_domain::ids::{GrantId, GroupId, UserId};
use roster_domain::ports::grants::GrantFilter;
use roster_domain::ports::{Page, PageRequest, StoreError};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The user's own grants and those of every group it is a direct member of or that is above
/// one of those (G4), walking `group_parents` up in the database; a `groups` scope's groups
/// come in the same statement (one row per scope group), so this is one round trip.
pub(super) async fn for_user(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<Vec<Grant>, StoreError> {
    let sql = format!(
        "WITH RECURSIVE above (id) AS ( \
         SELECT group_id FROM memberships WHERE user_id = ? \
         UNION \
         SELECT e.parent_id FROM group_parents e INNER JOIN above a ON e.child_id = a.id) \
         SELECT {COLUMNS}, s.group_id AS scope_group_id FROM grants g \
         LEFT JOIN grant_scope_groups s ON s.grant_id = g.id \
         WHERE g.subject_user_id = ? OR g.subject_group_id IN (SELECT id FROM above) \
         ORDER BY g.id"
    );
    let values = [user.as_uuid().into(), user.as_uuid().into()];
    let rows = conn
        .query_all_raw(statement(conn.get_database_backend(), &sql, values))
        .await
        .map_err(store_error)?;
    let mut grants: Vec<(Model, BTreeSet<GroupId>)> = Vec::new();
    for row in rows {
        let model = Model::from_query_result(&row, "").map_err(store_error)?;
        let scope_group: Option<Uuid> = row.try_get("", "scope_group_id").map_err(store_error)?;
        let scope_group = scope_group.map(GroupId::from_uuid);
        match grants.last_mut() {
            Some((last, groups)) if last.id == model.id => groups.extend(scope_group),
            _ => grants.push((model, scope_group.into_iter().collect())),
        }
    }
    Ok(grants
        .into_iter()
        .map(|(model, groups)| grant_of(model, groups))
        .collect::<Result<_, _>>()?)
}

/// The grants held by any of the groups, in id order.
pub(super) async fn for_groups(
    conn: &impl ConnectionTrait,
    groups: BTreeSet<GroupId>,
) -> Result<Vec<Grant>, StoreError> {
    let set = groups.iter().map(GroupId::as_uuid).collect();
    let mut rows = Vec::new();
    for chunk in chunks(&set) {
        let found = Entity::find()
            .filter(Column::SubjectGroupId.is_in(chunk))
            .order_by_asc(Column::Id)
            .all(conn)
            .await
            .map_err(store_error)?;
        rows.extend(found);
    }
    rows.sort_by_key(|r| r.id);
    Ok(grants_of(conn, rows).await?)
}

/// One grant.
pub(super) async fn get(
    conn: &impl ConnectionTrait,
    id: GrantId,
) -> Result<Option<Grant>, StoreError> {
    let Some(row) = Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await
        .map_err(store_error)?
    else {
        return Ok(None);
    };
    Ok(grants_of(conn, vec![row]).await?.pop())
}

/// A page of grants matching the filter, in id order (an invalid cursor gives an empty
/// page: the port has no cursor error).
pub(super) async fn list(
    conn: &impl ConnectionTrait,
    filter: GrantFilter,
    request: PageRequest,
) -> Result<Page<Grant>, StoreError> {
    let Ok(after) = page::after(request.cursor.as_deref()) else {
        return Ok(Page::empty());
    };
    let mut base = Entity::find()
        .order_by_asc(Column::Id)
        .limit(page::fetch_limit(request.limit));
    if let Some(subject) = filter.subject {
        base = base.filter(Column::SubjectKey.eq(subject_key(subject)));
    }
    if let Some(privilege) = filter.privilege {
        base = base.filter(Column::Privilege.eq(privilege.as_str()));
    }
    if let Some(after) = after {
        base = base.filter(Column::Id.gt(after));
    }
    let rows: Vec<Model> = match filter.visibility {
        Visibility::Nothing => return Ok(Page::empty()),
        Visibility::All => base.all(conn).await.map_err(store_error)?,
        Visibility::Groups(set) => {
            let set = set.iter().map(GroupId::as_uuid).collect();
            let mut rows = Vec::new();
            for chunk in chunks(&set) {
                let select = base.clone().filter(visible_to(chunk));
                rows.extend(select.all(conn).await.map_err(store_error)?);
            }
            merged_rows(rows, request.limit, |r: &Model| r.id)
        }
    };
    let grants = grants_of(conn, rows).await?;
    Ok(page::page_of(grants, request.limit, |g| g.id.as_uuid()))
}

/// P4: held by one of the groups, or by a user who is a direct member of one of them.
fn visible_to(groups: Vec<Uuid>) -> sea_orm::sea_query::SimpleExpr {
    let members = Query::select()
        .column(Alias::new("user_id"))
        .from(Alias::new("memberships"))
        .and_where(Expr::col(Alias::new("group_id")).is_in(groups.iter().copied()))
        .to_owned();
    Expr::col(Column::SubjectGroupId)
        .is_in(groups)
        .or(Expr::col(Column::SubjectUserId).in_subquery(members))
}
