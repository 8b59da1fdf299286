//! The user area's ports on every backend: users and credentials (U1–U10, G2, I7–I9),
//! sessions and the login throttle (S1, S3), single-use links (U5, A2, U10).

// Tests: a failed unwrap is a failed assertion (clippy.toml allows it only inside #[test]
// functions, and these run through `on_every_backend!`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod create;
mod credentials;
mod delete;
mod fixtures;
mod list;
mod sessions;
mod throttle;
mod tokens;
mod update;
