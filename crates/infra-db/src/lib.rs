//! Roster's storage adapters: every storage port of the domain on sea-orm, one code path for
//! SQLite (the zero-set-up default), PostgreSQL and MySQL/MariaDB.
//!
//! [`Store`] is the one adapter a host or the binary builds: it implements every storage
//! port. Entities stay private to this crate; rows become domain types through `TryFrom` at
//! the seam, and database errors become the ports' errors there (a unique violation becomes
//! `…Taken`).

mod audit;
mod convert;
mod error;
mod fields;
mod grants;
mod groups;
mod imports;
mod integration_links;
mod integrations;
mod jobs;
mod mail;
mod page;
mod records;
mod registration;
mod sessions;
mod store;
mod tokens;
mod tx;
mod users;

pub use store::{ConnectError, Store};
