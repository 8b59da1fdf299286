//! Roster's storage adapters: every storage port of the domain on sea-orm, one code path for
//! SQLite (the zero-set-up default), PostgreSQL and MySQL/MariaDB.
//!
//! [`Store`] is the one adapter a host or the binary builds: it implements every storage
//! port. Entities stay private to this crate; rows become domain types through `TryFrom` at
//! the seam, and database errors become the ports' errors there (a unique violation becomes
//! `…Taken`).

mod convert;
mod error;
mod integration_links;
mod page;
mod store;

pub use store::{ConnectError, Store};
mod integrations;
mod records;
