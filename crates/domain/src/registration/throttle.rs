//! Login throttling (S3): repeated failures lock a login ID, and separately a client address,
//! for a while (429 with Retry-After).
//!
//! Policy: failures are counted over a sliding window. From the `max_failures`-th failure on,
//! the key is locked for `lockout` after the last failure, doubling with every further
//! failure, up to `max_lockout` (default: 5 failures per login ID in an hour lock for 1, 2,
//! 4, 8, then 15 minutes). Escalating rather than fixed: a person who mistypes a few times
//! waits a minute, a guessing script soon waits the maximum; the cap bounds how long an
//! attacker can lock a real user out by failing on purpose. Attempts refused by the throttle
//! are not recorded (no password was checked), so hammering a locked key neither extends nor
//! shortens the lock. A successful login clears its login ID's failures, not its address's.
//! IPv6 clients are keyed by their /64, since one host commonly holds a whole /64.

use crate::error::ErrorCode;
use crate::user::LoginId;
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

/// When a throttled client may try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds for the `Retry-After` header, rounded up, at least 1.
    pub fn seconds(self) -> u64 {
        let millis = u64::try_from(self.0.num_milliseconds()).unwrap_or(0).max(1);
        millis.div_ceil(1000)
    }
}

/// The public answer to a throttled attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed attempts; try again in {} seconds", .0.seconds())]
pub struct Throttled(pub RetryAfter);

impl ErrorCode for Throttled {
    fn code(&self) -> &'static str {
        "too_many_attempts"
    }
}

/// What failures are counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ThrottleKey {
    /// A login ID, by its case-folded key (so `Alice` and `alice` share a counter).
    LoginId(String),
    /// A client address: IPv4 whole, IPv6 by its /64 prefix.
    Address(String),
}

impl ThrottleKey {
    /// The key of a login ID.
    pub fn login_id(login_id: &LoginId) -> Self {
        Self::LoginId(login_id.key().to_owned())
    }

    /// The key of a client address.
    pub fn address(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::Address(v4.to_string()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::Address(v4.to_string()),
                None => {
                    let s = v6.segments();
                    Self::Address(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
                }
            },
        }
    }

    /// One string for storage, prefixed so the two kinds never collide.
    pub fn storage_key(&self) -> String {
        match self {
            Self::LoginId(key) => format!("login:{key}"),
            Self::Address(addr) => format!("addr:{addr}"),
        }
    }
}

/// Failures allowed and the lock that follows, for one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures in the window before a lock.
    pub max_failures: u32,
    /// How far back failures count.
    pub window: Duration,
    /// The first lock.
    pub lockout: Duration,
    /// The longest lock.
    pub max_lockout: Duration,
}

impl ThrottlePolicy {
    /// 5 failures per login ID in an hour; locks of 1 minute doubling to 15.
    pub fn per_login_id() -> Self {
        Self {
            max_failures: 5,
            window: Duration::hours(1),
            lockout: Duration::minutes(1),
            max_lockout: Duration::minutes(15),
        }
    }

    /// 20 failures per address in an hour (a classroom shares one address behind NAT); locks
    /// of 1 minute doubling to 15.
    pub fn per_address() -> Self {
        Self {
            max_failures: 20,
            ..Self::per_login_id()
        }
    }

    /// Failures recorded at or after this instant count.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// The lock after `failures` failures (zero below the threshold).
    pub fn lock_for(&self, failures: u32) -> Duration {
        if failures < self.max_failures.max(1) {
            return Duration::zero();
        }
        let doublings = (failures - self.max_failures.max(1)).min(30);
        let factor = 1i32 << doublings;
        self.lockout
            .checked_mul(factor)
            .map_or(self.max_lockout, |lock| lock.min(self.max_lockout))
    }

    /// S3: whether a key with `failures_in_window` failures, the last at `last_failure_at`,
    /// may try at `now`.
    pub fn check(
        &self,
        failures_in_window: u32,
        last_failure_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), RetryAfter> {
        let lock = self.lock_for(failures_in_window);
        if lock <= Duration::zero() {
            return Ok(());
        }
        // Failures without a time would be a storage bug: lock rather than let them through.
        let until = last_failure_at.map_or(now + lock, |at| at + lock);
        if now < until {
            Err(RetryAfter(until - now))
        } else {
            Ok(())
        }
    }
}

