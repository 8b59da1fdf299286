//! Creating, editing and deleting groups (G1, G5, P3, P5).

use super::{GroupService, GroupServiceError};
use crate::authz::{Actor, Denied, NewGrant, Privilege, Scope, Subject, Target};
use crate::authz::{authorize, check_grant, is_allowed};
use crate::group::graph::GroupGraph;
use crate::group::{ExternalCode, Group, GroupDescription, GroupName};
use crate::ids::GroupId;
use crate::ports::PageRequest;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::groups::NewGroup;
use crate::services::audit::Details;
use crate::services::guard::{groups_in_scope, require_some};
use std::collections::BTreeSet;

/// A group to create (`POST /api/v1/groups`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateGroup {
    /// Unique, case-insensitive.
    pub name: GroupName,
    /// Optional, unique.
    pub external_code: Option<ExternalCode>,
    /// Free text, bounded (G1).
    pub description: GroupDescription,
    /// Its parents; none makes a root group, which needs scope `all` (P3).
    pub parent_ids: BTreeSet<GroupId>,
}

/// A change to a group (`PATCH /api/v1/groups/{id}`); `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupPatch {
    /// New name.
    pub name: Option<GroupName>,
    /// New external code, or `Some(None)` to clear it.
    pub external_code: Option<Option<ExternalCode>>,
    /// New description.
    pub description: Option<GroupDescription>,
}

impl GroupService {
    /// G1, P3: creates a group. A scoped administrator creates groups only below groups in
    /// its `users.edit` scope (each parent must be in it); a root group needs scope `all`.
    /// Errors: `forbidden`; `unknown_group` (also for a parent out of view);
    /// `group_name_taken`; `external_code_taken`; `unexpected`. Audited as `group.create`.
    pub async fn create(
        &self,
        actor: &Actor,
        command: CreateGroup,
    ) -> Result<Group, GroupServiceError> {
        let mut details = Details::new();
        details.insert("name".into(), command.name.as_str().to_owned());
        let result = self.create_checked(actor, command).await;
        let target = match &result {
            Ok(group) => AuditTarget::new(AuditTargetKind::Group, group.id),
            Err(_) => AuditTarget::kind_only(AuditTargetKind::Group),
        };
        self.auditor
            .record(actor, AuditAction::GroupCreate, target, details, result)
            .await
    }

    async fn create_checked(
        &self,
        actor: &Actor,
        command: CreateGroup,
    ) -> Result<Group, GroupServiceError> {
        let graph = self.groups.graph().await?;
        require_some(actor, &graph, Privilege::UsersEdit)?;
        if command.parent_ids.is_empty() {
            authorize(actor, &graph, Privilege::UsersEdit, &Target::Global)?;
        }
        groups_in_scope(actor, &graph, Privilege::UsersEdit, &command.parent_ids)?;
        let new = NewGroup {
            id: GroupId::new(),
            name: command.name,
            external_code: command.external_code,
            description: command.description,
            parent_ids: command.parent_ids,
        };
        Ok(self.groups.create(new).await?)
    }

    /// G1: renames a group or changes its code or description. Needs `users.edit` over the
    /// group. Errors: `not_found`, `forbidden`; `group_name_taken`; `external_code_taken`;
    /// `unexpected`. Audited as `group.update`.
    pub async fn update(
        &self,
        actor: &Actor,
        id: GroupId,
        patch: GroupPatch,
    ) -> Result<Group, GroupServiceError> {
        let mut details = Details::new();
        if let Some(name) = &patch.name {
            details.insert("name".into(), name.as_str().to_owned());
        }
        let result = self.update_checked(actor, id, patch).await;
        let target = AuditTarget::new(AuditTargetKind::Group, id);
        self.auditor
            .record(actor, AuditAction::GroupUpdate, target, details, result)
            .await
    }

