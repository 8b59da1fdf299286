//! The user stores (U1–U10, G2, I7–I9): `UserRepository` and `CredentialStore` for [`Store`].
//!
//! [`Store`]: crate::Store

pub(crate) mod create;
mod credential_row;
mod credentials;
mod delete;
mod list;
pub(crate) mod membership_row;
mod repository;
pub(crate) mod row;
mod update;
