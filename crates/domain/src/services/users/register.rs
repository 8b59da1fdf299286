//! U4: an administrator registers a user directly, with or without a password.

use super::{UserService, UserServiceError};
use crate::authz::{Actor, Privilege, Target, is_allowed};
use crate::ids::{GroupId, UserId};
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::password::PlainPassword;
use crate::ports::users::NewUser;
use crate::services::audit::Details;
use crate::services::guard::{check_joining_grants, groups_in_scope, require_some};
use crate::user::expiry::whole_seconds;
use crate::user::password::Password;
use crate::user::rules;
use crate::user::{AttributeMode, Attributes, DisplayName, Email, LoginId, User, UserStatus};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// A user to register (U4, `POST /api/v1/users`).
#[derive(Debug, Clone)]
pub struct RegisterUser {
    /// Unique, case-insensitive.
    pub login_id: LoginId,
    /// Display name.
    pub name: DisplayName,
    /// Optional email (needed later for an invitation, U5).
    pub email: Option<Email>,
    /// Optional first password, checked against the policy.
    pub password: Option<PlainPassword>,
    /// Optional status; by default `valid` with a password, `pending` without.
    pub status: Option<UserStatus>,
    /// Optional expiry (U6).
    pub expires_at: Option<DateTime<Utc>>,
    /// The groups it joins (a scoped administrator must give one, P3).
    pub group_ids: BTreeSet<GroupId>,
    /// Custom fields (U8).
    pub attributes: Attributes,
}

impl UserService {
    /// U4: registers a user. Needs `users.edit` over every group given (P3), or scope `all`
    /// for a user in no group; and (P5) the actor must be able to give every grant held by
    /// those groups and the groups above them, since the new user holds them at once (G4).
    /// Errors: `forbidden`; `group_required`; `unknown_group`; `privilege_not_held`,
    /// `scope_exceeds_own` (P5); `password_required`, `pending_with_password` (U2);
    /// `validation_failed` (password policy, U8 fields); `login_id_taken`; `busy`;
    /// `unexpected`. Audited as `user.create`.
    pub async fn register(
        &self,
        actor: &Actor,
        command: RegisterUser,
    ) -> Result<User, UserServiceError> {
        let mut details = Details::new();
        details.insert("login_id".into(), command.login_id.as_str().to_owned());
        let result = self.register_checked(actor, command).await;
        let target = match &result {
            Ok(user) => AuditTarget::new(AuditTargetKind::User, user.id),
            Err(_) => AuditTarget::kind_only(AuditTargetKind::User),
        };
        self.auditor
            .record(actor, AuditAction::UserCreate, target, details, result)
            .await
    }

