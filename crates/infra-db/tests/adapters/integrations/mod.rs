//! The integrations area: learning records (L1), the expiry purge (U6) and the integration
//! store (I5–I10) — apply and cancel atomic, races settled, round trips exact.

// Helpers outside `#[test]` functions unwrap too: a failed step is a failed test. (clippy's
// allow-*-in-tests covers only `#[test]` functions, not a test binary's helper modules.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod atomic;
mod fixtures;
mod flow;
mod list;
mod records;
mod roundtrip;
