//! Nesting groups (G3): a parent edge needs `users.edit` over both groups, is refused before
//! any write when it would close a cycle, may not hand the child's members grants the actor
//! could not give, and may not widen anybody's grants over the child beyond what the actor
//! could grant (P5).

use super::{GroupService, GroupServiceError};
use crate::authz::{Actor, Denied, Grant, NewGrant, Privilege, Scope, Subject, Target};
use crate::authz::{authorize, check_grant};
use crate::group::graph::GroupGraph;
use crate::ids::GroupId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use std::collections::BTreeSet;

impl GroupService {
    /// G3: makes `parent` a parent of `child`. P5 (the rule): the edge is a grant in disguise
    /// twice over, and both must be grants the actor could make itself:
    /// - the grants held by `parent` and the groups above it reach `child`'s members (G4):
    ///   the actor must be able to give each of them to `child`;
    /// - every grant that covers `parent` but not yet `child` — a `groups` scope naming
    ///   `parent` or a group above it, a `member_groups` grant of a direct member of one of
    ///   them — now covers `child` and everything below it: the actor must hold that
    ///   grant's privilege over `child` (as for a grant with scope `groups [child]`).
    ///   Group-held `member_groups` grants are taken to cover `child` newly, since their
    ///   holders are not enumerated: refusing is the safe side.
    ///
    /// Errors: `not_found`, `forbidden`; `group_self_parent`, `group_cycle` (checked on the
    /// graph before the store is asked, and again by the store); `privilege_not_held`,
    /// `scope_exceeds_own` (P5, either part); `unexpected`. Audited as `group.parent_add`
    /// on the child.
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
        self.check_widened_scopes(actor, &graph, child, parent)
            .await?;
        Ok(self.groups.add_parent(child, parent).await?)
    }

    /// P5: every grant that covers `parent` but not `child` is widened to `child` by the new
    /// edge; the actor must hold its privilege over `child`.
    async fn check_widened_scopes(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        child: GroupId,
        parent: GroupId,
    ) -> Result<(), GroupServiceError> {
        if actor.is_owner {
            return Ok(());
        }
        let child_above = graph.ancestors_or_self(child);
        let scoped = self
            .grants
            .grants_scoped_on(graph.ancestors_or_self(parent))
            .await?;
        for held in scoped {
            if self.covers_already(&held, &child_above).await? {
                continue;
            }
            let widened = NewGrant {
                subject: held.subject,
                privilege: held.privilege,
                scope: Scope::Groups {
                    group_ids: BTreeSet::from([child]),
                },
            };
            check_grant(actor, graph, &widened, &BTreeSet::new())?;
        }
        Ok(())
    }

    /// Whether `held` covers the group whose ancestors-or-self are `child_above` already.
    async fn covers_already(
        &self,
        held: &Grant,
        child_above: &BTreeSet<GroupId>,
    ) -> Result<bool, GroupServiceError> {
        Ok(match (&held.scope, held.subject) {
            (Scope::All, _) => true,
            (Scope::Groups { group_ids }, _) => group_ids.iter().any(|g| child_above.contains(g)),
            (Scope::MemberGroups, Subject::User(holder)) => self
                .users
                .direct_groups(holder)
                .await?
                .iter()
                .any(|g| child_above.contains(g)),
            (Scope::MemberGroups, Subject::Group(_)) => false,
        })
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
    use crate::error::ErrorCode;
    use crate::ids::GrantId;
    use crate::ids::UserId;
    use crate::ports::groups::LinkError;
    use crate::services::testing::{Mocks, World, admin, grant_to, owner, user};
    use mockall::predicate::eq;

    #[tokio::test]
    async fn g3_manager_nests_group_within_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.grants
            .expect_grants_scoped_on()
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

    /// An actor with `users.edit` over the school and the other root group, and `extra`.
    fn nester(w: &World, extra: Option<(Privilege, Scope)>) -> Actor {
        let mut a = admin(
            Privilege::UsersEdit,
            Scope::groups([w.school, w.other]).unwrap(),
        );
        if let Some((privilege, scope)) = extra {
            let g = grant_to(a.user_id, privilege, scope);
            a.grants.push(g);
        }
        a
    }

    /// Nesting `other` under the school, with these grants scoped on the school.
    fn nest_other(w: &World, scoped: Vec<Grant>, allowed: bool) -> Mocks {
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        let school = w.school;
        m.grants
            .expect_grants_scoped_on()
            .withf(move |groups| groups == &BTreeSet::from([school]))
            .returning(move |_| Ok(scoped.clone()));
        if allowed {
            m.groups
                .expect_add_parent()
                .with(eq(w.other), eq(w.school))
                .times(1)
                .returning(|_, _| Ok(()));
        } else {
            m.groups.expect_add_parent().times(0);
        }
        m
    }

    #[tokio::test]
    async fn p5_nesting_cannot_widen_own_scope_grant_to_new_child() {
        let w = World::new();
        let a = nester(
            &w,
            Some((Privilege::GradesView, Scope::groups([w.school]).unwrap())),
        );
        let mut m = nest_other(&w, a.grants.clone(), false);
        m.expect_audit(AuditAction::GroupParentAdd, Err("scope_exceeds_own"));
        let service = GroupService::new(&m.ports());
        let err = service.add_parent(&a, w.other, w.school).await.unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn p5_nesting_cannot_widen_others_scope_grant_with_privilege_actor_lacks() {
        let w = World::new();
        let stranger = UserId::new();
        let scoped = vec![grant_to(
            stranger,
            Privilege::AdminAuthorization,
            Scope::groups([w.school]).unwrap(),
        )];
        let mut m = nest_other(&w, scoped, false);
        m.expect_audit(AuditAction::GroupParentAdd, Err("privilege_not_held"));
        let service = GroupService::new(&m.ports());
        let err = service
            .add_parent(&nester(&w, None), w.other, w.school)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }

    #[tokio::test]
    async fn p5_nesting_cannot_widen_member_groups_grant_of_parent_member() {
        let w = World::new();
        let bob = user("bob");
        let scoped = vec![grant_to(bob.id, Privilege::GradesView, Scope::MemberGroups)];
        let mut m = nest_other(&w, scoped, false);
        m.users
            .expect_direct_groups()
            .with(eq(bob.id))
            .returning(move |_| Ok(BTreeSet::from([w.school])));
        m.expect_audit(AuditAction::GroupParentAdd, Err("scope_exceeds_own"));
        let service = GroupService::new(&m.ports());
        let a = nester(
            &w,
            Some((Privilege::GradesView, Scope::groups([w.school]).unwrap())),
        );
        let err = service.add_parent(&a, w.other, w.school).await.unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn p5_nesting_cannot_widen_group_held_member_groups_grant() {
        let w = World::new();
        let scoped = vec![Grant {
            id: GrantId::new(),
            subject: Subject::Group(w.school),
            privilege: Privilege::GradesView,
            scope: Scope::MemberGroups,
        }];
        let mut m = nest_other(&w, scoped, false);
        m.expect_audit(AuditAction::GroupParentAdd, Err("scope_exceeds_own"));
        let service = GroupService::new(&m.ports());
        let a = nester(
            &w,
            Some((Privilege::GradesView, Scope::groups([w.school]).unwrap())),
        );
        let err = service.add_parent(&a, w.other, w.school).await.unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn p5_nesting_widening_only_what_actor_holds_over_child_is_allowed() {
        let w = World::new();
        let stranger = UserId::new();
        let bob = user("bob");
        let scoped = vec![
            grant_to(
                stranger,
                Privilege::GradesView,
                Scope::groups([w.school]).unwrap(),
            ),
            // Covers `other` already: not widened, so not the actor's business here.
            grant_to(
                stranger,
                Privilege::AdminSettings,
                Scope::groups([w.school, w.other]).unwrap(),
            ),
            grant_to(bob.id, Privilege::AdminNotifications, Scope::MemberGroups),
        ];
        let mut m = nest_other(&w, scoped, true);
        m.users
            .expect_direct_groups()
            .with(eq(bob.id))
            .returning(move |_| Ok(BTreeSet::from([w.school, w.other])));
        m.expect_audit(AuditAction::GroupParentAdd, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = nester(&w, Some((Privilege::GradesView, Scope::All)));
        service.add_parent(&a, w.other, w.school).await.unwrap();
    }
}
