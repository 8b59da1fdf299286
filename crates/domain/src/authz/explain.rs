//! P6: the explain call — allowed or not, and the grant path that allows it, so a host LMS
//! can ask instead of re-implementing the rules.

use super::decision::{applicable, covering_group};
use super::{Actor, Privilege, Scope, Subject, Target};
use crate::group::graph::GroupGraph;
use crate::ids::{GrantId, GroupId};
use serde::Serialize;

/// One step of the path that allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PathStep {
    /// U3: the owner holds everything.
    Owner,
    /// A grant that covers the target.
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

/// Explains the decision `is_allowed` would make.
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
    let mut holders = 0usize;
    for grant in applicable(actor, graph, privilege) {
        holders += 1;
        if let Ok(via_group) = covering_group(graph, &grant.scope, &actor.direct_groups, target) {
            return Explanation {
                allowed: true,
                path: vec![PathStep::Grant {
                    grant_id: grant.id,
                    subject: grant.subject,
                    privilege: grant.privilege,
                    scope: grant.scope.kind(),
                    via_group,
                }],
                reason: None,
            };
        }
    }
    let reason = if holders == 0 {
        format!("no grant of {privilege} applies to the user")
    } else {
        let what = match target {
            Target::Global => "it needs scope all".to_owned(),
            Target::Group(_) => "the group is outside every scope".to_owned(),
            Target::User(_) => "the user is in no group inside the scope".to_owned(),
        };
        format!("{holders} grant(s) of {privilege} apply, but none covers the target: {what}")
    };
    Explanation {
        allowed: false,
        path: Vec::new(),
        reason: Some(reason),
    }
}

/// Whether a scope is `all` (used by explain's callers to describe grants).
pub fn is_all(scope: &Scope) -> bool {
    matches!(scope, Scope::All)
}
