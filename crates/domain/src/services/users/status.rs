//! Enabling, disabling and expiry (U2, U6, I7): single-field edits, with their own audit
//! actions (`user.status`, `user.expiry`).

use super::{UserPatch, UserService, UserServiceError};
use crate::authz::Actor;
use crate::ids::UserId;
use crate::user::{User, UserStatus};
use chrono::{DateTime, Utc};

impl UserService {
    /// U2: enables or disables a user (I7: not the source of a live integration). As
    /// [`UserService::update`] with only the status.
    pub async fn set_status(
        &self,
        actor: &Actor,
        id: UserId,
        status: UserStatus,
    ) -> Result<User, UserServiceError> {
        let patch = UserPatch {
            status: Some(status),
            ..UserPatch::default()
        };
        self.update(actor, id, patch).await
    }

    /// U6: sets or clears the expiry (a past instant ends login at once). As
    /// [`UserService::update`] with only the expiry.
    pub async fn set_expiry(
        &self,
        actor: &Actor,
        id: UserId,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<User, UserServiceError> {
        let patch = UserPatch {
            expires_at: Some(expires_at),
            ..UserPatch::default()
        };
        self.update(actor, id, patch).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Privilege, Scope};
    use crate::error::ErrorCode;
    use crate::ports::audit::AuditAction;
    use crate::services::testing::{Mocks, World, actor_of, admin, now, owner, user};
    use mockall::predicate::eq;

    #[tokio::test]
    async fn p3_self_cannot_change_own_status() {
        let mut m = Mocks::new();
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserStatus, Err("self_change_forbidden"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = service
            .set_status(&a, a.user_id, UserStatus::Invalid)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn i7_reactivating_integrated_source_refused() {
        let w = World::new();
        let mut source = user("source");
        source.status = UserStatus::Invalid;
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &source, [w.class_a].into());
        m.users
            .expect_is_live_integration_source()
            .with(eq(source.id))
            .times(1)
            .returning(|_| Ok(true));
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserStatus, Err("integration_active"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = service
            .set_status(&a, source.id, UserStatus::Valid)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "integration_active");
        assert!(err.to_string().contains("cancel the integration first"));
    }

    #[tokio::test]
    async fn i7_integrated_source_cannot_be_made_pending_and_nothing_is_written() {
        let w = World::new();
        let mut source = user("source");
        source.status = UserStatus::Invalid;
        source.has_password = false;
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &source, [w.class_a].into());
        m.users
            .expect_is_live_integration_source()
            .with(eq(source.id))
            .times(1)
            .returning(|_| Ok(true));
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserStatus, Err("integration_active"));
        let service = UserService::new(&m.ports());
        let err = service
            .set_status(&owner(), source.id, UserStatus::Pending)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "integration_active");
    }

    #[tokio::test]
    async fn u5_making_a_user_pending_asks_about_integrations() {
        let w = World::new();
        let mut bob = user("bob");
        bob.status = UserStatus::Invalid;
        bob.has_password = false;
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users
            .expect_is_live_integration_source()
            .with(eq(bob.id))
            .times(1)
            .returning(|_| Ok(false));
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserStatus, Ok(()));
        let service = UserService::new(&m.ports());
        let out = service
            .set_status(&owner(), bob.id, UserStatus::Pending)
            .await
            .unwrap();
        assert_eq!(out.status, UserStatus::Pending);
    }

    #[tokio::test]
    async fn u2_admin_disables_user_without_asking_about_integrations() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users.expect_is_live_integration_source().times(0);
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserStatus, Ok(()));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.class_a]).unwrap());
        let out = service
            .set_status(&a, bob.id, UserStatus::Invalid)
            .await
            .unwrap();
        assert_eq!(out.status, UserStatus::Invalid);
    }

    #[tokio::test]
    async fn u2_admin_reenables_user_when_no_integration() {
        let w = World::new();
        let mut bob = user("bob");
        bob.status = UserStatus::Invalid;
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users
            .expect_is_live_integration_source()
            .times(1)
            .returning(|_| Ok(false));
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserStatus, Ok(()));
        let service = UserService::new(&m.ports());
        let out = service
            .set_status(&owner(), bob.id, UserStatus::Valid)
            .await
            .unwrap();
        assert_eq!(out.status, UserStatus::Valid);
    }

    #[tokio::test]
    async fn c7_u6_expiry_is_kept_to_the_second() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserExpiry, Ok(()));
        let service = UserService::new(&m.ports());
        let at = now() + chrono::Duration::days(30) + chrono::Duration::milliseconds(999);
        let out = service
            .set_expiry(&owner(), bob.id, Some(at))
            .await
            .unwrap();
        assert_eq!(out.expires_at, Some(crate::user::expiry::whole_seconds(at)));
        assert_ne!(out.expires_at, Some(at), "the fraction is dropped");
    }

    #[tokio::test]
    async fn u6_set_expiry_writes_and_audits_expiry() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.echo_update(&bob);
        m.expect_audit(AuditAction::UserExpiry, Ok(()));
        let service = UserService::new(&m.ports());
        let out = service
            .set_expiry(&owner(), bob.id, Some(now()))
            .await
            .unwrap();
        assert_eq!(out.expires_at, Some(now()));
    }

    #[tokio::test]
    async fn p3_owner_cannot_set_own_expiry() {
        let w = World::new();
        let mut root = user("root");
        root.is_owner = true;
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&root, [].into());
        m.with_grants_of(root.id, Vec::new());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserExpiry, Err("self_change_forbidden"));
        let service = UserService::new(&m.ports());
        let me = actor_of(&root, [].into());
        let err = service
            .set_expiry(&me, root.id, Some(now()))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn u4_unchanged_patch_writes_nothing() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserStatus, Ok(()));
        let service = UserService::new(&m.ports());
        let out = service
            .set_status(&owner(), bob.id, UserStatus::Valid)
            .await
            .unwrap();
        assert_eq!(out, bob);
    }
}