    async fn update_checked(
        &self,
        actor: &Actor,
        id: GroupId,
        patch: GroupPatch,
    ) -> Result<Group, GroupServiceError> {
        let graph = self.groups.graph().await?;
        Self::known(&graph, id)?;
        authorize(actor, &graph, Privilege::UsersEdit, &Target::Group(id))?;
        let current = self.groups.get(id).await?.ok_or(Denied::NotFound)?;
        let mut group = current.clone();
        if let Some(name) = patch.name {
            group.name = name;
        }
        if let Some(code) = patch.external_code {
            group.external_code = code;
        }
        if let Some(description) = patch.description {
            group.description = description;
        }
        if group == current {
            return Ok(current);
        }
        Ok(self.groups.update(group).await?)
    }

    /// G5: deletes a group with its memberships and the grants it holds; never a user; its
    /// children lose it as a parent; grants naming it in their scope lose it. Deleting is a
    /// revoke in disguise, so P5 (the rule):
    /// - `users.edit` over the group (P4);
    /// - the actor must be able to grant — hence revoke — every grant the group holds;
    /// - every grant whose scope names the group (a `groups` scope listing it, a
    ///   `member_groups` grant of one of its direct members) is narrowed: the actor must hold
    ///   that grant's privilege over the group, as for revoking it there;
    /// - a group that is not empty — it has direct members (they lose its grants, and some
    ///   may hold more than the actor, or be the owner), sub-groups (they lose the grants
    ///   and scopes of every group above it), or grants name it in their scope (other
    ///   administrators lose reach) — needs `users.edit` and `admin.authorization`, both
    ///   with scope `all`. An empty group, like a new one (P3), a scoped administrator may
    ///   delete.
    ///
    /// Errors: `not_found`, `forbidden` (also a non-empty group without both scope-`all`
    /// grants); `privilege_not_held`, `scope_exceeds_own`; `unexpected`. Audited as
    /// `group.delete`.
    pub async fn delete(&self, actor: &Actor, id: GroupId) -> Result<(), GroupServiceError> {
        let result = self.delete_checked(actor, id).await;
        let target = AuditTarget::new(AuditTargetKind::Group, id);
        self.auditor
            .record(
                actor,
                AuditAction::GroupDelete,
                target,
                Details::new(),
                result,
            )
            .await
    }

    async fn delete_checked(&self, actor: &Actor, id: GroupId) -> Result<(), GroupServiceError> {
        let graph = self.groups.graph().await?;
        Self::known(&graph, id)?;
        authorize(actor, &graph, Privilege::UsersEdit, &Target::Group(id))?;
        self.check_grants_could_be_given(
            actor,
            &graph,
            [id].into(),
            Subject::Group(id),
            &[].into(),
        )
        .await?;
        self.check_delete_narrowing(actor, &graph, id).await?;
        Ok(self.groups.delete(id).await?)
    }

