//! The union of the ancestor closures of a few groups, built once per decision, so testing
//! "is this target below scope group r?" for every grant is one lookup instead of a search
//! per (target group, scope group) pair.

use super::GroupGraph;
use crate::ids::GroupId;

/// Some groups with every group above them (each group counts as above itself).
#[derive(Debug)]
pub(crate) struct UpSet<'g> {
    graph: &'g GroupGraph,
    repr: Repr<'g>,
}

#[derive(Debug)]
enum Repr<'g> {
    /// One group: its stored closure, borrowed (no work at all).
    Slice(&'g [u32]),
    /// Few ancestors in a large graph: a sorted list is cheaper than a bitset as wide as
    /// the graph.
    Sorted(Vec<u32>),
    /// Many ancestors: one bit per group slot.
    Bits(Vec<u64>),
}

impl<'g> UpSet<'g> {
    /// The union of the closures of `groups`; unknown groups add nothing.
    pub(crate) fn new(graph: &'g GroupGraph, groups: impl IntoIterator<Item = GroupId>) -> Self {
        let closures: Vec<&'g [u32]> = groups
            .into_iter()
            .filter_map(|g| graph.slot(g))
            .map(|s| graph.closure(s))
            .collect();
        let repr = match closures.as_slice() {
            [] => Repr::Slice(&[]),
            [one] => Repr::Slice(one),
            many => {
                let total: usize = many.iter().map(|c| c.len()).sum();
                let words = graph.slot_count().div_ceil(64);
                // A bitset costs zeroing `words` plus one store per ancestor; a sorted list
                // costs a sort of `total`. Sorting wins only when the graph dwarfs the union.
                if total * 16 < words {
                    let mut all: Vec<u32> = many.iter().flat_map(|c| c.iter().copied()).collect();
                    all.sort_unstable();
                    all.dedup();
                    Repr::Sorted(all)
                } else {
                    let mut bits = vec![0u64; words];
                    for &slot in many.iter().flat_map(|c| c.iter()) {
                        let s = slot as usize;
                        bits[s / 64] |= 1 << (s % 64);
                    }
                    Repr::Bits(bits)
                }
            }
        };
        Self { graph, repr }
    }

    /// Whether `g` is one of the groups or above one of them.
    pub(crate) fn contains(&self, g: GroupId) -> bool {
        self.graph.slot(g).is_some_and(|s| self.contains_slot(s))
    }

    fn contains_slot(&self, slot: u32) -> bool {
        match &self.repr {
            Repr::Slice(sorted) => sorted.binary_search(&slot).is_ok(),
            Repr::Sorted(sorted) => sorted.binary_search(&slot).is_ok(),
            Repr::Bits(bits) => {
                let s = slot as usize;
                bits.get(s / 64).is_some_and(|w| w & (1 << (s % 64)) != 0)
            }
        }
    }
}
