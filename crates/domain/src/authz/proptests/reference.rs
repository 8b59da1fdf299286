//! A naive reference of P2–P5, written from the SPEC's wording over plain indices and an edge
//! list — no closure, no caching — plus the strategies that generate worlds for it.

use crate::authz::{Actor, Grant, NewGrant, Privilege, Scope, Subject, Target, TargetUser};
use crate::group::graph::GroupGraph;
use crate::ids::{GrantId, GroupId, UserId};
use proptest::prelude::*;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Users in every world; user 0 is the actor.
pub(crate) const USERS: usize = 4;

pub(crate) fn gid(i: usize) -> GroupId {
    GroupId::from_uuid(Uuid::from_u128(0x2000 + i as u128))
}

pub(crate) fn uid(i: usize) -> UserId {
    UserId::from_uuid(Uuid::from_u128(0x3000 + i as u128))
}

/// A scope over indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RScope {
    All,
    Groups(BTreeSet<usize>),
    MemberGroups,
}

/// A grant over indices: subject user or group, privilege, scope.
#[derive(Debug, Clone)]
pub(crate) struct RGrant {
    pub(crate) user_subject: Option<usize>,
    pub(crate) group_subject: Option<usize>,
    pub(crate) privilege: Privilege,
    pub(crate) scope: RScope,
}

/// What is acted on, over indices.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RTarget {
    User(usize),
    Group(usize),
    Global,
}

/// Groups, (child, parent) edges, every user's direct groups and the actor's grants.
#[derive(Debug, Clone)]
pub(crate) struct World {
    pub(crate) n: usize,
    pub(crate) edges: Vec<(usize, usize)>,
    pub(crate) member_of: Vec<BTreeSet<usize>>,
    pub(crate) grants: Vec<RGrant>,
    pub(crate) actor_is_owner: bool,
}

impl World {
    /// G4: `x` is `g` or below it — a walk up the edge list from `x`.
    pub(crate) fn below(&self, x: usize, g: usize) -> bool {
        let mut stack = vec![x];
        let mut seen = BTreeSet::new();
        while let Some(y) = stack.pop() {
            if y == g {
                return true;
            }
            if seen.insert(y) {
                stack.extend(self.edges.iter().filter(|(c, _)| *c == y).map(|(_, p)| *p));
            }
        }
        false
    }

    /// G4: user `u` is a member of `g` when directly in `g` or in a group below it.
    pub(crate) fn is_member(&self, groups_of_u: &BTreeSet<usize>, g: usize) -> bool {
        groups_of_u.iter().any(|d| self.below(*d, g))
    }

    /// P2: the grant is held by the user with these direct groups.
    pub(crate) fn holds(&self, grant: &RGrant, user: usize, groups: &BTreeSet<usize>) -> bool {
        grant.user_subject == Some(user)
            || grant
                .group_subject
                .is_some_and(|g| self.is_member(groups, g))
    }

    /// P3: the scope, held by a holder with `holder_groups`, covers the target, a user being
    /// given by its direct groups.
    pub(crate) fn in_scope(
        &self,
        scope: &RScope,
        holder_groups: &BTreeSet<usize>,
        target: RTargetOf<'_>,
    ) -> bool {
        let roots = match scope {
            RScope::All => return true,
            RScope::Groups(gs) => gs,
            RScope::MemberGroups => holder_groups,
        };
        match target {
            RTargetOf::Global => false,
            RTargetOf::Group(x) => roots.iter().any(|r| self.below(x, *r)),
            // Users in no group: `any` over nothing is false.
            RTargetOf::User(groups) => roots.iter().any(|r| self.is_member(groups, *r)),
        }
    }

    /// P1: what a held privilege gives.
    pub(crate) fn gives(held: Privilege, needed: Privilege) -> bool {
        held == needed || (held == Privilege::UsersEdit && needed == Privilege::UsersView)
    }

    /// P2–P4, U3, for the actor (user 0).
    pub(crate) fn allowed(&self, privilege: Privilege, target: RTargetOf<'_>) -> bool {
        let actor_groups = &self.member_of[0];
        self.actor_is_owner
            || self.grants.iter().any(|g| {
                self.holds(g, 0, actor_groups)
                    && Self::gives(g.privilege, privilege)
                    && self.in_scope(&g.scope, actor_groups, target)
            })
    }

    /// Every distinct kind of target: `Global`, each group, a user in no group and a user
    /// in each single group (a user in several groups is in scope iff one of them is).
    pub(crate) fn universe(&self) -> Vec<Probe> {
        let mut all = vec![Probe::Global, Probe::User(BTreeSet::new())];
        for g in 0..self.n {
            all.push(Probe::Group(g));
            all.push(Probe::User([g].into()));
        }
        all
    }

