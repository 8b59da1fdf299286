//! The acting user's own account (P3, U10): its profile with the grants that apply to it,
//! its name and email, and its password (the current one proven first).
//!
//! Proving the current password (before a password or email change) is a password guess
//! like a login: with [`MeService::with_throttle`] each wrong one counts against the user's
//! login ID in the login throttle (S3), and a locked login ID answers `too_many_attempts`
//! before anything is verified. `Ports` carries no throttle store, so a host that does not
//! call `with_throttle` must throttle `PATCH /me` and `POST /me/password` in its HTTP layer
//! (per login ID and per address), as it does for login.

mod password;

use super::Ports;
use crate::authz::{Actor, Denied, Grant, effective_grants};
use crate::clock::Clock;
use crate::error::{ErrorCode, FieldError, Unexpected};
use crate::ids::GroupId;
use crate::ports::StoreError;
use crate::ports::groups::GroupRepository;
use crate::ports::password::{HashError, PasswordHasher, PlainPassword, Verification};
use crate::ports::sessions::{LoginThrottleStore, ThrottleStoreError};
use crate::ports::users::{CredentialError, CredentialStore, UserFields, UserRepository};
use crate::ports::users::{UserUpdate, UserWriteError};
use crate::registration::{ThrottleKey, ThrottlePolicy, Throttled};
use crate::user::password::PasswordError;
use crate::user::{DisplayName, Email, User};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// `GET /api/v1/me`: the account, its direct groups, and the grants that apply to it (its own
/// and those of the groups it belongs to per G4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// The account (never its password hash).
    pub user: User,
    /// The groups it is a direct member of.
    pub group_ids: BTreeSet<GroupId>,
    /// Its effective grants.
    pub grants: Vec<Grant>,
}

/// `PATCH /api/v1/me`: what a user may change about itself (P3); `None` leaves it as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch {
    /// New display name.
    pub name: Option<DisplayName>,
    /// New email, or `Some(None)` to clear it. A change needs `current_password` (U10).
    pub email: Option<Option<Email>>,
    /// The current password, proven before the email changes: the email is where reset
    /// links go, so a stolen session alone must not be able to redirect them (U10).
    pub current_password: Option<PlainPassword>,
    /// The `updated_at` the client last saw; a later change answers `conflict`.
    pub expected_updated_at: Option<DateTime<Utc>>,
}

