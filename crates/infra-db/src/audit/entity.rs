//! The `audit_entries` table as a sea-orm entity (private to the crate).

use sea_orm::entity::prelude::*;

/// One audit row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Microseconds since the epoch.
    pub at: i64,
    pub actor: Uuid,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    /// [`super::rows::SUCCESS`] or the refusal's error code.
    pub outcome: String,
    /// The details map, JSON.
    pub details: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
