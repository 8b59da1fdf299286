//! Ports.

pub mod integrations;
pub mod mail;
pub mod records;
pub mod registration;
pub mod sessions;
pub mod tokens;

/// A page request for keyset pagination.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageRequest {
    /// Most items to return.
    pub limit: u32,
    /// Where the previous page ended.
    pub cursor: Option<String>,
}

/// One page of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Cursor of the next page; `None` on the last.
    pub next_cursor: Option<String>,
}
