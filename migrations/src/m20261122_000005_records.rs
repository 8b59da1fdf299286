//! Learning records (L1): scores, badge awards, certificates and the access log — the rows an
//! integration moves and a cancel returns — and the expiry purge's marks.

use crate::columns::{
    cascade, create_table, drop_tables, flag, id_pk, index_on, instant, long_text_null, name,
    number, number_null, text, text_null, uuid,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        owned_table(
            manager,
            "scores",
            "studied_at",
            vec![
                text(name("material_id"), 128),
                number(name("attempt")),
                number_null(name("score")),
                text(name("status"), 32),
                text(name("mode"), 32),
                instant(name("studied_at")),
                number(name("study_seconds")),
                flag(name("superseded")),
            ],
        )
        .await?;
        owned_table(
            manager,
            "badge_awards",
            "awarded_at",
            vec![text(name("badge_id"), 128), instant(name("awarded_at"))],
        )
        .await?;
        owned_table(
            manager,
            "certificates",
            "issued_at",
            vec![
                text(name("certificate_key"), 128),
                text_null(name("material_id"), 128),
                instant(name("issued_at")),
            ],
        )
        .await?;
        owned_table(
            manager,
            "access_log",
            "at",
            vec![
                instant(name("at")),
                text_null(name("ip"), 64),
                long_text_null(name("user_agent")),
            ],
        )
        .await?;
        // U6: when a user's grades were purged after expiry, so the job does it once.
        create_table(
            manager,
            Table::create()
                .table(name("grade_purges"))
                .col(id_pk(name("user_id")))
                .col(instant(name("expired_at")))
                .col(instant(name("purged_at")))
                .foreign_key(&mut cascade(
                    name("grade_purges"),
                    name("user_id"),
                    name("users"),
                    name("id"),
                ))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "grade_purges",
                "access_log",
                "certificates",
                "badge_awards",
                "scores",
            ],
        )
        .await
    }
}

/// A record table: its id, its owner (deleted with the user) and `columns`, with the
/// (user, `newest`, id) index that pages a user's records newest first (`newest` is the
/// record's instant) and finds them for an integration.
async fn owned_table(
    manager: &SchemaManager<'_>,
    table: &'static str,
    newest: &'static str,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    let mut statement = Table::create();
    statement
        .table(name(table))
        .col(id_pk(name("id")))
        .col(uuid(name("user_id")));
    for mut column in columns {
        statement.col(&mut column);
    }
    statement.foreign_key(&mut cascade(
        name(table),
        name("user_id"),
        name("users"),
        name("id"),
    ));
    create_table(manager, statement.to_owned()).await?;
    let index: &'static str = match table {
        "scores" => "ix_scores_user_id",
        "badge_awards" => "ix_badge_awards_user_id",
        "certificates" => "ix_certificates_user_id",
        _ => "ix_access_log_user_id",
    };
    index_on(manager, index, table, &["user_id", newest, "id"], false).await
}
