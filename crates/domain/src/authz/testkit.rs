//! Test helpers for the authorization tests: a small school of groups, actors and grants.

use super::{Actor, Grant, Privilege, Scope, Subject, Target, TargetUser};
use crate::group::graph::GroupGraph;
use crate::ids::{GrantId, GroupId, UserId};
use std::collections::BTreeSet;

/// School ⊃ {A, B}; A ⊃ A1 ⊃ A1x; B ⊃ B1; A1 also sits under B (a second parent, G3);
/// Loose has no parent and no child.
#[derive(Debug)]
pub(crate) struct School {
    pub(crate) graph: GroupGraph,
    pub(crate) school: GroupId,
    pub(crate) a: GroupId,
    pub(crate) a1: GroupId,
    pub(crate) a1x: GroupId,
    pub(crate) b: GroupId,
    pub(crate) b1: GroupId,
    pub(crate) loose: GroupId,
}

impl School {
    pub(crate) fn new() -> Self {
        let [school, a, a1, a1x, b, b1, loose] = [(); 7].map(|_| GroupId::new());
        let graph = GroupGraph::from_edges(
            [school, a, a1, a1x, b, b1, loose],
            [
                (a, school),
                (b, school),
                (a1, a),
                (a1x, a1),
                (b1, b),
                (a1, b),
            ],
        )
        .unwrap();
        Self {
            graph,
            school,
            a,
            a1,
            a1x,
            b,
            b1,
            loose,
        }
    }
}

pub(crate) fn set<const N: usize>(groups: [GroupId; N]) -> BTreeSet<GroupId> {
    groups.into()
}

pub(crate) fn grant(subject: Subject, privilege: Privilege, scope: Scope) -> Grant {
    Grant {
        id: GrantId::new(),
        subject,
        privilege,
        scope,
    }
}

pub(crate) fn groups<const N: usize>(ids: [GroupId; N]) -> Scope {
    Scope::groups(ids).unwrap()
}

/// A non-owner actor in `direct_groups` with no grant yet.
pub(crate) fn actor<const N: usize>(direct_groups: [GroupId; N]) -> Actor {
    Actor {
        user_id: UserId::new(),
        is_owner: false,
        direct_groups: direct_groups.into(),
        grants: Vec::new(),
    }
}

/// Gives the actor a grant of its own.
pub(crate) fn with(mut actor: Actor, privilege: Privilege, scope: Scope) -> Actor {
    let own = grant(Subject::User(actor.user_id), privilege, scope);
    actor.grants.push(own);
    actor
}

pub(crate) fn target_user<const N: usize>(direct_groups: [GroupId; N]) -> TargetUser {
    TargetUser {
        id: UserId::new(),
        is_owner: false,
        direct_groups: direct_groups.into(),
    }
}

pub(crate) fn user<const N: usize>(direct_groups: [GroupId; N]) -> Target {
    Target::User(target_user(direct_groups))
}

/// The actor as a target (for "acting on oneself").
pub(crate) fn itself(actor: &Actor) -> Target {
    Target::User(TargetUser {
        id: actor.user_id,
        is_owner: actor.is_owner,
        direct_groups: actor.direct_groups.clone(),
    })
}
