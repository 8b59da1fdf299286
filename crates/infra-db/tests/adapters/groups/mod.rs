//! The group, grant, audit and custom-field stores (G1–G5, P2, Z1, U8), with the fixtures
//! they share.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit;
mod fields;
mod fixtures;
mod grants;
mod graph;
mod links;
mod records;
mod removal;
