//! Cursors of "newest first" pages: the last row's instant and id, so rows sharing an
//! instant still page in a stable order, whatever order they were added in.

use uuid::Uuid;

/// Where a newest-first page starts: strictly after (older than) this instant and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NewestCursor {
    /// The last row's instant, in stored microseconds.
    pub(crate) at: i64,
    /// The last row's id.
    pub(crate) id: Uuid,
}

impl NewestCursor {
    /// The cursor text: `<microseconds>_<uuid>`.
    pub(crate) fn encode(self) -> String {
        format!("{}_{}", self.at, self.id)
    }

    /// A cursor this store issued; `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (at, id) = text.split_once('_')?;
        Some(Self {
            at: at.parse().ok()?,
            id: Uuid::try_parse(id).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor = NewestCursor {
            at: -42,
            id: Uuid::now_v7(),
        };
        assert_eq!(NewestCursor::parse(&cursor.encode()), Some(cursor));
        assert_eq!(NewestCursor::parse("nope"), None);
        assert_eq!(NewestCursor::parse("1_nope"), None);
        assert_eq!(NewestCursor::parse(&cursor.id.to_string()), None);
    }
}
