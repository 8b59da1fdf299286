//! The application state machine (A2–A4): `not_activated → unapproved → approved /
//! not_approved`, or `not_activated → approved` at once with automatic approval.
//!
//! Decisions: an administrator decides only activated (`unapproved`) applications — before
//! activation nobody has shown they own the email address, and a "not approved" mail would
//! go to a stranger; unactivated applications are left to the purge (A7). A decision is
//! final: reversing it would mean creating or deleting a user behind the applicant's back;
//! the applicant may apply again once an application is `not_approved` (it no longer holds
//! the login ID, A6).

use super::ApplicationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an application stands (A4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Applied; the email link has not been followed yet. No login (A2).
    NotActivated,
    /// Activated; waiting for an administrator (A3).
    Unapproved,
    /// Approved (by an administrator or automatically): the user exists.
    Approved,
    /// Not approved by an administrator.
    NotApproved,
}

impl ApplicationStatus {
    /// Every status, in a stable order.
    pub const ALL: [Self; 4] = [
        Self::NotActivated,
        Self::Unapproved,
        Self::Approved,
        Self::NotApproved,
    ];

    /// The wire and storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NotActivated => "not_activated",
            Self::Unapproved => "unapproved",
            Self::Approved => "approved",
            Self::NotApproved => "not_approved",
        }
    }

    /// Parses the wire word (for list filters).
    pub fn parse(raw: &str) -> Option<Self> {
        let word = raw.trim().to_lowercase();
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// Open applications hold their login ID (A6): nobody else may apply for it meanwhile.
    pub const fn is_open(self) -> bool {
        match self {
            Self::NotActivated | Self::Unapproved => true,
            Self::Approved | Self::NotApproved => false,
        }
    }

    /// Applies an event, or says why it cannot happen.
    pub fn apply(self, event: ApplicationEvent) -> Result<Transition, ApplicationError> {
        use ApplicationEvent::{Activate, Approve, Reject};
        use ApplicationStatus::{Approved, NotActivated, NotApproved, Unapproved};
        let to = |to: ApplicationStatus| Transition {
            from: self,
            to,
            create_user: to == Approved,
        };
        match (self, event) {
            (NotActivated, Activate { auto_approve: true }) => Ok(to(Approved)),
            (
                NotActivated,
                Activate {
                    auto_approve: false,
                },
            ) => Ok(to(Unapproved)),
            (NotActivated, Approve | Reject) => Err(ApplicationError::NotActivated),
            (Unapproved, Approve) => Ok(to(Approved)),
            (Unapproved, Reject) => Ok(to(NotApproved)),
            (Unapproved | Approved | NotApproved, Activate { .. }) => {
                Err(ApplicationError::AlreadyActivated)
            }
            (Approved | NotApproved, Approve | Reject) => Err(ApplicationError::AlreadyDecided),
        }
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What can happen to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationEvent {
    /// The applicant followed the activation link (A2); `auto_approve` is the A1 setting.
    Activate {
        /// Whether activation approves at once (A3).
        auto_approve: bool,
    },
    /// An administrator approves (A4).
    Approve,
    /// An administrator does not approve (A4).
    Reject,
}

/// The outcome of a legal event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The status the change expects to find (storage updates only if it still holds).
    pub from: ApplicationStatus,
    /// The new status.
    pub to: ApplicationStatus,
    /// Whether the user must be created now, `valid`, from the application.
    pub create_user: bool,
}

#[cfg(test)]
mod tests {
    use super::ApplicationEvent::*;
    use super::ApplicationStatus::*;
    use super::*;
    use crate::error::ErrorCode;

    fn ok(from: ApplicationStatus, event: ApplicationEvent) -> Transition {
        from.apply(event).unwrap()
    }

    fn err(from: ApplicationStatus, event: ApplicationEvent) -> &'static str {
        from.apply(event).unwrap_err().code()
    }

    #[test]
    fn a3_activation_with_auto_approval_creates_the_user() {
        assert_eq!(
            ok(NotActivated, Activate { auto_approve: true }),
            Transition {
                from: NotActivated,
                to: Approved,
                create_user: true
            }
        );
    }

    #[test]
    fn a3_activation_without_auto_approval_waits_unapproved() {
        assert_eq!(
            ok(
                NotActivated,
                Activate {
                    auto_approve: false
                }
            ),
            Transition {
                from: NotActivated,
                to: Unapproved,
                create_user: false
            }
        );
    }

    #[test]
    fn a4_approving_unapproved_creates_the_user() {
        let t = ok(Unapproved, Approve);
        assert_eq!((t.from, t.to, t.create_user), (Unapproved, Approved, true));
    }

    #[test]
    fn a4_rejecting_unapproved_creates_nobody() {
        let t = ok(Unapproved, Reject);
        assert_eq!(
            (t.from, t.to, t.create_user),
            (Unapproved, NotApproved, false)
        );
    }

    #[test]
    fn a4_not_activated_cannot_be_decided() {
        assert_eq!(err(NotActivated, Approve), "application_not_activated");
        assert_eq!(err(NotActivated, Reject), "application_not_activated");
    }

    #[test]
    fn a2_activating_twice_is_refused() {
        for from in [Unapproved, Approved, NotApproved] {
            for auto_approve in [true, false] {
                assert_eq!(
                    err(from, Activate { auto_approve }),
                    "application_already_activated"
                );
            }
        }
    }

    #[test]
    fn a4_decisions_are_final() {
        assert_eq!(err(Approved, Approve), "application_already_decided");
        assert_eq!(err(Approved, Reject), "application_already_decided");
        assert_eq!(err(NotApproved, Approve), "application_already_decided");
        assert_eq!(err(NotApproved, Reject), "application_already_decided");
    }

    #[test]
    fn a6_only_not_activated_and_unapproved_are_open() {
        let open: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, [NotActivated, Unapproved]);
    }

    #[test]
    fn a4_status_words_round_trip() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
        assert_eq!(ApplicationStatus::parse("pending"), None);
    }
}
