//! Operations: the audit log (Z1), custom user field definitions (U8), CSV import jobs (C1)
//! and the claims that keep one runner per background job (O5).

use crate::columns::{
    create_table, drop_tables, id_pk, index_on, instant, instant_null, long_text, long_text_null,
    name, text, text_null, uuid, uuid_null,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            manager,
            Table::create()
                .table(name("audit_entries"))
                .col(id_pk(name("id")))
                .col(instant(name("at")))
                // No foreign key: the audit outlives the users it names.
                .col(uuid(name("actor")))
                .col(text(name("action"), 64))
                .col(text(name("target_kind"), 32))
                .col(text_null(name("target_id"), 64))
                // `ok` or the error code.
                .col(text(name("outcome"), 64))
                .col(long_text(name("details")))
                .to_owned(),
        )
        .await?;
        index_on(
            manager,
            "ix_audit_entries_at",
            "audit_entries",
            &["at", "id"],
            false,
        )
        .await?;
        index_on(
            manager,
            "ix_audit_entries_actor",
            "audit_entries",
            &["actor", "id"],
            false,
        )
        .await?;
        index_on(
            manager,
            "ix_audit_entries_action",
            "audit_entries",
            &["action", "id"],
            false,
        )
        .await?;
        index_on(
            manager,
            "ix_audit_entries_target",
            "audit_entries",
            &["target_kind", "target_id", "id"],
            false,
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(name("user_fields"))
                .col(
                    ColumnDef::new(name("key"))
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                // The FieldDefinition, JSON.
                .col(long_text(name("definition")))
                // Definitions list in the order they were made.
                .col(instant(name("created_at")))
                .to_owned(),
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(name("import_jobs"))
                .col(id_pk(name("id")))
                .col(uuid(name("started_by")))
                .col(long_text(name("options")))
                .col(instant(name("created_at")))
                .col(long_text(name("progress")))
                .col(long_text_null(name("outcome")))
                .col(instant(name("updated_at")))
                .to_owned(),
        )
        .await?;

        create_table(
            manager,
            Table::create()
                .table(name("job_claims"))
                .col(
                    ColumnDef::new(name("kind"))
                        .string_len(32)
                        .not_null()
                        .primary_key(),
                )
                // The fencing id of the current holder; NULL while nobody holds the job.
                .col(uuid_null(name("claim_id")))
                .col(instant_null(name("leased_until")))
                // When the job is due again; NULL: due now (never completed).
                .col(instant_null(name("next_due_at")))
                .col(instant_null(name("completed_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["job_claims", "import_jobs", "user_fields", "audit_entries"],
        )
        .await
    }
}
