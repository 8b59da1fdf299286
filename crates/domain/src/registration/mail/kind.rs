//! The kinds of mail Roster sends (M2) and the variables each template may use.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A kind of mail, each with its own template and on/off switch (M2, M3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// U5: the link to set a first password.
    Invitation,
    /// A2: the link to activate an application.
    Activation,
    /// A4: the application was approved; the person can log in.
    ApplicationApproved,
    /// A4: the application was not approved.
    ApplicationNotApproved,
    /// U10: the link to set a new password.
    PasswordReset,
}

/// Variables every kind may use.
const COMMON: [&str; 3] = ["site_name", "name", "login_id"];

impl MailKind {
    /// Every kind, in a stable order.
    pub const ALL: [Self; 5] = [
        Self::Invitation,
        Self::Activation,
        Self::ApplicationApproved,
        Self::ApplicationNotApproved,
        Self::PasswordReset,
    ];

    /// The wire and storage word (`/email-templates/{kind}`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Activation => "activation",
            Self::ApplicationApproved => "application_approved",
            Self::ApplicationNotApproved => "application_not_approved",
            Self::PasswordReset => "password_reset",
        }
    }

    /// Parses the wire word.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }

    /// Variables this kind adds to the common ones (`site_name`, `name`, `login_id`).
    const fn own_variables(self) -> &'static [&'static str] {
        match self {
            Self::Invitation | Self::Activation | Self::PasswordReset => &["link", "expires_at"],
            Self::ApplicationApproved => &["login_url"],
            Self::ApplicationNotApproved => &[],
        }
    }

    /// Every variable a template of this kind may use; any other is refused at save time.
    pub fn variables(self) -> Vec<&'static str> {
        COMMON.iter().chain(self.own_variables()).copied().collect()
    }

    /// Whether a template of this kind may use `name`.
    pub fn allows_variable(self, name: &str) -> bool {
        COMMON.contains(&name) || self.own_variables().contains(&name)
    }

    /// Sample values of every variable, for previews (M2).
    pub fn sample_variables(self) -> BTreeMap<String, String> {
        self.variables()
            .into_iter()
            .map(|name| {
                let value = match name {
                    "site_name" => "Roster LMS",
                    "name" => "Hanako Sato",
                    "login_id" => "hanako",
                    "link" => "https://lms.example.com/activate/SAMPLE-TOKEN",
                    "expires_at" => "2026-01-08 09:00 UTC",
                    "login_url" => "https://lms.example.com/login",
                    _ => "sample",
                };
                (name.to_owned(), value.to_owned())
            })
            .collect()
    }
}

impl fmt::Display for MailKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m2_kinds_round_trip() {
        for k in MailKind::ALL {
            assert_eq!(MailKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
        }
        assert_eq!(MailKind::parse("welcome"), None);
    }

    #[test]
    fn m2_link_kinds_offer_link_and_expiry_only_there() {
        assert!(MailKind::Invitation.allows_variable("link"));
        assert!(MailKind::PasswordReset.allows_variable("expires_at"));
        assert!(!MailKind::ApplicationNotApproved.allows_variable("link"));
        assert!(MailKind::ApplicationApproved.allows_variable("login_url"));
        for k in MailKind::ALL {
            assert!(k.allows_variable("name") && k.allows_variable("site_name"));
            assert!(!k.allows_variable("password"));
            let samples = k.sample_variables();
            assert_eq!(
                samples.keys().map(String::as_str).collect::<Vec<_>>().len(),
                k.variables().len()
            );
            assert!(samples.keys().all(|v| k.allows_variable(v)));
        }
    }
}
