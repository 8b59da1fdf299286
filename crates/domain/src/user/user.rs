//! The user account (U1) as the domain sees it. The password hash is not here: it lives
//! behind the credentials port and is never returned or exported.

use super::{DisplayName, Email, LoginId, UserStatus};
use crate::ids::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Values of the custom profile fields (U8), by field key. Checked against the field
/// definitions by `user::fields`.
pub type Attributes = BTreeMap<String, String>;

/// A user account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Its id (UUIDv7).
    pub id: UserId,
    /// Unique, case-insensitive.
    pub login_id: LoginId,
    /// Display name.
    pub name: DisplayName,
    /// Optional email.
    pub email: Option<Email>,
    /// Whether a password (or an imported legacy hash) is set.
    pub has_password: bool,
    /// valid / invalid / pending.
    pub status: UserStatus,
    /// After this instant the user cannot log in (U6).
    pub expires_at: Option<DateTime<Utc>>,
    /// Custom profile fields (U8).
    pub attributes: Attributes,
    /// The one owner account (U3).
    pub is_owner: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// U6: expired once `now` has reached the expiry instant.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// U2: only valid, unexpired users with a password may log in (and keep a session).
    pub fn can_log_in(&self, now: DateTime<Utc>) -> bool {
        self.status == UserStatus::Valid && self.has_password && !self.is_expired(now)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A valid user with a password, no expiry, created at the epoch.
    pub fn user(login: &str) -> User {
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        User {
            id: UserId::new(),
            login_id: LoginId::parse(login).unwrap(),
            name: DisplayName::parse(login).unwrap(),
            email: None,
            has_password: true,
            status: UserStatus::Valid,
            expires_at: None,
            attributes: Attributes::new(),
            is_owner: false,
            created_at: epoch,
            updated_at: epoch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::user;
    use super::*;
    use chrono::Duration;

    #[test]
    fn u2_only_valid_unexpired_with_password_log_in() {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(10);
        let mut u = user("alice");
        assert!(u.can_log_in(now));
        u.status = UserStatus::Invalid;
        assert!(!u.can_log_in(now));
        u.status = UserStatus::Pending;
        assert!(!u.can_log_in(now));
        u.status = UserStatus::Valid;
        u.has_password = false;
        assert!(!u.can_log_in(now));
    }

    #[test]
    fn u6_expiry_is_inclusive_of_the_instant() {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(10);
        let mut u = user("bob");
        u.expires_at = Some(now);
        assert!(u.is_expired(now) && !u.can_log_in(now));
        u.expires_at = Some(now + Duration::seconds(1));
        assert!(u.can_log_in(now));
    }
}
