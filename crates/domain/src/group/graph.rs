//! The group graph (G3–G5): groups nest under any number of parents, a change that would
//! make a cycle is refused, and "below" is answered from a precomputed closure so every
//! authorization decision is a set lookup, not a walk.

use crate::error::ErrorCode;
use crate::ids::GroupId;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A directed acyclic graph of groups with its ancestor closure.
#[derive(Debug, Clone, Default)]
pub struct GroupGraph {
    parents: BTreeMap<GroupId, BTreeSet<GroupId>>,
    children: BTreeMap<GroupId, BTreeSet<GroupId>>,
    /// For every group: itself and every group above it.
    ancestors: HashMap<GroupId, HashSet<GroupId>>,
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

    /// Builds a graph from its groups and (child, parent) edges; refuses unknown groups and
    /// cycles, as adding the edges one by one would.
    pub fn from_edges(
        groups: impl IntoIterator<Item = GroupId>,
        edges: impl IntoIterator<Item = (GroupId, GroupId)>,
    ) -> Result<Self, GroupGraphError> {
        let mut graph = Self::new();
        for g in groups {
            graph.add_group(g);
        }
        for (child, parent) in edges {
            graph.add_parent(child, parent)?;
        }
        Ok(graph)
    }

    /// Whether the group is in the graph.
    pub fn contains(&self, g: GroupId) -> bool {
        self.ancestors.contains_key(&g)
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.ancestors.len()
    }

    /// Whether the graph has no group.
    pub fn is_empty(&self) -> bool {
        self.ancestors.is_empty()
    }

    /// Adds a group with no parent (no-op when present).
    pub fn add_group(&mut self, g: GroupId) {
        self.ancestors
            .entry(g)
            .or_insert_with(|| HashSet::from([g]));
    }

    /// G5: removes a group and every edge touching it; its children lose it as a parent.
    pub fn remove_group(&mut self, g: GroupId) {
        if !self.contains(g) {
            return;
        }
        let below: Vec<GroupId> = self
            .descendants_or_self(g)
            .into_iter()
            .filter(|d| *d != g)
            .collect();
        for p in self.parents.remove(&g).unwrap_or_default() {
            if let Some(c) = self.children.get_mut(&p) {
                c.remove(&g);
            }
        }
        for c in self.children.remove(&g).unwrap_or_default() {
            if let Some(ps) = self.parents.get_mut(&c) {
                ps.remove(&g);
            }
        }
        self.ancestors.remove(&g);
        self.recompute(&below);
    }

    /// G3: whether `parent` may become a parent of `child`.
    pub fn check_add_parent(&self, child: GroupId, parent: GroupId) -> Result<(), GroupGraphError> {
        for g in [child, parent] {
            if !self.contains(g) {
                return Err(GroupGraphError::UnknownGroup(g));
            }
        }
        if child == parent {
            return Err(GroupGraphError::SelfParent);
        }
        if self.is_within(parent, child) {
            return Err(GroupGraphError::Cycle { child, parent });
        }
        Ok(())
    }

    /// G3: makes `parent` a parent of `child` (no-op when it already is).
    pub fn add_parent(&mut self, child: GroupId, parent: GroupId) -> Result<(), GroupGraphError> {
        self.check_add_parent(child, parent)?;
        if !self.parents.entry(child).or_default().insert(parent) {
            return Ok(());
        }
        self.children.entry(parent).or_default().insert(child);
        let above: Vec<GroupId> = self
            .ancestors
            .get(&parent)
            .map(|a| a.iter().copied().collect())
            .unwrap_or_default();
        for d in self.descendants_or_self(child) {
            if let Some(set) = self.ancestors.get_mut(&d) {
                set.extend(above.iter().copied());
            }
        }
        Ok(())
    }

