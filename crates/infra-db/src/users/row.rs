//! The `users` row: its private entity, the folded keys written beside the values, and the
//! conversion to the domain's `User` at the seam.

use crate::convert::{from_json, instant, instant_opt, micros, micros_opt, to_json};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::UserId;
use roster_domain::ports::users::NewUser;
use roster_domain::user::{DisplayName, Email, LoginId, User, UserStatus};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};

/// The `users` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub login_id: String,
    pub login_key: String,
    pub name: String,
    pub name_key: String,
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
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// U10: the email as compared: the domain is already lower-cased by `Email`, the local part
/// is folded too, since mail providers ignore its case.
pub(crate) fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

/// The name as the list's `q` filter compares it.
pub(crate) fn name_key(name: &DisplayName) -> String {
    name.as_str().to_lowercase()
}

/// The owner's value of `owner_slot`; every other user holds NULL, and the unique index on the
/// column lets only one row hold it (U3).
const OWNER_SLOT: i64 = 1;

/// The row of a new user (the bulk import path writes the same rows).
pub(crate) fn new_row(user: &NewUser) -> Result<ActiveModel, Unexpected> {
    let created_at = micros(user.created_at);
    Ok(ActiveModel {
        id: Set(user.id.as_uuid()),
        login_id: Set(user.login_id.as_str().to_owned()),
        login_key: Set(user.login_id.key().to_owned()),
        name: Set(user.name.as_str().to_owned()),
        name_key: Set(name_key(&user.name)),
        email: Set(user.email.as_ref().map(|e| e.as_str().to_owned())),
        email_key: Set(user.email.as_ref().map(email_key)),
        status: Set(user.status.as_str().to_owned()),
        expires_at: Set(micros_opt(user.expires_at)),
        attributes: Set(to_json(&user.attributes)?),
        has_password: Set(user.password_hash.is_some()),
        owner_slot: Set(user.is_owner.then_some(OWNER_SLOT)),
        created_at: Set(created_at),
        updated_at: Set(created_at),
    })
}

impl TryFrom<Model> for User {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        Ok(User {
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

/// The user with this id, read on `conn` (the pool or a transaction).
pub(crate) async fn find(conn: &impl ConnectionTrait, id: UserId) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id.as_uuid()).one(conn).await
}

/// Rows to users; the first row the domain refuses fails the whole read.
pub(crate) fn to_users(rows: Vec<Model>) -> Result<Vec<User>, Unexpected> {
    rows.into_iter().map(User::try_from).collect()
}
