//! The sea-orm entities of the integration tables (I5–I10), private to the crate.

/// `integrations`: one integration, its state and its counts.
pub(crate) mod integration {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "integrations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub source_user_id: Uuid,
        pub target_user_id: Uuid,
        pub source_login_id: String,
        pub source_login_key: String,
        pub target_login_id: String,
        pub target_login_key: String,
        pub state: String,
        pub live_source_id: Option<Uuid>,
        pub source_deleted: bool,
        pub integrated_at: i64,
        pub integrated_by: Uuid,
        pub cancelled_at: Option<i64>,
        pub cancelled_by: Option<Uuid>,
        #[sea_orm(column_type = "Text")]
        pub counts: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
