//! A `users` row as the domain's `User`, for the member list. The user store maps the same
//! row; this copy stays small and private until the integrator makes one of the two shared.

use crate::convert::{from_json, instant, instant_opt};
use crate::error::{corrupt, unexpected};
use roster_domain::Unexpected;
use roster_domain::ids::UserId;
use roster_domain::user::{Attributes, DisplayName, Email, LoginId, User, UserStatus};
use sea_orm::QueryResult;
use uuid::Uuid;

/// The `users` columns [`user_of`] reads, to select them by name.
pub(super) const USER_COLUMNS: [&str; 11] = [
    "id",
    "login_id",
    "name",
    "email",
    "status",
    "expires_at",
    "attributes",
    "has_password",
    "owner_slot",
    "created_at",
    "updated_at",
];

/// A selected `users` row as a `User`; a value the domain refuses is a corrupt row.
pub(super) fn user_of(row: &QueryResult) -> Result<User, Unexpected> {
    let get_text = |column: &str| row.try_get::<String>("", column).map_err(unexpected);
    let email: Option<String> = row.try_get("", "email").map_err(unexpected)?;
    let owner_slot: Option<i64> = row.try_get("", "owner_slot").map_err(unexpected)?;
    let attributes: Attributes = from_json("user attributes", &get_text("attributes")?)?;
    Ok(User {
        id: UserId::from_uuid(row.try_get::<Uuid>("", "id").map_err(unexpected)?),
        login_id: LoginId::parse(&get_text("login_id")?).map_err(|e| corrupt("login ID", e))?,
        name: DisplayName::parse(&get_text("name")?).map_err(|e| corrupt("user name", e))?,
        email: email
            .as_deref()
            .map(Email::parse)
            .transpose()
            .map_err(|e| corrupt("email", e))?,
        has_password: row.try_get("", "has_password").map_err(unexpected)?,
        status: UserStatus::parse(&get_text("status")?).map_err(|e| corrupt("status", e))?,
        expires_at: instant_opt(row.try_get("", "expires_at").map_err(unexpected)?)?,
        attributes,
        is_owner: owner_slot.is_some(),
        created_at: instant(row.try_get("", "created_at").map_err(unexpected)?)?,
        updated_at: instant(row.try_get("", "updated_at").map_err(unexpected)?)?,
    })
}