/// Why a self-service operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum MeError {
    /// The account no longer exists.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The current password is wrong (U10).
    #[error("the current password is wrong")]
    WrongPassword,
    /// The new password does not pass the policy.
    #[error("{} field(s) are invalid", .0.len())]
    Invalid(Vec<FieldError>),
    /// The account changed since it was read.
    #[error("your account was changed meanwhile; reload and retry")]
    Conflict,
    /// S3: too many wrong current passwords for this login ID; retry after the wait.
    #[error(transparent)]
    Throttled(Throttled),
    /// The password hasher is saturated; retry shortly.
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for MeError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::WrongPassword => "wrong_password",
            Self::Invalid(_) => "validation_failed",
            Self::Conflict => "conflict",
            Self::Throttled(e) => e.code(),
            Self::Busy => "busy",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for MeError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<ThrottleStoreError> for MeError {
    fn from(e: ThrottleStoreError) -> Self {
        match e {
            ThrottleStoreError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<UserWriteError> for MeError {
    fn from(e: UserWriteError) -> Self {
        match e {
            UserWriteError::NotFound => Self::Denied(Denied::NotFound),
            UserWriteError::Conflict => Self::Conflict,
            UserWriteError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<CredentialError> for MeError {
    fn from(e: CredentialError) -> Self {
        match e {
            CredentialError::NotFound => Self::Denied(Denied::NotFound),
            CredentialError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<HashError> for MeError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::UnusableHash => Self::Unexpected(Unexpected::new(HashError::UnusableHash)),
            HashError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<PasswordError> for MeError {
    fn from(e: PasswordError) -> Self {
        Self::Invalid(vec![FieldError::of("new_password", &e)])
    }
}

/// Self-service: what every user may do with its own account, with no privilege (P3).
#[derive(Clone)]
pub struct MeService {
    users: Arc<dyn UserRepository>,
    credentials: Arc<dyn CredentialStore>,
    groups: Arc<dyn GroupRepository>,
    hasher: Arc<dyn PasswordHasher>,
    clock: Arc<dyn Clock>,
    /// S3, when the host wires it: the login throttle wrong current passwords count in.
    throttle: Option<(Arc<dyn LoginThrottleStore>, ThrottlePolicy)>,
}

impl fmt::Debug for MeService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeService").finish_non_exhaustive()
    }
}

impl MeService {
    /// The service over these ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            users: ports.users.clone(),
            credentials: ports.credentials.clone(),
            groups: ports.groups.clone(),
            hasher: ports.hasher.clone(),
            clock: ports.clock.clone(),
            throttle: None,
        }
    }

    /// S3: counts wrong current passwords against the user's login ID in the login throttle
    /// (`policy` is normally the login's per-login-ID policy), so a stolen session cannot
    /// guess the password faster than a login could. Without it the HTTP layer must
    /// throttle these endpoints (see the module documentation).
    #[must_use]
    pub fn with_throttle(
        mut self,
        store: Arc<dyn LoginThrottleStore>,
        policy: ThrottlePolicy,
    ) -> Self {
        self.throttle = Some((store, policy));
        self
    }

    /// U10: proves the current password before a sensitive change; `wrong_password` also
    /// when the account has none. A legacy hash that verifies is accepted as it is (the
    /// upgrade belongs to login, C8).
    ///
    /// S3, with a throttle: a locked login ID answers `too_many_attempts` before anything
    /// is verified, and a mismatch counts one failure. A success clears nothing: only a
    /// login resets the counter, as before.
    async fn verify_current(&self, user: &User, current: &PlainPassword) -> Result<(), MeError> {
        let key = ThrottleKey::login_id(&user.login_id);
        let now = self.clock.now();
        if let Some((store, policy)) = &self.throttle {
            let seen = store.failures_since(&key, policy.window_start(now)).await?;
            policy
                .check(seen.count, seen.last_at, now)
                .map_err(|wait| MeError::Throttled(Throttled(wait)))?;
        }
        let stored = self
            .credentials
            .password_hash(user.id)
            .await?
            .ok_or(MeError::WrongPassword)?;
        match self.hasher.verify(current, &stored).await? {
            Verification::Ok | Verification::OkNeedsRehash => Ok(()),
            Verification::Mismatch => {
                if let Some((store, _)) = &self.throttle {
                    store.record_failure(&key, now).await?;
                }
                Err(MeError::WrongPassword)
            }
        }
    }

    async fn me(&self, actor: &Actor) -> Result<User, MeError> {
        Ok(self
            .users
            .get(actor.user_id)
            .await?
            .ok_or(Denied::NotFound)?)
    }

    /// P3: one's own profile and effective grants (group grants only where the actor is a
    /// member per G4). Errors: `not_found` (the account is gone); `unexpected`.
    pub async fn profile(&self, actor: &Actor) -> Result<Profile, MeError> {
        let user = self.me(actor).await?;
        let graph = self.groups.graph().await?;
        let grants = effective_grants(actor, &graph)
            .into_iter()
            .cloned()
            .collect();
        Ok(Profile {
            user,
            group_ids: actor.direct_groups.clone(),
            grants,
        })
    }

    /// P3: changes one's own name and email — the owner included (U3). Changing the email
    /// (set, clear or replace) needs the current password, verified like at login; the store
    /// then revokes the reset and invitation links mailed to the old address (U10, see
    /// `UserRepository::update`). Not an administrator change, so not audited.
    /// Errors: `wrong_password` (missing, wrong, or the account has none);
    /// `too_many_attempts` (S3, with a throttle); `busy`;
    /// `not_found`; `conflict`; `unexpected`.
    pub async fn update_profile(
        &self,
        actor: &Actor,
        patch: ProfilePatch,
    ) -> Result<User, MeError> {
        let user = self.me(actor).await?;
        if patch
            .expected_updated_at
            .is_some_and(|at| at != user.updated_at)
        {
            return Err(MeError::Conflict);
        }
        let mut fields = UserFields::of(&user);
        if let Some(name) = patch.name {
            fields.name = name;
        }
        if let Some(email) = patch.email {
            fields.email = email;
        }
        if fields == UserFields::of(&user) {
            return Ok(user);
        }
        if fields.email != user.email {
            let current = patch.current_password.ok_or(MeError::WrongPassword)?;
            self.verify_current(&user, &current).await?;
        }
        let update = UserUpdate {
            id: user.id,
            expected_updated_at: user.updated_at,
            fields,
            updated_at: self.clock.now(),
        };
        Ok(self.users.update(update).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Privilege, Scope, Subject};
    use crate::ids::GrantId;
    use crate::services::testing::{Mocks, World, actor_of, grant_to, now, user};

    #[tokio::test]
    async fn p3_profile_shows_only_grants_that_apply() {
        let w = World::new();
        let me = user("me");
        let mut actor = actor_of(&me, [w.class_a].into());
        let own = grant_to(me.id, Privilege::GradesView, Scope::MemberGroups);
        let via_school = crate::authz::Grant {
            id: GrantId::new(),
            subject: Subject::Group(w.school),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let elsewhere = crate::authz::Grant {
            id: GrantId::new(),
            subject: Subject::Group(w.other),
            privilege: Privilege::UsersEdit,
            scope: Scope::All,
        };
        actor.grants = vec![own.clone(), via_school.clone(), elsewhere];
        let mut m = Mocks::new();
        m.with_graph(&w.graph);
        m.with_user(&me, [w.class_a].into());
        let service = MeService::new(&m.ports());
        let profile = service.profile(&actor).await.unwrap();
        assert_eq!(profile.user, me);
        assert_eq!(profile.group_ids, [w.class_a].into());
        assert_eq!(
            profile.grants,
            vec![own, via_school],
            "G4: member of the school"
        );
    }

    fn current_password_is(m: &mut Mocks, me: &User, answer: Verification) {
        m.credentials
            .expect_password_hash()
            .with(mockall::predicate::eq(me.id))
            .returning(|_| Ok(Some(crate::ports::password::PasswordHash::new("stored"))));
        m.hasher
            .expect_verify()
            .withf(|c, h| c.expose() == "my secret" && h.expose() == "stored")
            .times(1)
            .returning(move |_, _| Ok(answer));
    }

    fn new_email(current: Option<&str>) -> ProfilePatch {
        ProfilePatch {
            email: Some(Some(Email::parse("mallory@example.org").unwrap())),
            current_password: current.map(PlainPassword::new),
            ..ProfilePatch::default()
        }
    }

    #[tokio::test]
    async fn u10_email_change_without_current_password_is_refused_and_nothing_written() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.hasher.expect_verify().times(0);
        m.users.expect_update().times(0);
        let service = MeService::new(&m.ports());
        let err = service
            .update_profile(&actor_of(&me, [].into()), new_email(None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "wrong_password");
    }

    #[tokio::test]
    async fn u10_email_change_with_wrong_current_password_is_refused_and_nothing_written() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        current_password_is(&mut m, &me, Verification::Mismatch);
        m.users.expect_update().times(0);
        let service = MeService::new(&m.ports());
        let err = service
            .update_profile(&actor_of(&me, [].into()), new_email(Some("my secret")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "wrong_password");
    }

    #[tokio::test]
    async fn s3_wrong_current_password_on_email_change_counts_against_the_login_id() {
        use crate::ports::sessions::{FailureCount, MockLoginThrottleStore};
        use crate::registration::{ThrottleKey, ThrottlePolicy};
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        current_password_is(&mut m, &me, Verification::Mismatch);
        m.users.expect_update().times(0);
        let key = ThrottleKey::login_id(&me.login_id);
        let mut throttle = MockLoginThrottleStore::new();
        throttle
            .expect_failures_since()
            .returning(|_, _| Ok(FailureCount::default()));
        throttle
            .expect_record_failure()
            .with(mockall::predicate::eq(key), mockall::predicate::eq(now()))
            .times(1)
            .returning(|_, _| Ok(()));
        let service = MeService::new(&m.ports())
            .with_throttle(Arc::new(throttle), ThrottlePolicy::per_login_id());
        let err = service
            .update_profile(&actor_of(&me, [].into()), new_email(Some("my secret")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "wrong_password");
    }

    #[tokio::test]
    async fn u10_email_change_of_account_without_password_is_refused() {
        let mut me = user("me");
        me.has_password = false;
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.credentials.expect_password_hash().returning(|_| Ok(None));
        m.hasher.expect_verify().times(0);
        m.users.expect_update().times(0);
        let service = MeService::new(&m.ports());
        let err = service
            .update_profile(&actor_of(&me, [].into()), new_email(Some("my secret")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "wrong_password");
    }

    #[tokio::test]
    async fn p3_name_change_needs_no_password() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.hasher.expect_verify().times(0);
        m.users
            .expect_update()
            .times(1)
            .withf(|u| u.fields.name.as_str() == "New")
            .returning(|_| Err(UserWriteError::Conflict));
        let service = MeService::new(&m.ports());
        let patch = ProfilePatch {
            name: Some(DisplayName::parse("New").unwrap()),
            ..ProfilePatch::default()
        };
        let err = service
            .update_profile(&actor_of(&me, [].into()), patch)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
    }

    #[tokio::test]
    async fn u10_email_change_hands_the_store_what_revokes_the_old_links() {
        let mut me = user("me");
        me.email = Some(Email::parse("me@example.org").unwrap());
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        current_password_is(&mut m, &me, Verification::Ok);
        let stored = me.clone();
        m.users
            .expect_update()
            .times(1)
            .withf(move |u| {
                // The store compares against the row it conditionally updates: the one read.
                u.expected_updated_at == stored.updated_at && u.revokes_links(&stored)
            })
            .returning(|_| Err(UserWriteError::Conflict));
        let service = MeService::new(&m.ports());
        let err = service
            .update_profile(&actor_of(&me, [].into()), new_email(Some("my secret")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
    }

    #[tokio::test]
    async fn p3_self_changes_own_name_and_email() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        current_password_is(&mut m, &me, Verification::Ok);
        let seen = me.updated_at;
        let status = me.status;
        let base = me.clone();
        m.users
            .expect_update()
            .times(1)
            .withf(move |u| {
                u.expected_updated_at == seen
                    && u.updated_at == now()
                    && u.fields.email.as_ref().map(Email::as_str) == Some("me@example.org")
                    && u.fields.status == status
            })
            .returning(move |u| {
                let mut out = base.clone();
                out.email = u.fields.email;
                Ok(out)
            });
        let service = MeService::new(&m.ports());
        let patch = ProfilePatch {
            email: Some(Some(Email::parse("me@example.org").unwrap())),
            current_password: Some(PlainPassword::new("my secret")),
            ..ProfilePatch::default()
        };
        let out = service
            .update_profile(&actor_of(&me, [].into()), patch)
            .await
            .unwrap();
        assert_eq!(out.email.unwrap().as_str(), "me@example.org");
    }

    #[tokio::test]
    async fn p3_stale_profile_edit_conflicts() {
        let me = user("me");
        let mut m = Mocks::new();
        m.with_user(&me, [].into());
        m.users.expect_update().times(0);
        let service = MeService::new(&m.ports());
        let patch = ProfilePatch {
            name: Some(DisplayName::parse("New").unwrap()),
            expected_updated_at: Some(now()),
            ..ProfilePatch::default()
        };
        let err = service
            .update_profile(&actor_of(&me, [].into()), patch)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
    }

    #[tokio::test]
    async fn u7_profile_of_deleted_account_is_not_found() {
        let mut m = Mocks::new();
        m.users.expect_get().returning(|_| Ok(None));
        let service = MeService::new(&m.ports());
        let ghost = actor_of(&user("ghost"), [].into());
        assert_eq!(
            service.profile(&ghost).await.unwrap_err().code(),
            "not_found"
        );
    }
}
