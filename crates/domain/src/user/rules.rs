//! Pure rules about users: the owner's invariants (U3), status changes (U2, U5, U6, I7) and
//! what a user may change about itself (P3). Services call these after authorization and
//! before any write; they read nothing and write nothing.

use super::{User, UserStatus};
use crate::error::ErrorCode;
use crate::ids::UserId;
use chrono::{DateTime, Utc};
use std::fmt;

mod status;

pub use status::{StatusEvent, StatusFacts, initial_status, next_status};

/// A rule about users was broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserRuleError {
    /// U3: only the owner edits the owner.
    #[error("the owner account can only be changed by the owner")]
    OwnerProtected,
    /// U3: the owner is always valid.
    #[error("the owner account cannot be disabled")]
    OwnerCannotBeDisabled,
    /// U3: the owner never expires.
    #[error("the owner account cannot have an expiry date")]
    OwnerCannotExpire,
    /// U3: the owner is never deleted.
    #[error("the owner account cannot be deleted")]
    OwnerCannotBeDeleted,
    /// U3: the owner is never integrated, as source or target.
    #[error("the owner account cannot be integrated")]
    OwnerCannotBeIntegrated,
    /// U3: there is exactly one owner.
    #[error("an owner account exists already")]
    OwnerExists,
    /// I7: the source of a live integration stays invalid.
    #[error("the user is the source of an integration: cancel the integration first")]
    IntegrationActive,
    /// U2: `valid` needs a password; set one or send an invitation.
    #[error("the user has no password: set one or send an invitation")]
    PasswordRequired,
    /// U2: `pending` means invited and waiting for a password, so a user with one is not.
    #[error("a user with a password cannot be pending")]
    PendingWithPassword,
    /// U2: this status change is not possible.
    #[error("the status cannot change from {from} to {to}")]
    InvalidStatusTransition {
        /// The current status.
        from: UserStatus,
        /// The status asked for.
        to: UserStatus,
    },
    /// P3: nobody changes their own status, expiry, groups or grants, deletes themselves, or
    /// sets their own password as an administrator (U10).
    #[error("you cannot change your own {0}")]
    SelfChangeForbidden(UserAspect),
}

impl ErrorCode for UserRuleError {
    fn code(&self) -> &'static str {
        match self {
            Self::OwnerProtected => "owner_protected",
            Self::OwnerCannotBeDisabled => "owner_cannot_be_disabled",
            Self::OwnerCannotExpire => "owner_cannot_expire",
            Self::OwnerCannotBeDeleted => "owner_cannot_be_deleted",
            Self::OwnerCannotBeIntegrated => "owner_cannot_be_integrated",
            Self::OwnerExists => "owner_exists",
            Self::IntegrationActive => "integration_active",
            Self::PasswordRequired => "password_required",
            Self::PendingWithPassword => "pending_with_password",
            Self::InvalidStatusTransition { .. } => "invalid_status_transition",
            Self::SelfChangeForbidden(_) => "self_change_forbidden",
        }
    }
}

/// What about a user a change touches (P3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserAspect {
    /// Display name.
    Name,
    /// Email.
    Email,
    /// Password.
    Password,
    /// Custom fields (U8).
    Attributes,
    /// Status.
    Status,
    /// Expiry date.
    Expiry,
    /// Group memberships.
    Groups,
    /// Grants held.
    Grants,
    /// The account itself (deletion).
    Account,
    /// The password set as an administrator, without proving the current one (U10: one's
    /// own goes through the self-service change, which proves it).
    AdminPassword,
}

impl UserAspect {
    /// The word used in messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Password => "password",
            Self::Attributes => "attributes",
            Self::Status => "status",
            Self::Expiry => "expiry date",
            Self::Groups => "groups",
            Self::Grants => "grants",
            Self::Account => "account",
            Self::AdminPassword => "password without giving the current one",
        }
    }

    /// P3: whether a user may change this about itself. Name, email and password, yes
    /// (attributes only with `users.edit` over itself, which the service checks); status,
    /// expiry, groups and grants never — nor deleting itself, which would be the same lock-out.
    pub const fn self_service(self) -> bool {
        match self {
            Self::Name | Self::Email | Self::Password | Self::Attributes => true,
            Self::Status
            | Self::Expiry
            | Self::Groups
            | Self::Grants
            | Self::Account
            | Self::AdminPassword => false,
        }
    }
}

