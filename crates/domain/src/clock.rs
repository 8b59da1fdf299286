//! The clock port: the domain never reads the system time itself, so every expiry rule can be
//! tested at any instant.

use chrono::{DateTime, Utc};

/// Tells the current time.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait Clock: Send + Sync {
    /// Now, in UTC. Infallible.
    fn now(&self) -> DateTime<Utc>;
}

/// A clock fixed at one instant, for tests and replays.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
