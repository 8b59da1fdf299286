//! The scope of a grant (P2): everything, a list of groups (each with everything below it),
//! or the groups the holder is a direct member of (with everything below them).

use crate::error::ErrorCode;
use crate::ids::GroupId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Every user and group, including users in no group.
    All,
    /// These groups and every group below them. Never empty.
    Groups {
        /// The top groups of the scope.
        group_ids: BTreeSet<GroupId>,
    },
    /// The groups the holder is a direct member of, and everything below them, as they are at
    /// the time of each decision ("a manager sees only himself and his subordinates").
    MemberGroups,
}

/// A scope that cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// `groups` with no group would cover nothing; refuse it rather than store a dead grant.
    #[error("a groups scope needs at least one group")]
    NoGroups,
}

impl ErrorCode for ScopeError {
    fn code(&self) -> &'static str {
        "scope_without_groups"
    }
}

impl Scope {
    /// A scope over these groups; refused when the list is empty.
    pub fn groups(ids: impl IntoIterator<Item = GroupId>) -> Result<Self, ScopeError> {
        let group_ids: BTreeSet<GroupId> = ids.into_iter().collect();
        if group_ids.is_empty() {
            return Err(ScopeError::NoGroups);
        }
        Ok(Self::Groups { group_ids })
    }

    /// The wire word of the kind (`all`, `groups`, `member_groups`).
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Groups { .. } => "groups",
            Self::MemberGroups => "member_groups",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p2_groups_scope_is_never_empty() {
        assert_eq!(Scope::groups([]), Err(ScopeError::NoGroups));
        let g = GroupId::new();
        assert_eq!(
            Scope::groups([g, g]).unwrap(),
            Scope::Groups {
                group_ids: [g].into()
            }
        );
    }

    #[test]
    fn p2_scope_wire_shape() {
        assert_eq!(
            serde_json::to_value(Scope::All).unwrap(),
            serde_json::json!({"kind": "all"})
        );
        assert_eq!(
            serde_json::to_value(Scope::MemberGroups).unwrap(),
            serde_json::json!({"kind": "member_groups"})
        );
    }
}