/// Combines the checks of several keys (login ID and address): the longest wait wins.
pub fn combine(checks: impl IntoIterator<Item = Result<(), RetryAfter>>) -> Result<(), Throttled> {
    match checks.into_iter().filter_map(Result::err).max() {
        Some(wait) => Err(Throttled(wait)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn t0() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(3)
    }

    #[test]
    fn s3_below_threshold_passes() {
        let p = ThrottlePolicy::per_login_id();
        assert_eq!(p.check(4, Some(t0()), t0()), Ok(()));
    }

    #[test]
    fn s3_lock_escalates_and_caps() {
        let p = ThrottlePolicy::per_login_id();
        let minutes: Vec<_> = (5..=10).map(|n| p.lock_for(n).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 15, 15]);
        assert_eq!(p.lock_for(u32::MAX), Duration::minutes(15));
    }

    #[test]
    fn s3_locked_until_last_failure_plus_lock() {
        let p = ThrottlePolicy::per_login_id();
        let last = t0();
        assert_eq!(
            p.check(6, Some(last), t0() + Duration::seconds(30)),
            Err(RetryAfter(Duration::seconds(90)))
        );
        assert_eq!(p.check(6, Some(last), t0() + Duration::minutes(2)), Ok(()));
    }

    #[test]
    fn s3_missing_last_failure_locks() {
        let p = ThrottlePolicy::per_login_id();
        assert_eq!(
            p.check(5, None, t0()),
            Err(RetryAfter(Duration::minutes(1)))
        );
    }

    #[test]
    fn s3_retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(Duration::milliseconds(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::milliseconds(1001)).seconds(), 2);
        assert_eq!(RetryAfter(Duration::seconds(60)).seconds(), 60);
        assert_eq!(RetryAfter(Duration::zero()).seconds(), 1);
    }

    #[test]
    fn s3_longest_wait_of_login_and_address_wins() {
        let short = Err(RetryAfter(Duration::seconds(5)));
        let long = Err(RetryAfter(Duration::seconds(50)));
        assert_eq!(combine([Ok(()), Ok(())]), Ok(()));
        let err = combine([short, Ok(()), long]).unwrap_err();
        assert_eq!(err, Throttled(RetryAfter(Duration::seconds(50))));
        assert_eq!(err.code(), "too_many_attempts");
    }

    #[test]
    fn s3_keys_fold_case_and_group_ipv6_by_64() {
        let a = ThrottleKey::login_id(&LoginId::parse("Alice").unwrap());
        assert_eq!(a, ThrottleKey::login_id(&LoginId::parse("aLICE").unwrap()));
        assert_eq!(a.storage_key(), "login:alice");
        let v4 = ThrottleKey::address(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));
        assert_eq!(v4.storage_key(), "addr:192.0.2.7");
        let x: Ipv6Addr = "2001:db8:1:2::1".parse().unwrap();
        let y: Ipv6Addr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(
            ThrottleKey::address(IpAddr::V6(x)),
            ThrottleKey::address(IpAddr::V6(y))
        );
        assert_eq!(
            ThrottleKey::address(IpAddr::V6(x)).storage_key(),
            "addr:2001:db8:1:2::/64"
        );
        let mapped: Ipv6Addr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(ThrottleKey::address(IpAddr::V6(mapped)), v4);
    }

    proptest! {
        #[test]
        fn s3_lock_is_monotonic_and_bounded(n in 0u32..200) {
            let p = ThrottlePolicy::per_login_id();
            prop_assert!(p.lock_for(n) <= p.lock_for(n + 1));
            prop_assert!(p.lock_for(n) <= p.max_lockout);
            prop_assert_eq!(p.lock_for(n) > Duration::zero(), n >= p.max_failures);
        }

        #[test]
        fn s3_wait_never_exceeds_max_lockout(n in 0u32..100, since in 0i64..2_000) {
            let p = ThrottlePolicy::per_address();
            let now = t0() + Duration::seconds(since);
            if let Err(RetryAfter(wait)) = p.check(n, Some(t0()), now) {
                prop_assert!(wait > Duration::zero() && wait <= p.max_lockout);
            }
        }
    }
}
