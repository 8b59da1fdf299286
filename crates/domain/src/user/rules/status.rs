//! Status rules (U2, U3, U5, I7): the first status of a new user, and every status change as
//! a transition `(status, event)` with no wildcard.

use super::UserRuleError;
use crate::user::UserStatus;

/// U2, U4: the status of a newly registered user. Without a request it is `valid` with a
/// password and `pending` (to be invited) without; `valid` needs a password; `pending` has none.
pub fn initial_status(
    requested: Option<UserStatus>,
    has_password: bool,
) -> Result<UserStatus, UserRuleError> {
    match (requested, has_password) {
        (None, true) | (Some(UserStatus::Valid), true) => Ok(UserStatus::Valid),
        (None, false) | (Some(UserStatus::Pending), false) => Ok(UserStatus::Pending),
        (Some(UserStatus::Valid), false) => Err(UserRuleError::PasswordRequired),
        (Some(UserStatus::Pending), true) => Err(UserRuleError::PendingWithPassword),
        (Some(UserStatus::Invalid), _) => Ok(UserStatus::Invalid),
    }
}

/// What changes a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusEvent {
    /// An administrator sets this status (U4).
    AdminSets(UserStatus),
    /// A password was set: an invitation accepted, a reset, or an administrator (U2, U5).
    PasswordSet,
}

/// The facts a status change depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusFacts {
    /// U3.
    pub is_owner: bool,
    /// Whether the user has a password (before the event).
    pub has_password: bool,
    /// I7: whether the user is the source of a live integration.
    pub live_integration_source: bool,
}

