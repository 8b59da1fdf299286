//! In-process API tests: the real routes over real adapters (SQLite in memory, the argon2
//! hasher with weak test parameters, the OS token generator), driven by poem's TestClient.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod applications;
mod audit;
mod browser;
mod e2e;
mod e2e_jobs;
mod e2e_mail;
mod expiry;
mod exports;
mod grants;
mod groups;
mod harness;
mod imports;
mod integrations;
mod invitations;
mod joining;
mod limits;
mod mail_admin;
mod mail_links;
mod matrix_groups;
mod matrix_users;
mod me;
mod ops;
mod pages;
mod problems;
mod registration;
mod session;
mod statements;
mod throttling;
mod users;
mod webdriver;
mod world;