    /// P5: what deleting `id` takes from others — see [`GroupService::delete`].
    async fn check_delete_narrowing(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        id: GroupId,
    ) -> Result<(), GroupServiceError> {
        if actor.is_owner {
            return Ok(());
        }
        let scoped = self.grants.grants_scoped_on([id].into()).await?;
        let has_children = graph.children(id).next().is_some();
        let one = PageRequest {
            limit: 1,
            cursor: None,
        };
        let non_empty = has_children
            || !scoped.is_empty()
            || !self.groups.members(id, one).await?.items.is_empty();
        let everywhere = |p| is_allowed(actor, graph, p, &Target::Global);
        if non_empty
            && !(everywhere(Privilege::UsersEdit) && everywhere(Privilege::AdminAuthorization))
        {
            return Err(Denied::Forbidden.into());
        }
        for held in scoped {
            let narrowed = NewGrant {
                subject: held.subject,
                privilege: held.privilege,
                scope: Scope::Groups {
                    group_ids: BTreeSet::from([id]),
                },
            };
            check_grant(actor, graph, &narrowed, &BTreeSet::new())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Grant;
    use crate::error::ErrorCode;
    use crate::ids::{GrantId, UserId};
    use crate::ports::Page;
    use crate::ports::groups::GroupWriteError;
    use crate::services::testing::{Mocks, World, admin, grant_to, owner, user};

    /// No grant names `g` in its scope, and `g` has no direct member.
    fn empty(m: &mut Mocks, g: GroupId) {
        m.grants
            .expect_grants_scoped_on()
            .withf(move |groups| groups == &BTreeSet::from([g]))
            .returning(|_| Ok(Vec::new()));
        m.groups
            .expect_members()
            .with(eq(g), mockall::predicate::always())
            .returning(|_, _| {
                Ok(Page {
                    items: Vec::new(),
                    next_cursor: None,
                })
            });
    }

    /// An actor with `users.edit` and `admin.authorization`, both with scope `all`.
    fn top_admin() -> Actor {
        let mut a = admin(Privilege::UsersEdit, Scope::All);
        let extra = grant_to(a.user_id, Privilege::AdminAuthorization, Scope::All);
        a.grants.push(extra);
        a
    }
    use mockall::predicate::eq;

    fn command(parents: BTreeSet<GroupId>) -> CreateGroup {
        CreateGroup {
            name: GroupName::parse("Class 1-C").unwrap(),
            external_code: None,
            description: GroupDescription::default(),
            parent_ids: parents,
        }
    }

    fn group(id: GroupId, name: &str) -> Group {
        Group {
            id,
            name: GroupName::parse(name).unwrap(),
            external_code: None,
            description: GroupDescription::default(),
        }
    }

    #[tokio::test]
    async fn p3_scoped_admin_creates_group_below_its_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let school = w.school;
        m.groups
            .expect_create()
            .times(1)
            .withf(move |n| n.parent_ids == BTreeSet::from([school]))
            .returning(|n| Ok(group(n.id, n.name.as_str())));
        m.expect_audit(AuditAction::GroupCreate, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let g = service
            .create(&a, command([w.school].into()))
            .await
            .unwrap();
        assert_eq!(g.name.as_str(), "Class 1-C");
    }

    #[tokio::test]
    async fn p3_scoped_admin_cannot_create_root_group() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_create().times(0);
        m.expect_audit(AuditAction::GroupCreate, Err("forbidden"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .create(&a, command(BTreeSet::new()))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn p3_scoped_admin_cannot_create_below_group_outside_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_create().times(0);
        m.expect_audit(AuditAction::GroupCreate, Err("unknown_group"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.class_a]).unwrap());
        let err = service
            .create(&a, command([w.school].into()))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "unknown_group");
    }

    #[tokio::test]
    async fn g1_duplicate_name_is_reported() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups
            .expect_create()
            .returning(|_| Err(GroupWriteError::NameTaken));
        m.expect_audit(AuditAction::GroupCreate, Err("group_name_taken"));
        let service = GroupService::new(&m.ports());
        let err = service
            .create(&owner(), command(BTreeSet::new()))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "group_name_taken");
    }

    #[tokio::test]
    async fn g1_manager_renames_group_in_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let stored = group(w.class_a, "Class 1-A");
        m.groups
            .expect_get()
            .with(eq(w.class_a))
            .returning(move |_| Ok(Some(stored.clone())));
        m.groups
            .expect_update()
            .times(1)
            .withf(|g| g.name.as_str() == "Class 1-A (2026)")
            .returning(Ok);
        m.expect_audit(AuditAction::GroupUpdate, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let patch = GroupPatch {
            name: Some(GroupName::parse("Class 1-A (2026)").unwrap()),
            ..GroupPatch::default()
        };
        service.update(&a, w.class_a, patch).await.unwrap();
    }

    #[tokio::test]
    async fn p4_viewer_cannot_edit_group() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_update().times(0);
        m.expect_audit(AuditAction::GroupUpdate, Err("forbidden"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::All);
        let err = service
            .update(&a, w.class_a, GroupPatch::default())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn g5_manager_deletes_group_in_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        empty(&mut m, w.class_b);
        m.groups
            .expect_delete()
            .with(eq(w.class_b))
            .times(1)
            .returning(|_| Ok(()));
        m.expect_audit(AuditAction::GroupDelete, Ok(()));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service.delete(&a, w.class_b).await.unwrap();
    }

    #[tokio::test]
    async fn p5_cannot_delete_group_holding_grants_beyond_own() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        let class_b = w.class_b;
        m.grants.expect_grants_for_groups().returning(move |_| {
            Ok(vec![Grant {
                id: GrantId::new(),
                subject: Subject::Group(class_b),
                privilege: Privilege::AdminAuthorization,
                scope: Scope::All,
            }])
        });
        m.groups.expect_delete().times(0);
        m.expect_audit(AuditAction::GroupDelete, Err("privilege_not_held"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.delete(&a, w.class_b).await.unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }

    #[tokio::test]
    async fn p4_delete_out_of_scope_group_is_not_found() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.groups.expect_delete().times(0);
        m.expect_audit(AuditAction::GroupDelete, Err("not_found"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.delete(&a, w.other).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p5_scoped_admin_cannot_delete_group_with_members() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.grants
            .expect_grants_scoped_on()
            .returning(|_| Ok(Vec::new()));
        let boss = user("boss");
        m.groups.expect_members().returning(move |_, _| {
            Ok(Page {
                items: vec![boss.clone()],
                next_cursor: None,
            })
        });
        m.groups.expect_delete().times(0);
        m.expect_audit(AuditAction::GroupDelete, Err("forbidden"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.delete(&a, w.class_b).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn p5_scoped_admin_cannot_delete_group_with_sub_groups() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        m.grants
            .expect_grants_scoped_on()
            .returning(|_| Ok(Vec::new()));
        m.groups.expect_members().returning(|_, _| {
            Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            })
        });
        m.groups.expect_delete().times(0);
        m.expect_audit(AuditAction::GroupDelete, Err("forbidden"));
        let service = GroupService::new(&m.ports());
        let mut a = admin(Privilege::UsersEdit, Scope::All);
        a.grants.push(grant_to(
            a.user_id,
            Privilege::AdminAuthorization,
            Scope::groups([w.school]).unwrap(),
        ));
        let err = service.delete(&a, w.school).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn p5_scoped_admin_cannot_delete_group_named_in_others_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        let stranger = UserId::new();
        let class_b = w.class_b;
        m.grants.expect_grants_scoped_on().returning(move |_| {
            Ok(vec![grant_to(
                stranger,
                Privilege::UsersView,
                Scope::groups([class_b]).unwrap(),
            )])
        });
        m.groups.expect_members().returning(|_, _| {
            Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            })
        });
        m.groups.expect_delete().times(0);
        m.expect_audit(AuditAction::GroupDelete, Err("forbidden"));
        let service = GroupService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.delete(&a, w.class_b).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn p5_cannot_narrow_grant_whose_privilege_actor_lacks_by_deleting() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        let stranger = UserId::new();
        let class_b = w.class_b;
        m.grants.expect_grants_scoped_on().returning(move |_| {
            Ok(vec![grant_to(
                stranger,
                Privilege::GradesView,
                Scope::groups([class_b]).unwrap(),
            )])
        });
        m.groups.expect_members().returning(|_, _| {
            Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            })
        });
        m.groups.expect_delete().times(0);
        m.expect_audit(AuditAction::GroupDelete, Err("privilege_not_held"));
        let service = GroupService::new(&m.ports());
        let err = service.delete(&top_admin(), w.class_b).await.unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }

    #[tokio::test]
    async fn g5_admin_with_scope_all_deletes_non_empty_group() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_grants_for_groups()
            .returning(|_| Ok(Vec::new()));
        let stranger = UserId::new();
        let school = w.school;
        m.grants.expect_grants_scoped_on().returning(move |_| {
            Ok(vec![grant_to(
                stranger,
                Privilege::UsersView,
                Scope::groups([school]).unwrap(),
            )])
        });
        m.groups.expect_members().returning(|_, _| {
            Ok(Page {
                items: vec![user("bob")],
                next_cursor: None,
            })
        });
        m.groups
            .expect_delete()
            .with(eq(w.school))
            .times(1)
            .returning(|_| Ok(()));
        m.expect_audit(AuditAction::GroupDelete, Ok(()));
        let service = GroupService::new(&m.ports());
        service.delete(&top_admin(), w.school).await.unwrap();
    }
}
