//! An administrator sets a user's password (U2, U4): the policy applies, sessions end (S1),
//! and a pending user becomes valid.

use super::{UserService, UserServiceError, user_inputs};
use crate::authz::Actor;
use crate::ids::UserId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::password::PlainPassword;
use crate::services::audit::Details;
use crate::user::UserStatus;
use crate::user::password::Password;
use crate::user::rules::{self, StatusEvent, StatusFacts, UserAspect};

impl UserService {
    /// Sets a user's password. Needs what editing needs (P4, P5, U3); the password passes the
    /// policy with the user's own login ID, name and email as known words. A pending user
    /// becomes valid (U2); a disabled one stays disabled. Every session of the user ends and
    /// its reset and invitation links die (S1, U10, by the credential store's contract). Errors: `not_found`, `forbidden`,
    /// `target_holds_more`, `owner_protected`, `validation_failed`, `busy`, `unexpected`.
    /// Audited as `user.password` (the password itself is never recorded).
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: UserId,
        password: PlainPassword,
    ) -> Result<(), UserServiceError> {
        let result = self.set_password_checked(actor, id, password).await;
        let target = AuditTarget::new(AuditTargetKind::User, id);
        self.auditor
            .record(
                actor,
                AuditAction::UserPassword,
                target,
                Details::new(),
                result,
            )
            .await
    }

    async fn set_password_checked(
        &self,
        actor: &Actor,
        id: UserId,
        password: PlainPassword,
    ) -> Result<(), UserServiceError> {
        // U10: one's own password changes through `MeService::change_password`, which proves
        // the current one first; here a stolen session alone could take over the account.
        rules::check_self_change(actor.user_id, id, UserAspect::AdminPassword)?;
        let (user, target) = self.load(id).await?;
        let graph = self.groups.graph().await?;
        self.check_manage(actor, &graph, &user, &target).await?;
        let password = Password::parse(password.expose(), &user_inputs(&user))?;
        let live_integration_source =
            user.status == UserStatus::Pending && self.users.is_live_integration_source(id).await?;
        let facts = StatusFacts {
            is_owner: user.is_owner,
            has_password: user.has_password,
            live_integration_source,
        };
        let next = rules::next_status(user.status, StatusEvent::PasswordSet, facts)?;
        let activate_pending = user.status == UserStatus::Pending && next == UserStatus::Valid;
        let hash = self.hasher.hash(&password).await?;
        self.credentials
            .set_password_hash(id, hash, activate_pending)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Privilege, Scope};
    use crate::error::ErrorCode;
    use crate::ports::password::PasswordHash;
    use crate::services::testing::{Mocks, World, admin, owner, user};
    use crate::user::User;
    use mockall::predicate::eq;

    fn setup(w: &World, m: &mut Mocks, u: &User) {
        m.with_graph(&w.graph);
        m.with_user(u, [w.class_a].into());
        m.with_grants_of(u.id, Vec::new());
    }

    #[tokio::test]
    async fn u2_admin_password_activates_pending_user() {
        let w = World::new();
        let mut invited = user("invited");
        invited.status = UserStatus::Pending;
        invited.has_password = false;
        let mut m = Mocks::new();
        setup(&w, &mut m, &invited);
        m.users
            .expect_is_live_integration_source()
            .returning(|_| Ok(false));
        m.hasher
            .expect_hash()
            .times(1)
            .returning(|_| Ok(PasswordHash::new("h")));
        m.credentials
            .expect_set_password_hash()
            .with(eq(invited.id), eq(PasswordHash::new("h")), eq(true))
            .times(1)
            .returning(|_, _, _| Ok(()));
        m.expect_audit(AuditAction::UserPassword, Ok(()));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service
            .set_password(&a, invited.id, PlainPassword::new("maple-syrup-lantern"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn u10_own_password_is_not_set_through_the_admin_path() {
        let mut m = Mocks::new();
        m.hasher.expect_hash().times(0);
        m.credentials.expect_set_password_hash().times(0);
        m.expect_audit(AuditAction::UserPassword, Err("self_change_forbidden"));
        let service = UserService::new(&m.ports());
        let me = owner();
        let err = service
            .set_password(&me, me.user_id, PlainPassword::new("maple-syrup-lantern"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "self_change_forbidden");
    }

    #[tokio::test]
    async fn u10_admin_password_keeps_disabled_user_disabled() {
        let w = World::new();
        let mut off = user("off");
        off.status = UserStatus::Invalid;
        let mut m = Mocks::new();
        setup(&w, &mut m, &off);
        m.users.expect_is_live_integration_source().times(0);
        m.hasher
            .expect_hash()
            .returning(|_| Ok(PasswordHash::new("h")));
        m.credentials
            .expect_set_password_hash()
            .withf(|_, _, activate| !activate)
            .times(1)
            .returning(|_, _, _| Ok(()));
        m.expect_audit(AuditAction::UserPassword, Ok(()));
        let service = UserService::new(&m.ports());
        service
            .set_password(&owner(), off.id, PlainPassword::new("maple-syrup-lantern"))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn u1_password_from_own_login_refused_and_nothing_written() {
        let w = World::new();
        let bob = user("bob-the-builder");
        let mut m = Mocks::new();
        setup(&w, &mut m, &bob);
        m.hasher.expect_hash().times(0);
        m.credentials.expect_set_password_hash().times(0);
        m.expect_audit(AuditAction::UserPassword, Err("validation_failed"));
        let service = UserService::new(&m.ports());
        let err = service
            .set_password(&owner(), bob.id, PlainPassword::new("bob-the-builder"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "validation_failed");
    }

    #[tokio::test]
    async fn p4_viewer_cannot_set_password() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        setup(&w, &mut m, &bob);
        m.credentials.expect_set_password_hash().times(0);
        m.expect_audit(AuditAction::UserPassword, Err("forbidden"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::All);
        let err = service
            .set_password(&a, bob.id, PlainPassword::new("maple-syrup-lantern"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}
