//! The decision (P2–P4): one pure function over the actor's snapshot and the group graph.
//! Deny by default: nothing is allowed unless a grant (or ownership) covers the target.

use super::{Actor, Grant, Privilege, Scope, Subject, Target};
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

/// Whether a group grant reaches the actor: the actor is a direct member of the subject
/// group or of a group below it (G4).
pub(crate) fn subject_includes(
    graph: &GroupGraph,
    subject: Subject,
    user_id: crate::ids::UserId,
    direct_groups: &BTreeSet<GroupId>,
) -> bool {
    match subject {
        Subject::User(u) => u == user_id,
        Subject::Group(g) => direct_groups.iter().any(|d| graph.is_within(*d, g)),
    }
}

/// The grants that apply to the actor and give `privilege`.
pub(crate) fn applicable<'a>(
    actor: &'a Actor,
    graph: &'a GroupGraph,
    privilege: Privilege,
) -> impl Iterator<Item = &'a Grant> + 'a {
    actor.grants.iter().filter(move |g| {
        g.privilege.implies(privilege)
            && subject_includes(graph, g.subject, actor.user_id, &actor.direct_groups)
    })
}

/// The top groups of a scope as seen by its holder (`member_groups` = the holder's direct
/// groups); `None` for `all`.
pub(crate) fn scope_roots<'a>(
    scope: &'a Scope,
    holder_groups: &'a BTreeSet<GroupId>,
) -> Option<&'a BTreeSet<GroupId>> {
    match scope {
        Scope::All => None,
        Scope::Groups { group_ids } => Some(group_ids),
        Scope::MemberGroups => Some(holder_groups),
    }
}

/// The scope group that covers the target, or `Ok(None)` when `all` covers it; `Err(())`
/// when the scope does not cover it.
pub(crate) fn covering_group(
    graph: &GroupGraph,
    scope: &Scope,
    holder_groups: &BTreeSet<GroupId>,
    target: &Target,
) -> Result<Option<GroupId>, ()> {
    let Some(roots) = scope_roots(scope, holder_groups) else {
        return Ok(None);
    };
    let found = match target {
        Target::Global => None,
        Target::Group(g) => roots.iter().copied().find(|r| graph.is_within(*g, *r)),
        Target::User(u) => u
            .direct_groups
            .iter()
            .find_map(|tg| roots.iter().copied().find(|r| graph.is_within(*tg, *r))),
    };
    found.map(Some).ok_or(())
}

/// Whether the actor may use `privilege` on `target`.
pub fn is_allowed(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
    target: &Target,
) -> bool {
    actor.is_owner
        || applicable(actor, graph, privilege)
            .any(|g| covering_group(graph, &g.scope, &actor.direct_groups, target).is_ok())
}

/// P4: allowed, or refused as not found (the actor cannot see the target) or forbidden.
pub fn authorize(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
    target: &Target,
) -> Result<(), Denied> {
    if is_allowed(actor, graph, privilege, target) {
        return Ok(());
    }
    match target {
        Target::Global => Err(Denied::Forbidden),
        Target::User(_) | Target::Group(_)
            if is_allowed(actor, graph, Privilege::UsersView, target) =>
        {
            Err(Denied::Forbidden)
        }
        Target::User(_) | Target::Group(_) => Err(Denied::NotFound),
    }
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

/// P4: what the actor may list with `privilege`.
pub fn visibility(actor: &Actor, graph: &GroupGraph, privilege: Privilege) -> Visibility {
    if actor.is_owner {
        return Visibility::All;
    }
    let mut groups = BTreeSet::new();
    for grant in applicable(actor, graph, privilege) {
        match scope_roots(&grant.scope, &actor.direct_groups) {
            None => return Visibility::All,
            Some(roots) => {
                for r in roots {
                    groups.extend(graph.descendants_or_self(*r));
                }
            }
        }
    }
    if groups.is_empty() {
        Visibility::Nothing
    } else {
        Visibility::Groups(groups)
    }
}
