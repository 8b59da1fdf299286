//! Ports: the capabilities the domain needs from outside (storage, hashing, audit), one small
//! trait each, so a host LMS plugs in its own adapters and tests plug in mocks.
//!
//! Shared here: keyset pagination ([`PageRequest`], [`Page`]) and [`StoreError`], the error
//! of reads that can only fail unexpectedly.

pub mod audit;
pub mod delivery;
pub mod fields;
pub mod grants;
pub mod groups;
pub mod imports;
pub mod integrations;
pub mod jobs;
pub mod mail;
pub mod password;
pub mod records;
pub mod registration;
pub mod sessions;
pub mod templates;
pub mod tokens;
pub mod users;

use crate::error::{ErrorCode, Unexpected};
use serde::Serialize;

/// The page size when the client names none.
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// The largest page a client may ask for: bounds the work of one request.
pub const MAX_PAGE_LIMIT: u32 = 500;

/// One page of a list: how many items, and where to resume (keyset pagination).
///
/// Build it with [`PageRequest::new`] (which clamps the limit to `1..=500`); services clamp
/// again before calling a port, so adapters may trust `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// Most items to return, `1..=500` once clamped.
    pub limit: u32,
    /// The opaque `next_cursor` of the previous page; `None` for the first page.
    pub cursor: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_PAGE_LIMIT,
            cursor: None,
        }
    }
}

impl PageRequest {
    /// A page request with the limit clamped to `1..=500` (`None` means 50).
    pub fn new(limit: Option<u32>, cursor: Option<String>) -> Self {
        Self {
            limit: limit.unwrap_or(DEFAULT_PAGE_LIMIT).clamp(1, MAX_PAGE_LIMIT),
            cursor,
        }
    }

    /// The first page of `limit` items (clamped).
    pub fn first(limit: u32) -> Self {
        Self::new(Some(limit), None)
    }

    /// The same request with its limit clamped, for requests built field by field.
    pub fn clamped(self) -> Self {
        Self::new(Some(self.limit), self.cursor)
    }
}

/// A page of results and the cursor of the next one (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// The items, in the list's stable order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` when there is no more.
    pub next_cursor: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<T> Page<T> {
    /// A page with nothing in it and nothing after it.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next_cursor: None,
        }
    }

    /// The same page with every item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// The error of a port call whose only failure is an unexpected one (a read, an idempotent
/// write): the store is down or broken.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for StoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for Unexpected {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unexpected(inner) => inner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_request_clamps_limit() {
        assert_eq!(PageRequest::new(None, None).limit, DEFAULT_PAGE_LIMIT);
        assert_eq!(PageRequest::new(Some(0), None).limit, 1);
        assert_eq!(PageRequest::new(Some(10_000), None).limit, MAX_PAGE_LIMIT);
        assert_eq!(PageRequest::first(20).limit, 20);
        assert_eq!(PageRequest::default().limit, DEFAULT_PAGE_LIMIT);
        let raw = PageRequest {
            limit: 0,
            cursor: Some("c".into()),
        };
        assert_eq!(
            raw.clamped(),
            PageRequest {
                limit: 1,
                cursor: Some("c".into())
            }
        );
    }

    #[test]
    fn page_maps_items_and_keeps_cursor() {
        let page = Page {
            items: vec![1, 2],
            next_cursor: Some("n".to_owned()),
        };
        let mapped = page.map(|x| x * 10);
        assert_eq!(mapped.items, vec![10, 20]);
        assert_eq!(mapped.next_cursor.as_deref(), Some("n"));
        assert_eq!(Page::<u8>::default(), Page::empty());
    }
}
