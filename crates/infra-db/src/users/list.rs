//! The user list (P4, U1): one query with every filter, paged by id; and the U10 lookup by
//! email.

use super::row::{self, Column, Entity, email_key};
use crate::error::store_error;
use crate::page::{after, fetch_limit, page_of};
use roster_domain::authz::Visibility;
use roster_domain::ids::GroupId;
use roster_domain::ports::users::UserFilter;
use roster_domain::ports::{Page, PageRequest, StoreError};
use roster_domain::user::{Email, User};
use sea_orm::ExprTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{Condition, DatabaseConnection, QueryOrder, QuerySelect};
use std::collections::BTreeSet;

/// The LIKE escape character; not `\`, which MySQL string literals treat specially.
const ESCAPE: char = '!';

/// Group ids per IN list, so a large visibility set stays within what backends take in one
/// list.
const IDS_PER_LIST: usize = 1_000;

pub(super) async fn list(
    db: &DatabaseConnection,
    filter: UserFilter,
    page: PageRequest,
) -> Result<Page<User>, StoreError> {
    // The port has no cursor error: a cursor that is not ours reads as the end of the list.
    let Ok(start) = after(page.cursor.as_deref()) else {
        return Ok(Page::empty());
    };
    let Some(condition) = condition(&filter) else {
        return Ok(Page::empty());
    };
    let mut query = Entity::find().filter(condition);
    if let Some(start) = start {
        query = query.filter(Column::Id.gt(start));
    }
    let rows = query
        .order_by_asc(Column::Id)
        .limit(fetch_limit(page.limit))
        .all(db)
        .await
        .map_err(store_error)?;
    Ok(page_of(row::to_users(rows)?, page.limit, |u| {
        u.id.as_uuid()
    }))
}

/// The WHERE of `filter`, or `None` when nothing can match (no query is needed).
fn condition(filter: &UserFilter) -> Option<Condition> {
    let mut all = Condition::all();
    match &filter.visibility {
        Visibility::All => {}
        Visibility::Nothing => return None,
        Visibility::Groups(groups) => all = all.add(member_of_any(groups)?),
    }
    if let Some(groups) = &filter.in_groups {
        all = all.add(member_of_any(groups)?);
    }
    if let Some(status) = filter.status {
        all = all.add(Column::Status.eq(status.as_str()));
    }
    if let Some(q) = &filter.q {
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        // The keys hold the folded values, so the match ignores case alike on every backend.
        all = all.add(
            Condition::any()
                .add(Column::LoginKey.like(LikeExpr::new(pattern.clone()).escape(ESCAPE)))
                .add(Column::NameKey.like(LikeExpr::new(pattern.clone()).escape(ESCAPE)))
                .add(Column::EmailKey.like(LikeExpr::new(pattern).escape(ESCAPE))),
        );
    }
    Some(all)
}

/// `EXISTS (SELECT 1 FROM memberships WHERE user_id = users.id AND group_id IN (…))`, or
/// `None` for an empty set (a direct member of none of no groups: nobody).
fn member_of_any(groups: &BTreeSet<GroupId>) -> Option<Condition> {
    if groups.is_empty() {
        return None;
    }
    let ids: Vec<Uuid> = groups.iter().map(GroupId::as_uuid).collect();
    let mut in_any = Condition::any();
    for chunk in ids.chunks(IDS_PER_LIST) {
        in_any = in_any.add(Expr::col(("memberships", "group_id")).is_in(chunk.iter().copied()));
    }
    let members = Query::select()
        .expr(Expr::val(1))
        .from("memberships")
        .cond_where(
            Condition::all()
                .add(Expr::col(("memberships", "user_id")).equals(("users", "id")))
                .add(in_any),
        )
        .to_owned();
    Some(Condition::all().add(Expr::exists(members)))
}

/// `text` with the LIKE wildcards and the escape character taken literally.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ESCAPE || c == '%' || c == '_' {
            out.push(ESCAPE);
        }
        out.push(c);
    }
    out
}

pub(super) async fn find_by_email(
    db: &DatabaseConnection,
    email: &Email,
    limit: u32,
) -> Result<Vec<User>, StoreError> {
    let rows = Entity::find()
        .filter(Column::EmailKey.eq(email_key(email)))
        .order_by_asc(Column::Id)
        .limit(u64::from(limit))
        .all(db)
        .await
        .map_err(store_error)?;
    Ok(row::to_users(rows)?)
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(escape_like("50%_off!"), "50!%!_off!!");
        assert_eq!(escape_like("plain"), "plain");
    }
}
