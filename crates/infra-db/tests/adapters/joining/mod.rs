//! Joining storage (A1–A7, M2–M4, O5): registration settings and URLs, applications, the
//! mail queue, templates, notification switches and job claims.

// Helpers outside `#[test]` functions are not covered by clippy.toml's allow-…-in-tests,
// and these are test code: a failed unwrap is the assertion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod applications;
mod decisions;
mod fixtures;
mod jobs;
mod listing;
mod mail;
mod outbox;
mod settings;
mod submissions;
mod urls;
