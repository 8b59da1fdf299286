//! The adapter suite: every storage port against a real database. Each test runs on SQLite
//! in memory, and on PostgreSQL and MariaDB when `ROSTER_TEST_POSTGRES_URL` /
//! `ROSTER_TEST_MYSQL_URL` are set, each time in a fresh database (see `harness`).

#[macro_use]
mod harness;

mod integrations;
mod schema;
