//! Keyset pagination: a page is the rows after the cursor's id, in id order; the cursor is
//! the last id of the previous page, so pages stay stable while rows are added.

use roster_domain::ports::Page;
use uuid::Uuid;

/// Why a cursor was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the page cursor is not valid")]
pub(crate) struct BadCursor;

/// The id a page starts after, from the client's cursor (`None`: the first page).
pub(crate) fn after(cursor: Option<&str>) -> Result<Option<Uuid>, BadCursor> {
    cursor
        .map(|c| Uuid::try_parse(c).map_err(|_| BadCursor))
        .transpose()
}

/// How many rows to fetch for a page of `limit`: one more, to know whether a next page
/// exists without counting.
pub(crate) fn fetch_limit(limit: u32) -> u64 {
    u64::from(limit) + 1
}

/// A page from rows fetched with [`fetch_limit`], in id order; `id` gives a row's id.
pub(crate) fn page_of<T>(mut rows: Vec<T>, limit: u32, id: impl Fn(&T) -> Uuid) -> Page<T> {
    let limit = limit as usize;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|row| id(row).to_string())
    } else {
        None
    };
    Page {
        items: rows,
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_points_at_its_last_row() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let page = page_of(ids.clone(), 2, |u| *u);
        assert_eq!(page.items, ids[..2]);
        assert_eq!(page.next_cursor, Some(ids[1].to_string()));
        let last = page_of(ids[..2].to_vec(), 2, |u| *u);
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn cursors_must_be_ids() {
        assert_eq!(after(None), Ok(None));
        assert_eq!(after(Some("nope")), Err(BadCursor));
        let id = Uuid::now_v7();
        assert_eq!(after(Some(&id.to_string())), Ok(Some(id)));
    }
}
