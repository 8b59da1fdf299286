//! Keyset pages over filters naming large id sets (a closure-expanded visibility): each
//! chunk of the set is queried for its first rows after the cursor, and the union, sorted by
//! id, holds the page — the first `limit + 1` rows overall are among each chunk's first
//! `limit + 1`.

use crate::groups::sql::CHUNK;
use crate::page;
use std::collections::BTreeSet;
use uuid::Uuid;

/// The set cut into statement-sized chunks.
pub(crate) fn chunks(set: &BTreeSet<Uuid>) -> Vec<Vec<Uuid>> {
    chunks_of(set, CHUNK)
}

/// The set cut into chunks of `size` (for statements naming each chunk several times).
pub(crate) fn chunks_of(set: &BTreeSet<Uuid>, size: usize) -> Vec<Vec<Uuid>> {
    let ids: Vec<Uuid> = set.iter().copied().collect();
    ids.chunks(size.max(1)).map(<[Uuid]>::to_vec).collect()
}

/// The rows of a page gathered chunk by chunk (each chunk's rows in id order, after the
/// cursor, at most `page::fetch_limit(limit)` of them): sorted, without duplicates, cut to
/// the fetch limit, ready for `page::page_of`.
pub(crate) fn merged_rows<T>(mut rows: Vec<T>, limit: u32, id: impl Fn(&T) -> Uuid) -> Vec<T> {
    rows.sort_by_key(&id);
    rows.dedup_by(|a, b| id(a) == id(b));
    let fetch = usize::try_from(page::fetch_limit(limit)).unwrap_or(usize::MAX);
    rows.truncate(fetch);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_rows_are_sorted_deduplicated_and_cut() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let rows = vec![ids[2], ids[0], ids[2], ids[3], ids[1]];
        assert_eq!(merged_rows(rows, 2, |u| *u), ids[..3]);
    }
}