    /// Removes the edge; true when it existed.
    pub fn remove_parent(&mut self, child: GroupId, parent: GroupId) -> bool {
        let existed = self
            .parents
            .get_mut(&child)
            .is_some_and(|ps| ps.remove(&parent));
        if existed {
            if let Some(cs) = self.children.get_mut(&parent) {
                cs.remove(&child);
            }
            let affected: Vec<GroupId> = self.descendants_or_self(child).into_iter().collect();
            self.recompute(&affected);
        }
        existed
    }

    /// The direct parents of a group.
    pub fn parents(&self, g: GroupId) -> impl Iterator<Item = GroupId> + '_ {
        self.parents.get(&g).into_iter().flatten().copied()
    }

    /// The direct children of a group.
    pub fn children(&self, g: GroupId) -> impl Iterator<Item = GroupId> + '_ {
        self.children.get(&g).into_iter().flatten().copied()
    }

    /// G4: `g` is `ancestor` or below it.
    pub fn is_within(&self, g: GroupId, ancestor: GroupId) -> bool {
        self.ancestors
            .get(&g)
            .is_some_and(|a| a.contains(&ancestor))
    }

    /// The group and every group below it (empty when unknown).
    pub fn descendants_or_self(&self, g: GroupId) -> BTreeSet<GroupId> {
        let mut seen = BTreeSet::new();
        if !self.contains(g) {
            return seen;
        }
        let mut stack = vec![g];
        while let Some(x) = stack.pop() {
            if seen.insert(x) {
                stack.extend(self.children(x));
            }
        }
        seen
    }

    /// The group and every group above it (empty when unknown).
    pub fn ancestors_or_self(&self, g: GroupId) -> BTreeSet<GroupId> {
        self.ancestors
            .get(&g)
            .map(|a| a.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Recomputes the closure of `affected` groups from their parents; groups outside the set
    /// are correct already.
    fn recompute(&mut self, affected: &[GroupId]) {
        let affected_set: HashSet<GroupId> = affected.iter().copied().collect();
        for g in affected {
            self.ancestors.remove(g);
        }
        for g in affected {
            self.closure_of(*g, &affected_set);
        }
    }

    fn closure_of(&mut self, g: GroupId, affected: &HashSet<GroupId>) -> HashSet<GroupId> {
        if let Some(done) = self.ancestors.get(&g) {
            return done.clone();
        }
        let mut set = HashSet::from([g]);
        let parents: Vec<GroupId> = self.parents(g).collect();
        for p in parents {
            let above = if affected.contains(&p) {
                self.closure_of(p, affected)
            } else {
                self.ancestors.get(&p).cloned().unwrap_or_default()
            };
            set.extend(above);
        }
        self.ancestors.insert(g, set.clone());
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<GroupId> {
        (0..n).map(|_| GroupId::new()).collect()
    }

    #[test]
    fn g3_many_parents_and_cycles_refused() {
        let g = ids(4);
        let mut graph = GroupGraph::from_edges(
            g.clone(),
            [(g[1], g[0]), (g[2], g[0]), (g[3], g[1]), (g[3], g[2])],
        )
        .unwrap();
        assert!(graph.is_within(g[3], g[0]));
        assert_eq!(
            graph.check_add_parent(g[0], g[3]),
            Err(GroupGraphError::Cycle {
                child: g[0],
                parent: g[3]
            })
        );
        assert_eq!(
            graph.add_parent(g[0], g[0]),
            Err(GroupGraphError::SelfParent)
        );
        assert!(graph.remove_parent(g[3], g[1]));
        assert!(graph.is_within(g[3], g[0]), "still below 0 through 2");
        assert!(!graph.is_within(g[3], g[1]));
    }

    #[test]
    fn g5_removing_a_group_keeps_its_children() {
        let g = ids(3);
        let mut graph = GroupGraph::from_edges(g.clone(), [(g[1], g[0]), (g[2], g[1])]).unwrap();
        graph.remove_group(g[1]);
        assert!(graph.contains(g[2]) && !graph.contains(g[1]));
        assert!(!graph.is_within(g[2], g[0]));
        assert_eq!(graph.parents(g[2]).count(), 0);
    }
}
