//! Faster integrations (I6, I10): a version per user's learning records, and the stored plan
//! as compact binary parts instead of JSON text.
//!
//! - `record_versions`: bumped in the transaction of every write of a user's records, so
//!   `apply` can tell "unchanged since the preview" from one row per account instead of
//!   reading and planning every record again, and `cancel` can tell "unchanged since the
//!   integration". Kept beside `users`, not on it: a user row is the user's, and an
//!   integration and its cancel leave it exactly as it was.
//! - `integration_plan_blobs` replaces `integration_plan_parts`: the plan in its stored form
//!   (each touched row's prior snapshot once, `roster_domain::integration::stored`) encoded
//!   in binary — a 100k-score plan is a few megabytes, not fifty. Parts of at most 60,000
//!   bytes on MySQL (its `BLOB` holds 65,535), one part elsewhere. No integration was stored
//!   in the old table by a released version, so it is dropped, not converted.

use crate::columns::{cascade, create_table, drop_tables, id_pk, long_text, name, number, uuid};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_table(
            manager,
            Table::create()
                .table(name("record_versions"))
                .col(id_pk(name("user_id")))
                .col(number(name("version")))
                .foreign_key(&mut cascade(
                    name("record_versions"),
                    name("user_id"),
                    name("users"),
                    name("id"),
                ))
                .to_owned(),
        )
        .await?;
        create_table(
            manager,
            Table::create()
                .table(name("integration_plan_blobs"))
                .col(uuid(name("integration_id")))
                .col(number(name("part")))
                .col(ColumnDef::new(name("bytes")).blob().not_null())
                .primary_key(
                    Index::create()
                        .col(name("integration_id"))
                        .col(name("part")),
                )
                // Removing an integration (I9) removes its plan.
                .foreign_key(&mut cascade(
                    name("integration_plan_blobs"),
                    name("integration_id"),
                    name("integrations"),
                    name("id"),
                ))
                .to_owned(),
        )
        .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Stored out of line but not compressed: postcard leaves little for pglz to win,
            // and compressing megabytes costs more time than the bytes it saves.
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE integration_plan_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL",
                )
                .await?;
        }
        drop_tables(manager, &["integration_plan_parts"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["integration_plan_blobs", "record_versions"]).await?;
        create_table(
            manager,
            Table::create()
                .table(name("integration_plan_parts"))
                .col(uuid(name("integration_id")))
                .col(number(name("part")))
                .col(long_text(name("body")))
                .primary_key(
                    Index::create()
                        .col(name("integration_id"))
                        .col(name("part")),
                )
                .foreign_key(&mut cascade(
                    name("integration_plan_parts"),
                    name("integration_id"),
                    name("integrations"),
                    name("id"),
                ))
                .to_owned(),
        )
        .await
    }
}
