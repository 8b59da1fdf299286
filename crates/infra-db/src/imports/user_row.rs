//! The `users` row as the import reads it, and its conversion to the domain's `User`.

use crate::convert::{from_json, instant, instant_opt};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::UserId;
use roster_domain::user::{DisplayName, Email, LoginId, User, UserStatus};
use sea_orm::entity::prelude::*;

/// A stored user (migration 000001).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub(super) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub login_id: String,
    pub login_key: String,
    pub name: String,
    pub email: Option<String>,
    pub email_key: Option<String>,
    pub status: String,
    pub expires_at: Option<i64>,
    pub attributes: String,
    pub has_password: bool,
    pub owner_slot: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(super) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl TryFrom<Model> for User {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        Ok(Self {
            id: UserId::from_uuid(row.id),
            login_id: LoginId::parse(&row.login_id).map_err(|e| corrupt("login ID", e))?,
            name: DisplayName::parse(&row.name).map_err(|e| corrupt("user name", e))?,
            email: row
                .email
                .as_deref()
                .map(Email::parse)
                .transpose()
                .map_err(|e| corrupt("email", e))?,
            has_password: row.has_password,
            status: UserStatus::parse(&row.status).map_err(|e| corrupt("user status", e))?,
            expires_at: instant_opt(row.expires_at)?,
            attributes: from_json("user attributes", &row.attributes)?,
            is_owner: row.owner_slot.is_some(),
            created_at: instant(row.created_at)?,
            updated_at: instant(row.updated_at)?,
        })
    }
}

/// U10: the lookup key of an email — the domain is lower-cased already, the local part is
/// folded like a login ID, so the whole address folds.
pub(super) fn email_key(email: &Email) -> String {
    roster_domain::user::login_id::fold(email.as_str())
}