    async fn register_checked(
        &self,
        actor: &Actor,
        command: RegisterUser,
    ) -> Result<User, UserServiceError> {
        let graph = self.groups.graph().await?;
        require_some(actor, &graph, Privilege::UsersEdit)?;
        if command.group_ids.is_empty()
            && !is_allowed(actor, &graph, Privilege::UsersEdit, &Target::Global)
        {
            return Err(UserServiceError::GroupRequired);
        }
        groups_in_scope(actor, &graph, Privilege::UsersEdit, &command.group_ids)?;
        check_joining_grants::<UserServiceError>(
            self.grants.as_ref(),
            actor,
            &graph,
            &command.group_ids,
        )
        .await?;
        let attributes = self
            .checked_attributes(&command.attributes, AttributeMode::Create)
            .await?;
        let status = rules::initial_status(command.status, command.password.is_some())?;
        if self
            .users
            .get_by_login_id(&command.login_id)
            .await?
            .is_some()
        {
            return Err(UserServiceError::LoginIdTaken);
        }
        let password_hash = match &command.password {
            None => None,
            Some(raw) => {
                let inputs = [
                    command.login_id.as_str(),
                    command.name.as_str(),
                    command.email.as_ref().map_or("", |e| e.as_str()),
                ];
                let password = Password::parse(raw.expose(), &inputs)?;
                Some(self.hasher.hash(&password).await?)
            }
        };
        let new = NewUser {
            id: UserId::new(),
            login_id: command.login_id,
            name: command.name,
            email: command.email,
            password_hash,
            status,
            // Kept to the second, as exports write it (C7).
            expires_at: command.expires_at.map(whole_seconds),
            attributes,
            group_ids: command.group_ids,
            is_owner: false,
            created_at: self.clock.now(),
        };
        Ok(self.users.create(new).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Scope, Subject};
    use crate::error::ErrorCode;
    use crate::ids::GrantId;
    use crate::ports::password::{HashError, PasswordHash};
    use crate::ports::users::CreateUserError;
    use crate::services::testing::{Mocks, World, admin, owner, stored};

    fn command(groups: BTreeSet<GroupId>, password: Option<&str>) -> RegisterUser {
        RegisterUser {
            login_id: LoginId::parse("hanako").unwrap(),
            name: DisplayName::parse("Hanako Sato").unwrap(),
            email: Some(Email::parse("hanako@example.jp").unwrap()),
            password: password.map(PlainPassword::new),
            status: None,
            expires_at: None,
            group_ids: groups,
            attributes: Attributes::new(),
        }
    }

    fn no_login_clash(m: &mut Mocks) {
        m.users.expect_get_by_login_id().returning(|_| Ok(None));
    }

    /// A grant held by a group.
    fn group_grant(holder: GroupId, privilege: Privilege, scope: Scope) -> Grant {
        Grant {
            id: GrantId::new(),
            subject: Subject::Group(holder),
            privilege,
            scope,
        }
    }

    #[tokio::test]
    async fn u4_register_with_password_hashes_it_and_is_audited() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        let (school, class_a) = (w.school, w.class_a);
        m.grants
            .expect_grants_for_groups()
            .times(1)
            .withf(move |holders| holders == &BTreeSet::from([school, class_a]))
            .returning(|_| Ok(Vec::new()));
        m.hasher
            .expect_hash()
            .times(1)
            .withf(|p| p.expose() == "tall-cedar-river-42")
            .returning(|_| Ok(PasswordHash::new("$argon2id$x")));
        let class_a = w.class_a;
        m.users
            .expect_create()
            .times(1)
            .withf(move |n| {
                n.status == UserStatus::Valid
                    && n.password_hash == Some(PasswordHash::new("$argon2id$x"))
                    && n.group_ids == BTreeSet::from([class_a])
                    && !n.is_owner
            })
            .returning(|n| Ok(stored(&n)));
        m.expect_audit(AuditAction::UserCreate, Ok(()));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let user = service
            .register(&a, command([w.class_a].into(), Some("tall-cedar-river-42")))
            .await
            .unwrap();
        assert_eq!(user.login_id.as_str(), "hanako");
        assert!(user.has_password);
    }

