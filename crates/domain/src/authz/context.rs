//! One decision's working set (P2–P3): which grants reach the actor and which scopes cover the
//! target.
//!
//! The target's groups are resolved to graph slots once; each scope group is then one hash
//! lookup and one bit test per target group (`GroupGraph::any_below`). Grants are tested
//! privilege first (free), scope second, and membership of a group subject (G4) last, so a
//! denial that scans every grant does little more than that per grant.

use super::{Actor, Grant, Privilege, Scope, Subject, Target};
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use std::cell::OnceCell;
use std::collections::BTreeSet;

/// How a scope covers the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cover {
    /// Scope `all`.
    All,
    /// This scope group is the target or above it (for a user: above one of its groups).
    Under(GroupId),
}

impl Cover {
    /// The scope group, none for `all`.
    pub(crate) fn group(self) -> Option<GroupId> {
        match self {
            Self::All => None,
            Self::Under(g) => Some(g),
        }
    }
}

/// The actor, the target, and what one decision resolves at most once.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub(crate) graph: &'a GroupGraph,
    pub(crate) actor: &'a Actor,
    pub(crate) target: &'a Target,
    /// The target's groups as slots: a user's direct groups, a group itself, nothing for
    /// `Global` (so only `all` covers it, P3).
    target_slots: Vec<u32>,
    /// The actor's direct groups as slots, for group subjects (G4).
    actor_slots: OnceCell<Vec<u32>>,
    /// How `member_groups` covers the target: the same for every such grant of the actor.
    member_groups: OnceCell<Option<GroupId>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(actor: &'a Actor, graph: &'a GroupGraph, target: &'a Target) -> Self {
        let target_slots = match target {
            Target::Global => Vec::new(),
            Target::Group(g) => graph.slots_of([*g]),
            Target::User(u) => graph.slots_of(u.direct_groups.iter().copied()),
        };
        Self {
            graph,
            actor,
            target,
            target_slots,
            actor_slots: OnceCell::new(),
            member_groups: OnceCell::new(),
        }
    }

    /// A context for questions about the actor's grants only (no target).
    pub(crate) fn of_actor(actor: &'a Actor, graph: &'a GroupGraph) -> Self {
        Self::new(actor, graph, &Target::Global)
    }

    /// Whether the grant reaches the actor: its own, or one to a group the actor is a
    /// member of (G4: a direct member of it or of a group below it).
    pub(crate) fn reaches_actor(&self, grant: &Grant) -> bool {
        match grant.subject {
            Subject::User(u) => u == self.actor.user_id,
            Subject::Group(g) => {
                let slots = self.actor_slots.get_or_init(|| {
                    self.graph
                        .slots_of(self.actor.direct_groups.iter().copied())
                });
                self.graph.any_below(g, slots)
            }
        }
    }

    /// The actor's grants that reach it and give `privilege` (directly or by implication).
    pub(crate) fn applicable(&self, privilege: Privilege) -> impl Iterator<Item = &'a Grant> + '_ {
        self.actor
            .grants
            .iter()
            .filter(move |g| g.privilege.implies(privilege) && self.reaches_actor(g))
    }

    /// How `scope`, held by the actor, covers the target; `None` when it does not (P3: a
    /// user in no group and `Global` are covered by `all` only).
    pub(crate) fn cover(&self, scope: &Scope) -> Option<Cover> {
        let found = match scope {
            Scope::All => return Some(Cover::All),
            Scope::Groups { group_ids } => self.first_above_target(group_ids),
            // P2: the holder's direct groups with everything below them, as they are now.
            Scope::MemberGroups => *self
                .member_groups
                .get_or_init(|| self.first_above_target(&self.actor.direct_groups)),
        };
        found.map(Cover::Under)
    }

    /// The first of `roots` that is a target group or above one.
    fn first_above_target(&self, roots: &BTreeSet<GroupId>) -> Option<GroupId> {
        if self.target_slots.is_empty() {
            return None;
        }
        roots
            .iter()
            .copied()
            .find(|r| self.graph.any_below(*r, &self.target_slots))
    }

    /// The first grant (in the actor's order) that gives `privilege` over the target, and
    /// how it covers it.
    pub(crate) fn first_allowing(&self, privilege: Privilege) -> Option<(&'a Grant, Cover)> {
        self.actor.grants.iter().find_map(|g| {
            if !g.privilege.implies(privilege) {
                return None;
            }
            // Scope before membership: most grants fail on scope, and a group subject's
            // membership test is the costlier one.
            let cover = self.cover(&g.scope)?;
            self.reaches_actor(g).then_some((g, cover))
        })
    }
}
