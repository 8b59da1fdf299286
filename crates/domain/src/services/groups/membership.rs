//! Group membership (G2, P3–P5): adding or removing a member needs `users.edit` over the user
//! and the group, may not touch a user who holds more than the actor — before or after the
//! change —, never one's own groups, may not hand the user grants the actor could not give,
//! and only an administrator with scope `all` leaves a user in no group.

use super::{GroupService, GroupServiceError};
use crate::authz::{Actor, Denied, Grant, Privilege, Subject, Target, TargetUser};
use crate::authz::{authorize, check_may_manage, is_allowed};
use crate::group::graph::GroupGraph;
use crate::ids::{GroupId, UserId};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use crate::services::guard::target_user;
use crate::user::rules::{self, UserAspect};
use std::collections::BTreeSet;

impl GroupService {
    /// G2: makes `user` a direct member of `group`. Errors: `self_change_forbidden` (P3);
    /// `not_found`, `forbidden` (P4, over the group and the user); `owner_protected`;
    /// `privilege_not_held`, `scope_exceeds_own` (P5: the grants held by the group and the
    /// groups above it would reach the user); `target_holds_more` (P5: the user holds more
    /// than the actor now, or would once in `group` — a `member_groups` grant reaching the
    /// user grows with each new direct group); `unexpected`. Audited as `group.member_add`
    /// on the user.
    pub async fn add_member(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(), GroupServiceError> {
        let result = self.add_member_checked(actor, group, user).await;
        self.auditor
            .record(
                actor,
                AuditAction::GroupMemberAdd,
                AuditTarget::new(AuditTargetKind::User, user),
                group_details(group),
                result,
            )
            .await
    }

    async fn add_member_checked(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(), GroupServiceError> {
        let (graph, target, held) = self.check_membership_change(actor, group, user).await?;
        let already: BTreeSet<GroupId> = target
            .direct_groups
            .iter()
            .flat_map(|g| graph.ancestors_or_self(*g))
            .collect();
        let reaching = graph
            .ancestors_or_self(group)
            .into_iter()
            .filter(|g| !already.contains(g))
            .collect();
        let mut groups_after = target.direct_groups.clone();
        groups_after.insert(group);
        self.check_grants_could_be_given(
            actor,
            &graph,
            reaching,
            Subject::User(user),
            &groups_after,
        )
        .await?;
        // The grants already reaching the user, as they will cover once it is in `group`.
        let after = TargetUser {
            direct_groups: groups_after,
            ..target
        };
        check_may_manage(actor, &graph, &after, &held)?;
        Ok(self.groups.add_member(group, user).await?)
    }

    /// Ends a direct membership. Errors: `self_change_forbidden`; `not_found` (also when the
    /// user is not a direct member), `forbidden`; `target_holds_more`, `owner_protected`;
    /// `group_required` (P3: it is the user's last group and the actor lacks `users.edit`
    /// with scope `all` — users in no group are only in scope `all`, as for register and
    /// CSV); `unexpected`. Audited as `group.member_remove` on the user.
    pub async fn remove_member(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(), GroupServiceError> {
        let result = self.remove_member_checked(actor, group, user).await;
        self.auditor
            .record(
                actor,
                AuditAction::GroupMemberRemove,
                AuditTarget::new(AuditTargetKind::User, user),
                group_details(group),
                result,
            )
            .await
    }

    async fn remove_member_checked(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(), GroupServiceError> {
        let (graph, target, _) = self.check_membership_change(actor, group, user).await?;
        if !target.direct_groups.contains(&group) {
            return Err(Denied::NotFound.into());
        }
        if target.direct_groups.len() == 1
            && !is_allowed(actor, &graph, Privilege::UsersEdit, &Target::Global)
        {
            return Err(GroupServiceError::GroupRequired);
        }
        if self.groups.remove_member(group, user).await? {
            Ok(())
        } else {
            Err(Denied::NotFound.into())
        }
    }

    /// P3, P4, P5 for either direction: not oneself; `users.edit` over the group and the
    /// user; the user holds nothing the actor lacks (U3: nor is the owner, unless oneself).
    /// Returns the graph, the user as it is now, and the grants that may reach it.
    async fn check_membership_change(
        &self,
        actor: &Actor,
        group: GroupId,
        user: UserId,
    ) -> Result<(GroupGraph, TargetUser, Vec<Grant>), GroupServiceError> {
        rules::check_self_change(actor.user_id, user, UserAspect::Groups)?;
        let graph = self.groups.graph().await?;
        Self::known(&graph, group)?;
        let stored = self.users.get(user).await?.ok_or(Denied::NotFound)?;
        let target = target_user(&stored, self.users.direct_groups(user).await?);
        authorize(actor, &graph, Privilege::UsersEdit, &Target::Group(group))?;
        authorize(
            actor,
            &graph,
            Privilege::UsersEdit,
            &Target::User(target.clone()),
        )?;
        let held = self.grants.grants_for_user(user).await?;
        check_may_manage(actor, &graph, &target, &held)?;
        Ok((graph, target, held))
    }
}

fn group_details(group: GroupId) -> Details {
    Details::from([("group_id".to_owned(), group.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::ids::GrantId;
    use crate::services::testing::{Mocks, World, admin, grant_to, owner, user};
    use mockall::predicate::eq;

    #[tokio::test]
    async fn g2_manager_adds_user_to_group_in_scope() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        let class_b = w.class_b;
        m.grants
            .expect_grants_for_groups()
            .withf(move |holders| holders == &[class_b].into())
            .returning(|_| Ok(Vec::new()));
        m.groups
            .expect_add_member()
            .with(eq(w.class_b), eq(bob.id))
            .times(1)
            .returning(|_, _| Ok(()));
        m.expect_audit(AuditAction::GroupMemberAdd, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service.add_member(&a, w.class_b, bob.id).await.unwrap();
    }

    #[tokio::test]
    async fn p3_self_cannot_change_own_groups() {
        let mut m = Mocks::new();
        m.groups.expect_add_member().times(0);
        m.expect_audit(AuditAction::GroupMemberAdd, Err("self_change_forbidden"));
        let service = GroupService::new(&m.ports());
        let me = owner();
        let err = service
            .add_member(&me, GroupId::new(), me.user_id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn p3_scoped_manager_cannot_add_to_group_outside_scope() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.groups.expect_add_member().times(0);
        m.expect_audit(AuditAction::GroupMemberAdd, Err("not_found"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.add_member(&a, w.other, bob.id).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p4_manager_cannot_pull_in_user_outside_scope() {
        let w = World::new();
        let outsider = user("outsider");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&outsider, [w.other].into());
        m.groups.expect_add_member().times(0);
        m.expect_audit(AuditAction::GroupMemberAdd, Err("not_found"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .add_member(&a, w.class_a, outsider.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p5_membership_cannot_hand_out_group_grants_beyond_own() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        let class_b = w.class_b;
        m.grants.expect_grants_for_groups().returning(move |_| {
            Ok(vec![Grant {
                id: GrantId::new(),
                subject: Subject::Group(class_b),
                privilege: Privilege::AdminAuthorization,
                scope: Scope::MemberGroups,
            }])
        });
        m.groups.expect_add_member().times(0);
        m.expect_audit(AuditAction::GroupMemberAdd, Err("privilege_not_held"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.add_member(&a, w.class_b, bob.id).await.unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }

    #[tokio::test]
    async fn p5_cannot_move_user_who_holds_more() {
        let w = World::new();
        let boss = user("boss");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&boss, [w.class_a].into());
        m.with_grants_of(
            boss.id,
            vec![grant_to(boss.id, Privilege::GradesView, Scope::All)],
        );
        m.groups.expect_remove_member().times(0);
        m.expect_audit(AuditAction::GroupMemberRemove, Err("target_holds_more"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = service
            .remove_member(&a, w.class_a, boss.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn g2_manager_removes_member() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a, w.class_b].into());
        m.with_grants_of(bob.id, Vec::new());
        m.groups
            .expect_remove_member()
            .with(eq(w.class_a), eq(bob.id))
            .times(1)
            .returning(|_, _| Ok(true));
        m.expect_audit(AuditAction::GroupMemberRemove, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service.remove_member(&a, w.class_a, bob.id).await.unwrap();
    }

    #[tokio::test]
    async fn g2_removing_non_member_is_not_found() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.groups.expect_remove_member().times(0);
        m.expect_audit(AuditAction::GroupMemberRemove, Err("not_found"));
        let service = GroupService::new(&m.ports());
        let err = service
            .remove_member(&owner(), w.class_b, bob.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    /// An actor with `users.edit` over the school and `admin.authorization` over class A.
    fn school_editor(w: &World) -> Actor {
        let mut a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let extra = grant_to(
            a.user_id,
            Privilege::AdminAuthorization,
            Scope::groups([w.class_a]).unwrap(),
        );
        a.grants.push(extra);
        a
    }

    #[tokio::test]
    async fn p5_membership_cannot_widen_users_member_groups_grant() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(
            bob.id,
            vec![grant_to(
                bob.id,
                Privilege::AdminAuthorization,
                Scope::MemberGroups,
            )],
        );
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.groups.expect_add_member().times(0);
        m.expect_audit(AuditAction::GroupMemberAdd, Err("target_holds_more"));
        let service = GroupService::new(&m.ports());
        let err = service
            .add_member(&school_editor(&w), w.class_b, bob.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn p5_membership_cannot_widen_group_held_member_groups_grant() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(
            bob.id,
            vec![Grant {
                id: GrantId::new(),
                subject: Subject::Group(w.class_a),
                privilege: Privilege::AdminAuthorization,
                scope: Scope::MemberGroups,
            }],
        );
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.groups.expect_add_member().times(0);
        m.expect_audit(AuditAction::GroupMemberAdd, Err("target_holds_more"));
        let service = GroupService::new(&m.ports());
        let err = service
            .add_member(&school_editor(&w), w.class_b, bob.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn p5_membership_keeping_member_groups_grant_within_actor_scope_is_allowed() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_b].into());
        m.with_grants_of(
            bob.id,
            vec![grant_to(bob.id, Privilege::UsersEdit, Scope::MemberGroups)],
        );
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.groups
            .expect_add_member()
            .with(eq(w.class_a), eq(bob.id))
            .times(1)
            .returning(|_, _| Ok(()));
        m.expect_audit(AuditAction::GroupMemberAdd, Ok(()));
        let service = GroupService::new(&m.ports());
        service
            .add_member(&school_editor(&w), w.class_a, bob.id)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn p3_scoped_admin_cannot_leave_user_in_no_group() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.groups.expect_remove_member().times(0);
        m.expect_audit(AuditAction::GroupMemberRemove, Err("group_required"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .remove_member(&a, w.class_a, bob.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "group_required");
    }

    #[tokio::test]
    async fn p3_admin_with_scope_all_may_leave_user_in_no_group() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.groups
            .expect_remove_member()
            .with(eq(w.class_a), eq(bob.id))
            .times(1)
            .returning(|_, _| Ok(true));
        m.expect_audit(AuditAction::GroupMemberRemove, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        service.remove_member(&a, w.class_a, bob.id).await.unwrap();
    }
}
