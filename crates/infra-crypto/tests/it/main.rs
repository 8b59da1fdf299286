//! The infra-crypto adapters through their public API: argon2id hashing, legacy verification,
//! the pool's limits, and tokens. One binary (links are slow on two cores).

// Helpers outside `#[test]` functions unwrap too, where the workspace's test-only allowances
// do not reach: a failed step there must fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod argon2;
mod legacy;
mod pool;
mod support;
mod tokens;
