//! Deleting a user (U7): never oneself (P3), never the owner (U3), never someone holding
//! more than the actor (P5).

use super::{UserService, UserServiceError};
use crate::authz::{Actor, Privilege, Target, authorize, check_may_manage};
use crate::ids::UserId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::services::audit::Details;
use crate::user::User;
use crate::user::rules::{self, UserAspect};

impl UserService {
    /// U7: deletes a user; the store removes its sessions and memberships and settles its
    /// integrations (I8, I9) in the same transaction. Errors: `self_change_forbidden`;
    /// `not_found`, `forbidden`; `owner_cannot_be_deleted`; `target_holds_more`;
    /// `unexpected`. Audited as `user.delete` with the login ID.
    pub async fn delete(&self, actor: &Actor, id: UserId) -> Result<(), UserServiceError> {
        let result = self.delete_checked(actor, id).await;
        let mut details = Details::new();
        if let Ok(user) = &result {
            details.insert("login_id".into(), user.login_id.as_str().to_owned());
        }
        let target = AuditTarget::new(AuditTargetKind::User, id);
        self.auditor
            .record(actor, AuditAction::UserDelete, target, details, result)
            .await
            .map(|_| ())
    }

    async fn delete_checked(&self, actor: &Actor, id: UserId) -> Result<User, UserServiceError> {
        rules::check_self_change(actor.user_id, id, UserAspect::Account)?;
        let (user, target) = self.load(id).await?;
        let graph = self.groups.graph().await?;
        authorize(
            actor,
            &graph,
            Privilege::UsersEdit,
            &Target::User(target.clone()),
        )?;
        rules::check_delete(&user)?;
        let held = self.grants.grants_for_user(id).await?;
        check_may_manage(actor, &graph, &target, &held)?;
        self.users.delete(id).await?;
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Scope;
    use crate::error::ErrorCode;
    use crate::ports::users::UserWriteError;
    use crate::services::testing::{Mocks, World, admin, grant_to, owner, user};
    use mockall::predicate::eq;

    #[tokio::test]
    async fn u7_manager_deletes_user_in_scope() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_b].into());
        m.with_grants_of(bob.id, Vec::new());
        m.users
            .expect_delete()
            .with(eq(bob.id))
            .times(1)
            .returning(|_| Ok(()));
        m.audit
            .expect_record()
            .times(1)
            .withf(|e| e.action == AuditAction::UserDelete && e.details["login_id"] == "bob")
            .returning(|_| Ok(()));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service.delete(&a, bob.id).await.unwrap();
    }

    #[tokio::test]
    async fn u3_owner_cannot_be_deleted() {
        let w = World::new();
        let mut root = user("root");
        root.is_owner = true;
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&root, [].into());
        m.users.expect_delete().times(0);
        m.expect_audit(AuditAction::UserDelete, Err("owner_cannot_be_deleted"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = service.delete(&a, root.id).await.unwrap_err();
        assert_eq!(err.code(), "owner_cannot_be_deleted");
    }

    #[tokio::test]
    async fn p3_nobody_deletes_themselves() {
        let mut m = Mocks::new();
        m.users.expect_delete().times(0);
        m.expect_audit(AuditAction::UserDelete, Err("self_change_forbidden"));
        let service = UserService::new(&m.ports());
        let me = owner();
        let err = service.delete(&me, me.user_id).await.unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn p5_cannot_delete_user_holding_more() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(
            bob.id,
            vec![grant_to(bob.id, Privilege::UsersEdit, Scope::All)],
        );
        m.users.expect_delete().times(0);
        m.expect_audit(AuditAction::UserDelete, Err("target_holds_more"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.delete(&a, bob.id).await.unwrap_err();
        assert!(matches!(err, UserServiceError::Escalation(_)), "{err:?}");
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn p4_out_of_scope_delete_is_not_found() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.other].into());
        m.users.expect_delete().times(0);
        m.expect_audit(AuditAction::UserDelete, Err("not_found"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.delete(&a, bob.id).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn u7_vanished_user_is_not_found() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(bob.id, Vec::new());
        m.users
            .expect_delete()
            .returning(|_| Err(UserWriteError::NotFound));
        m.expect_audit(AuditAction::UserDelete, Err("not_found"));
        let service = UserService::new(&m.ports());
        let err = service.delete(&owner(), bob.id).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
