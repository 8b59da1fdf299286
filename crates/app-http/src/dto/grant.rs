//! Grants as the API shows and takes them (P2).

use super::{PrivilegeDto, ScopeKind};
use crate::dto::Fields;
use poem_openapi::Object;
use roster_domain::authz::{Grant, Scope, Subject};
use roster_domain::ids::{GroupId, UserId};
use uuid::Uuid;

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ScopeDto {
    /// all, groups or member_groups.
    pub kind: ScopeKind,
    /// For `groups`: the groups (each with everything below it).
    #[oai(default)]
    pub group_ids: Vec<Uuid>,
}

impl ScopeDto {
    /// The domain scope, or a field error under `field`.
    pub fn parse(&self, field: &str, errors: &mut Fields) -> Option<Scope> {
        match self.kind {
            ScopeKind::All | ScopeKind::MemberGroups if !self.group_ids.is_empty() => {
                errors.push(
                    &format!("{field}.group_ids"),
                    "scope_groups_unexpected",
                    "group_ids is only for a scope of kind `groups`",
                );
                None
            }
            ScopeKind::All => Some(Scope::All),
            ScopeKind::MemberGroups => Some(Scope::MemberGroups),
            ScopeKind::Groups => errors.check(
                &format!("{field}.group_ids"),
                Scope::groups(self.group_ids.iter().copied().map(GroupId::from_uuid)),
            ),
        }
    }
}

impl From<&Scope> for ScopeDto {
    fn from(scope: &Scope) -> Self {
        match scope {
            Scope::All => Self {
                kind: ScopeKind::All,
                group_ids: Vec::new(),
            },
            Scope::Groups { group_ids } => Self {
                kind: ScopeKind::Groups,
                group_ids: group_ids.iter().map(GroupId::as_uuid).collect(),
            },
            Scope::MemberGroups => Self {
                kind: ScopeKind::MemberGroups,
                group_ids: Vec::new(),
            },
        }
    }
}

/// A stored grant.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct GrantView {
    /// Its id.
    pub id: Uuid,
    /// The user holding it, for a user grant.
    #[oai(nullable)]
    pub subject_user_id: Option<Uuid>,
    /// The group holding it, for a group grant.
    #[oai(nullable)]
    pub subject_group_id: Option<Uuid>,
    /// What it allows.
    pub privilege: PrivilegeDto,
    /// Where.
    pub scope: ScopeDto,
}

impl From<&Grant> for GrantView {
    fn from(g: &Grant) -> Self {
        let (subject_user_id, subject_group_id) = match g.subject {
            Subject::User(u) => (Some(UserId::as_uuid(&u)), None),
            Subject::Group(group) => (None, Some(group.as_uuid())),
        };
        Self {
            id: g.id.as_uuid(),
            subject_user_id,
            subject_group_id,
            privilege: g.privilege.into(),
            scope: ScopeDto::from(&g.scope),
        }
    }
}
