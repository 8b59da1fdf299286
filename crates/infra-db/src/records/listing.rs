//! "Newest first" pages of a table (record lists, the integration list): ordered by an
//! instant column then id, both descending, resumed after the previous page's last row.

use super::cursor::NewestCursor;
use crate::error::unexpected;
use crate::page::fetch_limit;
use roster_domain::Unexpected;
use roster_domain::ports::{Page, PageRequest};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// Why a page could not be read.
#[derive(Debug)]
pub(crate) enum PageError {
    /// The cursor is not one this store issued.
    InvalidCursor,
    /// Anything else.
    Unexpected(Unexpected),
}

/// A page of `E`'s rows matching `filter`, newest `time_column` first; `key` gives a row's
/// stored instant and id (for the next cursor).
pub(crate) async fn newest_page<E, T>(
    conn: &impl ConnectionTrait,
    filter: Expr,
    time_column: &'static str,
    page: &PageRequest,
    key: impl Fn(&T) -> NewestCursor,
) -> Result<Page<T>, PageError>
where
    E: EntityTrait,
    T: TryFrom<E::Model, Error = Unexpected>,
{
    let limit = page.limit.clamp(1, roster_domain::ports::MAX_PAGE_LIMIT);
    let time = || Expr::col(Alias::new(time_column));
    let id = || Expr::col(Alias::new("id"));
    let mut select = E::find().filter(filter);
    if let Some(text) = &page.cursor {
        let cursor = NewestCursor::parse(text).ok_or(PageError::InvalidCursor)?;
        let older = time().lt(cursor.at);
        let same_instant_lower_id = time().eq(cursor.at).and(id().lt(cursor.id));
        select = select.filter(older.or(same_instant_lower_id));
    }
    let rows = select
        .order_by(time(), Order::Desc)
        .order_by(id(), Order::Desc)
        .limit(fetch_limit(limit))
        .all(conn)
        .await
        .map_err(|e| PageError::Unexpected(unexpected(e)))?;
    let mut items = rows
        .into_iter()
        .map(T::try_from)
        .collect::<Result<Vec<T>, _>>()
        .map_err(PageError::Unexpected)?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|row| key(row).encode())
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// The cursor key of a row with an instant and an id.
pub(crate) fn key_of(at: chrono::DateTime<chrono::Utc>, id: Uuid) -> NewestCursor {
    NewestCursor {
        at: crate::convert::micros(at),
        id,
    }
}
