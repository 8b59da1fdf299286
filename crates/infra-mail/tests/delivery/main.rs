//! The mail adapter against real things (M1, M4): an SMTP server process (aiosmtpd), the
//! outbox folder, and the durable queue in SQLite (and PostgreSQL when
//! `ROSTER_TEST_POSTGRES_URL` is set) drained by the domain's `MailDispatcher`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod queue;
mod transports;
