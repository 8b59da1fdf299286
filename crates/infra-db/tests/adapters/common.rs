//! Fixtures every area shares: users made through the user store itself, so each area's
//! tests hold users stored exactly as in production (folded keys, JSON attributes).

use chrono::{DateTime, Duration, Utc};
use roster_domain::ids::UserId;
use roster_domain::ports::users::{NewUser, UserRepository};
use roster_domain::user::{Attributes, DisplayName, LoginId, UserStatus};
use roster_infra_db::Store;
use std::collections::BTreeSet;

/// When fixture users are created (whole microseconds, 2023-11-14).
pub fn created_at() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::microseconds(1_700_000_000_000_000)
}

/// Stores a user with no password, email or groups through `UserRepository::create`.
pub async fn stored_user(
    store: &Store,
    login: &str,
    name: &str,
    status: UserStatus,
    attributes: Attributes,
) -> UserId {
    let user = NewUser {
        id: UserId::new(),
        login_id: LoginId::parse(login).unwrap(),
        name: DisplayName::parse(name).unwrap(),
        email: None,
        password_hash: None,
        status,
        expires_at: None,
        attributes,
        group_ids: BTreeSet::new(),
        is_owner: false,
        created_at: created_at(),
    };
    store.create(user).await.unwrap().id
}
