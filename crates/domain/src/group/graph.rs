//! The group graph (G3–G5): groups nest under any number of parents, a change that would
//! make a cycle is refused, and "below" is answered from a precomputed closure so every
//! authorization decision is a lookup, not a walk.
//!
//! Groups are interned to dense `u32` slots; each keeps its closure (itself and every group
//! above it) as a sorted `Vec<u32>`. That keeps memory proportional to the real ancestor
//! counts (small in practice, a few hundred in a random 10,000-group DAG). Groups used as
//! scope groups also get, lazily, a bitset of everything below them (see `below`), so the
//! question a decision asks most — "is the target below this scope group?" — is one bit test.

mod below;
mod closure;
mod hash;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use crate::error::ErrorCode;
use crate::ids::GroupId;
use closure::merge_sorted;
use hash::IdBuild;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// A directed acyclic graph of groups with its ancestor closure.
#[derive(Debug, Clone, Default)]
pub struct GroupGraph {
    /// Group id (as u128) to its slot and row: one probe answers both, which matters because
    /// a decision makes one per scope group and each extra memory hop is a likely cache miss.
    slots: HashMap<u128, Entry, IdBuild>,
    /// Indexed by slot; a freed slot is cleared and listed in `free` for reuse.
    nodes: Vec<Node>,
    free: Vec<u32>,
    /// What the rows of `Entry::below` weigh, against their budget.
    row_bytes: below::RowBytes,
}

#[derive(Debug, Clone)]
struct Node {
    id: GroupId,
    parents: Vec<u32>,
    children: Vec<u32>,
    /// Sorted slots of the group itself and every group above it.
    closure: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Entry {
    slot: u32,
    /// Built on first use as a scope group: one bit per slot at or below this group.
    below: OnceLock<Box<[u64]>>,
}

/// Why a change to the graph was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GroupGraphError {
    /// The group is not in the graph.
    #[error("group {0} does not exist")]
    UnknownGroup(GroupId),
    /// A group cannot be its own parent.
    #[error("a group cannot be its own parent")]
    SelfParent,
    /// G3: the parent is the child or below it.
    #[error(
        "making {parent} a parent of {child} would create a cycle: {parent} is already below {child}"
    )]
    Cycle {
        /// The would-be child.
        child: GroupId,
        /// The would-be parent.
        parent: GroupId,
    },
}

impl ErrorCode for GroupGraphError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownGroup(_) => "unknown_group",
            Self::SelfParent => "group_self_parent",
            Self::Cycle { .. } => "group_cycle",
        }
    }
}