impl fmt::Display for UserAspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// P3: refuses a change of `aspect` when the actor changes itself and may not.
pub fn check_self_change(
    actor: UserId,
    target: UserId,
    aspect: UserAspect,
) -> Result<(), UserRuleError> {
    if actor == target && !aspect.self_service() {
        return Err(UserRuleError::SelfChangeForbidden(aspect));
    }
    Ok(())
}

/// U3: only the owner edits the owner.
pub fn check_owner_edit(actor: UserId, target: &User) -> Result<(), UserRuleError> {
    if target.is_owner && actor != target.id {
        return Err(UserRuleError::OwnerProtected);
    }
    Ok(())
}

/// U3: the owner never gets an expiry date (clearing one is fine).
pub fn check_expiry(target: &User, expires_at: Option<DateTime<Utc>>) -> Result<(), UserRuleError> {
    if target.is_owner && expires_at.is_some() {
        return Err(UserRuleError::OwnerCannotExpire);
    }
    Ok(())
}

/// U3: the owner is never deleted.
pub fn check_delete(target: &User) -> Result<(), UserRuleError> {
    if target.is_owner {
        return Err(UserRuleError::OwnerCannotBeDeleted);
    }
    Ok(())
}

/// U3: the owner is neither the source nor the target of an integration.
pub fn check_integrate(source: &User, target: &User) -> Result<(), UserRuleError> {
    if source.is_owner || target.is_owner {
        return Err(UserRuleError::OwnerCannotBeIntegrated);
    }
    Ok(())
}

/// U3, U9: an owner is created only when none exists.
pub fn check_new_owner(owner_exists: bool) -> Result<(), UserRuleError> {
    if owner_exists {
        return Err(UserRuleError::OwnerExists);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::user::fixtures::user;

    fn owner() -> User {
        let mut u = user("root");
        u.is_owner = true;
        u
    }

    #[test]
    fn u3_nobody_but_owner_edits_owner() {
        let o = owner();
        assert_eq!(
            check_owner_edit(UserId::new(), &o),
            Err(UserRuleError::OwnerProtected)
        );
        assert_eq!(check_owner_edit(o.id, &o), Ok(()));
        let plain = user("bob");
        assert_eq!(check_owner_edit(UserId::new(), &plain), Ok(()));
    }

    #[test]
    fn u3_owner_cannot_expire_be_deleted_or_integrated() {
        let o = owner();
        let now = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(
            check_expiry(&o, Some(now)),
            Err(UserRuleError::OwnerCannotExpire)
        );
        assert_eq!(check_expiry(&o, None), Ok(()));
        assert_eq!(check_expiry(&user("bob"), Some(now)), Ok(()));
        assert_eq!(check_delete(&o), Err(UserRuleError::OwnerCannotBeDeleted));
        assert_eq!(check_delete(&user("bob")), Ok(()));
        let b = user("bob");
        assert_eq!(
            check_integrate(&o, &b),
            Err(UserRuleError::OwnerCannotBeIntegrated)
        );
        assert_eq!(
            check_integrate(&b, &o),
            Err(UserRuleError::OwnerCannotBeIntegrated)
        );
        assert_eq!(check_integrate(&b, &user("carol")), Ok(()));
    }

    #[test]
    fn u3_exactly_one_owner() {
        assert_eq!(check_new_owner(true), Err(UserRuleError::OwnerExists));
        assert_eq!(check_new_owner(false), Ok(()));
    }

    #[test]
    fn p3_self_cannot_change_own_status_expiry_groups_grants_or_delete_self() {
        let me = UserId::new();
        for aspect in [
            UserAspect::Status,
            UserAspect::Expiry,
            UserAspect::Groups,
            UserAspect::Grants,
            UserAspect::Account,
        ] {
            let err = check_self_change(me, me, aspect).unwrap_err();
            assert_eq!(err.code(), "self_change_forbidden");
            assert_eq!(
                check_self_change(me, UserId::new(), aspect),
                Ok(()),
                "others: {aspect}"
            );
        }
    }

    #[test]
    fn p3_self_may_change_name_email_password() {
        let me = UserId::new();
        for aspect in [UserAspect::Name, UserAspect::Email, UserAspect::Password] {
            assert_eq!(check_self_change(me, me, aspect), Ok(()));
        }
    }
}
