//! The privileges of P1, each granted on its own.

use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One privilege. `users.edit` implies `users.view`; no other privilege implies another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Privilege {
    /// See users, groups and the integration list.
    #[serde(rename = "users.view")]
    UsersView,
    /// Register, invite, edit, disable, delete users; groups; CSV; integrate and cancel.
    #[serde(rename = "users.edit")]
    UsersEdit,
    /// Create and edit teaching materials (checked by the host LMS).
    #[serde(rename = "materials.manage")]
    MaterialsManage,
    /// Assign material folders to users or groups (checked by the host LMS).
    #[serde(rename = "materials.assign")]
    MaterialsAssign,
    /// See other users' scores.
    #[serde(rename = "grades.view")]
    GradesView,
    /// Grant and revoke privileges.
    #[serde(rename = "admin.authorization")]
    AdminAuthorization,
    /// Manage which notifications are sent.
    #[serde(rename = "admin.notifications")]
    AdminNotifications,
    /// Edit email templates.
    #[serde(rename = "admin.email_templates")]
    AdminEmailTemplates,
    /// Registration settings, registration URLs, user information fields; read the audit.
    #[serde(rename = "admin.settings")]
    AdminSettings,
}

/// An unknown privilege name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown privilege {0:?}")]
pub struct PrivilegeError(pub String);

impl ErrorCode for PrivilegeError {
    fn code(&self) -> &'static str {
        "unknown_privilege"
    }
}

impl Privilege {
    /// Every privilege, in a stable order.
    pub const ALL: [Self; 9] = [
        Self::UsersView,
        Self::UsersEdit,
        Self::MaterialsManage,
        Self::MaterialsAssign,
        Self::GradesView,
        Self::AdminAuthorization,
        Self::AdminNotifications,
        Self::AdminEmailTemplates,
        Self::AdminSettings,
    ];

    /// The wire and storage name (`users.view`…).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UsersView => "users.view",
            Self::UsersEdit => "users.edit",
            Self::MaterialsManage => "materials.manage",
            Self::MaterialsAssign => "materials.assign",
            Self::GradesView => "grades.view",
            Self::AdminAuthorization => "admin.authorization",
            Self::AdminNotifications => "admin.notifications",
            Self::AdminEmailTemplates => "admin.email_templates",
            Self::AdminSettings => "admin.settings",
        }
    }

    /// Parses a wire name exactly (names are lower case).
    pub fn parse(raw: &str) -> Result<Self, PrivilegeError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw.trim())
            .ok_or_else(|| PrivilegeError(raw.to_owned()))
    }

    /// Whether holding `self` also gives `needed` (P1: editing implies viewing).
    pub fn implies(self, needed: Self) -> bool {
        self == needed || (self == Self::UsersEdit && needed == Self::UsersView)
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p1_names_round_trip_and_serde_agrees() {
        for p in Privilege::ALL {
            assert_eq!(Privilege::parse(p.as_str()).unwrap(), p);
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
        assert!(Privilege::parse("users.delete").is_err());
    }

    #[test]
    fn p1_only_edit_implies_view() {
        for held in Privilege::ALL {
            for needed in Privilege::ALL {
                let expected = held == needed
                    || (held == Privilege::UsersEdit && needed == Privilege::UsersView);
                assert_eq!(held.implies(needed), expected, "{held} -> {needed}");
            }
        }
    }
}
