//! The `user_fields` table as a sea-orm entity (private to the crate).

use sea_orm::entity::prelude::*;

/// One field definition row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_fields")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The `FieldDefinition`, JSON.
    pub definition: String,
    /// Microseconds since the epoch: the display order.
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
