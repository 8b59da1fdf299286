//! Reading registration URLs with their codes, in the administrator's order.

use crate::convert::instant;
use crate::error::{corrupt, unexpected};
use crate::page::{after, fetch_limit, page_of};
use crate::registration::codes::{auth_code, parse_status};
use crate::registration::rows::{code, url};
use roster_domain::Unexpected;
use roster_domain::ids::{GroupId, RegistrationUrlId};
use roster_domain::ports::registration::UrlFilter;
use roster_domain::ports::{Page, PageRequest};
use roster_domain::registration::{AuthCodes, RegistrationUrl, UrlToken};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The URL rows `select` finds, each with its codes.
async fn with_codes(
    conn: &impl ConnectionTrait,
    rows: Vec<url::Model>,
) -> Result<Vec<RegistrationUrl>, Unexpected> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut codes: BTreeMap<Uuid, Vec<code::Model>> = BTreeMap::new();
    if !ids.is_empty() {
        let found = code::Entity::find()
            .filter(code::Column::UrlId.is_in(ids))
            .order_by_asc(code::Column::UrlId)
            .order_by_asc(code::Column::Position)
            .all(conn)
            .await
            .map_err(unexpected)?;
        for row in found {
            codes.entry(row.url_id).or_default().push(row);
        }
    }
    rows.into_iter()
        .map(|row| {
            let mine = codes.remove(&row.id).unwrap_or_default();
            registration_url(row, &mine)
        })
        .collect()
}

fn registration_url(row: url::Model, codes: &[code::Model]) -> Result<RegistrationUrl, Unexpected> {
    let codes = codes.iter().map(auth_code).collect::<Result<Vec<_>, _>>()?;
    Ok(RegistrationUrl {
        id: RegistrationUrlId::from_uuid(row.id),
        group_id: GroupId::from_uuid(row.group_id),
        token: UrlToken::parse(&row.token).map_err(|e| corrupt("registration URL token", e))?,
        status: parse_status(&row.status)?,
        codes: AuthCodes::new(codes).map_err(|e| corrupt("registration codes", e))?,
        created_at: instant(row.created_at)?,
    })
}

/// The one URL matching `condition`, or `None`.
pub(super) async fn one(
    conn: &impl ConnectionTrait,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> Result<Option<RegistrationUrl>, Unexpected> {
    let row = url::Entity::find()
        .filter(condition)
        .one(conn)
        .await
        .map_err(unexpected)?;
    let found = with_codes(conn, row.into_iter().collect()).await?;
    Ok(found.into_iter().next())
}

/// A page of URLs by id (creation order); a cursor that is no id gives an empty page.
pub(super) async fn list(
    conn: &impl ConnectionTrait,
    filter: &UrlFilter,
    page: &PageRequest,
) -> Result<Page<RegistrationUrl>, Unexpected> {
    let Ok(start) = after(page.cursor.as_deref()) else {
        return Ok(Page::empty());
    };
    let mut select = url::Entity::find();
    if let Some(groups) = &filter.group_ids {
        select = select.filter(url::Column::GroupId.is_in(groups.iter().map(GroupId::as_uuid)));
    }
    if let Some(status) = filter.status {
        select = select.filter(url::Column::Status.eq(status.as_str()));
    }
    if let Some(start) = start {
        select = select.filter(url::Column::Id.gt(start));
    }
    let rows = select
        .order_by_asc(url::Column::Id)
        .limit(fetch_limit(page.limit))
        .all(conn)
        .await
        .map_err(unexpected)?;
    let urls = with_codes(conn, rows).await?;
    Ok(page_of(urls, page.limit, |u| u.id.as_uuid()))
}
