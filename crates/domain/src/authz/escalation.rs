//! P5, no escalation: an actor grants only what it holds, within its own scope, and cannot
//! manage a user who holds a privilege or scope it lacks. U3: nobody manages the owner but
//! the owner.

use super::context::Context;
use super::{Actor, Grant, NewGrant, Privilege, Scope, Subject, Target, TargetUser, is_allowed};
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

/// A scope as its holder sees it: `member_groups` is the holder's direct groups.
#[derive(Debug, Clone, Copy)]
enum Reach<'s> {
    All,
    Groups(&'s BTreeSet<GroupId>),
}

fn reach<'s>(scope: &'s Scope, holder_groups: &'s BTreeSet<GroupId>) -> Reach<'s> {
    match scope {
        Scope::All => Reach::All,
        Scope::Groups { group_ids } => Reach::Groups(group_ids),
        Scope::MemberGroups => Reach::Groups(holder_groups),
    }
}

/// Whether the actor holds `privilege` at all (some grant reaching it gives it).
fn holds(actor: &Actor, graph: &GroupGraph, privilege: Privilege) -> bool {
    Context::of_actor(actor, graph)
        .applicable(privilege)
        .next()
        .is_some()
}

/// Whether the actor holds `privilege` over everything `reach` covers. `all` needs `all`
/// (only `all` covers `Global`). A group list needs each listed group covered: a group
/// covered by some held scope group is at or below it, so its whole subtree — and every
/// user in it — is covered too; a group not covered itself is a target the actor lacks.
/// An empty list (`member_groups` of a holder in no group) covers nothing today, but the
/// privilege is still held and wakes up when the holder joins a group: the actor must
/// hold it too.
fn actor_covers(actor: &Actor, graph: &GroupGraph, privilege: Privilege, reach: Reach) -> bool {
    match reach {
        Reach::All => is_allowed(actor, graph, privilege, &Target::Global),
        Reach::Groups(groups) if groups.is_empty() => holds(actor, graph, privilege),
        Reach::Groups(groups) => groups
            .iter()
            .all(|g| is_allowed(actor, graph, privilege, &Target::Group(*g))),
    }
}

/// P5: a change that makes `held` grants reach `subject` — a user joining a group, a group
/// nested under another — is a grant in disguise: each must be one the actor could grant to
/// `subject` itself (`subject_direct_groups`: the subject user's direct groups after the
/// change, for `member_groups`). The first that could not be given is the error.
pub fn check_hand_over<'a>(
    actor: &Actor,
    graph: &GroupGraph,
    held: impl IntoIterator<Item = &'a Grant>,
    subject: Subject,
    subject_direct_groups: &BTreeSet<GroupId>,
) -> Result<(), EscalationError> {
    for grant in held {
        let as_new = NewGrant {
            subject,
            privilege: grant.privilege,
            scope: grant.scope.clone(),
        };
        check_grant(actor, graph, &as_new, subject_direct_groups)?;
    }
    Ok(())
}

/// P5: whether the actor may create `grant`: it must hold the privilege (or one implying
/// it) over everything the new grant would cover. `subject_direct_groups` are the direct
/// groups of a user subject (to resolve `member_groups`); ignored for a group subject.
///
/// Where the SPEC is silent:
/// - `member_groups` is checked as the subject's groups are now. It follows later
///   membership changes, but those are themselves scoped (P3: users are added only to
///   groups in the adder's scope).
/// - A group subject with `member_groups` resolves to every group of every member — any
///   group at all, since members join other groups freely — so only an actor holding the
///   privilege with scope `all` may grant it.
/// - Whether the actor may grant to this subject at all (`admin.authorization` over the
///   subject user or group) is an ordinary [`authorize`](super::authorize) call, made by
///   the service before this one.
pub fn check_grant(
    actor: &Actor,
    graph: &GroupGraph,
    grant: &NewGrant,
    subject_direct_groups: &BTreeSet<GroupId>,
) -> Result<(), EscalationError> {
    if actor.is_owner {
        return Ok(());
    }
    if !holds(actor, graph, grant.privilege) {
        return Err(EscalationError::PrivilegeNotHeld(grant.privilege));
    }
    let covers = match (&grant.scope, grant.subject) {
        (Scope::MemberGroups, Subject::Group(_)) => Reach::All,
        (scope, _) => reach(scope, subject_direct_groups),
    };
    if actor_covers(actor, graph, grant.privilege, covers) {
        Ok(())
    } else {
        Err(EscalationError::ScopeExceedsOwn(grant.privilege))
    }
}

/// P5, U3: whether the actor may edit, disable, delete or integrate `target`: the owner
/// only by itself; anyone else only when every grant that reaches the target (its own and
/// its groups' per G4; `target_grants` may hold more, those are ignored) is covered by the
/// actor — same privilege or one implying it, over everything that grant covers.
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
    let reaches_target = |grant: &&Grant| match grant.subject {
        Subject::User(u) => u == target.id,
        Subject::Group(g) => graph.is_any_within(target.direct_groups.iter().copied(), g),
    };
    for grant in target_grants.iter().filter(reaches_target) {
        let covers = reach(&grant.scope, &target.direct_groups);
        if !actor_covers(actor, graph, grant.privilege, covers) {
            return Err(EscalationError::TargetHoldsMore(grant.privilege));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
