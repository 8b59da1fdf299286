//! P6: explain — for (user, privilege, target), allowed or not and the grant path, so a host
//! LMS can ask instead of re-implementing the rules.
//!
//! Who may ask: anyone about themselves; otherwise an actor who can see the user asked about
//! with `users.view` or `admin.authorization` (the viewing role already sees users and
//! groups; the authorization role manages exactly these grants). The target must be in the
//! asker's view by the same rule, so explain reveals nothing a list would not.

use super::{GrantService, GrantServiceError};
use crate::authz::{Actor, Denied, Explanation, Privilege, Target, explain, is_allowed};
use crate::group::graph::GroupGraph;
use crate::ids::{GroupId, UserId};
use crate::services::actor::LoadActorError;
use crate::services::guard::target_user;

/// What the explained operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainTarget {
    /// A user (`target_user_id`).
    User(UserId),
    /// A group (`target_group_id`).
    Group(GroupId),
    /// Nothing group-bound (settings, templates): only scope `all` covers it.
    Global,
}

/// An explain question (`POST /api/v1/authz/explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplainRequest {
    /// Whose authority is explained.
    pub user_id: UserId,
    /// Which privilege.
    pub privilege: Privilege,
    /// Over what.
    pub target: ExplainTarget,
}

/// Whether the asker sees `target` with `users.view` or `admin.authorization`.
fn in_view(asker: &Actor, graph: &GroupGraph, target: &Target) -> bool {
    [Privilege::UsersView, Privilege::AdminAuthorization]
        .into_iter()
        .any(|p| is_allowed(asker, graph, p, target))
}

impl GrantService {
    /// P6: whether `request.user_id` may use `request.privilege` on the target, and the grant
    /// path that allows it. Errors: `not_found` (the user or target does not exist or is out
    /// of the asker's view); `unexpected`. A read: not audited.
    pub async fn explain(
        &self,
        actor: &Actor,
        request: ExplainRequest,
    ) -> Result<Explanation, GrantServiceError> {
        let graph = self.groups.graph().await?;
        let user = self
            .users
            .get(request.user_id)
            .await?
            .ok_or(Denied::NotFound)?;
        let subject_groups = self.users.direct_groups(user.id).await?;
        let asked = Target::User(target_user(&user, subject_groups.clone()));
        if user.id != actor.user_id && !in_view(actor, &graph, &asked) {
            return Err(Denied::NotFound.into());
        }
        let target = match request.target {
            ExplainTarget::Global => Target::Global,
            ExplainTarget::Group(g) if graph.contains(g) => Target::Group(g),
            ExplainTarget::Group(_) => return Err(Denied::NotFound.into()),
            ExplainTarget::User(id) => {
                let t = self.users.get(id).await?.ok_or(Denied::NotFound)?;
                Target::User(target_user(&t, self.users.direct_groups(id).await?))
            }
        };
        let own = matches!(request.target, ExplainTarget::User(id) if id == actor.user_id);
        if !matches!(target, Target::Global) && !own && !in_view(actor, &graph, &target) {
            return Err(Denied::NotFound.into());
        }
        let subject = crate::services::actor::snapshot(
            user.id,
            user.is_owner,
            self.users.as_ref(),
            self.grants.as_ref(),
        )
        .await
        .map_err(|e| match e {
            LoadActorError::Unexpected(u) => GrantServiceError::Unexpected(u),
            LoadActorError::UnknownUser | LoadActorError::Inactive => Denied::NotFound.into(),
        })?;
        Ok(explain(&subject, &graph, request.privilege, &target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{PathStep, Scope, Subject};
    use crate::error::ErrorCode;
    use crate::services::testing::{Mocks, World, actor_of, admin, grant_to, user};

    #[tokio::test]
    async fn p6_explains_the_grant_path() {
        let w = World::new();
        let (teacher, student) = (user("teacher"), user("student"));
        let grant = grant_to(teacher.id, Privilege::UsersEdit, Scope::MemberGroups);
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&teacher, [w.class_a].into());
        m.with_user(&student, [w.class_a].into());
        m.with_grants_of(teacher.id, vec![grant.clone()]);
        let service = GrantService::new(&m.ports());
        let asker = admin(Privilege::UsersView, Scope::All);
        let request = ExplainRequest {
            user_id: teacher.id,
            privilege: Privilege::UsersView,
            target: ExplainTarget::User(student.id),
        };
        let answer = service.explain(&asker, request).await.unwrap();
        assert!(answer.allowed);
        assert_eq!(
            answer.path,
            vec![PathStep::Grant {
                grant_id: grant.id,
                subject: Subject::User(teacher.id),
                privilege: Privilege::UsersEdit,
                scope: "member_groups",
                via_group: Some(w.class_a),
                member_via: None,
                target_group: Some(w.class_a),
            }]
        );
        let denied = ExplainRequest {
            target: ExplainTarget::Group(w.class_b),
            ..request
        };
        assert!(!service.explain(&asker, denied).await.unwrap().allowed);
    }

    #[tokio::test]
    async fn p6_anyone_may_ask_about_themselves() {
        let w = World::new();
        let me = user("me");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&me, [].into());
        m.with_grants_of(me.id, Vec::new());
        let service = GrantService::new(&m.ports());
        let request = ExplainRequest {
            user_id: me.id,
            privilege: Privilege::AdminSettings,
            target: ExplainTarget::Global,
        };
        let answer = service
            .explain(&actor_of(&me, [].into()), request)
            .await
            .unwrap();
        assert!(!answer.allowed && answer.reason.is_some());
    }

    #[tokio::test]
    async fn p6_asking_about_user_out_of_view_is_not_found() {
        let w = World::new();
        let other = user("other");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&other, [w.other].into());
        m.grants.expect_grants_for_user().times(0);
        let service = GrantService::new(&m.ports());
        let asker = admin(Privilege::UsersView, Scope::groups([w.school]).unwrap());
        let request = ExplainRequest {
            user_id: other.id,
            privilege: Privilege::UsersView,
            target: ExplainTarget::Global,
        };
        let err = service.explain(&asker, request).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p6_target_out_of_view_is_not_found() {
        let w = World::new();
        let teacher = user("teacher");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&teacher, [w.class_a].into());
        m.grants.expect_grants_for_user().times(0);
        let service = GrantService::new(&m.ports());
        let asker = admin(
            Privilege::AdminAuthorization,
            Scope::groups([w.school]).unwrap(),
        );
        let request = ExplainRequest {
            user_id: teacher.id,
            privilege: Privilege::UsersView,
            target: ExplainTarget::Group(w.other),
        };
        let err = service.explain(&asker, request).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
