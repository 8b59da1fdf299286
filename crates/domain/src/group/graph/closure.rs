//! Keeping the closure right: walks down the graph, closures rebuilt from parents in
//! topological order, and the bulk load. Split from `graph.rs` so the public API reads on
//! its own.

use super::GroupGraph;
use crate::ids::GroupId;

impl GroupGraph {
    /// `start` and every slot below it, parents before children (reverse DFS post-order;
    /// iterative, so a deep chain cannot overflow the stack).
    pub(super) fn topo_below(&self, start: u32) -> Vec<u32> {
        let mut post = Vec::new();
        self.walk_below(start, |s| post.push(s));
        post.reverse();
        post
    }

    /// One bit per slot at or below `start`.
    pub(super) fn below_bits(&self, start: u32) -> Vec<u64> {
        self.walk_below(start, |_| {})
    }

    /// Depth-first walk down from `start`, calling `done` on each slot once all its
    /// descendants are done; returns the visited slots as a bitset.
    fn walk_below(&self, start: u32, mut done: impl FnMut(u32)) -> Vec<u64> {
        let mut seen = vec![0u64; self.nodes.len().div_ceil(64)];
        let mut mark = |s: u32| {
            let (w, b) = (s as usize / 64, 1u64 << (s % 64));
            let fresh = seen[w] & b == 0;
            seen[w] |= b;
            fresh
        };
        mark(start);
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            match self.nodes[*node as usize].children.get(*next) {
                Some(&c) => {
                    *next += 1;
                    if mark(c) {
                        stack.push((c, 0));
                    }
                }
                None => {
                    done(*node);
                    stack.pop();
                }
            }
        }
        seen
    }

    /// Rebuilds the closures of `order` from their parents; `order` lists parents before
    /// children, and every slot outside it is correct already.
    pub(super) fn recompute(&mut self, order: impl IntoIterator<Item = u32>) {
        for d in order {
            // Parents' closures are sorted already: merging beats concatenating and sorting
            // (relinking a group above thousands of others recomputes them all).
            let mut closure = vec![d];
            for p in &self.nodes[d as usize].parents {
                closure = merge_sorted(&closure, &self.nodes[*p as usize].closure);
            }
            self.nodes[d as usize].closure = closure;
        }
    }

    /// Bulk load: links every edge, then computes all closures in one topological pass
    /// (Kahn). False when an edge is invalid or a cycle exists; `self` is then garbage.
    pub(super) fn link_all(&mut self, edges: &[(GroupId, GroupId)]) -> bool {
        for (child, parent) in edges {
            let (Some(c), Some(p)) = (self.slot(*child), self.slot(*parent)) else {
                return false;
            };
            if c == p {
                return false;
            }
            if !self.nodes[c as usize].parents.contains(&p) {
                self.nodes[c as usize].parents.push(p);
                self.nodes[p as usize].children.push(c);
            }
        }
        let mut waiting: Vec<usize> = self.nodes.iter().map(|n| n.parents.len()).collect();
        let mut ready: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|s| waiting[*s as usize] == 0)
            .collect();
        let mut done = 0;
        while let Some(s) = ready.pop() {
            done += 1;
            self.recompute([s]);
            for i in 0..self.nodes[s as usize].children.len() {
                let c = self.nodes[s as usize].children[i] as usize;
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    ready.push(c as u32);
                }
            }
        }
        done == self.nodes.len()
    }
}

/// The sorted union of two sorted, deduplicated slices.
pub(super) fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
