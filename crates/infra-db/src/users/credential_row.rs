//! The `user_credentials` row: one password hash per user, kept apart from `users` so a hash
//! never leaves with the user record (U1).

use sea_orm::entity::prelude::*;

/// The `user_credentials` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user_credentials")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub password_hash: String,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
