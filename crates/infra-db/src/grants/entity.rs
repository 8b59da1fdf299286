//! The `grants` table as a sea-orm entity (private to the crate).

use sea_orm::entity::prelude::*;

/// One grant row; a `groups` scope's groups are rows of `grant_scope_groups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grants")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_user_id: Option<Uuid>,
    pub subject_group_id: Option<Uuid>,
    pub subject_key: String,
    pub privilege: String,
    pub scope_kind: String,
    pub scope_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The columns, for raw SELECTs that load models (`alias.` prefixed where needed).
pub(super) const COLUMNS: &str = "g.id, g.subject_user_id, g.subject_group_id, g.subject_key, \
                                  g.privilege, g.scope_kind, g.scope_key";
