//! The core tables: users and their credentials, groups, the group-graph version row, parent
//! edges, memberships, grants with their scope groups, and integrations (whose life the user
//! store also touches).

use crate::columns::{
    cascade, create_index, create_table, flag, id_pk, instant, instant_null, long_text, number,
    number_null, text, text_null, uuid, uuid_null,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    LoginId,
    LoginKey,
    Name,
    NameKey,
    Email,
    EmailKey,
    Status,
    ExpiresAt,
    Attributes,
    HasPassword,
    OwnerSlot,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserCredentials {
    Table,
    UserId,
    PasswordHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    Name,
    NameKey,
    ExternalCode,
    Description,
}

/// One row (id 1) whose version every edge write bumps first: the conditional UPDATE takes
/// a row lock that serializes edge writers on every backend, so two concurrent `add_parent`
/// calls cannot both pass the cycle check (G3).
#[derive(DeriveIden)]
enum GroupGraph {
    Table,
    Id,
    Version,
}

#[derive(DeriveIden)]
enum GroupParents {
    Table,
    ChildId,
    ParentId,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    UserId,
    GroupId,
}

#[derive(DeriveIden)]
enum Grants {
    Table,
    Id,
    SubjectUserId,
    SubjectGroupId,
    SubjectKey,
    Privilege,
    ScopeKind,
    ScopeKey,
}

#[derive(DeriveIden)]
enum GrantScopeGroups {
    Table,
    GrantId,
    GroupId,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
    SourceUserId,
    TargetUserId,
    SourceLoginId,
    SourceLoginKey,
    TargetLoginId,
    TargetLoginKey,
    State,
    LiveSourceId,
    SourceDeleted,
    IntegratedAt,
    IntegratedBy,
    CancelledAt,
    CancelledBy,
    Counts,
}

#[derive(DeriveIden)]
enum IntegrationPlanParts {
    Table,
    IntegrationId,
    Part,
    Body,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        users(manager).await?;
        groups(manager).await?;
        grants(manager).await?;
        integrations(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IntegrationPlanParts::Table.into_iden(),
            Integrations::Table.into_iden(),
            GrantScopeGroups::Table.into_iden(),
            Grants::Table.into_iden(),
            Memberships::Table.into_iden(),
            GroupParents::Table.into_iden(),
            GroupGraph::Table.into_iden(),
            Groups::Table.into_iden(),
            UserCredentials::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn users(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(Users::Table)
            .col(id_pk(Users::Id))
            .col(text(Users::LoginId, 128))
            // The case-folded login ID (LoginId::key): the unique, case-insensitive key.
            .col(text(Users::LoginKey, 255))
            .col(text(Users::Name, 255))
            // The lower-cased name, so the list's `q` filter folds case alike on every backend
            // (SQLite's LOWER() folds ASCII only). Defaults to '' for rows written without it.
            // Wider than the name: lower-casing may lengthen it (İ becomes two characters).
            .col(text(Users::NameKey, 400).default(""))
            .col(text_null(Users::Email, 320))
            // The email with its domain lower-cased and its local part folded (U10 lookups).
            .col(text_null(Users::EmailKey, 320))
            .col(text(Users::Status, 16))
            .col(instant_null(Users::ExpiresAt))
            // U8 custom fields, a JSON object.
            .col(long_text(Users::Attributes))
            .col(flag(Users::HasPassword))
            // 1 for the owner, NULL otherwise: a unique index allows one owner (U3) on every
            // backend (MySQL has no partial indexes).
            .col(number_null(Users::OwnerSlot))
            .col(instant(Users::CreatedAt))
            .col(instant(Users::UpdatedAt))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ux_users_login_key")
            .table(Users::Table)
            .col(Users::LoginKey)
            .unique(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ux_users_owner_slot")
            .table(Users::Table)
            .col(Users::OwnerSlot)
            .unique(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_users_email_key")
            .table(Users::Table)
            .col(Users::EmailKey),
    )
    .await?;
    // The `status` filter of the user list, paged by id.
    create_index(
        manager,
        Index::create()
            .name("ix_users_status_id")
            .table(Users::Table)
            .col(Users::Status)
            .col(Users::Id),
    )
    .await?;
    // Expiry jobs (U6) look for users whose expiry has passed.
    create_index(
        manager,
        Index::create()
            .name("ix_users_expires_at")
            .table(Users::Table)
            .col(Users::ExpiresAt),
    )
    .await?;
    create_table(
        manager,
        Table::create()
            .table(UserCredentials::Table)
            .col(id_pk(UserCredentials::UserId))
            .col(long_text(UserCredentials::PasswordHash))
            .col(instant(UserCredentials::UpdatedAt))
            .foreign_key(&mut cascade(
                UserCredentials::Table,
                UserCredentials::UserId,
                Users::Table,
                Users::Id,
            ))
            .to_owned(),
    )
    .await
}

async fn groups(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(Groups::Table)
            .col(id_pk(Groups::Id))
            .col(text(Groups::Name, 255))
            .col(text(Groups::NameKey, 255))
            .col(text_null(Groups::ExternalCode, 64))
            .col(long_text(Groups::Description))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ux_groups_name_key")
            .table(Groups::Table)
            .col(Groups::NameKey)
            .unique(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ux_groups_external_code")
            .table(Groups::Table)
            .col(Groups::ExternalCode)
            .unique(),
    )
    .await?;
    graph_version(manager).await?;
    create_table(
        manager,
        Table::create()
            .table(GroupParents::Table)
            .col(uuid(GroupParents::ChildId))
            .col(uuid(GroupParents::ParentId))
            .primary_key(
                Index::create()
                    .col(GroupParents::ChildId)
                    .col(GroupParents::ParentId),
            )
            .foreign_key(&mut cascade(
                GroupParents::Table,
                GroupParents::ChildId,
                Groups::Table,
                Groups::Id,
            ))
            .foreign_key(&mut cascade(
                GroupParents::Table,
                GroupParents::ParentId,
                Groups::Table,
                Groups::Id,
            ))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_group_parents_parent")
            .table(GroupParents::Table)
            .col(GroupParents::ParentId)
            .col(GroupParents::ChildId),
    )
    .await?;
    create_table(
        manager,
        Table::create()
            .table(Memberships::Table)
            .col(uuid(Memberships::UserId))
            .col(uuid(Memberships::GroupId))
            // (user, group) answers "the user's groups" and the scope filter of user lists
            // (EXISTS … AND group_id IN closure); (group, user) pages a group's members.
            .primary_key(
                Index::create()
                    .col(Memberships::UserId)
                    .col(Memberships::GroupId),
            )
            .foreign_key(&mut cascade(
                Memberships::Table,
                Memberships::UserId,
                Users::Table,
                Users::Id,
            ))
            .foreign_key(&mut cascade(
                Memberships::Table,
                Memberships::GroupId,
                Groups::Table,
                Groups::Id,
            ))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_memberships_group_user")
            .table(Memberships::Table)
            .col(Memberships::GroupId)
            .col(Memberships::UserId),
    )
    .await
}

/// The graph-version row (see [`GroupGraph`]), created with its one row.
async fn graph_version(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(GroupGraph::Table)
            .col(
                ColumnDef::new(GroupGraph::Id)
                    .integer()
                    .not_null()
                    .primary_key(),
            )
            .col(number(GroupGraph::Version))
            .to_owned(),
    )
    .await?;
    let row = Query::insert()
        .into_table(GroupGraph::Table)
        .columns([GroupGraph::Id, GroupGraph::Version])
        .values([1.into(), 0.into()])
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    manager.exec_stmt(row).await
}

async fn grants(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(Grants::Table)
            .col(id_pk(Grants::Id))
            // Exactly one of the two subject columns is set; both cascade with their row.
            .col(uuid_null(Grants::SubjectUserId))
            .col(uuid_null(Grants::SubjectGroupId))
            // `u:<uuid>` or `g:<uuid>`: one column for the uniqueness of a grant.
            .col(text(Grants::SubjectKey, 40))
            .col(text(Grants::Privilege, 64))
            // `all`, `groups` or `member_groups`.
            .col(text(Grants::ScopeKind, 16))
            // A fixed-length digest of the scope (kind and sorted group ids), so that
            // (subject, privilege, scope) is unique whatever the number of scope groups.
            .col(text(Grants::ScopeKey, 64))
            .foreign_key(&mut cascade(
                Grants::Table,
                Grants::SubjectUserId,
                Users::Table,
                Users::Id,
            ))
            .foreign_key(&mut cascade(
                Grants::Table,
                Grants::SubjectGroupId,
                Groups::Table,
                Groups::Id,
            ))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ux_grants_subject_privilege_scope")
            .table(Grants::Table)
            .col(Grants::SubjectKey)
            .col(Grants::Privilege)
            .col(Grants::ScopeKey)
            .unique(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_grants_subject_user")
            .table(Grants::Table)
            .col(Grants::SubjectUserId),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_grants_subject_group")
            .table(Grants::Table)
            .col(Grants::SubjectGroupId),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_grants_privilege_id")
            .table(Grants::Table)
            .col(Grants::Privilege)
            .col(Grants::Id),
    )
    .await?;
    create_table(
        manager,
        Table::create()
            .table(GrantScopeGroups::Table)
            .col(uuid(GrantScopeGroups::GrantId))
            .col(uuid(GrantScopeGroups::GroupId))
            .primary_key(
                Index::create()
                    .col(GrantScopeGroups::GrantId)
                    .col(GrantScopeGroups::GroupId),
            )
            .foreign_key(&mut cascade(
                GrantScopeGroups::Table,
                GrantScopeGroups::GrantId,
                Grants::Table,
                Grants::Id,
            ))
            .foreign_key(&mut cascade(
                GrantScopeGroups::Table,
                GrantScopeGroups::GroupId,
                Groups::Table,
                Groups::Id,
            ))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ix_grant_scope_groups_group")
            .table(GrantScopeGroups::Table)
            .col(GrantScopeGroups::GroupId)
            .col(GrantScopeGroups::GrantId),
    )
    .await
}

async fn integrations(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(Integrations::Table)
            .col(id_pk(Integrations::Id))
            // No foreign keys on the users: a frozen integration outlives its source (I8);
            // the user store removes a deleted target's integrations itself (I9).
            .col(uuid(Integrations::SourceUserId))
            .col(uuid(Integrations::TargetUserId))
            .col(text(Integrations::SourceLoginId, 128))
            .col(text(Integrations::SourceLoginKey, 255))
            .col(text(Integrations::TargetLoginId, 128))
            .col(text(Integrations::TargetLoginKey, 255))
            // `live`, `cancelled` or `frozen`.
            .col(text(Integrations::State, 16))
            // The source id while live, NULL otherwise: its unique index lets at most one
            // live integration exist per source, settled by the database (I10).
            .col(uuid_null(Integrations::LiveSourceId))
            .col(flag(Integrations::SourceDeleted))
            .col(instant(Integrations::IntegratedAt))
            .col(uuid(Integrations::IntegratedBy))
            .col(instant_null(Integrations::CancelledAt))
            .col(uuid_null(Integrations::CancelledBy))
            // IntegrationCounts, JSON.
            .col(long_text(Integrations::Counts))
            .to_owned(),
    )
    .await?;
    create_index(
        manager,
        Index::create()
            .name("ux_integrations_live_source")
            .table(Integrations::Table)
            .col(Integrations::LiveSourceId)
            .unique(),
    )
    .await?;
    for (name, column) in [
        ("ix_integrations_source", Integrations::SourceUserId),
        ("ix_integrations_target", Integrations::TargetUserId),
        ("ix_integrations_integrated_at", Integrations::IntegratedAt),
    ] {
        create_index(
            manager,
            Index::create()
                .name(name)
                .table(Integrations::Table)
                .col(column)
                .col(Integrations::Id),
        )
        .await?;
    }
    integration_plan_parts(manager).await
}

/// The applied plan of each integration, JSON: every row change with its before and after —
/// the undo record a cancel consumes (I6) and the details (I5). A plan moving 100k scores is
/// tens of megabytes, beyond MySQL's `TEXT` (64 KiB) and its default packet size, so it is
/// cut into numbered parts of at most 60,000 bytes, read back in order; one portable `TEXT`
/// type serves every backend.
async fn integration_plan_parts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(IntegrationPlanParts::Table)
            .col(uuid(IntegrationPlanParts::IntegrationId))
            .col(number(IntegrationPlanParts::Part))
            .col(long_text(IntegrationPlanParts::Body))
            .primary_key(
                Index::create()
                    .col(IntegrationPlanParts::IntegrationId)
                    .col(IntegrationPlanParts::Part),
            )
            // Removing an integration (I9) removes its plan.
            .foreign_key(&mut cascade(
                IntegrationPlanParts::Table,
                IntegrationPlanParts::IntegrationId,
                Integrations::Table,
                Integrations::Id,
            ))
            .to_owned(),
    )
    .await
}
