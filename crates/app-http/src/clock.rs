//! The system clock: the one place the service reads the time (the domain never does).

use chrono::{DateTime, Utc};
use roster_domain::clock::Clock;

/// `Utc::now()`, behind the domain's `Clock` port.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
