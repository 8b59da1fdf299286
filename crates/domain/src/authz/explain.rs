//! P6: the explain call — allowed or not, and the grant path that allows it, so a host LMS
//! can ask instead of re-implementing the rules.

use super::context::{Context, Cover};
use super::{Actor, Grant, Privilege, Subject, Target};
use crate::group::graph::GroupGraph;
use crate::ids::{GrantId, GroupId};
use serde::Serialize;

/// One step of the path that allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PathStep {
    /// U3: the owner holds everything.
    Owner,
    /// A grant that covers the target. Read it as: the actor (a member of `subject` through
    /// `member_via`, when the subject is a group) holds `privilege` over `via_group`, and
    /// the target is `via_group` or below it (through `target_group`, for a user).
    Grant {
        /// The grant.
        grant_id: GrantId,
        /// Its holder (the actor, or a group the actor belongs to).
        subject: Subject,
        /// The privilege it holds (may imply the one asked).
        privilege: Privilege,
        /// Its scope kind (`all`, `groups`, `member_groups`).
        scope: &'static str,
        /// The scope group the target is in or below; none for `all`.
        via_group: Option<GroupId>,
        /// For a group subject: the actor's direct group that makes it a member (G4) —
        /// the subject group itself or one below it.
        member_via: Option<GroupId>,
        /// For a user target under a group scope: its direct group that lies in or below
        /// `via_group`.
        target_group: Option<GroupId>,
    },
}

/// The answer of explain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Whether the operation is allowed.
    pub allowed: bool,
    /// The first path that allows (owner, or one grant); empty when refused.
    pub path: Vec<PathStep>,
    /// Why nothing allows, when refused.
    pub reason: Option<String>,
}

/// Explains the decision [`is_allowed`](super::is_allowed) makes, with the same grant it
/// would find first.
pub fn explain(
    actor: &Actor,
    graph: &GroupGraph,
    privilege: Privilege,
    target: &Target,
) -> Explanation {
    if actor.is_owner {
        return Explanation {
            allowed: true,
            path: vec![PathStep::Owner],
            reason: None,
        };
    }
    let context = Context::new(actor, graph, target);
    match context.first_allowing(privilege) {
        Some((grant, cover)) => Explanation {
            allowed: true,
            path: vec![grant_step(actor, graph, target, grant, cover)],
            reason: None,
        },
        None => Explanation {
            allowed: false,
            path: Vec::new(),
            reason: Some(refusal(&context, privilege)),
        },
    }
}

fn grant_step(
    actor: &Actor,
    graph: &GroupGraph,
    target: &Target,
    grant: &Grant,
    cover: Cover,
) -> PathStep {
    // Only the one allowing grant gets here, so plain closure lookups are cheap enough.
    let member_via = match grant.subject {
        Subject::User(_) => None,
        Subject::Group(s) => actor
            .direct_groups
            .iter()
            .copied()
            .find(|d| graph.is_within(*d, s)),
    };
    let target_group = match (target, cover) {
        (Target::User(u), Cover::Under(root)) => u
            .direct_groups
            .iter()
            .copied()
            .find(|d| graph.is_within(*d, root)),
        _ => None,
    };
    PathStep::Grant {
        grant_id: grant.id,
        subject: grant.subject,
        privilege: grant.privilege,
        scope: grant.scope.kind(),
        via_group: cover.group(),
        member_via,
        target_group,
    }
}

/// Why nothing allows, in words an administrator can act on.
fn refusal(context: &Context<'_>, privilege: Privilege) -> String {
    let holders = context.applicable(privilege).count();
    if holders == 0 {
        return format!("no grant of {privilege} applies to the user");
    }
    let what = match context.target {
        Target::Global => "it needs scope all",
        Target::Group(_) => "the group is outside every scope",
        Target::User(u) if u.direct_groups.is_empty() => {
            "the user is in no group, so only scope all covers it (P3)"
        }
        Target::User(_) => "the user is in no group inside the scope",
    };
    format!("{holders} grant(s) of {privilege} apply, but none covers the target: {what}")
}

#[cfg(test)]
mod tests;
