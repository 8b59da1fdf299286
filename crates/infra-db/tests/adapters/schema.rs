//! The migrations themselves: they apply on every backend and every table is there.

use roster_infra_db::Store;
use sea_orm::{ConnectionTrait, Statement};

const TABLES: &[&str] = &[
    "users",
    "user_credentials",
    "groups",
    "group_parents",
    "memberships",
    "grants",
    "grant_scope_groups",
    "integrations",
    "sessions",
    "login_failures",
    "registration_urls",
    "registration_codes",
    "applications",
    "application_groups",
    "one_time_tokens",
    "settings",
    "mail_queue",
    "email_templates",
    "scores",
    "badge_awards",
    "certificates",
    "access_log",
    "grade_purges",
    "audit_entries",
    "user_fields",
    "import_jobs",
    "job_claims",
    "record_versions",
    "integration_plan_blobs",
];

async fn migrations_create_every_table(store: Store) {
    let db = store.connection();
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) AS n FROM {}", quoted(&store, table));
        let row = db
            .query_one_raw(Statement::from_string(store.backend(), sql))
            .await
            .unwrap_or_else(|e| panic!("table {table} is missing: {e}"))
            .unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert_eq!(n, 0, "{table} starts empty");
    }
    // Migrating again is a no-op.
    store.migrate().await.unwrap();
}

fn quoted(store: &Store, table: &str) -> String {
    match store.backend() {
        sea_orm::DbBackend::MySql => format!("`{table}`"),
        _ => format!("\"{table}\""),
    }
}

on_every_backend!(migrations_create_every_table);
