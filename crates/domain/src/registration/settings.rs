//! Registration settings (A1) and the lifetimes of one-time links (U5, A2, U10).

use super::token::TokenPurpose;
use crate::error::ErrorCode;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Days after which a `not_activated` application is deleted (A7): 1–365, so a setting of 0
/// (which would delete applications before anyone could activate them) cannot exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct PurgeAfterDays(u16);

/// A purge period outside 1–365 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the number of days must be between 1 and 365, not {0}")]
pub struct PurgeAfterDaysError(pub u16);

impl ErrorCode for PurgeAfterDaysError {
    fn code(&self) -> &'static str {
        "purge_days_out_of_range"
    }
}

impl PurgeAfterDays {
    /// Fewest days.
    pub const MIN: u16 = 1;
    /// Most days.
    pub const MAX: u16 = 365;

    /// Checks `1..=365`.
    pub fn new(days: u16) -> Result<Self, PurgeAfterDaysError> {
        if (Self::MIN..=Self::MAX).contains(&days) {
            Ok(Self(days))
        } else {
            Err(PurgeAfterDaysError(days))
        }
    }

    /// The number of days.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The period as a duration.
    pub fn as_duration(self) -> Duration {
        Duration::days(i64::from(self.0))
    }
}

impl TryFrom<u16> for PurgeAfterDays {
    type Error = PurgeAfterDaysError;
    fn try_from(days: u16) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<PurgeAfterDays> for u16 {
    fn from(days: PurgeAfterDays) -> Self {
        days.0
    }
}

/// The administrator's registration settings (A1). The default is closed: nobody can apply
/// until an administrator turns self-registration on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RegistrationSettings {
    /// Whether people may apply at all, through `/register` or a registration URL (A5 URLs
    /// are a way into self-registration, not a separate switch).
    pub self_registration: bool,
    /// Whether activation creates the user at once (A3) instead of waiting for approval.
    pub auto_approve: bool,
    /// Delete `not_activated` applications after this many days (A7); `None` keeps them.
    pub purge_not_activated_after: Option<PurgeAfterDays>,
}

/// Lifetimes of the single-use links mailed to people. Activation and invitation default to
/// 7 days (U5), password reset to 30 minutes (U10: a reset link is a live credential, so it
/// lives only as long as someone needs to open a mail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetimes {
    activation: Duration,
    invitation: Duration,
    password_reset: Duration,
}

/// A token lifetime that is not positive or longer than a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {purpose} link must live between one minute and 365 days")]
pub struct TokenLifetimeError {
    /// Which lifetime was refused.
    pub purpose: TokenPurpose,
}

impl ErrorCode for TokenLifetimeError {
    fn code(&self) -> &'static str {
        "token_lifetime_out_of_range"
    }
}

impl Default for TokenLifetimes {
    fn default() -> Self {
        Self {
            activation: Duration::days(7),
            invitation: Duration::days(7),
            password_reset: Duration::minutes(30),
        }
    }
}

impl TokenLifetimes {
    /// Checks each lifetime lies in one minute to 365 days.
    pub fn new(
        activation: Duration,
        invitation: Duration,
        password_reset: Duration,
    ) -> Result<Self, TokenLifetimeError> {
        for (purpose, lifetime) in [
            (TokenPurpose::Activation, activation),
            (TokenPurpose::Invitation, invitation),
            (TokenPurpose::PasswordReset, password_reset),
        ] {
            if lifetime < Duration::minutes(1) || lifetime > Duration::days(365) {
                return Err(TokenLifetimeError { purpose });
            }
        }
        Ok(Self {
            activation,
            invitation,
            password_reset,
        })
    }

    /// The lifetime of a link of this purpose.
    pub fn of(&self, purpose: TokenPurpose) -> Duration {
        match purpose {
            TokenPurpose::Activation => self.activation,
            TokenPurpose::Invitation => self.invitation,
            TokenPurpose::PasswordReset => self.password_reset,
        }
    }

    /// When a link of this purpose issued at `now` stops working.
    pub fn expires_at(&self, purpose: TokenPurpose, now: DateTime<Utc>) -> DateTime<Utc> {
        now + self.of(purpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a1_purge_days_bounds() {
        assert_eq!(PurgeAfterDays::new(0), Err(PurgeAfterDaysError(0)));
        assert_eq!(PurgeAfterDays::new(1).unwrap().get(), 1);
        assert_eq!(PurgeAfterDays::new(365).unwrap().get(), 365);
        assert_eq!(PurgeAfterDays::new(366), Err(PurgeAfterDaysError(366)));
        assert_eq!(
            PurgeAfterDays::new(3).unwrap().as_duration(),
            Duration::days(3)
        );
    }

    #[test]
    fn a1_settings_default_closed_and_wire_shape() {
        let s = RegistrationSettings::default();
        assert!(!s.self_registration && !s.auto_approve);
        assert_eq!(s.purge_not_activated_after, None);
        let json = serde_json::json!({
            "self_registration": true, "auto_approve": false, "purge_not_activated_after": 30
        });
        let parsed: RegistrationSettings = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(
            parsed.purge_not_activated_after.map(PurgeAfterDays::get),
            Some(30)
        );
        assert_eq!(serde_json::to_value(parsed).unwrap(), json);
    }

    #[test]
    fn a1_settings_refuse_out_of_range_days_when_deserialized() {
        for days in [0, 366, 1000] {
            let json = serde_json::json!({
                "self_registration": true, "auto_approve": true, "purge_not_activated_after": days
            });
            assert!(serde_json::from_value::<RegistrationSettings>(json).is_err());
        }
    }

    #[test]
    fn u5_u10_default_token_lifetimes() {
        let l = TokenLifetimes::default();
        assert_eq!(l.of(TokenPurpose::Invitation), Duration::days(7));
        assert_eq!(l.of(TokenPurpose::Activation), Duration::days(7));
        assert_eq!(l.of(TokenPurpose::PasswordReset), Duration::minutes(30));
        let now = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(
            l.expires_at(TokenPurpose::PasswordReset, now),
            now + Duration::minutes(30)
        );
    }

    #[test]
    fn u5_token_lifetimes_are_bounded() {
        let ok = Duration::days(1);
        assert_eq!(
            TokenLifetimes::new(Duration::zero(), ok, ok),
            Err(TokenLifetimeError {
                purpose: TokenPurpose::Activation
            })
        );
        assert_eq!(
            TokenLifetimes::new(ok, ok, Duration::days(366)),
            Err(TokenLifetimeError {
                purpose: TokenPurpose::PasswordReset
            })
        );
        let l = TokenLifetimes::new(ok, Duration::days(3), Duration::minutes(5)).unwrap();
        assert_eq!(l.of(TokenPurpose::Invitation), Duration::days(3));
    }

    proptest! {
        #[test]
        fn a1_purge_days_accepts_exactly_1_to_365(days in any::<u16>()) {
            let parsed = PurgeAfterDays::new(days);
            prop_assert_eq!(parsed.is_ok(), (1..=365).contains(&days));
            if let Ok(d) = parsed {
                prop_assert_eq!(d.get(), days);
                let round: PurgeAfterDays = serde_json::from_value(serde_json::to_value(d).unwrap()).unwrap();
                prop_assert_eq!(round, d);
            }
        }
    }
}
