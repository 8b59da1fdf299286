//! Loading the acting user's snapshot (P4): once per request, after the session check, so
//! every decision of the request sees the same grants.

use crate::authz::Actor;
use crate::error::{ErrorCode, Unexpected};
use crate::ids::UserId;
use crate::ports::StoreError;
use crate::ports::grants::GrantRepository;
use crate::ports::users::UserRepository;
use chrono::{DateTime, Utc};

/// Why the actor could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadActorError {
    /// The user no longer exists (deleted since the session began): HTTP answers 401.
    #[error("the user does not exist")]
    UnknownUser,
    /// U2, U6: the user may not log in any more (disabled, expired, pending): HTTP answers 401.
    #[error("the user cannot log in")]
    Inactive,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for LoadActorError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownUser => "unknown_user",
            Self::Inactive => "inactive",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for LoadActorError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

/// The snapshot of `user_id`: ownership, direct groups, and every grant that may apply (its
/// own and its groups'). Errors: `unknown_user`; `unexpected`.
pub async fn load_actor(
    user_id: UserId,
    users: &dyn UserRepository,
    grants: &dyn GrantRepository,
) -> Result<Actor, LoadActorError> {
    let user = users
        .get(user_id)
        .await?
        .ok_or(LoadActorError::UnknownUser)?;
    snapshot(user.id, user.is_owner, users, grants).await
}

/// As [`load_actor`], and refused with `inactive` when the user cannot log in at `now`
/// (U2, U6: an expired or disabled user's sessions stop working at once). HTTP uses this.
pub async fn load_active_actor(
    user_id: UserId,
    users: &dyn UserRepository,
    grants: &dyn GrantRepository,
    now: DateTime<Utc>,
) -> Result<Actor, LoadActorError> {
    let user = users
        .get(user_id)
        .await?
        .ok_or(LoadActorError::UnknownUser)?;
    if !user.can_log_in(now) {
        return Err(LoadActorError::Inactive);
    }
    snapshot(user.id, user.is_owner, users, grants).await
}

pub(crate) async fn snapshot(
    user_id: UserId,
    is_owner: bool,
    users: &dyn UserRepository,
    grants: &dyn GrantRepository,
) -> Result<Actor, LoadActorError> {
    let direct_groups = users.direct_groups(user_id).await?;
    let grants = grants.grants_for_user(user_id).await?;
    Ok(Actor {
        user_id,
        is_owner,
        direct_groups,
        grants,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::{Grant, Privilege, Scope, Subject};
    use crate::ids::{GrantId, GroupId};
    use crate::services::testing::{Mocks, now, user};
    use crate::user::UserStatus;
    use mockall::predicate::eq;

    #[tokio::test]
    async fn p4_actor_snapshot_has_groups_and_grants() {
        let g = GroupId::new();
        let alice = user("alice");
        let grant = Grant {
            id: GrantId::new(),
            subject: Subject::Group(g),
            privilege: Privilege::UsersView,
            scope: Scope::MemberGroups,
        };
        let mut m = Mocks::new();
        m.with_user(&alice, [g].into());
        let expected = vec![grant.clone()];
        m.grants
            .expect_grants_for_user()
            .with(eq(alice.id))
            .returning(move |_| Ok(expected.clone()));
        let p = m.ports();
        let actor = load_actor(alice.id, p.users.as_ref(), p.grants.as_ref())
            .await
            .unwrap();
        assert_eq!(actor.user_id, alice.id);
        assert!(!actor.is_owner);
        assert_eq!(actor.direct_groups, [g].into());
        assert_eq!(actor.grants, vec![grant]);
    }

    #[tokio::test]
    async fn u7_deleted_user_has_no_actor() {
        let mut m = Mocks::new();
        m.users.expect_get().returning(|_| Ok(None));
        let p = m.ports();
        let err = load_actor(UserId::new(), p.users.as_ref(), p.grants.as_ref())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "unknown_user");
    }

    #[tokio::test]
    async fn u6_expired_or_disabled_actor_is_inactive() {
        let mut expired = user("old");
        expired.expires_at = Some(now());
        let mut disabled = user("off");
        disabled.status = UserStatus::Invalid;
        for u in [expired, disabled] {
            let mut m = Mocks::new();
            m.with_user(&u, [].into());
            m.grants.expect_grants_for_user().times(0);
            let p = m.ports();
            let err = load_active_actor(u.id, p.users.as_ref(), p.grants.as_ref(), now())
                .await
                .unwrap_err();
            assert_eq!(err.code(), "inactive");
        }
    }

    #[tokio::test]
    async fn u2_valid_actor_loads() {
        let alice = user("alice");
        let mut m = Mocks::new();
        m.with_user(&alice, [].into());
        m.grants
            .expect_grants_for_user()
            .returning(|_| Ok(Vec::new()));
        let p = m.ports();
        let actor = load_active_actor(alice.id, p.users.as_ref(), p.grants.as_ref(), now())
            .await
            .unwrap();
        assert_eq!(actor.user_id, alice.id);
    }
}
