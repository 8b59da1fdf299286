//! Which notifications are sent (M3): one switch per kind of mail, on by default.
//!
//! Turning off a kind that carries a link (invitation, activation, password reset) means
//! the host delivers those links itself; the flows still issue the tokens.

use super::kind::MailKind;
use serde::{Deserialize, Serialize};

fn on() -> bool {
    true
}

/// The switches, one field per kind so a new kind cannot be forgotten here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// U5 invitations.
    #[serde(default = "on")]
    pub invitation: bool,
    /// A2 activation links.
    #[serde(default = "on")]
    pub activation: bool,
    /// A4 approval notices.
    #[serde(default = "on")]
    pub application_approved: bool,
    /// A4 non-approval notices.
    #[serde(default = "on")]
    pub application_not_approved: bool,
    /// U10 reset links.
    #[serde(default = "on")]
    pub password_reset: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self {
            invitation: true,
            activation: true,
            application_approved: true,
            application_not_approved: true,
            password_reset: true,
        }
    }
}

impl NotificationSettings {
    /// Whether mail of this kind is sent.
    pub fn is_enabled(&self, kind: MailKind) -> bool {
        *self.switch(kind)
    }

    /// Turns a kind on or off.
    pub fn set(&mut self, kind: MailKind, enabled: bool) {
        *self.switch_mut(kind) = enabled;
    }

    /// A4: whether to send an approval or non-approval notice: the administrator ticked
    /// "notify" and the kind is on.
    pub fn should_notify(&self, kind: MailKind, requested: bool) -> bool {
        requested && self.is_enabled(kind)
    }

    fn switch(&self, kind: MailKind) -> &bool {
        match kind {
            MailKind::Invitation => &self.invitation,
            MailKind::Activation => &self.activation,
            MailKind::ApplicationApproved => &self.application_approved,
            MailKind::ApplicationNotApproved => &self.application_not_approved,
            MailKind::PasswordReset => &self.password_reset,
        }
    }

    fn switch_mut(&mut self, kind: MailKind) -> &mut bool {
        match kind {
            MailKind::Invitation => &mut self.invitation,
            MailKind::Activation => &mut self.activation,
            MailKind::ApplicationApproved => &mut self.application_approved,
            MailKind::ApplicationNotApproved => &mut self.application_not_approved,
            MailKind::PasswordReset => &mut self.password_reset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m3_every_kind_on_by_default_and_switchable_alone() {
        let mut s = NotificationSettings::default();
        assert!(MailKind::ALL.iter().all(|k| s.is_enabled(*k)));
        s.set(MailKind::ApplicationNotApproved, false);
        for k in MailKind::ALL {
            assert_eq!(s.is_enabled(k), k != MailKind::ApplicationNotApproved);
        }
        assert!(!s.should_notify(MailKind::ApplicationNotApproved, true));
        assert!(s.should_notify(MailKind::ApplicationApproved, true));
        assert!(!s.should_notify(MailKind::ApplicationApproved, false));
    }

    #[test]
    fn m3_missing_switches_deserialize_as_on() {
        let s: NotificationSettings =
            serde_json::from_value(serde_json::json!({"password_reset": false})).unwrap();
        assert!(!s.password_reset && s.invitation && s.activation);
    }
}
