//! A mail to send (M1, M4): recipient, kind and variable values. The mail adapter renders it
//! with the kind's current template when it sends, so a queued mail survives a template
//! edit and a failed send can be retried as it was.

use super::kind::MailKind;
use super::template::TemplateError;
use crate::user::Email;
use std::collections::BTreeMap;
use std::fmt;

/// Variables whose values are live secrets (a link carries a token): kept out of Debug.
const SECRET_VARIABLES: [&str; 1] = ["link"];

/// A mail waiting to be sent.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    to: Email,
    kind: MailKind,
    variables: BTreeMap<String, String>,
}

impl OutgoingMail {
    /// Refuses variables the kind's templates cannot use, so a mail never carries a value no
    /// template could show (or one a later template could show by accident).
    pub fn new(
        to: Email,
        kind: MailKind,
        variables: BTreeMap<String, String>,
    ) -> Result<Self, TemplateError> {
        if let Some(unknown) = variables.keys().find(|name| !kind.allows_variable(name)) {
            return Err(TemplateError::UnknownVariable(unknown.clone()));
        }
        Ok(Self {
            to,
            kind,
            variables,
        })
    }

    /// The recipient.
    pub fn to(&self) -> &Email {
        &self.to
    }
    /// The kind (which template).
    pub fn kind(&self) -> MailKind {
        self.kind
    }
    /// The values to render with.
    pub fn variables(&self) -> &BTreeMap<String, String> {
        &self.variables
    }
}

impl fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: BTreeMap<&str, &str> = self
            .variables
            .iter()
            .map(|(k, v)| {
                let v = if SECRET_VARIABLES.contains(&k.as_str()) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("OutgoingMail")
            .field("to", &self.to)
            .field("kind", &self.kind)
            .field("variables", &shown)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn m1_mail_carries_only_its_kinds_variables() {
        let to = Email::parse("a@example.com").unwrap();
        let ok = OutgoingMail::new(
            to.clone(),
            MailKind::Invitation,
            vars(&[("name", "A"), ("link", "https://x/t")]),
        )
        .unwrap();
        assert_eq!(ok.variables().get("name").map(String::as_str), Some("A"));
        assert_eq!(
            OutgoingMail::new(to, MailKind::ApplicationNotApproved, vars(&[("link", "x")])),
            Err(TemplateError::UnknownVariable("link".into()))
        );
    }

    #[test]
    fn u5_link_token_kept_out_of_debug() {
        let mail = OutgoingMail::new(
            Email::parse("a@example.com").unwrap(),
            MailKind::PasswordReset,
            vars(&[("link", "https://x/reset/SECRETTOKEN"), ("name", "A")]),
        )
        .unwrap();
        let shown = format!("{mail:?}");
        assert!(!shown.contains("SECRETTOKEN") && shown.contains("<redacted>"));
    }
}
