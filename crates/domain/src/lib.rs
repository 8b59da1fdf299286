//! Roster's domain: the rules of user management — users, groups, privileges and scope,
//! joining, CSV rows, integration — as pure code behind port traits. No IO lives here.

pub mod authz;
pub mod clock;
pub mod csv;
pub mod error;
pub mod group;
pub mod ids;
pub mod integration;
pub mod ports;
pub mod registration;
pub mod services;
mod text;
pub mod user;

pub use error::{ErrorCode, FieldError, Unexpected};
