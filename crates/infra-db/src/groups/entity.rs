//! The `groups` table as a sea-orm entity (private to the crate; the schema is the
//! migration's).

use sea_orm::entity::prelude::*;

/// One group row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "groups")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// The case-folded name (`GroupName::key`): the unique, case-insensitive key.
    pub name_key: String,
    pub external_code: Option<String>,
    pub description: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
