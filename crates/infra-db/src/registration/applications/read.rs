//! Reading applications: rows to domain values with their groups, and the A4 list.

use crate::convert::{from_json, instant, instant_opt, micros};
use crate::error::{corrupt, unexpected};
use crate::page::{after, fetch_limit, page_of};
use crate::registration::rows::{application, application_group};
use roster_domain::Unexpected;
use roster_domain::ids::{ApplicationId, GroupId, RegistrationUrlId, UserId};
use roster_domain::ports::registration::ApplicationFilter;
use roster_domain::ports::{Page, PageRequest};
use roster_domain::registration::{Application, ApplicationStatus, PasswordHashString};
use roster_domain::user::login_id::fold;
use roster_domain::user::{DisplayName, Email, LoginId};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The stored status word.
pub(super) fn parse_status(word: &str) -> Result<ApplicationStatus, Unexpected> {
    ApplicationStatus::parse(word).ok_or_else(|| corrupt("application status", word))
}

/// The groups of each application among `ids`.
async fn groups_of(
    conn: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<BTreeMap<Uuid, BTreeSet<GroupId>>, Unexpected> {
    let mut groups: BTreeMap<Uuid, BTreeSet<GroupId>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(groups);
    }
    let rows = application_group::Entity::find()
        .filter(application_group::Column::ApplicationId.is_in(ids))
        .all(conn)
        .await
        .map_err(unexpected)?;
    for row in rows {
        groups
            .entry(row.application_id)
            .or_default()
            .insert(GroupId::from_uuid(row.group_id));
    }
    Ok(groups)
}

fn to_domain(
    row: application::Model,
    group_ids: BTreeSet<GroupId>,
) -> Result<Application, Unexpected> {
    Ok(Application {
        id: ApplicationId::from_uuid(row.id),
        login_id: LoginId::parse(&row.login_id).map_err(|e| corrupt("application login ID", e))?,
        name: DisplayName::parse(&row.name).map_err(|e| corrupt("application name", e))?,
        email: Email::parse(&row.email).map_err(|e| corrupt("application email", e))?,
        attributes: from_json("application attributes", &row.attributes)?,
        group_ids,
        registration_url_id: row.registration_url_id.map(RegistrationUrlId::from_uuid),
        status: parse_status(&row.status)?,
        applied_at: instant(row.applied_at)?,
        activated_at: instant_opt(row.activated_at)?,
        decided_at: instant_opt(row.decided_at)?,
        decided_by: row.decided_by.map(UserId::from_uuid),
        password_hash: PasswordHashString::new(row.password_hash),
    })
}

/// The rows as applications, each with its groups, in the same order.
pub(super) async fn with_groups(
    conn: &impl ConnectionTrait,
    rows: Vec<application::Model>,
) -> Result<Vec<Application>, Unexpected> {
    let mut groups = groups_of(conn, rows.iter().map(|r| r.id).collect()).await?;
    rows.into_iter()
        .map(|row| {
            let mine = groups.remove(&row.id).unwrap_or_default();
            to_domain(row, mine)
        })
        .collect()
}

/// `%text%` for LIKE on a folded `…_key` column, with the wildcards in `text` escaped (by
/// `!`, which no backend's string literals treat specially).
fn contains(text: &str) -> LikeExpr {
    let mut pattern = String::from("%");
    for c in fold(text).chars() {
        if matches!(c, '%' | '_' | '!') {
            pattern.push('!');
        }
        pattern.push(c);
    }
    pattern.push('%');
    LikeExpr::new(pattern).escape('!')
}

/// A4: a page of applications matching the filter, newest first (descending ids); a cursor
/// that is no id gives an empty page.
pub(super) async fn list(
    conn: &impl ConnectionTrait,
    filter: &ApplicationFilter,
    page: &PageRequest,
) -> Result<Page<Application>, Unexpected> {
    let Ok(start) = after(page.cursor.as_deref()) else {
        return Ok(Page::empty());
    };
    let mut select = application::Entity::find();
    if let Some(status) = filter.status {
        select = select.filter(application::Column::Status.eq(status.as_str()));
    }
    if let Some(text) = &filter.login_id {
        select = select.filter(Expr::col(application::Column::LoginKey).like(contains(text)));
    }
    if let Some(text) = &filter.email {
        select = select.filter(Expr::col(application::Column::EmailKey).like(contains(text)));
    }
    if let Some(from) = filter.applied_from {
        select = select.filter(application::Column::AppliedAt.gte(micros(from)));
    }
    if let Some(to) = filter.applied_to {
        select = select.filter(application::Column::AppliedAt.lt(micros(to)));
    }
    if let Some(groups) = &filter.group_ids {
        let joining = Query::select()
            .column(application_group::Column::ApplicationId)
            .from(application_group::Entity)
            .and_where(
                Expr::col(application_group::Column::GroupId)
                    .is_in(groups.iter().map(GroupId::as_uuid)),
            )
            .to_owned();
        select = select.filter(application::Column::Id.in_subquery(joining));
    }
    if let Some(start) = start {
        select = select.filter(application::Column::Id.lt(start));
    }
    let rows = select
        .order_by_desc(application::Column::Id)
        .limit(fetch_limit(page.limit))
        .all(conn)
        .await
        .map_err(unexpected)?;
    let items = with_groups(conn, rows).await?;
    Ok(page_of(items, page.limit, |a| a.id.as_uuid()))
}
