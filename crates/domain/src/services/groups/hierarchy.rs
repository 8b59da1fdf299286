//! Nesting groups (G3): a parent edge needs `users.edit` over both groups, is refused before
//! any write when it would close a cycle, and may not hand the child's members grants the
//! actor could not give (P5).

use super::{GroupService, GroupServiceError};
use crate::authz::{Actor, Denied, Privilege, Subject, Target, authorize};
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;

impl GroupService {
    /// G3: makes `parent` a parent of `child`. Errors: `not_found`, `forbidden`;
    /// `group_self_parent`, `group_cycle` (checked on the graph before the store is asked,
    /// and again by the store); `privilege_not_held`, `scope_exceeds_own` (P5: the grants
    /// held above `parent` would reach `child`'s members); `unexpected`. Audited as
    /// `group.parent_add` on the child.
    pub async fn add_parent(
        &self,
        actor: &Actor,
        child: GroupId,
        parent: GroupId,
    ) -> Result<(), GroupServiceError> {
        let result = self.add_parent_checked(actor, child, parent).await;
        self.auditor
            .record(
                actor,
                AuditAction::GroupParentAdd,
                AuditTarget::new(AuditTargetKind::Group, child),
                parent_details(parent),
                result,
            )
            .await
    }

    async fn add_parent_checked(
        &self,
        actor: &Actor,
        child: GroupId,
        parent: GroupId,
    ) -> Result<(), GroupServiceError> {
        let graph = self.groups.graph().await?;
        Self::edit_both(actor, &graph, child, parent)?;
        graph.check_add_parent(child, parent)?;
        let already = graph.ancestors_or_self(child);
        let reaching = graph
            .ancestors_or_self(parent)
            .into_iter()
            .filter(|g| !already.contains(g))
            .collect();
        self.check_grants_could_be_given(
            actor,
            &graph,
            reaching,
            Subject::Group(child),
            &[].into(),
        )
        .await?;
        Ok(self.groups.add_parent(child, parent).await?)
    }

    /// Removes the edge. Errors: `not_found` (either group, or no such edge), `forbidden`;
    /// `unexpected`. Audited as `group.parent_remove` on the child.
    pub async fn remove_parent(
        &self,
        actor: &Actor,
        child: GroupId,
        parent: GroupId,
    ) -> Result<(), GroupServiceError> {
        let result = self.remove_parent_checked(actor, child, parent).await;
        self.auditor
            .record(
                actor,
                AuditAction::GroupParentRemove,
                AuditTarget::new(AuditTargetKind::Group, child),
                parent_details(parent),
                result,
            )
            .await
    }

    async fn remove_parent_checked(
        &self,
        actor: &Actor,
        child: GroupId,
        parent: GroupId,
    ) -> Result<(), GroupServiceError> {
        let graph = self.groups.graph().await?;
        Self::edit_both(actor, &graph, child, parent)?;
        if !graph.parents(child).any(|p| p == parent) {
            return Err(Denied::NotFound.into());
        }
        if self.groups.remove_parent(child, parent).await? {
            Ok(())
        } else {
            Err(Denied::NotFound.into())
        }
    }

    /// Both groups exist and the actor has `users.edit` over each.
    fn edit_both(
        actor: &Actor,
        graph: &GroupGraph,
        child: GroupId,
        parent: GroupId,
    ) -> Result<(), GroupServiceError> {
        for g in [child, parent] {
            Self::known(graph, g)?;
            authorize(actor, graph, Privilege::UsersEdit, &Target::Group(g))?;
        }
        Ok(())
    }
}

fn parent_details(parent: GroupId) -> Details {
    Details::from([("parent_id".to_owned(), parent.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Scope};
    use crate::error::ErrorCode;
    use crate::ids::GrantId;
    use crate::ports::groups::LinkError;
    use crate::services::testing::{Mocks, World, admin, owner};
    use mockall::predicate::eq;

    #[tokio::test]
    async fn g3_manager_nests_group_within_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.groups
            .expect_add_parent()
            .with(eq(w.class_b), eq(w.class_a))
            .times(1)
            .returning(|_, _| Ok(()));
        m.expect_audit(AuditAction::GroupParentAdd, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service.add_parent(&a, w.class_b, w.class_a).await.unwrap();
    }

    #[tokio::test]
    async fn g3_cycle_refused_before_port_call() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_add_parent().times(0);
        m.expect_audit(AuditAction::GroupParentAdd, Err("group_cycle"));
        let service = GroupService::new(&m.ports());
        let err = service
            .add_parent(&owner(), w.school, w.class_a)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "group_cycle");
    }

    #[tokio::test]
    async fn g3_concurrent_cycle_found_by_the_store_is_reported() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups
            .expect_add_parent()
            .returning(|child, parent| Err(LinkError::Cycle { child, parent }));
        m.expect_audit(AuditAction::GroupParentAdd, Err("group_cycle"));
        let service = GroupService::new(&m.ports());
        let err = service
            .add_parent(&owner(), w.other, w.school)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "group_cycle");
    }

    #[tokio::test]
    async fn g3_needs_edit_over_both_groups() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_add_parent().times(0);
        m.expect_audit(AuditAction::GroupParentAdd, Err("not_found"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .add_parent(&a, w.class_a, w.other)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p5_nesting_cannot_hand_out_grants_beyond_own() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let other = w.other;
        m.grants
            .expect_grants_for_groups()
            .withf(move |holders| holders == &[other].into())
            .returning(move |_| {
                Ok(vec![Grant {
                    id: GrantId::new(),
                    subject: Subject::Group(other),
                    privilege: Privilege::UsersEdit,
                    scope: Scope::All,
                }])
            });
        m.groups.expect_add_parent().times(0);
        m.expect_audit(AuditAction::GroupParentAdd, Err("scope_exceeds_own"));
        let service = GroupService::new(&m.ports());
        let mut a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        a.grants[0].scope = Scope::groups([w.school, w.other]).unwrap();
        let err = service
            .add_parent(&a, w.class_a, w.other)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn g3_remove_existing_edge() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups
            .expect_remove_parent()
            .with(eq(w.class_a), eq(w.school))
            .times(1)
            .returning(|_, _| Ok(true));
        m.expect_audit(AuditAction::GroupParentRemove, Ok(()));
        let service = GroupService::new(&m.ports());
        service
            .remove_parent(&owner(), w.class_a, w.school)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn g3_remove_missing_edge_is_not_found() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_remove_parent().times(0);
        m.expect_audit(AuditAction::GroupParentRemove, Err("not_found"));
        let service = GroupService::new(&m.ports());
        let err = service
            .remove_parent(&owner(), w.class_a, w.class_b)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p4_viewer_cannot_remove_edge() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_remove_parent().times(0);
        m.expect_audit(AuditAction::GroupParentRemove, Err("forbidden"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::All);
        let err = service
            .remove_parent(&a, w.class_a, w.school)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}
