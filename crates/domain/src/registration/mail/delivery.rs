//! Delivery rules of the mail queue (M4): the statuses a queued mail passes through, and
//! when a failed send is tried again or given up.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a queued mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its first or next attempt (a failed attempt keeps it here with
    /// `last_error` and a later `next_attempt_at`).
    Queued,
    /// Handed to the mail server or written to the outbox.
    Sent,
    /// Given up: refused for good by the server, or out of attempts. Kept for
    /// administrators to see (M4).
    Failed,
}

impl MailStatus {
    /// Every status, in a stable order.
    pub const ALL: [Self; 3] = [Self::Queued, Self::Sent, Self::Failed];

    /// The wire and storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    /// Parses the word exactly.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl fmt::Display for MailStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// M4: how failed sends are retried — exponential back-off from `first_delay`, doubled per
/// failed attempt up to `max_delay`, and given up after `max_attempts` attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before giving up (at least 1).
    pub max_attempts: u32,
    /// The wait after the first failure.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 15 attempts, 1 minute doubling to at most 6 hours: a mail server down for about a
    /// day and a half loses nothing.
    fn default() -> Self {
        Self {
            max_attempts: 15,
            first_delay: Duration::minutes(1),
            max_delay: Duration::hours(6),
        }
    }
}

impl RetryPolicy {
    /// After attempt number `attempt` (1 for the first) failed at `now`: when to try again,
    /// or `None` to give up.
    pub fn next_attempt(&self, attempt: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempt >= self.max_attempts.max(1) {
            return None;
        }
        let first = self.first_delay.max(Duration::seconds(1));
        let max = self.max_delay.max(first);
        // 2^(attempt-1) times the first delay; the shift is capped so it cannot overflow.
        let factor = 1_i32 << attempt.saturating_sub(1).min(20);
        let delay = first.checked_mul(factor).unwrap_or(max).min(max);
        Some(now + delay)
    }
}

/// Longest `last_error` kept: enough to diagnose, bounded so a chatty server cannot bloat
/// the queue.
pub const LAST_ERROR_MAX_CHARS: usize = 500;

/// A send error made fit for `last_error`: one line, bounded.
pub fn last_error_text(message: &str) -> String {
    message
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(LAST_ERROR_MAX_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m4_statuses_round_trip() {
        for s in MailStatus::ALL {
            assert_eq!(MailStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(MailStatus::parse("Sent"), None);
    }

    #[test]
    fn m4_back_off_doubles_up_to_the_cap_then_gives_up() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let p = RetryPolicy {
            max_attempts: 5,
            first_delay: Duration::minutes(1),
            max_delay: Duration::minutes(5),
        };
        let waits: Vec<_> = (1..=4)
            .map(|n| p.next_attempt(n, now).map(|t| (t - now).num_minutes()))
            .collect();
        assert_eq!(waits, vec![Some(1), Some(2), Some(4), Some(5)]);
        assert_eq!(p.next_attempt(5, now), None);
        assert_eq!(p.next_attempt(50, now), None);
    }

    #[test]
    fn m4_default_policy_retries_for_more_than_a_day() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let p = RetryPolicy::default();
        let mut at = now;
        for attempt in 1..p.max_attempts {
            at = p.next_attempt(attempt, at).unwrap();
        }
        assert!(at - now > Duration::hours(36), "{}", at - now);
        assert_eq!(p.next_attempt(p.max_attempts, at), None);
    }

    #[test]
    fn m4_last_error_is_one_bounded_line() {
        let text = last_error_text("550 no\r\nsuch user\n");
        assert_eq!(text, "550 no such user");
        assert_eq!(
            last_error_text(&"x".repeat(2_000)).len(),
            LAST_ERROR_MAX_CHARS
        );
    }
}