/// U2, U3, U5, I7: the status after `event`, or why the change is refused.
pub fn next_status(
    current: UserStatus,
    event: StatusEvent,
    facts: StatusFacts,
) -> Result<UserStatus, UserRuleError> {
    use StatusEvent::{AdminSets, PasswordSet};
    use UserStatus::{Invalid, Pending, Valid};
    if facts.is_owner && matches!(event, AdminSets(Invalid | Pending)) {
        return Err(UserRuleError::OwnerCannotBeDisabled);
    }
    let becoming_valid = |from: UserStatus| {
        if facts.live_integration_source {
            Err(UserRuleError::IntegrationActive)
        } else if from != Valid && !facts.has_password && event != PasswordSet {
            Err(UserRuleError::PasswordRequired)
        } else {
            Ok(Valid)
        }
    };
    // I7: `pending` leads to `valid` through an invitation, so the source of a live
    // integration may not take that path either; it stays `invalid` until the cancel.
    let to_pending = |from: UserStatus| {
        if facts.live_integration_source {
            Err(UserRuleError::IntegrationActive)
        } else if facts.has_password {
            Err(UserRuleError::InvalidStatusTransition { from, to: Pending })
        } else {
            Ok(Pending)
        }
    };
    match (current, event) {
        (Valid, AdminSets(Valid)) => Ok(Valid),
        (Invalid, AdminSets(Valid)) => becoming_valid(Invalid),
        (Pending, AdminSets(Valid)) => becoming_valid(Pending),
        (Valid, AdminSets(Invalid)) => Ok(Invalid),
        (Invalid, AdminSets(Invalid)) => Ok(Invalid),
        (Pending, AdminSets(Invalid)) => Ok(Invalid),
        (Valid, AdminSets(Pending)) => to_pending(Valid),
        (Invalid, AdminSets(Pending)) => to_pending(Invalid),
        (Pending, AdminSets(Pending)) => Ok(Pending),
        (Pending, PasswordSet) => becoming_valid(Pending),
        (Valid, PasswordSet) => Ok(Valid),
        // A reset never re-enables an account an administrator disabled.
        (Invalid, PasswordSet) => Ok(Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use StatusEvent::{AdminSets, PasswordSet};
    use UserStatus::{Invalid, Pending, Valid};

    fn with_password() -> StatusFacts {
        StatusFacts {
            has_password: true,
            ..StatusFacts::default()
        }
    }

    #[test]
    fn u4_initial_status_follows_the_password() {
        assert_eq!(initial_status(None, true), Ok(Valid));
        assert_eq!(initial_status(None, false), Ok(Pending));
        assert_eq!(initial_status(Some(Valid), true), Ok(Valid));
        assert_eq!(
            initial_status(Some(Valid), false),
            Err(UserRuleError::PasswordRequired)
        );
        assert_eq!(initial_status(Some(Pending), false), Ok(Pending));
        assert_eq!(
            initial_status(Some(Pending), true),
            Err(UserRuleError::PendingWithPassword)
        );
        assert_eq!(initial_status(Some(Invalid), true), Ok(Invalid));
        assert_eq!(initial_status(Some(Invalid), false), Ok(Invalid));
    }

    #[test]
    fn u2_admin_enables_and_disables() {
        let f = with_password();
        assert_eq!(next_status(Valid, AdminSets(Invalid), f), Ok(Invalid));
        assert_eq!(next_status(Invalid, AdminSets(Valid), f), Ok(Valid));
        assert_eq!(next_status(Valid, AdminSets(Valid), f), Ok(Valid));
        assert_eq!(next_status(Invalid, AdminSets(Invalid), f), Ok(Invalid));
        assert_eq!(next_status(Pending, AdminSets(Invalid), f), Ok(Invalid));
    }

    #[test]
    fn u2_pending_becomes_valid_only_with_a_password() {
        let none = StatusFacts::default();
        assert_eq!(
            next_status(Pending, AdminSets(Valid), none),
            Err(UserRuleError::PasswordRequired)
        );
        assert_eq!(
            next_status(Invalid, AdminSets(Valid), none),
            Err(UserRuleError::PasswordRequired)
        );
        assert_eq!(next_status(Pending, PasswordSet, none), Ok(Valid));
        assert_eq!(
            next_status(Pending, AdminSets(Valid), with_password()),
            Ok(Valid)
        );
        assert_eq!(next_status(Pending, AdminSets(Pending), none), Ok(Pending));
    }

    #[test]
    fn u5_back_to_pending_only_without_a_password() {
        let none = StatusFacts::default();
        assert_eq!(next_status(Invalid, AdminSets(Pending), none), Ok(Pending));
        assert_eq!(next_status(Valid, AdminSets(Pending), none), Ok(Pending));
        assert_eq!(
            next_status(Valid, AdminSets(Pending), with_password()),
            Err(UserRuleError::InvalidStatusTransition {
                from: Valid,
                to: Pending
            })
        );
        assert_eq!(
            next_status(Invalid, AdminSets(Pending), with_password()),
            Err(UserRuleError::InvalidStatusTransition {
                from: Invalid,
                to: Pending
            })
        );
    }

    #[test]
    fn u10_password_set_never_reenables_a_disabled_user() {
        let f = with_password();
        assert_eq!(next_status(Invalid, PasswordSet, f), Ok(Invalid));
        assert_eq!(next_status(Valid, PasswordSet, f), Ok(Valid));
    }

    #[test]
    fn i7_reactivating_integrated_source_refused() {
        let f = StatusFacts {
            live_integration_source: true,
            ..with_password()
        };
        let err = next_status(Invalid, AdminSets(Valid), f).unwrap_err();
        assert_eq!(err, UserRuleError::IntegrationActive);
        assert_eq!(err.code(), "integration_active");
        assert!(err.to_string().contains("cancel the integration first"));
        assert_eq!(
            next_status(Invalid, AdminSets(Invalid), f),
            Ok(Invalid),
            "staying invalid is fine"
        );
    }

    #[test]
    fn i7_integrated_source_cannot_be_made_pending() {
        let f = StatusFacts {
            live_integration_source: true,
            ..StatusFacts::default()
        };
        for from in [Invalid, Valid] {
            assert_eq!(
                next_status(from, AdminSets(Pending), f),
                Err(UserRuleError::IntegrationActive),
                "from {from}"
            );
        }
        assert_eq!(
            next_status(Invalid, AdminSets(Pending), StatusFacts::default()),
            Ok(Pending),
            "without a live integration the same change is allowed"
        );
    }

    #[test]
    fn u3_owner_cannot_be_disabled_or_made_pending() {
        let facts = StatusFacts {
            is_owner: true,
            ..with_password()
        };
        for to in [Invalid, Pending] {
            assert_eq!(
                next_status(Valid, AdminSets(to), facts),
                Err(UserRuleError::OwnerCannotBeDisabled)
            );
        }
        assert_eq!(next_status(Valid, AdminSets(Valid), facts), Ok(Valid));
    }
}
