//! The audit port (Z1): every change an administrator makes — and every refusal — is recorded
//! with who, what, target, when and outcome.

use super::{Page, PageRequest, StoreError};
use crate::error::ErrorCode;
use crate::ids::{AuditId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

macro_rules! words {
    ($(#[$doc:meta])* $name:ident, $error:ident { $($(#[$vdoc:meta])* $variant:ident => $word:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The wire and storage word.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            /// Parses a wire word exactly.
            pub fn parse(raw: &str) -> Result<Self, $error> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == raw)
                    .ok_or_else(|| $error(raw.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// An unknown audit word (action or target kind).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown audit word {0:?}")]
pub struct AuditWordError(pub String);

impl ErrorCode for AuditWordError {
    fn code(&self) -> &'static str {
        "unknown_audit_word"
    }
}

words!(
    /// What an administrator did (Z1).
    AuditAction, AuditWordError {
        /// Registered a user (U4).
        UserCreate => "user.create",
        /// Edited a user's profile fields.
        UserUpdate => "user.update",
        /// Enabled or disabled a user (U2).
        UserStatus => "user.status",
        /// Set or cleared a user's expiry (U6).
        UserExpiry => "user.expiry",
        /// Set a user's password.
        UserPassword => "user.password",
        /// Deleted a user (U7).
        UserDelete => "user.delete",
        /// Invited or re-invited a user (U5).
        UserInvite => "user.invite",
        /// Created a group.
        GroupCreate => "group.create",
        /// Edited a group.
        GroupUpdate => "group.update",
        /// Deleted a group (G5).
        GroupDelete => "group.delete",
        /// Added a parent edge (G3).
        GroupParentAdd => "group.parent_add",
        /// Removed a parent edge.
        GroupParentRemove => "group.parent_remove",
        /// Added a member (G2).
        GroupMemberAdd => "group.member_add",
        /// Removed a member.
        GroupMemberRemove => "group.member_remove",
        /// Granted a privilege (P2).
        GrantCreate => "grant.create",
        /// Revoked a grant.
        GrantDelete => "grant.delete",
        /// Ran a CSV import (C).
        ImportRun => "import.run",
        /// Integrated two accounts (I1).
        IntegrationCreate => "integration.create",
        /// Cancelled an integration (I6).
        IntegrationCancel => "integration.cancel",
        /// Changed registration, notification or other settings (A1, M3).
        SettingsUpdate => "settings.update",
        /// Created a custom profile field (U8).
        UserFieldCreate => "user_field.create",
        /// Changed a custom profile field.
        UserFieldUpdate => "user_field.update",
        /// Deleted a custom profile field.
        UserFieldDelete => "user_field.delete",
        /// Edited an email template (M2).
        TemplateUpdate => "template.update",
        /// Created a registration URL (A5).
        RegistrationUrlCreate => "registration_url.create",
        /// Edited a registration URL.
        RegistrationUrlUpdate => "registration_url.update",
        /// Stopped a registration URL.
        RegistrationUrlStop => "registration_url.stop",
        /// Approved an application (A4).
        ApplicationApprove => "application.approve",
        /// Did not approve an application.
        ApplicationReject => "application.reject",
    }
);

words!(
    /// What kind of thing an audited action touched.
    AuditTargetKind, AuditWordError {
        /// A user.
        User => "user",
        /// A group.
        Group => "group",
        /// A grant.
        Grant => "grant",
        /// A CSV import job.
        Import => "import",
        /// An integration.
        Integration => "integration",
        /// Settings (no id).
        Settings => "settings",
        /// A custom profile field (id = its key).
        UserField => "user_field",
        /// An email template (id = its kind).
        Template => "template",
        /// A registration URL.
        RegistrationUrl => "registration_url",
        /// An application.
        Application => "application",
    }
);

/// What an audited action touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditTarget {
    /// Its kind.
    pub kind: AuditTargetKind,
    /// Its id, when it has one (a refused creation or settings have none).
    pub id: Option<String>,
}

impl AuditTarget {
    /// A target of this kind with this id.
    pub fn new(kind: AuditTargetKind, id: impl fmt::Display) -> Self {
        Self {
            kind,
            id: Some(id.to_string()),
        }
    }

    /// A target with no id.
    pub fn kind_only(kind: AuditTargetKind) -> Self {
        Self { kind, id: None }
    }
}

/// How an audited action ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum AuditOutcome {
    /// It happened.
    Success,
    /// It was refused or failed, with the error's stable code.
    Refused {
        /// The error code (`forbidden`, `integration_active`…).
        code: String,
    },
}

impl AuditOutcome {
    /// The outcome of a result: success, or refused with the error's code.
    pub fn of<T, E: ErrorCode>(result: &Result<T, E>) -> Self {
        match result {
            Ok(_) => Self::Success,
            Err(e) => Self::Refused {
                code: e.code().to_owned(),
            },
        }
    }
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its id (UUIDv7: time-ordered).
    pub id: AuditId,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: UserId,
    /// What.
    pub action: AuditAction,
    /// On what.
    pub target: AuditTarget,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// Further facts (`login_id`, `fields`, `privilege`…); never secrets.
    pub details: BTreeMap<String, String>,
}

/// Narrows an audit list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor's entries.
    pub actor: Option<UserId>,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only this kind of target.
    pub target_kind: Option<AuditTargetKind>,
    /// Only this target id.
    pub target_id: Option<String>,
    /// Only refusals (`Some(false)`) or only successes (`Some(true)`).
    pub success: Option<bool>,
    /// From this instant, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant, exclusive.
    pub to: Option<DateTime<Utc>>,
}

/// Appends to and reads the audit log.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends an entry; entries are never changed or deleted by Roster.
    /// Errors: `Unexpected` only.
    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError>;

    /// One page of entries matching `filter`, newest first. Errors: `Unexpected` only.
    async fn list(
        &self,
        filter: AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z1_action_words_round_trip_and_serde_agrees() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()).unwrap(), *a);
            assert_eq!(
                serde_json::to_string(a).unwrap(),
                format!("\"{}\"", a.as_str())
            );
        }
        for k in AuditTargetKind::ALL {
            assert_eq!(AuditTargetKind::parse(k.as_str()).unwrap(), *k);
        }
        assert_eq!(AuditAction::GroupParentAdd.as_str(), "group.parent_add");
        assert!(AuditAction::parse("user.explode").is_err());
    }

    #[test]
    fn z1_outcome_carries_the_error_code() {
        let refused: Result<(), crate::authz::Denied> = Err(crate::authz::Denied::Forbidden);
        assert_eq!(
            AuditOutcome::of(&refused),
            AuditOutcome::Refused {
                code: "forbidden".into()
            }
        );
        assert_eq!(
            AuditOutcome::of(&Ok::<(), crate::authz::Denied>(())),
            AuditOutcome::Success
        );
        assert_eq!(
            serde_json::to_value(AuditOutcome::Refused { code: "x".into() }).unwrap(),
            serde_json::json!({"result": "refused", "code": "x"})
        );
    }
}
