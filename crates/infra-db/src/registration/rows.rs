//! Private sea-orm entities of the self-registration tables (migration 000003), one module per
//! table; they never leave this crate.

/// `registration_urls`: one per group (A5).
pub(super) mod url {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "registration_urls")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub group_id: Uuid,
        pub token: String,
        pub status: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `registration_codes`: the codes of a URL with their use counts (A5).
pub(super) mod code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "registration_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub url_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub position: i64,
        pub expires_at: Option<i64>,
        pub max_uses: Option<i64>,
        pub uses: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `applications` (A2–A4, A7).
pub(super) mod application {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "applications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub login_id: String,
        pub login_key: String,
        pub open_login_key: Option<String>,
        pub name: String,
        pub email: String,
        pub email_key: String,
        pub attributes: String,
        pub registration_url_id: Option<Uuid>,
        pub status: String,
        pub applied_at: i64,
        pub activated_at: Option<i64>,
        pub decided_at: Option<i64>,
        pub decided_by: Option<Uuid>,
        pub password_hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `application_groups`: the groups an applicant joins once approved.
pub(super) mod application_group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "application_groups")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub application_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub group_id: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `settings`: small JSON documents read and written whole.
pub(crate) mod setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
