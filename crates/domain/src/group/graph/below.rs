//! "Is this target group at or below that scope group?" in one bit test (G4, P3).
//!
//! Each group may carry a lazily built bitset of every slot at or below it (its "row"). Only
//! groups asked about as scope groups — the tops of grant scopes and the direct groups of
//! `member_groups` holders, few in practice — ever get one, so memory follows the grants,
//! not the square of the graph. Rows are built on first use under a byte budget (beyond it,
//! a binary search in the target's closure answers the same question), and a change to the
//! graph drops the rows of every group whose set of descendants it may change.

use super::{Entry, GroupGraph};
use crate::ids::GroupId;
use std::sync::atomic::{AtomicUsize, Ordering};

/// At most this many bytes of rows per graph: all of them up to ~23,000 groups, and still
/// 1,000 rows of a 500,000-group graph.
const ROW_BUDGET: usize = 64 << 20;

/// The bytes of rows built so far. Atomic because rows are built through `&self` (decisions
/// share the graph across threads).
#[derive(Debug, Default)]
pub(super) struct RowBytes {
    used: AtomicUsize,
    /// Lowered by tests to exercise the fallback.
    budget: Option<usize>,
}

impl Clone for RowBytes {
    fn clone(&self) -> Self {
        Self {
            used: AtomicUsize::new(self.used.load(Ordering::Relaxed)),
            budget: self.budget,
        }
    }
}

impl RowBytes {
    /// Reserves `bytes`; false when the budget would be exceeded.
    fn reserve(&self, bytes: usize) -> bool {
        let budget = self.budget.unwrap_or(ROW_BUDGET);
        let before = self.used.fetch_add(bytes, Ordering::Relaxed);
        if before + bytes > budget {
            self.used.fetch_sub(bytes, Ordering::Relaxed);
            return false;
        }
        true
    }

    fn release(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::Relaxed);
    }
}

impl GroupGraph {
    /// The slots of the known groups among `groups` (unknown groups are below nothing).
    pub(crate) fn slots_of(&self, groups: impl IntoIterator<Item = GroupId>) -> Vec<u32> {
        groups.into_iter().filter_map(|g| self.slot(g)).collect()
    }

    /// G4: whether one of `slots` is `ancestor` or below it.
    pub(crate) fn any_below(&self, ancestor: GroupId, slots: &[u32]) -> bool {
        let Some(entry) = self.slots.get(&ancestor.as_uuid().as_u128()) else {
            return false;
        };
        let a = entry.slot;
        match self.row(entry) {
            Some(row) => slots.iter().any(|s| {
                let (w, bit) = (*s as usize / 64, 1u64 << (s % 64));
                // Slots added after the row was built are past its end, and below nothing
                // of it: a new group starts with no parent, and linking drops the rows.
                row.get(w).is_some_and(|word| word & bit != 0)
            }),
            None => slots
                .iter()
                .any(|s| self.closure(*s).binary_search(&a).is_ok()),
        }
    }

    /// G4: whether one of `groups` is `ancestor` or below it — "is a user in these groups a
    /// member of `ancestor`?".
    pub(crate) fn is_any_within(
        &self,
        groups: impl IntoIterator<Item = GroupId>,
        ancestor: GroupId,
    ) -> bool {
        self.any_below(ancestor, &self.slots_of(groups))
    }

    /// The row of a live group, built now if needed; `None` when the budget is spent.
    fn row<'g>(&'g self, entry: &'g Entry) -> Option<&'g [u64]> {
        let cell = &entry.below;
        if let Some(row) = cell.get() {
            return Some(row);
        }
        let bytes = self.nodes.len().div_ceil(64) * 8;
        if !self.row_bytes.reserve(bytes) {
            return None;
        }
        let mut built = false;
        let row = cell.get_or_init(|| {
            built = true;
            self.below_bits(entry.slot).into_boxed_slice()
        });
        if !built {
            // Another thread built it first; its reservation stands, not ours.
            self.row_bytes.release(bytes);
        }
        Some(row)
    }

    /// Drops the rows of `slots`: their sets of descendants may have changed.
    pub(super) fn forget_rows(&mut self, slots: impl IntoIterator<Item = u32>) {
        for s in slots {
            let key = self.nodes[s as usize].id.as_uuid().as_u128();
            let row = self.slots.get_mut(&key).and_then(|e| e.below.take());
            if let Some(row) = row {
                self.row_bytes.release(row.len() * 8);
            }
        }
    }

    /// Drops the rows of `slot` and of every group above it (the groups whose descendants
    /// change when `slot` gains or loses a parent, or disappears).
    pub(super) fn forget_rows_above(&mut self, slot: u32) {
        let above = self.closure(slot).to_vec();
        self.forget_rows(above);
    }

    #[cfg(test)]
    pub(super) fn set_row_budget(&mut self, bytes: usize) {
        self.row_bytes.budget = Some(bytes);
    }

    #[cfg(test)]
    pub(super) fn row_bytes_used(&self) -> usize {
        self.row_bytes.used.load(Ordering::Relaxed)
    }
}
