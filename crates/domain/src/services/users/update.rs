//! Editing a user (U2, U3, U4, U6, I7, P3, P5): profile fields, status and expiry, in one
//! optimistic write after every check.

use super::{UserService, UserServiceError};
use crate::authz::Actor;
use crate::ids::UserId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::users::{UserFields, UserUpdate};
use crate::services::audit::Details;
use crate::user::expiry::whole_seconds;
use crate::user::rules::{self, StatusEvent, StatusFacts, UserAspect};
use crate::user::{
    AttributeMode, Attributes, DisplayName, Email, User, UserStatus, merge_attributes,
};
use chrono::{DateTime, Utc};

/// A change to a user (`PATCH /api/v1/users/{id}`); `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserPatch {
    /// New display name.
    pub name: Option<DisplayName>,
    /// New email, or `Some(None)` to clear it.
    pub email: Option<Option<Email>>,
    /// New status (U2).
    pub status: Option<UserStatus>,
    /// New expiry, or `Some(None)` to clear it (U6).
    pub expires_at: Option<Option<DateTime<Utc>>>,
    /// Changes to custom fields (U8): a key with a value sets it, a key with an empty value
    /// clears it (refused for a required field), keys not given stay as they are.
    pub attributes: Option<Attributes>,
    /// The `updated_at` the client last saw (If-Match); a later change answers `conflict`.
    pub expected_updated_at: Option<DateTime<Utc>>,
}

impl UserPatch {
    fn aspects(&self) -> Vec<UserAspect> {
        [
            (self.name.is_some(), UserAspect::Name),
            (self.email.is_some(), UserAspect::Email),
            (self.attributes.is_some(), UserAspect::Attributes),
            (self.status.is_some(), UserAspect::Status),
            (self.expires_at.is_some(), UserAspect::Expiry),
        ]
        .into_iter()
        .filter_map(|(changed, aspect)| changed.then_some(aspect))
        .collect()
    }

    /// Z1: a status-only change reads as `user.status`, an expiry-only one as `user.expiry`.
    fn audit_action(&self) -> AuditAction {
        match self.aspects().as_slice() {
            [UserAspect::Status] => AuditAction::UserStatus,
            [UserAspect::Expiry] => AuditAction::UserExpiry,
            _ => AuditAction::UserUpdate,
        }
    }

    fn details(&self) -> Details {
        let mut details = Details::new();
        let fields: Vec<&str> = self.aspects().iter().map(|a| a.as_str()).collect();
        details.insert("fields".into(), fields.join(","));
        if let Some(status) = self.status {
            details.insert("status".into(), status.as_str().into());
        }
        if let Some(expiry) = self.expires_at {
            let text = expiry.map_or_else(|| "none".to_owned(), |at| at.to_rfc3339());
            details.insert("expires_at".into(), text);
        }
        details
    }
}

impl UserService {
    /// U4: edits a user. Needs `users.edit` over the user (P4), nothing held beyond the actor
    /// (P5), and only the owner edits the owner (U3); nobody changes their own status or
    /// expiry (P3). Errors: `not_found`, `forbidden`; `target_holds_more`, `owner_protected`;
    /// `self_change_forbidden`; `owner_cannot_be_disabled`, `owner_cannot_expire`;
    /// `integration_active` (I7); `password_required`, `invalid_status_transition` (U2);
    /// `validation_failed`; `conflict`; `unexpected`. Audited as `user.update`, `user.status`
    /// or `user.expiry`.
    pub async fn update(
        &self,
        actor: &Actor,
        id: UserId,
        patch: UserPatch,
    ) -> Result<User, UserServiceError> {
        let action = patch.audit_action();
        let details = patch.details();
        let result = self.update_checked(actor, id, patch).await;
        let target = AuditTarget::new(AuditTargetKind::User, id);
        self.auditor
            .record(actor, action, target, details, result)
            .await
    }

    async fn update_checked(
        &self,
        actor: &Actor,
        id: UserId,
        patch: UserPatch,
    ) -> Result<User, UserServiceError> {
        for aspect in patch.aspects() {
            rules::check_self_change(actor.user_id, id, aspect)?;
        }
        let (user, target) = self.load(id).await?;
        let graph = self.groups.graph().await?;
        self.check_manage(actor, &graph, &user, &target).await?;
        if patch
            .expected_updated_at
            .is_some_and(|at| at != user.updated_at)
        {
            return Err(UserServiceError::Conflict);
        }
        let fields = self.apply(&user, patch).await?;
        if fields == UserFields::of(&user) {
            return Ok(user);
        }
        let update = UserUpdate {
            id,
            expected_updated_at: user.updated_at,
            fields,
            updated_at: self.clock.now(),
        };
        Ok(self.users.update(update).await?)
    }

