//! One decision's working set (P2–P3): which grants reach the actor and which scopes cover the
//! target. The ancestor sets of the actor's and the target's groups are built at most once
//! per decision, lazily, so a denial that scans every grant still costs one set build plus
//! one lookup per scope group.

use super::{Actor, Grant, Privilege, Scope, Subject, Target};
use crate::group::graph::{GroupGraph, UpSet};
use crate::ids::GroupId;
use std::cell::OnceCell;

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

/// The actor, the target and the lazily built sets one decision needs.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub(crate) graph: &'a GroupGraph,
    pub(crate) actor: &'a Actor,
    pub(crate) target: &'a Target,
    /// The actor's direct groups and every group above them: a group grant reaches the actor
    /// exactly when its subject is in here (G4).
    actor_up: OnceCell<UpSet<'a>>,
    /// The target's groups and every group above them (empty for `Global`): a scope group
    /// covers the target exactly when it is in here (P3).
    target_up: OnceCell<UpSet<'a>>,
    /// The answer for `member_groups`, the same for every such grant of this actor.
    member_groups: OnceCell<Option<GroupId>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(actor: &'a Actor, graph: &'a GroupGraph, target: &'a Target) -> Self {
        Self {
            graph,
            actor,
            target,
            actor_up: OnceCell::new(),
            target_up: OnceCell::new(),
            member_groups: OnceCell::new(),
        }
    }

    /// Whether the grant reaches the actor: its own, or one to a group the actor is a
    /// member of (G4: a direct member of it or of a group below it).
    pub(crate) fn reaches_actor(&self, grant: &Grant) -> bool {
        match grant.subject {
            Subject::User(u) => u == self.actor.user_id,
            Subject::Group(g) => self
                .actor_up
                .get_or_init(|| UpSet::new(self.graph, self.actor.direct_groups.iter().copied()))
                .contains(g),
        }
    }

    /// The actor's grants that reach it and give `privilege` (directly or by implication).
    pub(crate) fn applicable(&self, privilege: Privilege) -> impl Iterator<Item = &'a Grant> + '_ {
        // The privilege test is first because it is free and discards most grants.
        self.actor
            .grants
            .iter()
            .filter(move |g| g.privilege.implies(privilege) && self.reaches_actor(g))
    }

    /// How `scope`, held by the actor, covers the target; `None` when it does not (P3: a
    /// user in no group and `Global` are covered by `all` only).
    pub(crate) fn cover(&self, scope: &Scope) -> Option<Cover> {
        match scope {
            Scope::All => Some(Cover::All),
            Scope::Groups { group_ids } => {
                let up = self.target_up();
                group_ids.iter().copied().find(|r| up.contains(*r))
            }
            .map(Cover::Under),
            // P2: the holder's direct groups with everything below them, as they are now.
            Scope::MemberGroups => self
                .member_groups
                .get_or_init(|| {
                    let up = self.target_up();
                    self.actor
                        .direct_groups
                        .iter()
                        .copied()
                        .find(|r| up.contains(*r))
                })
                .map(Cover::Under),
        }
    }

    /// The first grant that gives `privilege` over the target, and how it covers it.
    pub(crate) fn first_allowing(&self, privilege: Privilege) -> Option<(&'a Grant, Cover)> {
        self.applicable(privilege)
            .find_map(|g| self.cover(&g.scope).map(|c| (g, c)))
    }

    fn target_up(&self) -> &UpSet<'a> {
        self.target_up.get_or_init(|| match self.target {
            Target::User(u) => UpSet::new(self.graph, u.direct_groups.iter().copied()),
            Target::Group(g) => UpSet::new(self.graph, [*g]),
            Target::Global => UpSet::new(self.graph, []),
        })
    }
}
