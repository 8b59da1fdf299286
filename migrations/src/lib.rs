//! Roster's schema: one migration per file, applied in order by [`Migrator`].
//!
//! Tables and columns are named here, never through the adapter's entities, so changing an
//! entity can never rewrite history. Conventions every migration follows (see
//! `docs/architecture.md`, "Storage"):
//! - ids are UUIDs (v7, so id order is creation order and keyset pages follow it);
//! - instants are `BIGINT` microseconds since the Unix epoch, UTC: one sortable form on
//!   SQLite, PostgreSQL and MariaDB, with no 2038 limit and no time-zone conversion;
//! - case-insensitive uniqueness is a unique index on a `…_key` column holding the folded
//!   form the domain computes, so every backend compares alike;
//! - structured values that are read and written whole (attributes) are JSON text; the
//!   integration plan, which can be megabytes, is compact binary.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_core;
mod m20261122_000002_access;
mod m20261122_000003_joining;
mod m20261122_000004_mail;
mod m20261122_000005_records;
mod m20261122_000006_operations;
mod m20261123_000007_integration_undo;

/// Applies Roster's migrations in order.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_core::Migration),
            Box::new(m20261122_000002_access::Migration),
            Box::new(m20261122_000003_joining::Migration),
            Box::new(m20261122_000004_mail::Migration),
            Box::new(m20261122_000005_records::Migration),
            Box::new(m20261122_000006_operations::Migration),
            Box::new(m20261123_000007_integration_undo::Migration),
        ]
    }
}