    /// The fields after the patch, every rule checked.
    async fn apply(&self, user: &User, patch: UserPatch) -> Result<UserFields, UserServiceError> {
        let mut fields = UserFields::of(user);
        if let Some(name) = patch.name {
            fields.name = name;
        }
        if let Some(email) = patch.email {
            fields.email = email;
        }
        if let Some(changes) = patch.attributes {
            let checked = self
                .checked_attributes(&changes, AttributeMode::Update)
                .await?;
            fields.attributes = merge_attributes(&user.attributes, &checked);
        }
        if let Some(expires_at) = patch.expires_at {
            // Kept to the second, as exports write it (C7).
            let expires_at = expires_at.map(whole_seconds);
            rules::check_expiry(user, expires_at)?;
            fields.expires_at = expires_at;
        }
        if let Some(status) = patch.status {
            // I7 is asked whenever the status changes to anything but `invalid`: `valid`
            // directly, or `pending`, which an invitation turns into `valid`. Staying put or
            // disabling never needs it.
            let live_integration_source = status != UserStatus::Invalid
                && status != user.status
                && self.users.is_live_integration_source(user.id).await?;
            let facts = StatusFacts {
                is_owner: user.is_owner,
                has_password: user.has_password,
                live_integration_source,
            };
            fields.status = rules::next_status(user.status, StatusEvent::AdminSets(status), facts)?;
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Privilege, Scope};
    use crate::error::ErrorCode;
    use crate::ports::users::UserWriteError;
    use crate::services::testing::{Mocks, World, admin, grant_to, now, owner, user};

    fn renamed() -> UserPatch {
        UserPatch {
            name: Some(DisplayName::parse("Bob Tanaka").unwrap()),
            ..UserPatch::default()
        }
    }

    #[tokio::test]
    async fn u4_manager_edits_name_with_optimistic_check() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        let seen = bob.updated_at;
        m.users
            .expect_update()
            .times(1)
            .withf(move |u| {
                u.expected_updated_at == seen
                    && u.updated_at == now()
                    && u.fields.name.as_str() == "Bob Tanaka"
                    && u.fields.status == UserStatus::Valid
            })
            .returning(|_| Err(UserWriteError::Conflict));
        m.expect_audit(AuditAction::UserUpdate, Err("conflict"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service.update(&a, bob.id, renamed()).await.unwrap_err();
        assert_eq!(err.code(), "conflict", "a racing change is not overwritten");
    }

    #[tokio::test]
    async fn u10_admin_email_change_hands_the_store_what_revokes_the_old_links() {
        let w = World::new();
        let mut bob = user("bob");
        bob.email = Some(Email::parse("bob@example.org").unwrap());
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        let stored = bob.clone();
        m.users
            .expect_update()
            .times(1)
            .withf(move |u| {
                // The store compares against the row it conditionally updates: the one read.
                u.expected_updated_at == stored.updated_at
                    && u.revokes_links(&stored)
                    && u.fields.email.as_ref().map(Email::as_str) == Some("new@example.org")
            })
            .returning(|_| Err(UserWriteError::Conflict));
        m.expect_audit(AuditAction::UserUpdate, Err("conflict"));
        let service = UserService::new(&m.ports());
        let patch = UserPatch {
            email: Some(Some(Email::parse("new@example.org").unwrap())),
            ..UserPatch::default()
        };
        let err = service.update(&owner(), bob.id, patch).await.unwrap_err();
        assert_eq!(err.code(), "conflict");
    }

    #[tokio::test]
    async fn u4_stale_client_version_conflicts_without_writing() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserUpdate, Err("conflict"));
        let service = UserService::new(&m.ports());
        let mut patch = renamed();
        patch.expected_updated_at = Some(now());
        let err = service.update(&owner(), bob.id, patch).await.unwrap_err();
        assert_eq!(err.code(), "conflict");
    }

    #[tokio::test]
    async fn p4_scoped_manager_cannot_edit_user_in_other_group_and_nothing_is_written() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserUpdate, Err("not_found"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.class_b]).unwrap());
        let err = service.update(&a, bob.id, renamed()).await.unwrap_err();
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn p4_viewer_cannot_edit() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserUpdate, Err("forbidden"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::All);
        let err = service.update(&a, bob.id, renamed()).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn p5_manager_cannot_edit_user_who_holds_more() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&bob, [w.class_a].into());
        m.with_grants_of(
            bob.id,
            vec![grant_to(bob.id, Privilege::AdminAuthorization, Scope::All)],
        );
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserUpdate, Err("target_holds_more"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = service.update(&a, bob.id, renamed()).await.unwrap_err();
        assert_eq!(err.code(), "target_holds_more");
    }

    #[tokio::test]
    async fn u3_nobody_but_owner_edits_owner() {
        let w = World::new();
        let mut root = user("root");
        root.is_owner = true;
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&root, [].into());
        m.with_grants_of(root.id, Vec::new());
        m.users.expect_update().times(0);
        m.expect_audit(AuditAction::UserUpdate, Err("owner_protected"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::All);
        let err = service.update(&a, root.id, renamed()).await.unwrap_err();
        assert_eq!(err.code(), "owner_protected");
    }

    #[tokio::test]
    async fn u3_owner_edits_itself() {
        let w = World::new();
        let mut root = user("root");
        root.is_owner = true;
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&root, [].into());
        m.with_grants_of(root.id, Vec::new());
        m.echo_update(&root);
        m.expect_audit(AuditAction::UserUpdate, Ok(()));
        let service = UserService::new(&m.ports());
        let me = crate::services::testing::actor_of(&root, [].into());
        let updated = service.update(&me, root.id, renamed()).await.unwrap();
        assert_eq!(updated.name.as_str(), "Bob Tanaka");
    }

    #[tokio::test]
    async fn z1_refusal_is_audited() {
        let w = World::new();
        let bob = user("bob");
        let mut m = Mocks::new();
        m.with_managed(&w.graph, &bob, [w.class_a].into());
        m.users.expect_update().times(0);
        let a = admin(Privilege::UsersView, Scope::All);
        let (actor_id, bob_id) = (a.user_id, bob.id);
        m.audit
            .expect_record()
            .times(1)
            .withf(move |e| {
                e.actor == actor_id
                    && e.at == now()
                    && e.action == AuditAction::UserUpdate
                    && e.target == AuditTarget::new(AuditTargetKind::User, bob_id)
                    && e.outcome
                        == crate::ports::audit::AuditOutcome::Refused {
                            code: "forbidden".into(),
                        }
                    && e.details["fields"] == "name"
            })
            .returning(|_| Ok(()));
        let service = UserService::new(&m.ports());
        let err = service.update(&a, bob.id, renamed()).await.unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }
}
