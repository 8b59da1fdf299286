//! Reading groups: the whole graph, one group, and filtered keyset pages.

use super::chunks::{chunks, merged_rows};
use super::entity::{Column, Entity, Model};
use crate::error::{corrupt, store_error};
use crate::page;
use roster_domain::authz::Visibility;
use roster_domain::group::graph::GroupGraph;
use roster_domain::group::{Group, GroupName};
use roster_domain::ids::GroupId;
use roster_domain::ports::groups::GroupFilter;
use roster_domain::ports::{Page, PageRequest, StoreError};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

/// G3: every group and every edge, in one query: each group joined to its parents (a group
/// without parents comes once, with no parent). Every edge's child is a group (foreign
/// key), so the join sees every edge.
pub(super) async fn graph(db: &impl ConnectionTrait) -> Result<GroupGraph, StoreError> {
    let edges = Alias::new("group_parents");
    let query = Query::select()
        .column((Entity, Column::Id))
        .column((edges.clone(), Alias::new("parent_id")))
        .from(Entity)
        .left_join(
            edges.clone(),
            Expr::col((edges, Alias::new("child_id"))).equals((Entity, Column::Id)),
        )
        .to_owned();
    let mut ids = Vec::new();
    let mut pairs = Vec::new();
    for row in db.query_all(&query).await.map_err(store_error)? {
        let child: Uuid = row.try_get("", "id").map_err(store_error)?;
        let parent: Option<Uuid> = row.try_get("", "parent_id").map_err(store_error)?;
        let child = GroupId::from_uuid(child);
        ids.push(child);
        if let Some(parent) = parent {
            pairs.push((child, GroupId::from_uuid(parent)));
        }
    }
    ids.sort_unstable();
    ids.dedup();
    GroupGraph::from_edges(ids, pairs).map_err(|e| corrupt("group graph", e).into())
}

/// One group by id.
pub(super) async fn get(
    db: &impl ConnectionTrait,
    id: GroupId,
) -> Result<Option<Group>, StoreError> {
    let row = Entity::find_by_id(id.as_uuid())
        .one(db)
        .await
        .map_err(store_error)?;
    Ok(row.map(Group::try_from).transpose()?)
}

/// One group by its name, case-insensitively (the folded key).
pub(super) async fn get_by_name(
    db: &impl ConnectionTrait,
    name: &GroupName,
) -> Result<Option<Group>, StoreError> {
    let row = Entity::find()
        .filter(Column::NameKey.eq(name.key()))
        .one(db)
        .await
        .map_err(store_error)?;
    Ok(row.map(Group::try_from).transpose()?)
}

/// A page of groups matching the filter, in id order (an invalid cursor gives an empty page:
/// the port has no cursor error).
pub(super) async fn list(
    db: &impl ConnectionTrait,
    filter: GroupFilter,
    request: PageRequest,
) -> Result<Page<Group>, StoreError> {
    let Ok(after) = page::after(request.cursor.as_deref()) else {
        return Ok(Page::empty());
    };
    let mut base = Entity::find();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        base = base.filter(matches_text(q));
    }
    if let Some(after) = after {
        base = base.filter(Column::Id.gt(after));
    }
    let fetch = page::fetch_limit(request.limit);
    let rows = match filter.visibility {
        Visibility::Nothing => return Ok(Page::empty()),
        Visibility::All => ordered(base, fetch).all(db).await.map_err(store_error)?,
        Visibility::Groups(set) => {
            let set = set.iter().map(GroupId::as_uuid).collect();
            let mut rows = Vec::new();
            for chunk in chunks(&set) {
                let select = ordered(base.clone().filter(Column::Id.is_in(chunk)), fetch);
                rows.extend(select.all(db).await.map_err(store_error)?);
            }
            merged_rows(rows, request.limit, |r: &Model| r.id)
        }
    };
    let groups = rows
        .into_iter()
        .map(Group::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(page::page_of(groups, request.limit, |g| g.id.as_uuid()))
}

fn ordered(select: Select<Entity>, fetch: u64) -> Select<Entity> {
    select.order_by_asc(Column::Id).limit(fetch)
}

/// A case-insensitive substring of the name (through its folded key) or of the external
/// code, with `%`, `_` and `\` in the text matched literally.
fn matches_text(q: &str) -> sea_orm::sea_query::SimpleExpr {
    let folded = roster_domain::user::login_id::fold(q);
    let pattern = format!("%{}%", escape_like(&folded));
    let name = Expr::col(Column::NameKey).like(LikeExpr::new(pattern.clone()).escape('\\'));
    let code = Expr::expr(Func::lower(Expr::col(Column::ExternalCode)))
        .like(LikeExpr::new(pattern).escape('\\'));
    name.or(code)
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