impl GroupGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a graph from its groups and (child, parent) edges; refuses unknown groups,
    /// self-parents and cycles with the error adding the edges one by one would give.
    /// Closures are computed once, in topological order, so loading a large graph is linear
    /// in its closure sizes whatever the order of the edges.
    pub fn from_edges(
        groups: impl IntoIterator<Item = GroupId>,
        edges: impl IntoIterator<Item = (GroupId, GroupId)>,
    ) -> Result<Self, GroupGraphError> {
        let mut graph = Self::new();
        for g in groups {
            graph.add_group(g);
        }
        let edges: Vec<(GroupId, GroupId)> = edges.into_iter().collect();
        if graph.link_all(&edges) {
            return Ok(graph);
        }
        // Something is wrong: replay one by one on a fresh copy for the exact first error.
        let mut replay = Self::new();
        for node in &graph.nodes {
            replay.add_group(node.id);
        }
        for (child, parent) in edges {
            replay.add_parent(child, parent)?;
        }
        Ok(replay)
    }

    /// Whether the group is in the graph.
    pub fn contains(&self, g: GroupId) -> bool {
        self.slot(g).is_some()
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the graph has no group.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Adds a group with no parent (no-op when present).
    pub fn add_group(&mut self, g: GroupId) {
        if self.contains(g) {
            return;
        }
        let node = |slot| Node {
            id: g,
            parents: Vec::new(),
            children: Vec::new(),
            closure: vec![slot],
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.nodes[slot as usize] = node(slot);
                slot
            }
            None => {
                let slot = self.nodes.len() as u32;
                self.nodes.push(node(slot));
                slot
            }
        };
        let below = OnceLock::new();
        self.slots
            .insert(g.as_uuid().as_u128(), Entry { slot, below });
    }

    /// G5: removes a group and every edge touching it; its children lose it as a parent (and
    /// whatever was above only through it), and stay in the graph.
    pub fn remove_group(&mut self, g: GroupId) {
        let Some(s) = self.slot(g) else { return };
        self.forget_rows_above(s);
        let below = self.topo_below(s);
        let node = &mut self.nodes[s as usize];
        let parents = std::mem::take(&mut node.parents);
        let children = std::mem::take(&mut node.children);
        node.closure.clear();
        for p in parents {
            self.nodes[p as usize].children.retain(|c| *c != s);
        }
        for c in children {
            self.nodes[c as usize].parents.retain(|p| *p != s);
        }
        self.slots.remove(&g.as_uuid().as_u128());
        self.free.push(s);
        self.recompute(below.iter().copied().filter(|d| *d != s));
    }

    /// G3: whether `parent` may become a parent of `child`.
    pub fn check_add_parent(&self, child: GroupId, parent: GroupId) -> Result<(), GroupGraphError> {
        self.check_slots(child, parent).map(|_| ())
    }

    /// G3: makes `parent` a parent of `child` (no-op when it already is).
    pub fn add_parent(&mut self, child: GroupId, parent: GroupId) -> Result<(), GroupGraphError> {
        let (c, p) = self.check_slots(child, parent)?;
        if self.nodes[c as usize].parents.contains(&p) {
            return Ok(());
        }
        self.nodes[c as usize].parents.push(p);
        self.nodes[p as usize].children.push(c);
        self.forget_rows_above(p);
        // `p` is not below `c` (checked), so its closure is unaffected by what follows.
        let above = self.nodes[p as usize].closure.clone();
        for d in self.topo_below(c) {
            let closure = &mut self.nodes[d as usize].closure;
            *closure = merge_sorted(closure, &above);
        }
        Ok(())
    }

    /// Removes the edge; true when it existed.
    pub fn remove_parent(&mut self, child: GroupId, parent: GroupId) -> bool {
        let (Some(c), Some(p)) = (self.slot(child), self.slot(parent)) else {
            return false;
        };
        let parents = &mut self.nodes[c as usize].parents;
        let Some(at) = parents.iter().position(|x| *x == p) else {
            return false;
        };
        parents.swap_remove(at);
        self.nodes[p as usize].children.retain(|x| *x != c);
        self.forget_rows_above(p);
        let below = self.topo_below(c);
        self.recompute(below);
        true
    }

    /// The direct parents of a group.
    pub fn parents(&self, g: GroupId) -> impl Iterator<Item = GroupId> + '_ {
        self.edges_of(g, |n| &n.parents)
    }

    /// The direct children of a group.
    pub fn children(&self, g: GroupId) -> impl Iterator<Item = GroupId> + '_ {
        self.edges_of(g, |n| &n.children)
    }

    /// G4: `g` is `ancestor` or below it (false when either is unknown).
    pub fn is_within(&self, g: GroupId, ancestor: GroupId) -> bool {
        match (self.slot(g), self.slot(ancestor)) {
            (Some(g), Some(a)) => self.closure(g).binary_search(&a).is_ok(),
            _ => false,
        }
    }

    /// The group and every group below it (empty when unknown).
    pub fn descendants_or_self(&self, g: GroupId) -> BTreeSet<GroupId> {
        self.slot(g)
            .map(|s| self.topo_below(s).into_iter().map(|d| self.id(d)).collect())
            .unwrap_or_default()
    }

    /// The group and every group above it (empty when unknown).
    pub fn ancestors_or_self(&self, g: GroupId) -> BTreeSet<GroupId> {
        self.slot(g)
            .map(|s| self.closure(s).iter().map(|a| self.id(*a)).collect())
            .unwrap_or_default()
    }

    pub(crate) fn slot(&self, g: GroupId) -> Option<u32> {
        self.slots.get(&g.as_uuid().as_u128()).map(|e| e.slot)
    }

    /// The sorted closure of a live slot.
    pub(crate) fn closure(&self, slot: u32) -> &[u32] {
        &self.nodes[slot as usize].closure
    }

    /// The id of a live slot.
    pub(crate) fn id(&self, slot: u32) -> GroupId {
        self.nodes[slot as usize].id
    }

    fn edges_of(
        &self,
        g: GroupId,
        pick: fn(&Node) -> &Vec<u32>,
    ) -> impl Iterator<Item = GroupId> + '_ {
        let slots = self.slot(g).map(|s| pick(&self.nodes[s as usize]));
        slots.into_iter().flatten().map(|s| self.id(*s))
    }

    fn check_slots(&self, child: GroupId, parent: GroupId) -> Result<(u32, u32), GroupGraphError> {
        let c = self
            .slot(child)
            .ok_or(GroupGraphError::UnknownGroup(child))?;
        let p = self
            .slot(parent)
            .ok_or(GroupGraphError::UnknownGroup(parent))?;
        if c == p {
            return Err(GroupGraphError::SelfParent);
        }
        if self.closure(p).binary_search(&c).is_ok() {
            return Err(GroupGraphError::Cycle { child, parent });
        }
        Ok((c, p))
    }
}
