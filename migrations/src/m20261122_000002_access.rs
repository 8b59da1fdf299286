//! Sign-in state (S1–S3): sessions and the login failures the throttle counts.

use crate::columns::{
    cascade, create_table, drop_tables, id_pk, index_on, instant, name, text, uuid,
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
                .table(name("sessions"))
                .col(id_pk(name("id")))
                .col(uuid(name("user_id")))
                // The SHA-256 of the session token: the token itself is never stored.
                .col(text(name("token_hash"), 128))
                .col(instant(name("created_at")))
                .col(instant(name("last_seen_at")))
                .col(instant(name("expires_at")))
                .foreign_key(&mut cascade(
                    name("sessions"),
                    name("user_id"),
                    name("users"),
                    name("id"),
                ))
                .to_owned(),
        )
        .await?;
        index_on(
            manager,
            "ux_sessions_token_hash",
            "sessions",
            &["token_hash"],
            true,
        )
        .await?;
        index_on(manager, "ix_sessions_user", "sessions", &["user_id"], false).await?;
        index_on(
            manager,
            "ix_sessions_expires_at",
            "sessions",
            &["expires_at"],
            false,
        )
        .await?;

        // One row per failed login (S3): the throttle counts the rows of a key in its window.
        create_table(
            manager,
            Table::create()
                .table(name("login_failures"))
                .col(id_pk(name("id")))
                // `login:<folded login ID>` or `address:<client address>`.
                .col(text(name("throttle_key"), 320))
                .col(instant(name("failed_at")))
                .to_owned(),
        )
        .await?;
        index_on(
            manager,
            "ix_login_failures_key_at",
            "login_failures",
            &["throttle_key", "failed_at"],
            false,
        )
        .await?;
        index_on(
            manager,
            "ix_login_failures_at",
            "login_failures",
            &["failed_at"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["login_failures", "sessions"]).await
    }
}
