//! P5, no escalation: an actor grants only what it holds, within its own scope, and cannot
//! manage a user who holds a privilege or scope it lacks. U3: nobody manages the owner but
//! the owner.

use super::decision::{applicable, scope_roots, subject_includes};
use super::{Actor, Grant, NewGrant, Privilege, Scope, Subject, TargetUser};
use crate::error::ErrorCode;
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use std::collections::BTreeSet;

/// Why a grant or a change to a user would be an escalation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EscalationError {
    /// The actor does not hold the privilege it tries to grant.
    #[error("you cannot grant {0}: you do not hold it")]
    PrivilegeNotHeld(Privilege),
    /// The grant's scope reaches beyond the actor's own scope for that privilege.
    #[error("you cannot grant {0} beyond your own scope")]
    ScopeExceedsOwn(Privilege),
    /// The target holds a privilege or scope the actor lacks.
    #[error("the user holds {0} beyond what you hold")]
    TargetHoldsMore(Privilege),
    /// U3: only the owner manages the owner.
    #[error("the owner account can only be changed by the owner")]
    OwnerProtected,
}

impl ErrorCode for EscalationError {
    fn code(&self) -> &'static str {
        match self {
            Self::PrivilegeNotHeld(_) => "privilege_not_held",
            Self::ScopeExceedsOwn(_) => "scope_exceeds_own",
            Self::TargetHoldsMore(_) => "target_holds_more",
            Self::OwnerProtected => "owner_protected",
        }
    }
}

/// A scope with `member_groups` replaced by its holder's groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    All,
    Groups(BTreeSet<GroupId>),
}

fn resolve(scope: &Scope, holder_groups: &BTreeSet<GroupId>) -> Resolved {
    match scope_roots(scope, holder_groups) {
        None => Resolved::All,
        Some(roots) => Resolved::Groups(roots.clone()),
    }
}

/// Whether the actor holds `privilege` over everything `inner` covers.
fn actor_covers(actor: &Actor, graph: &GroupGraph, privilege: Privilege, inner: &Resolved) -> bool {
    let held: Vec<Resolved> = applicable(actor, graph, privilege)
        .map(|g| resolve(&g.scope, &actor.direct_groups))
        .collect();
    if held.contains(&Resolved::All) {
        return true;
    }
    match inner {
        Resolved::All => false,
        Resolved::Groups(groups) => groups.iter().all(|g| {
            held.iter().any(|h| match h {
                Resolved::All => true,
                Resolved::Groups(roots) => roots.iter().any(|r| graph.is_within(*g, *r)),
            })
        }),
    }
}

/// P5: whether the actor may create `grant`. `subject_direct_groups` are the direct groups of
/// a user subject (to resolve `member_groups`); ignored for a group subject. A group subject
/// with `member_groups` resolves differently for each member, so only an actor holding the
/// privilege with scope `all` may grant it.
pub fn check_grant(
    actor: &Actor,
    graph: &GroupGraph,
    grant: &NewGrant,
    subject_direct_groups: &BTreeSet<GroupId>,
) -> Result<(), EscalationError> {
    if actor.is_owner {
        return Ok(());
    }
    if applicable(actor, graph, grant.privilege).next().is_none() {
        return Err(EscalationError::PrivilegeNotHeld(grant.privilege));
    }
    let inner = match (&grant.scope, grant.subject) {
        (Scope::MemberGroups, Subject::Group(_)) => Resolved::All,
        (scope, _) => resolve(scope, subject_direct_groups),
    };
    if actor_covers(actor, graph, grant.privilege, &inner) {
        Ok(())
    } else {
        Err(EscalationError::ScopeExceedsOwn(grant.privilege))
    }
}

/// P5, U3: whether the actor may edit, disable, delete or integrate `target`, given every
/// grant that may apply to it (its own and its groups'; those that do not reach it are
/// ignored).
pub fn check_may_manage(
    actor: &Actor,
    graph: &GroupGraph,
    target: &TargetUser,
    target_grants: &[Grant],
) -> Result<(), EscalationError> {
    if target.is_owner {
        return if actor.is_owner && actor.user_id == target.id {
            Ok(())
        } else {
            Err(EscalationError::OwnerProtected)
        };
    }
    if actor.is_owner {
        return Ok(());
    }
    for grant in target_grants
        .iter()
        .filter(|g| subject_includes(graph, g.subject, target.id, &target.direct_groups))
    {
        let inner = resolve(&grant.scope, &target.direct_groups);
        if !actor_covers(actor, graph, grant.privilege, &inner) {
            return Err(EscalationError::TargetHoldsMore(grant.privilege));
        }
    }
    Ok(())
}
