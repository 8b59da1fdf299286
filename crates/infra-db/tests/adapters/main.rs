//! The adapter suite: every storage port against a real database. Each test runs on SQLite
//! in memory, and on PostgreSQL and MariaDB when `ROSTER_TEST_POSTGRES_URL` /
//! `ROSTER_TEST_MYSQL_URL` are set, each time in a fresh database (see `harness`).

// The helpers of this suite (harness, fixtures) sit outside `#[test]` functions, where the
// workspace's test-only allowances do not reach: a failed step there must fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod harness;

mod common;
mod groups;
mod imports;
mod integrations;
mod joining;
mod schema;
mod users;