    pub(crate) fn target_of(&self, t: RTarget) -> RTargetOf<'_> {
        match t {
            RTarget::User(u) => RTargetOf::User(&self.member_of[u]),
            RTarget::Group(g) => RTargetOf::Group(g),
            RTarget::Global => RTargetOf::Global,
        }
    }

    // --- the same world in domain types ---

    pub(crate) fn graph(&self) -> GroupGraph {
        GroupGraph::from_edges(
            (0..self.n).map(gid),
            self.edges.iter().map(|(c, p)| (gid(*c), gid(*p))),
        )
        .unwrap()
    }

    pub(crate) fn actor(&self) -> Actor {
        Actor {
            user_id: uid(0),
            is_owner: self.actor_is_owner,
            direct_groups: self.gids(&self.member_of[0]),
            grants: self.grants.iter().map(|g| self.grant(g)).collect(),
        }
    }

    pub(crate) fn grant(&self, g: &RGrant) -> Grant {
        let new = self.new_grant(g);
        Grant {
            id: GrantId::new(),
            subject: new.subject,
            privilege: new.privilege,
            scope: new.scope,
        }
    }

    pub(crate) fn new_grant(&self, g: &RGrant) -> NewGrant {
        let subject = match (g.user_subject, g.group_subject) {
            (Some(u), _) => Subject::User(uid(u)),
            (None, Some(x)) => Subject::Group(gid(x)),
            (None, None) => Subject::User(uid(USERS)),
        };
        NewGrant {
            subject,
            privilege: g.privilege,
            scope: match &g.scope {
                RScope::All => Scope::All,
                RScope::Groups(gs) => Scope::Groups {
                    group_ids: self.gids(gs),
                },
                RScope::MemberGroups => Scope::MemberGroups,
            },
        }
    }

    pub(crate) fn target_user(&self, u: usize) -> TargetUser {
        TargetUser {
            id: uid(u),
            is_owner: false,
            direct_groups: self.gids(&self.member_of[u]),
        }
    }

    pub(crate) fn target(&self, t: RTarget) -> Target {
        match t {
            RTarget::User(u) => Target::User(self.target_user(u)),
            RTarget::Group(g) => Target::Group(gid(g)),
            RTarget::Global => Target::Global,
        }
    }

    pub(crate) fn gids(&self, groups: &BTreeSet<usize>) -> BTreeSet<GroupId> {
        groups.iter().map(|g| gid(*g)).collect()
    }
}

/// A target as the reference reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RTargetOf<'a> {
    User(&'a BTreeSet<usize>),
    Group(usize),
    Global,
}

/// An owned target of the universe.
#[derive(Debug, Clone)]
pub(crate) enum Probe {
    User(BTreeSet<usize>),
    Group(usize),
    Global,
}

impl Probe {
    pub(crate) fn as_ref(&self) -> RTargetOf<'_> {
        match self {
            Self::User(gs) => RTargetOf::User(gs),
            Self::Group(g) => RTargetOf::Group(*g),
            Self::Global => RTargetOf::Global,
        }
    }
}

pub(crate) fn privilege() -> impl Strategy<Value = Privilege> {
    // Weighted towards the two that imply one another, where mistakes would hide.
    prop_oneof![
        3 => Just(Privilege::UsersView),
        3 => Just(Privilege::UsersEdit),
        2 => prop::sample::select(Privilege::ALL.to_vec()),
    ]
}

pub(crate) fn scope(n: usize) -> impl Strategy<Value = RScope> {
    prop_oneof![
        1 => Just(RScope::All),
        4 => prop::collection::btree_set(0..n, 1..=3).prop_map(RScope::Groups),
        2 => Just(RScope::MemberGroups),
    ]
}

pub(crate) fn grant(n: usize) -> impl Strategy<Value = RGrant> {
    let subject = prop_oneof![
        2 => (0..USERS).prop_map(|u| (Some(u), None)),
        1 => (0..n).prop_map(|g| (None, Some(g))),
    ];
    (subject, privilege(), scope(n)).prop_map(
        |((user_subject, group_subject), privilege, scope)| RGrant {
            user_subject,
            group_subject,
            privilege,
            scope,
        },
    )
}

/// A random DAG of up to 12 groups: edges go from higher to lower rank in a random order,
/// so any shape (several parents, several roots) can appear and no cycle can.
pub(crate) fn world() -> impl Strategy<Value = World> {
    (1..=12usize).prop_flat_map(|n| {
        let ranks = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
        let pairs = prop::collection::vec((0..n, 0..n), 0..2 * n);
        let member_of =
            prop::collection::vec(prop::collection::btree_set(0..n, 0..=3), USERS..=USERS);
        let grants = prop::collection::vec(grant(n), 0..8);
        let owner = prop::bool::weighted(0.05);
        (ranks, pairs, member_of, grants, owner).prop_map(
            move |(rank, pairs, member_of, grants, actor_is_owner)| {
                let edges: BTreeSet<(usize, usize)> = pairs
                    .into_iter()
                    .filter(|(a, b)| a != b)
                    .map(|(a, b)| if rank[a] > rank[b] { (a, b) } else { (b, a) })
                    .collect();
                World {
                    n,
                    edges: edges.into_iter().collect(),
                    member_of,
                    grants,
                    actor_is_owner,
                }
            },
        )
    })
}
