//! Which pairs may be integrated (I1, I10) and when a source may be set valid again (I7).
//! The actor's scope (`users.edit` over both users) is checked by the service.

use crate::error::ErrorCode;
use crate::user::{User, UserStatus};
use serde::{Deserialize, Serialize};

/// What the integration store knows about the pair, read by `live_facts` (and settled again
/// by the store's conditional write, I10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationFacts {
    /// The source is already the source of a live integration.
    pub source_is_live_source: bool,
    /// The source is the target of a live integration (it holds someone's records).
    pub source_is_live_target: bool,
    /// The target is the source of a live integration.
    pub target_is_live_source: bool,
}

/// Why a pair cannot be integrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntegrationError {
    /// Source and target are one account.
    #[error("the source and the target are the same user")]
    SameUser,
    /// U3: the owner is never integrated, either way.
    #[error("the owner account cannot be integrated")]
    Owner,
    /// I1: only an invalid account can be the source.
    #[error("the source user must be invalid")]
    SourceNotInvalid,
    /// I1: only a valid account can be the target.
    #[error("the target user must be valid")]
    TargetNotValid,
    /// I10: the source's records already went to another account.
    #[error("the source user is already integrated into another user")]
    SourceAlreadyIntegrated,
    /// I10: the target is itself a live source (chains are refused).
    #[error("the target user is the source of a live integration")]
    TargetIsSource,
    /// I10: the source holds another account's records (chains are refused).
    #[error("the source user is the target of a live integration")]
    SourceIsTarget,
}

impl ErrorCode for IntegrationError {
    fn code(&self) -> &'static str {
        match self {
            Self::SameUser => "integration_same_user",
            Self::Owner => "integration_owner",
            Self::SourceNotInvalid => "integration_source_not_invalid",
            Self::TargetNotValid => "integration_target_not_valid",
            Self::SourceAlreadyIntegrated => "integration_source_already_integrated",
            Self::TargetIsSource => "integration_target_is_source",
            Self::SourceIsTarget => "integration_source_is_target",
        }
    }
}

/// I1, I10, U3: whether `source` may be integrated into `target`. The first failing rule is
/// reported, in the order of the variants.
pub fn check_integration(
    source: &User,
    target: &User,
    facts: &IntegrationFacts,
) -> Result<(), IntegrationError> {
    if source.id == target.id {
        return Err(IntegrationError::SameUser);
    }
    if source.is_owner || target.is_owner {
        return Err(IntegrationError::Owner);
    }
    if source.status != UserStatus::Invalid {
        return Err(IntegrationError::SourceNotInvalid);
    }
    if target.status != UserStatus::Valid {
        return Err(IntegrationError::TargetNotValid);
    }
    if facts.source_is_live_source {
        return Err(IntegrationError::SourceAlreadyIntegrated);
    }
    if facts.target_is_live_source {
        return Err(IntegrationError::TargetIsSource);
    }
    if facts.source_is_live_target {
        return Err(IntegrationError::SourceIsTarget);
    }
    Ok(())
}

/// I7: the source of a live integration cannot be set valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "this user is the source of a live integration: cancel the integration first to set the user valid"
)]
pub struct IntegrationActive;

impl ErrorCode for IntegrationActive {
    fn code(&self) -> &'static str {
        "integration_active"
    }
}

/// I7: call before setting a user `valid`; `live_as_source` says whether the user is the
/// source of a live integration. A frozen or cancelled integration does not block (I9: once
/// the target is deleted the history is gone and the user may be set valid).
pub fn check_source_reactivation(live_as_source: bool) -> Result<(), IntegrationActive> {
    if live_as_source {
        Err(IntegrationActive)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::user::fixtures::user;

    fn pair() -> (User, User) {
        let mut source = user("old-alice");
        source.status = UserStatus::Invalid;
        (source, user("alice"))
    }

    fn refused(source: &User, target: &User, facts: IntegrationFacts) -> &'static str {
        check_integration(source, target, &facts)
            .unwrap_err()
            .code()
    }

    #[test]
    fn i1_invalid_source_into_valid_target_is_allowed() {
        let (source, target) = pair();
        assert_eq!(
            check_integration(&source, &target, &IntegrationFacts::default()),
            Ok(())
        );
    }

    #[test]
    fn i1_same_user_is_refused() {
        let (source, _) = pair();
        let facts = IntegrationFacts::default();
        assert_eq!(refused(&source, &source, facts), "integration_same_user");
    }

    #[test]
    fn u3_owner_is_never_integrated() {
        let (mut source, mut target) = pair();
        target.is_owner = true;
        let facts = IntegrationFacts::default();
        assert_eq!(refused(&source, &target, facts), "integration_owner");
        target.is_owner = false;
        source.is_owner = true;
        assert_eq!(refused(&source, &target, facts), "integration_owner");
    }

    #[test]
    fn i1_source_must_be_invalid() {
        let (mut source, target) = pair();
        let facts = IntegrationFacts::default();
        for status in [UserStatus::Valid, UserStatus::Pending] {
            source.status = status;
            assert_eq!(
                refused(&source, &target, facts),
                "integration_source_not_invalid"
            );
        }
    }

    #[test]
    fn i1_target_must_be_valid() {
        let (source, mut target) = pair();
        let facts = IntegrationFacts::default();
        for status in [UserStatus::Invalid, UserStatus::Pending] {
            target.status = status;
            assert_eq!(
                refused(&source, &target, facts),
                "integration_target_not_valid"
            );
        }
    }

    #[test]
    fn i10_source_already_integrated_is_refused() {
        let (source, target) = pair();
        let facts = IntegrationFacts {
            source_is_live_source: true,
            ..IntegrationFacts::default()
        };
        assert_eq!(
            refused(&source, &target, facts),
            "integration_source_already_integrated"
        );
    }

    #[test]
    fn i10_chains_are_refused() {
        let (source, target) = pair();
        let target_is_source = IntegrationFacts {
            target_is_live_source: true,
            ..IntegrationFacts::default()
        };
        assert_eq!(
            refused(&source, &target, target_is_source),
            "integration_target_is_source"
        );
        let source_is_target = IntegrationFacts {
            source_is_live_target: true,
            ..IntegrationFacts::default()
        };
        assert_eq!(
            refused(&source, &target, source_is_target),
            "integration_source_is_target"
        );
    }

    #[test]
    fn i7_live_source_cannot_be_reactivated() {
        let err = check_source_reactivation(true).unwrap_err();
        assert_eq!(err.code(), "integration_active");
        assert!(err.to_string().contains("cancel the integration first"));
        assert_eq!(check_source_reactivation(false), Ok(()));
    }
}