    #[tokio::test]
    async fn u4_register_without_password_is_pending_and_not_hashed() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        m.hasher.expect_hash().times(0);
        m.users
            .expect_create()
            .times(1)
            .withf(|n| n.status == UserStatus::Pending && n.password_hash.is_none())
            .returning(|n| Ok(stored(&n)));
        m.expect_audit(AuditAction::UserCreate, Ok(()));
        let service = UserService::new(&m.ports());
        let user = service
            .register(&owner(), command(BTreeSet::new(), None))
            .await
            .unwrap();
        assert_eq!(user.status, UserStatus::Pending);
    }

    #[tokio::test]
    async fn p3_scoped_admin_must_give_a_group_and_nothing_is_written() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("group_required"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .register(&a, command(BTreeSet::new(), None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "group_required");
    }

    #[tokio::test]
    async fn p3_scoped_admin_cannot_register_into_group_outside_scope() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("unknown_group"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.class_a]).unwrap());
        let err = service
            .register(&a, command([w.class_a, w.class_b].into(), None))
            .await
            .unwrap_err();
        assert!(matches!(err, UserServiceError::UnknownGroup(g) if g == w.class_b));
    }

    #[tokio::test]
    async fn p4_viewer_cannot_register_and_z1_refusal_is_audited() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("forbidden"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersView, Scope::All);
        let err = service
            .register(&a, command([w.class_a].into(), None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
    }

    #[tokio::test]
    async fn u1_weak_password_refused_before_hashing() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        m.hasher.expect_hash().times(0);
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("validation_failed"));
        let service = UserService::new(&m.ports());
        let err = service
            .register(&owner(), command(BTreeSet::new(), Some("short")))
            .await
            .unwrap_err();
        let UserServiceError::Invalid(fields) = err else {
            panic!("expected validation errors, got {err:?}");
        };
        assert_eq!(fields[0].field, "password");
        assert_eq!(fields[0].code, "password_too_short");
    }

    #[tokio::test]
    async fn u1_login_id_taken_refused_before_hashing() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        m.users
            .expect_get_by_login_id()
            .returning(|l| Ok(Some(crate::services::testing::user(l.as_str()))));
        m.hasher.expect_hash().times(0);
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("login_id_taken"));
        let service = UserService::new(&m.ports());
        let err = service
            .register(
                &owner(),
                command(BTreeSet::new(), Some("tall-cedar-river-42")),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "login_id_taken");
    }

    #[tokio::test]
    async fn u1_racing_creation_maps_store_refusal() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        m.users
            .expect_create()
            .times(1)
            .returning(|_| Err(CreateUserError::LoginIdTaken));
        m.expect_audit(AuditAction::UserCreate, Err("login_id_taken"));
        let service = UserService::new(&m.ports());
        let err = service
            .register(&owner(), command(BTreeSet::new(), None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "login_id_taken");
    }

    #[tokio::test]
    async fn c9_busy_hasher_is_reported_and_nothing_written() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        m.hasher.expect_hash().returning(|_| Err(HashError::Busy));
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("busy"));
        let service = UserService::new(&m.ports());
        let err = service
            .register(
                &owner(),
                command(BTreeSet::new(), Some("tall-cedar-river-42")),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "busy");
    }

    #[tokio::test]
    async fn u2_valid_without_password_refused() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("password_required"));
        let service = UserService::new(&m.ports());
        let mut c = command(BTreeSet::new(), None);
        c.status = Some(UserStatus::Valid);
        let err = service.register(&owner(), c).await.unwrap_err();
        assert_eq!(err.code(), "password_required");
    }

    #[tokio::test]
    async fn p5_register_into_group_whose_grants_actor_lacks_is_refused() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        let school = w.school;
        m.grants.expect_grants_for_groups().returning(move |_| {
            Ok(vec![group_grant(
                school,
                Privilege::AdminAuthorization,
                Scope::All,
            )])
        });
        m.hasher.expect_hash().times(0);
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("privilege_not_held"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .register(&a, command([w.class_a].into(), Some("tall-cedar-river-42")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "privilege_not_held");
    }

    #[tokio::test]
    async fn p5_register_into_group_whose_grant_scope_exceeds_actor_is_refused() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        let class_a = w.class_a;
        m.grants
            .expect_grants_for_groups()
            .returning(move |_| Ok(vec![group_grant(class_a, Privilege::UsersEdit, Scope::All)]));
        m.users.expect_create().times(0);
        m.expect_audit(AuditAction::UserCreate, Err("scope_exceeds_own"));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        let err = service
            .register(&a, command([w.class_a].into(), None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "scope_exceeds_own");
    }

    #[tokio::test]
    async fn p5_register_into_group_whose_grants_actor_could_give_succeeds() {
        let w = World::new();
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_fields(Vec::new());
        no_login_clash(&mut m);
        let class_a = w.class_a;
        m.grants.expect_grants_for_groups().returning(move |_| {
            Ok(vec![group_grant(
                class_a,
                Privilege::UsersView,
                Scope::MemberGroups,
            )])
        });
        m.users
            .expect_create()
            .times(1)
            .returning(|n| Ok(stored(&n)));
        m.expect_audit(AuditAction::UserCreate, Ok(()));
        let service = UserService::new(&m.ports());
        let a = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
        service
            .register(&a, command([w.class_a].into(), None))
            .await
            .unwrap();
    }
}
