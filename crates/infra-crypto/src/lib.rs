//! Roster's cryptography adapters: the argon2id password hasher on its own bounded pool of
//! worker threads (U1, S2, C9), verification of hashes imported from other systems (C8), and
//! the generator of bearer secrets (S1, U5, A2, U10).
//!
//! - [`Argon2Hasher`] implements `roster_domain::ports::password::PasswordHasher`;
//! - [`OsTokenGenerator`] implements `roster_domain::ports::tokens::TokenGenerator`;
//! - [`argon2_rate`] measures raw argon2 throughput, for benchmarks to compare against.

mod argon;
mod config;
mod hasher;
mod legacy;
mod memory;
mod pool;
mod rate;
mod tokens;
mod verify;

pub use config::{Argon2Params, HasherConfig};
pub use hasher::Argon2Hasher;
pub use rate::argon2_rate;
pub use tokens::OsTokenGenerator;
