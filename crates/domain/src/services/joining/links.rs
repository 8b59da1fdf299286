//! Where the links in mails point (A8: every base URL is configurable, so a host front end can
//! serve the pages instead of Roster's own), and the mails the joining flows send.

use super::JoiningError;
use crate::registration::{MailKind, OutgoingMail, PlainToken, ThrottlePolicy, TokenLifetimes};
use crate::user::{DisplayName, Email, LoginId};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The bases of the links Roster hands out. A link is `{base}/{token}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicLinks {
    /// The site's name, the `site_name` variable of every mail.
    pub site_name: String,
    /// U5: where an invitation link opens (`/invite/{token}`).
    pub invitation: String,
    /// A2: where an activation link opens (`/activate/{token}`).
    pub activation: String,
    /// U10: where a reset link opens (`/reset/{token}`).
    pub password_reset: String,
    /// A5: where a registration URL opens (`/register/{registration_token}`).
    pub registration: String,
    /// A4: where an approved applicant logs in (`login_url`).
    pub login: String,
}

impl PublicLinks {
    /// Roster's own pages under `public_url` (`ROSTER_PUBLIC_URL`); change any field to send
    /// people to the host's pages instead.
    pub fn under(public_url: &str, site_name: &str) -> Self {
        let base = public_url.trim().trim_end_matches('/');
        Self {
            site_name: site_name.to_owned(),
            invitation: format!("{base}/invite"),
            activation: format!("{base}/activate"),
            password_reset: format!("{base}/reset"),
            registration: format!("{base}/register"),
            login: format!("{base}/"),
        }
    }

    /// `{base}/{token}`; tokens are base64url, so they need no escaping.
    pub(super) fn link(base: &str, token: &str) -> String {
        format!("{}/{token}", base.trim_end_matches('/'))
    }
}

/// The configuration of the joining flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoiningConfig {
    /// Link bases and the site name.
    pub links: PublicLinks,
    /// How long mailed links live (U5: 7 days, U10: 30 minutes by default).
    pub lifetimes: TokenLifetimes,
    /// S3, A6: failed applications allowed per client address (a wrong, expired or used-up
    /// code, a taken login ID) — the login per-address policy by default.
    pub per_address: ThrottlePolicy,
}

impl JoiningConfig {
    /// Roster's own pages under `public_url`, default lifetimes and throttle.
    pub fn new(public_url: &str, site_name: &str) -> Self {
        Self {
            links: PublicLinks::under(public_url, site_name),
            lifetimes: TokenLifetimes::default(),
            per_address: ThrottlePolicy::per_address(),
        }
    }
}

/// Who a mail is about.
pub(super) struct Recipient<'a> {
    pub email: &'a Email,
    pub name: &'a DisplayName,
    pub login_id: &'a LoginId,
}

/// How `expires_at` reads in a mail.
fn format_instant(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

impl JoiningConfig {
    /// A mail of `kind` to `to` with the common variables and `extra` ones.
    fn mail(
        &self,
        kind: MailKind,
        to: &Recipient<'_>,
        extra: &[(&str, String)],
    ) -> Result<OutgoingMail, JoiningError> {
        let mut variables = BTreeMap::from([
            ("site_name".to_owned(), self.links.site_name.clone()),
            ("name".to_owned(), to.name.as_str().to_owned()),
            ("login_id".to_owned(), to.login_id.as_str().to_owned()),
        ]);
        for (name, value) in extra {
            variables.insert((*name).to_owned(), value.clone());
        }
        Ok(OutgoingMail::new(to.email.clone(), kind, variables)?)
    }

    /// A mail carrying a single-use link (invitation, activation, reset).
    pub(super) fn link_mail(
        &self,
        kind: MailKind,
        to: &Recipient<'_>,
        link: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<OutgoingMail, JoiningError> {
        let extra = [
            ("link", link.to_owned()),
            ("expires_at", format_instant(expires_at)),
        ];
        self.mail(kind, to, &extra)
    }

    /// A4: the approval notice, with where to log in.
    pub(super) fn approved_mail(&self, to: &Recipient<'_>) -> Result<OutgoingMail, JoiningError> {
        let extra = [("login_url", self.links.login.clone())];
        self.mail(MailKind::ApplicationApproved, to, &extra)
    }

    /// A4: the non-approval notice.
    pub(super) fn not_approved_mail(
        &self,
        to: &Recipient<'_>,
    ) -> Result<OutgoingMail, JoiningError> {
        self.mail(MailKind::ApplicationNotApproved, to, &[])
    }

    /// U5: the invitation link for a secret.
    pub(super) fn invitation_link(&self, token: &PlainToken) -> String {
        PublicLinks::link(&self.links.invitation, token.expose())
    }

    /// A2: the activation link for a secret.
    pub(super) fn activation_link(&self, token: &PlainToken) -> String {
        PublicLinks::link(&self.links.activation, token.expose())
    }

    /// U10: the reset link for a secret.
    pub(super) fn reset_link(&self, token: &PlainToken) -> String {
        PublicLinks::link(&self.links.password_reset, token.expose())
    }

    /// A5: the public address of a registration URL.
    pub(super) fn registration_link(&self, token: &str) -> String {
        PublicLinks::link(&self.links.registration, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a8_links_follow_the_configured_bases() {
        let mut config = JoiningConfig::new(" https://lms.example.com/ ", "Example LMS");
        let token = PlainToken::new("abcDEF_-123".into());
        assert_eq!(
            config.invitation_link(&token),
            "https://lms.example.com/invite/abcDEF_-123"
        );
        assert_eq!(
            config.reset_link(&token),
            "https://lms.example.com/reset/abcDEF_-123"
        );
        assert_eq!(config.links.login, "https://lms.example.com/");
        config.links.activation = "https://app.example.com/join/confirm/".into();
        assert_eq!(
            config.activation_link(&token),
            "https://app.example.com/join/confirm/abcDEF_-123"
        );
        assert_eq!(
            config.registration_link("TOKEN"),
            "https://lms.example.com/register/TOKEN"
        );
    }

    #[test]
    fn m2_link_mail_carries_the_kinds_variables() {
        let config = JoiningConfig::new("https://lms.example.com", "Example LMS");
        let (email, name, login_id) = (
            Email::parse("a@example.com").unwrap(),
            DisplayName::parse("A").unwrap(),
            LoginId::parse("a1").unwrap(),
        );
        let to = Recipient {
            email: &email,
            name: &name,
            login_id: &login_id,
        };
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let mail = config
            .link_mail(MailKind::PasswordReset, &to, "https://x/reset/t", at)
            .unwrap();
        let vars = mail.variables();
        assert_eq!(vars["expires_at"], "1970-01-01 00:00 UTC");
        assert_eq!(vars["site_name"], "Example LMS");
        assert_eq!(vars["login_id"], "a1");
        let approved = config.approved_mail(&to).unwrap();
        assert_eq!(
            approved.variables()["login_url"],
            "https://lms.example.com/"
        );
        assert_eq!(config.not_approved_mail(&to).unwrap().variables().len(), 3);
    }
}
