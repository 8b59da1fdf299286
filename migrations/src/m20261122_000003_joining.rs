//! Joining (A1–A8, U5, U10): registration URLs and their codes, applications, one-time
//! links (invitation, activation, password reset) and the settings documents.

use crate::columns::{
    cascade, create_table, drop_tables, id_pk, index_on, instant, instant_null, long_text, name,
    number, number_null, text, text_null, uuid, uuid_null,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        registration_urls(manager).await?;
        applications(manager).await?;
        one_time_tokens(manager).await?;
        settings(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "settings",
                "one_time_tokens",
                "application_groups",
                "applications",
                "registration_codes",
                "registration_urls",
            ],
        )
        .await
    }
}

async fn registration_urls(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(name("registration_urls"))
            .col(id_pk(name("id")))
            .col(uuid(name("group_id")))
            // The random path segment of the public sign-up URL.
            .col(text(name("token"), 128))
            // `active` or `stopped`.
            .col(text(name("status"), 16))
            .col(instant(name("created_at")))
            .foreign_key(&mut cascade(
                name("registration_urls"),
                name("group_id"),
                name("groups"),
                name("id"),
            ))
            .to_owned(),
    )
    .await?;
    index_on(
        manager,
        "ux_registration_urls_token",
        "registration_urls",
        &["token"],
        true,
    )
    .await?;
    // One URL per group (A4).
    index_on(
        manager,
        "ux_registration_urls_group_id",
        "registration_urls",
        &["group_id"],
        true,
    )
    .await?;
    index_on(
        manager,
        "ix_registration_urls_status_id",
        "registration_urls",
        &["status", "id"],
        false,
    )
    .await?;
    create_table(
        manager,
        Table::create()
            .table(name("registration_codes"))
            .col(uuid(name("url_id")))
            .col(text(name("code"), 64))
            // Keeps the administrator's order of the codes.
            .col(number(name("position")))
            .col(instant_null(name("expires_at")))
            .col(number_null(name("max_uses")))
            .col(number(name("uses")))
            .primary_key(Index::create().col(name("url_id")).col(name("code")))
            .foreign_key(&mut cascade(
                name("registration_codes"),
                name("url_id"),
                name("registration_urls"),
                name("id"),
            ))
            .to_owned(),
    )
    .await
}

async fn applications(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(name("applications"))
            .col(id_pk(name("id")))
            .col(text(name("login_id"), 128))
            .col(text(name("login_key"), 255))
            // `login_key` while the application is open (A6), NULL once decided: a unique
            // index on it lets one open application hold a login ID on every backend
            // (MySQL has no partial indexes; NULLs never collide).
            .col(text_null(name("open_login_key"), 255))
            .col(text(name("name"), 255))
            .col(text(name("email"), 320))
            .col(text(name("email_key"), 320))
            .col(long_text(name("attributes")))
            // No foreign key: an application outlives a URL deleted with its group.
            .col(uuid_null(name("registration_url_id")))
            .col(text(name("status"), 32))
            .col(instant(name("applied_at")))
            .col(instant_null(name("activated_at")))
            .col(instant_null(name("decided_at")))
            .col(uuid_null(name("decided_by")))
            .col(long_text(name("password_hash")))
            .to_owned(),
    )
    .await?;
    index_on(
        manager,
        "ix_applications_login_key",
        "applications",
        &["login_key"],
        false,
    )
    .await?;
    index_on(
        manager,
        "ux_applications_open_login_key",
        "applications",
        &["open_login_key"],
        true,
    )
    .await?;
    index_on(
        manager,
        "ix_applications_status_id",
        "applications",
        &["status", "id"],
        false,
    )
    .await?;
    index_on(
        manager,
        "ix_applications_applied_at",
        "applications",
        &["applied_at"],
        false,
    )
    .await?;
    create_table(
        manager,
        Table::create()
            .table(name("application_groups"))
            .col(uuid(name("application_id")))
            .col(uuid(name("group_id")))
            .primary_key(
                Index::create()
                    .col(name("application_id"))
                    .col(name("group_id")),
            )
            .foreign_key(&mut cascade(
                name("application_groups"),
                name("application_id"),
                name("applications"),
                name("id"),
            ))
            .foreign_key(&mut cascade(
                name("application_groups"),
                name("group_id"),
                name("groups"),
                name("id"),
            ))
            .to_owned(),
    )
    .await?;
    index_on(
        manager,
        "ix_application_groups_group",
        "application_groups",
        &["group_id", "application_id"],
        false,
    )
    .await
}

async fn one_time_tokens(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create_table(
        manager,
        Table::create()
            .table(name("one_time_tokens"))
            // The hash of the link's token: the token itself is never stored.
            .col(
                ColumnDef::new(name("token_hash"))
                    .string_len(128)
                    .not_null()
                    .primary_key(),
            )
            // `invitation`, `activation` or `password_reset`.
            .col(text(name("purpose"), 32))
            // Exactly one subject: a user (invitation, reset) or an application (activation).
            .col(uuid_null(name("subject_user_id")))
            .col(uuid_null(name("subject_application_id")))
            .col(instant(name("issued_at")))
            .col(instant(name("expires_at")))
            .col(instant_null(name("used_at")))
            .foreign_key(&mut cascade(
                name("one_time_tokens"),
                name("subject_user_id"),
                name("users"),
                name("id"),
            ))
            .foreign_key(&mut cascade(
                name("one_time_tokens"),
                name("subject_application_id"),
                name("applications"),
                name("id"),
            ))
            .to_owned(),
    )
    .await?;
    index_on(
        manager,
        "ix_one_time_tokens_user",
        "one_time_tokens",
        &["subject_user_id", "purpose"],
        false,
    )
    .await?;
    index_on(
        manager,
        "ix_one_time_tokens_application",
        "one_time_tokens",
        &["subject_application_id"],
        false,
    )
    .await?;
    index_on(
        manager,
        "ix_one_time_tokens_expires_at",
        "one_time_tokens",
        &["expires_at"],
        false,
    )
    .await
}

async fn settings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // Small documents read and written whole: registration settings, notification settings.
    create_table(
        manager,
        Table::create()
            .table(name("settings"))
            .col(
                ColumnDef::new(name("key"))
                    .string_len(64)
                    .not_null()
                    .primary_key(),
            )
            .col(long_text(name("value")))
            .col(instant(name("updated_at")))
            .to_owned(),
    )
    .await
}
