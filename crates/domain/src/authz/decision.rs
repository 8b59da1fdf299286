//! The decision (P2–P4): one pure function over the actor's snapshot and the group graph.
//! Deny by default: nothing is allowed unless a grant (or ownership) covers the target.

use super::context::Context;
use super::{Actor, Grant, Privilege, Scope, Target};
use crate::error::ErrorCode;
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use std::collections::BTreeSet;

/// Why an operation was refused (P4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The actor cannot even see the target: answer as if it did not exist (404).
    #[error("not found")]
    NotFound,
    /// The actor sees the target but lacks the privilege (403).
    #[error("not allowed")]
    Forbidden,
}

impl ErrorCode for Denied {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Forbidden => "forbidden",
        }
    }
}

/// Whether the actor may use `privilege` on `target`: the owner always (U3); anyone else
/// when one of its grants that reaches it (its own, or a group's it is a member of per G4)
/// holds `privilege` (or implies it) with a scope covering the target (P3). Deny by default.
pub fn is_allowed(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
    target: &Target,
) -> bool {
    actor.is_owner
        || Context::new(actor, graph, target)
            .first_allowing(privilege)
            .is_some()
}

/// P4: allowed, or refused as not found (the actor cannot see the target: no `users.view`,
/// nor `users.edit`, covers it) or forbidden (it can see it, but lacks `privilege`).
///
/// `Global` targets are never hidden (settings exist for everyone): forbidden. The actor
/// itself is never hidden either: everyone may see their own profile (P3), so pretending
/// to not exist would hide nothing; it answers forbidden.
pub fn authorize(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
    target: &Target,
) -> Result<(), Denied> {
    if actor.is_owner {
        return Ok(());
    }
    let context = Context::new(actor, graph, target);
    // One pass answers both questions, so no grant's scope is tested twice: does a grant
    // give `privilege`, and (for the 404-or-403 choice) does one give `users.view`?
    let mut visible = match target {
        Target::Global => true,
        Target::User(u) => u.id == actor.user_id,
        Target::Group(_) => false,
    };
    for grant in &actor.grants {
        let gives = grant.privilege.implies(privilege);
        let shows = !visible && grant.privilege.implies(Privilege::UsersView);
        if !(gives || shows) {
            continue;
        }
        if context.cover(&grant.scope).is_some() && context.reaches_actor(grant) {
            if gives {
                return Ok(());
            }
            visible = true;
        }
    }
    Err(if visible {
        Denied::Forbidden
    } else {
        Denied::NotFound
    })
}

/// What a list may show (P4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Everything, including users in no group.
    All,
    /// Users who are direct members of, and groups that are, one of these groups (the
    /// closure is already expanded: no further walk needed).
    Groups(BTreeSet<GroupId>),
    /// Nothing.
    Nothing,
}

/// P4: what the actor may list with `privilege`. Lists hold only what grants cover: the
/// actor's own profile is reached through `/me` (P3), not by widening every list.
pub fn visibility(actor: &Actor, graph: &GroupGraph, privilege: Privilege) -> Visibility {
    if actor.is_owner {
        return Visibility::All;
    }
    let context = Context::of_actor(actor, graph);
    let mut groups = BTreeSet::new();
    for grant in context.applicable(privilege) {
        let roots = match &grant.scope {
            Scope::All => return Visibility::All,
            Scope::Groups { group_ids } => group_ids,
            Scope::MemberGroups => &actor.direct_groups,
        };
        for root in roots {
            // A root already listed brought its whole subtree with it.
            if !groups.contains(root) {
                groups.extend(graph.descendants_or_self(*root));
            }
        }
    }
    if groups.is_empty() {
        Visibility::Nothing
    } else {
        Visibility::Groups(groups)
    }
}

#[cfg(test)]
mod tests;

/// The actor's effective grants: its own, and those of every group it is a member of (G4) —
/// what `/me` shows. Group grants that do not reach the actor are left out.
pub fn effective_grants<'a>(actor: &'a Actor, graph: &'a GroupGraph) -> Vec<&'a Grant> {
    let context = Context::of_actor(actor, graph);
    actor
        .grants
        .iter()
        .filter(|g| context.reaches_actor(g))
        .collect()
}
