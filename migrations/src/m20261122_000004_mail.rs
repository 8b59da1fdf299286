//! Mail (M1–M3): the outgoing queue, written in the same transaction as the change that
//! sends it, and the administrator's email templates.

use crate::columns::{
    create_table, drop_tables, id_pk, index_on, instant, instant_null, long_text, long_text_null,
    name, number, text,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            manager,
            Table::create()
                .table(name("mail_queue"))
                .col(id_pk(name("id")))
                .col(text(name("recipient"), 320))
                // The MailKind word: which template renders it.
                .col(text(name("kind"), 32))
                // The template variables, JSON. They may hold a one-time link: delivery
                // clears them once the mail is sent or given up.
                .col(long_text(name("variables")))
                // `queued`, `sent` or `failed`.
                .col(text(name("status"), 16))
                .col(number(name("attempts")))
                .col(instant(name("queued_at")))
                .col(instant(name("next_attempt_at")))
                .col(instant_null(name("sent_at")))
                .col(long_text_null(name("last_error")))
                .to_owned(),
        )
        .await?;
        index_on(
            manager,
            "ix_mail_queue_status_next",
            "mail_queue",
            &["status", "next_attempt_at"],
            false,
        )
        .await?;
        create_table(
            manager,
            Table::create()
                .table(name("email_templates"))
                .col(
                    ColumnDef::new(name("kind"))
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                .col(long_text(name("subject")))
                .col(template_body(manager))
                .col(instant(name("updated_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["email_templates", "mail_queue"]).await
    }
}

/// A template body holds up to 65,536 characters (M2), up to four bytes each: more than
/// MySQL's `TEXT` (64 KiB), so MySQL gets `MEDIUMTEXT`; elsewhere `TEXT` is unbounded.
fn template_body(manager: &SchemaManager<'_>) -> ColumnDef {
    if manager.get_database_backend() == DatabaseBackend::MySql {
        ColumnDef::new(name("body"))
            .custom(name("MEDIUMTEXT"))
            .not_null()
            .to_owned()
    } else {
        long_text(name("body"))
    }
}
