//! Granting and revoking (P2, P5): `admin.authorization` over the subject, and only what the
//! actor could grant itself — never to or from oneself (P3).

use super::{GrantService, GrantServiceError};
use crate::authz::{Actor, Denied, Grant, NewGrant, Privilege, Scope, Subject, Target};
use crate::authz::{authorize, check_grant, check_may_manage};
use crate::group::graph::GroupGraph;
use crate::ids::GrantId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use crate::user::rules::{self, UserAspect};

fn details(grant: &NewGrant) -> Details {
    let subject = match grant.subject {
        Subject::User(u) => format!("user:{u}"),
        Subject::Group(g) => format!("group:{g}"),
    };
    Details::from([
        ("subject".to_owned(), subject),
        ("privilege".to_owned(), grant.privilege.as_str().to_owned()),
        ("scope".to_owned(), grant.scope.kind().to_owned()),
    ])
}

/// P3: a user's own grants are not its to change.
fn check_not_self(actor: &Actor, subject: Subject) -> Result<(), GrantServiceError> {
    if let Subject::User(u) = subject {
        rules::check_self_change(actor.user_id, u, UserAspect::Grants)?;
    }
    Ok(())
}

impl GrantService {
    /// U3, P5: a user subject's grants are changed only by someone who may manage that user —
    /// never the owner's (`owner_protected`), nor those of a user holding a privilege or
    /// scope the actor lacks (`target_holds_more`): stripping a stronger administrator's
    /// grant, or adding to it, is managing that user.
    async fn check_may_manage_subject(
        &self,
        actor: &Actor,
        graph: &GroupGraph,
        target: &Target,
    ) -> Result<(), GrantServiceError> {
        if let Target::User(user) = target {
            let held = self.grants.grants_for_user(user.id).await?;
            check_may_manage(actor, graph, user, &held)?;
        }
        Ok(())
    }

    /// P2: grants a privilege. Needs `admin.authorization` over the subject (a user, or a
    /// group); for a user subject (U3, P5) the actor may manage that user (not the owner,
    /// nor one holding more than the actor); and (P5) the actor holds the privilege over at
    /// least the grant's scope. Errors: `self_change_forbidden`; `not_found`, `forbidden`;
    /// `owner_protected`, `target_holds_more`, `privilege_not_held`, `scope_exceeds_own`;
    /// `unknown_group`; `grant_exists`; `unexpected`. Audited as `grant.create`.
    pub async fn create(&self, actor: &Actor, grant: NewGrant) -> Result<Grant, GrantServiceError> {
        let details = details(&grant);
        let result = self.create_checked(actor, grant).await;
        let target = match &result {
            Ok(g) => AuditTarget::new(AuditTargetKind::Grant, g.id),
            Err(_) => AuditTarget::kind_only(AuditTargetKind::Grant),
        };
        self.auditor
            .record(actor, AuditAction::GrantCreate, target, details, result)
            .await
    }

    async fn create_checked(
        &self,
        actor: &Actor,
        grant: NewGrant,
    ) -> Result<Grant, GrantServiceError> {
        check_not_self(actor, grant.subject)?;
        let graph = self.groups.graph().await?;
        let (target, subject_groups) = self.subject_target(&graph, grant.subject).await?;
        authorize(actor, &graph, Privilege::AdminAuthorization, &target)?;
        self.check_may_manage_subject(actor, &graph, &target)
            .await?;
        check_grant(actor, &graph, &grant, &subject_groups)?;
        if let Scope::Groups { group_ids } = &grant.scope
            && let Some(missing) = group_ids.iter().find(|g| !graph.contains(**g))
        {
            return Err(GrantServiceError::UnknownGroup(*missing));
        }
        Ok(self.grants.create(GrantId::new(), grant).await?)
    }

    /// Revokes a grant. Needs `admin.authorization` over its subject; for a user subject
    /// (U3, P5) the actor may manage that user; and (P5) the actor could have granted it.
    /// Errors: `not_found`, `forbidden`; `self_change_forbidden`; `owner_protected`,
    /// `target_holds_more`, `privilege_not_held`, `scope_exceeds_own`; `unexpected`.
    /// Audited as `grant.delete`.
    pub async fn revoke(&self, actor: &Actor, id: GrantId) -> Result<(), GrantServiceError> {
        let result = self.revoke_checked(actor, id).await;
        let details = match &result {
            Ok(revoked) => details(revoked),
            Err(_) => Details::new(),
        };
        let target = AuditTarget::new(AuditTargetKind::Grant, id);
        self.auditor
            .record(actor, AuditAction::GrantDelete, target, details, result)
            .await
            .map(|_| ())
    }

