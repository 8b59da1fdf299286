//! The explain call (P6): the question and the grant path of the answer.

use super::grant_input::user_or_group;
use super::{Fields, PrivilegeDto, ScopeKind};
use crate::problem::ApiError;
use poem_openapi::{Enum, Object};
use roster_domain::authz::{Explanation, PathStep, Subject};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::services::{ExplainRequest, ExplainTarget};
use uuid::Uuid;

/// May `user_id` use `privilege` on the target? At most one of `target_user_id` and
/// `target_group_id`; with neither, the target is global (settings, templates: only scope
/// `all` covers it).
#[derive(Debug, Object)]
pub struct ExplainBody {
    /// Whose authority is explained.
    pub user_id: Uuid,
    /// Which privilege.
    pub privilege: PrivilegeDto,
    /// A user acted on.
    pub target_user_id: Option<Uuid>,
    /// A group acted on.
    #[oai(nullable)]
    pub target_group_id: Option<Uuid>,
}

impl ExplainBody {
    /// The question, or 422 when both targets are given.
    pub fn parse(self) -> Result<ExplainRequest, ApiError> {
        let mut errors = Fields::new();
        let target = user_or_group(
            self.target_user_id,
            self.target_group_id,
            "target_group_id",
            &mut errors,
        );
        errors.finish()?;
        let target = match target.flatten() {
            Some(Subject::User(u)) => ExplainTarget::User(u),
            Some(Subject::Group(g)) => ExplainTarget::Group(g),
            None => ExplainTarget::Global,
        };
        Ok(ExplainRequest {
            user_id: UserId::from_uuid(self.user_id),
            privilege: self.privilege.into(),
            target,
        })
    }
}

/// What one step of a grant path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PathStepKind {
    /// The owner holds everything (U3).
    Owner,
    /// A grant covers the target.
    Grant,
}

/// One step of the path that allows. For a grant, read it as: the user (a member of
/// `subject_group_id` through `member_via_group_id`, for a group grant) holds `privilege`
/// over `via_group_id`, and the target is that group or below it (through
/// `target_group_id`, for a user target).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct PathStepView {
    /// owner or grant.
    pub kind: PathStepKind,
    /// The grant.
    #[oai(nullable)]
    pub grant_id: Option<Uuid>,
    /// The grant's holder, for a user grant.
    #[oai(nullable)]
    pub subject_user_id: Option<Uuid>,
    /// The grant's holder, for a group grant.
    #[oai(nullable)]
    pub subject_group_id: Option<Uuid>,
    /// The privilege the grant holds (it may imply the one asked: `users.edit` gives
    /// `users.view`).
    #[oai(nullable)]
    pub privilege: Option<PrivilegeDto>,
    /// The grant's scope kind.
    #[oai(nullable)]
    pub scope: Option<ScopeKind>,
    /// The scope group the target is in or below; none for scope `all`.
    #[oai(nullable)]
    pub via_group_id: Option<Uuid>,
    /// For a group grant: the user's direct group that makes it a member (G4).
    #[oai(nullable)]
    pub member_via_group_id: Option<Uuid>,
    /// For a user target under a group scope: its direct group in or below `via_group_id`.
    #[oai(nullable)]
    pub target_group_id: Option<Uuid>,
}

impl From<&PathStep> for PathStepView {
    fn from(step: &PathStep) -> Self {
        match step {
            PathStep::Owner => Self {
                kind: PathStepKind::Owner,
                grant_id: None,
                subject_user_id: None,
                subject_group_id: None,
                privilege: None,
                scope: None,
                via_group_id: None,
                member_via_group_id: None,
                target_group_id: None,
            },
            PathStep::Grant {
                grant_id,
                subject,
                privilege,
                scope,
                via_group,
                member_via,
                target_group,
            } => {
                let (subject_user_id, subject_group_id) = match subject {
                    Subject::User(u) => (Some(u.as_uuid()), None),
                    Subject::Group(g) => (None, Some(g.as_uuid())),
                };
                Self {
                    kind: PathStepKind::Grant,
                    grant_id: Some(grant_id.as_uuid()),
                    subject_user_id,
                    subject_group_id,
                    privilege: Some((*privilege).into()),
                    scope: scope_kind(scope),
                    via_group_id: via_group.map(|g| g.as_uuid()),
                    member_via_group_id: member_via.map(|g| g.as_uuid()),
                    target_group_id: target_group.map(|g| GroupId::as_uuid(&g)),
                }
            }
        }
    }
}

fn scope_kind(kind: &str) -> Option<ScopeKind> {
    match kind {
        "all" => Some(ScopeKind::All),
        "groups" => Some(ScopeKind::Groups),
        "member_groups" => Some(ScopeKind::MemberGroups),
        _ => None,
    }
}

/// The answer: allowed or not, and the path that allows.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ExplanationView {
    /// Whether the user may.
    pub allowed: bool,
    /// The first path that allows (the owner, or one grant); empty when refused.
    pub path: Vec<PathStepView>,
    /// Why nothing allows, when refused.
    #[oai(nullable)]
    pub reason: Option<String>,
}

impl From<Explanation> for ExplanationView {
    fn from(e: Explanation) -> Self {
        Self {
            allowed: e.allowed,
            path: e.path.iter().map(PathStepView::from).collect(),
            reason: e.reason,
        }
    }
}