    async fn revoke_checked(
        &self,
        actor: &Actor,
        id: GrantId,
    ) -> Result<NewGrant, GrantServiceError> {
        let stored = self.grants.get(id).await?.ok_or(Denied::NotFound)?;
        let graph = self.groups.graph().await?;
        let (target, subject_groups) = self.subject_target(&graph, stored.subject).await?;
        authorize(actor, &graph, Privilege::AdminAuthorization, &target)?;
        check_not_self(actor, stored.subject)?;
        self.check_may_manage_subject(actor, &graph, &target)
            .await?;
        let as_new = NewGrant {
            subject: stored.subject,
            privilege: stored.privilege,
            scope: stored.scope,
        };
        check_grant(actor, &graph, &as_new, &subject_groups)?;
        self.grants.delete(id).await?;
        Ok(as_new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::ids::GroupId;
    use crate::ports::grants::CreateGrantError;
    use crate::services::testing::{Mocks, World, admin, grant_to, owner, user};
    use mockall::predicate::eq;

    /// An actor with `admin.authorization` and `users.view` over the school.
    fn school_admin(w: &World) -> Actor {
        let mut a = admin(
            Privilege::AdminAuthorization,
            Scope::groups([w.school]).unwrap(),
        );
        let extra = crate::services::testing::grant_to(
            a.user_id,
            Privilege::UsersView,
            Scope::groups([w.school]).unwrap(),
        );
        a.grants.push(extra);
        a
    }

    fn stored(grant: NewGrant) -> Grant {
        Grant {
            id: GrantId::new(),
            subject: grant.subject,
            privilege: grant.privilege,
            scope: grant.scope,
        }
    }

    #[tokio::test]
    async fn p2_admin_grants_view_within_own_scope() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.grants
            .expect_create()
            .times(1)
            .returning(|_, g| Ok(stored(g)));
        m.audit
            .expect_record()
            .times(1)
            .withf(|e| {
                e.action == AuditAction::GrantCreate
                    && e.details["privilege"] == "users.view"
                    && e.details["scope"] == "member_groups"
            })
            .returning(|_| Ok(()));
        let service = GrantService::new(&m.ports());
        let grant = NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let g = service.create(&school_admin(&w), grant).await.unwrap();
        assert_eq!(g.subject, Subject::User(bob.id));
    }

    #[tokio::test]
    async fn p5_manager_cannot_grant_privilege_it_lacks() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("privilege_not_held"));
        let service = GrantService::new(&m.ports());
        let grant = NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::GradesView,
            scope: Scope::MemberGroups,
        };
        let err = service.create(&school_admin(&w), grant).await.unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }

    #[tokio::test]
    async fn p5_cannot_grant_scope_beyond_own() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("scope_exceeds_own"));
        let service = GrantService::new(&m.ports());
        let grant = NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::All,
        };
        let err = service.create(&school_admin(&w), grant).await.unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn p3_cannot_grant_to_self() {
        let mut m = Mocks::new();
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("self_change_forbidden"));
        let service = GrantService::new(&m.ports());
        let me = owner();
        let grant = NewGrant {
            subject: Subject::User(me.user_id),
            privilege: Privilege::UsersView,
            scope: Scope::All,
        };
        let err = service.create(&me, grant).await.unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn p4_grant_to_subject_out_of_scope_is_not_found() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.other].into());
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("not_found"));
        let service = GrantService::new(&m.ports());
        let grant = NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let err = service.create(&school_admin(&w), grant).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p4_granting_needs_admin_authorization() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("forbidden"));
        let service = GrantService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let grant = NewGrant {
            subject: Subject::Group(w.class_a),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let err = service.create(&a, grant).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn p2_unknown_scope_group_and_duplicates_refused() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.grants
            .expect_create()
            .times(1)
            .returning(|_, _| Err(CreateGrantError::Exists));
        m.expect_audit(AuditAction::GrantCreate, Err("unknown_group"));
        m.expect_audit(AuditAction::GrantCreate, Err("grant_exists"));
        let service = GrantService::new(&m.ports());
        let unknown = NewGrant {
            subject: Subject::Group(w.class_a),
            privilege: Privilege::UsersView,
            scope: Scope::groups([GroupId::new()]).unwrap(),
        };
        let err = service.create(&owner(), unknown).await.unwrap_err();
        assert_eq!(err.code(), "unknown_group");
        let duplicate = NewGrant {
            subject: Subject::Group(w.class_a),
            privilege: Privilege::UsersView,
            scope: Scope::All,
        };
        let err = service.create(&owner(), duplicate).await.unwrap_err();
        assert_eq!(err.code(), "grant_exists");
    }

    #[tokio::test]
    async fn p2_admin_revokes_grant_it_could_give() {
        let w = World::new();
        let bob = user("bob");
        let held = stored(NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        });
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        let copy = held.clone();
        m.grants
            .expect_get()
            .with(eq(held.id))
            .returning(move |_| Ok(Some(copy.clone())));
        m.grants
            .expect_delete()
            .with(eq(held.id))
            .times(1)
            .returning(|_| Ok(()));
        m.expect_audit(AuditAction::GrantDelete, Ok(()));
        let service = GrantService::new(&m.ports());
        service.revoke(&school_admin(&w), held.id).await.unwrap();
    }

    #[tokio::test]
    async fn p5_cannot_revoke_what_it_could_not_grant() {
        let w = World::new();
        let bob = user("bob");
        let held = stored(NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::All,
        });
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        let copy = held.clone();
        m.grants
            .expect_get()
            .returning(move |_| Ok(Some(copy.clone())));
        m.grants.expect_delete().times(0);
        m.expect_audit(AuditAction::GrantDelete, Err("scope_exceeds_own"));
        let service = GrantService::new(&m.ports());
        let err = service
            .revoke(&school_admin(&w), held.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn p3_cannot_revoke_own_grant() {
        let w = World::new();
        let a = school_admin(&w);
        let me = user("me");
        let mut me = me;
        me.id = a.user_id;
        let held = a.grants[1].clone();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&me, [w.class_a].into());
        let copy = held.clone();
        m.grants
            .expect_get()
            .returning(move |_| Ok(Some(copy.clone())));
        m.grants.expect_delete().times(0);
        m.expect_audit(AuditAction::GrantDelete, Err("self_change_forbidden"));
        let service = GrantService::new(&m.ports());
        let err = service.revoke(&a, held.id).await.unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn p4_revoking_unknown_grant_is_not_found() {
        let mut m = Mocks::new();
        m.grants.expect_get().returning(|_| Ok(None));
        m.grants.expect_delete().times(0);
        m.expect_audit(AuditAction::GrantDelete, Err("not_found"));
        let service = GrantService::new(&m.ports());
        let err = service.revoke(&owner(), GrantId::new()).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn u3_p5_cannot_grant_to_the_owner() {
        let w = World::new();
        let mut boss = user("boss");
        boss.is_owner = true;
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&boss, [w.class_a].into());
        m.with_grants_of(boss.id, Vec::new());
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("owner_protected"));
        let service = GrantService::new(&m.ports());
        let grant = NewGrant {
            subject: Subject::User(boss.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let err = service.create(&school_admin(&w), grant).await.unwrap_err();
        assert_eq!(err.code(), "owner_protected");
    }

    #[tokio::test]
    async fn p5_cannot_grant_to_user_holding_more() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(
            bob.id,
            vec![grant_to(bob.id, Privilege::GradesView, Scope::All)],
        );
        m.grants.expect_create().times(0);
        m.expect_audit(AuditAction::GrantCreate, Err("target_holds_more"));
        let service = GrantService::new(&m.ports());
        let grant = NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let err = service.create(&school_admin(&w), grant).await.unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn p5_cannot_revoke_from_user_holding_more() {
        let w = World::new();
        let bob = user("bob");
        let held = stored(NewGrant {
            subject: Subject::User(bob.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        });
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(
            bob.id,
            vec![
                held.clone(),
                grant_to(bob.id, Privilege::AdminAuthorization, Scope::All),
            ],
        );
        let copy = held.clone();
        m.grants
            .expect_get()
            .returning(move |_| Ok(Some(copy.clone())));
        m.grants.expect_delete().times(0);
        m.expect_audit(AuditAction::GrantDelete, Err("target_holds_more"));
        let service = GrantService::new(&m.ports());
        let err = service
            .revoke(&school_admin(&w), held.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn u3_cannot_revoke_from_the_owner() {
        let w = World::new();
        let mut boss = user("boss");
        boss.is_owner = true;
        let held = stored(NewGrant {
            subject: Subject::User(boss.id),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        });
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&boss, [w.class_a].into());
        m.with_grants_of(boss.id, vec![held.clone()]);
        let copy = held.clone();
        m.grants
            .expect_get()
            .returning(move |_| Ok(Some(copy.clone())));
        m.grants.expect_delete().times(0);
        m.expect_audit(AuditAction::GrantDelete, Err("owner_protected"));
        let service = GrantService::new(&m.ports());
        let err = service
            .revoke(&school_admin(&w), held.id)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "owner_protected");
    }
}
