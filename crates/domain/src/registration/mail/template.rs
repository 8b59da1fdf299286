//! Email templates (M2): a subject and a body per kind, edited by administrators. The
//! template language (`{{ name }}` substitutions) is rendered by the mail adapter, in a
//! sandbox: templates are data, nothing in them reaches the server. What the domain checks
//! is the shape — a one-line subject (a line break there would inject mail headers), bounded
//! sizes — and that only the kind's variables are used.

use super::kind::MailKind;
use crate::error::ErrorCode;
use serde::Serialize;

/// Longest subject, in characters.
pub const SUBJECT_MAX_CHARS: usize = 255;
/// Longest body, in characters.
pub const BODY_MAX_CHARS: usize = 65_536;

/// Why a template was refused at save time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Blank subject.
    #[error("the subject is empty")]
    SubjectEmpty,
    /// Subject over 255 characters.
    #[error("the subject is longer than {SUBJECT_MAX_CHARS} characters")]
    SubjectTooLong,
    /// A line break or other control character in the subject.
    #[error("the subject must be one line without control characters")]
    SubjectControlCharacter,
    /// Blank body.
    #[error("the body is empty")]
    BodyEmpty,
    /// Body over 65,536 characters.
    #[error("the body is longer than {BODY_MAX_CHARS} characters")]
    BodyTooLong,
    /// A control character other than line breaks and tabs in the body.
    #[error("the body contains a control character")]
    BodyControlCharacter,
    /// A variable this kind does not offer.
    #[error("unknown variable {0:?}")]
    UnknownVariable(String),
    /// The renderer could not parse the template (reported by the mail adapter).
    #[error("the template does not render: {0}")]
    Syntax(String),
}

impl ErrorCode for TemplateError {
    fn code(&self) -> &'static str {
        match self {
            Self::SubjectEmpty => "template_subject_empty",
            Self::SubjectTooLong => "template_subject_too_long",
            Self::SubjectControlCharacter => "template_subject_control_character",
            Self::BodyEmpty => "template_body_empty",
            Self::BodyTooLong => "template_body_too_long",
            Self::BodyControlCharacter => "template_body_control_character",
            Self::UnknownVariable(_) => "template_unknown_variable",
            Self::Syntax(_) => "template_syntax",
        }
    }
}

/// A template for one kind of mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailTemplate {
    kind: MailKind,
    subject: String,
    body: String,
}

impl EmailTemplate {
    /// Checks the subject and body shapes. Variables are checked with `check_variables`
    /// once the renderer has listed the names a template uses.
    pub fn new(kind: MailKind, subject: &str, body: &str) -> Result<Self, TemplateError> {
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(TemplateError::SubjectEmpty);
        }
        if subject.chars().count() > SUBJECT_MAX_CHARS {
            return Err(TemplateError::SubjectTooLong);
        }
        if subject.chars().any(char::is_control) {
            return Err(TemplateError::SubjectControlCharacter);
        }
        if body.trim().is_empty() {
            return Err(TemplateError::BodyEmpty);
        }
        if body.chars().count() > BODY_MAX_CHARS {
            return Err(TemplateError::BodyTooLong);
        }
        if body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(TemplateError::BodyControlCharacter);
        }
        Ok(Self {
            kind,
            subject: subject.to_owned(),
            body: body.to_owned(),
        })
    }

    /// The built-in template of a kind, used until an administrator saves another.
    pub fn default_for(kind: MailKind) -> Self {
        let (subject, body) = default_text(kind);
        Self {
            kind,
            subject: subject.to_owned(),
            body: body.to_owned(),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> MailKind {
        self.kind
    }
    /// The subject template.
    pub fn subject(&self) -> &str {
        &self.subject
    }
    /// The body template.
    pub fn body(&self) -> &str {
        &self.body
    }
}

/// M2: refuses a template using a variable its kind does not offer; `used` are the names
/// the renderer found in subject and body.
pub fn check_variables<'a>(
    kind: MailKind,
    used: impl IntoIterator<Item = &'a str>,
) -> Result<(), TemplateError> {
    match used.into_iter().find(|name| !kind.allows_variable(name)) {
        Some(unknown) => Err(TemplateError::UnknownVariable(unknown.to_owned())),
        None => Ok(()),
    }
}

fn default_text(kind: MailKind) -> (&'static str, &'static str) {
    match kind {
        MailKind::Invitation => (
            "[{{ site_name }}] You are invited",
            "Hello {{ name }},\n\nAn account with the login ID {{ login_id }} has been created for you.\nSet your password here before {{ expires_at }}:\n\n{{ link }}\n",
        ),
        MailKind::Activation => (
            "[{{ site_name }}] Confirm your application",
            "Hello {{ name }},\n\nThank you for applying with the login ID {{ login_id }}.\nConfirm your email address before {{ expires_at }}:\n\n{{ link }}\n\nIf you did not apply, ignore this mail.\n",
        ),
        MailKind::ApplicationApproved => (
            "[{{ site_name }}] Your application was approved",
            "Hello {{ name }},\n\nYour application has been approved. Log in with the login ID {{ login_id }}:\n\n{{ login_url }}\n",
        ),
        MailKind::ApplicationNotApproved => (
            "[{{ site_name }}] Your application",
            "Hello {{ name }},\n\nWe are sorry: your application for the login ID {{ login_id }} was not approved.\n",
        ),
        MailKind::PasswordReset => (
            "[{{ site_name }}] Reset your password",
            "Hello {{ name }},\n\nSomeone asked to reset the password of {{ login_id }}.\nSet a new password before {{ expires_at }}:\n\n{{ link }}\n\nIf it was not you, ignore this mail; your password stays unchanged.\n",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m2_subject_must_be_one_bounded_line() {
        let body = "Hello {{ name }}";
        assert_eq!(
            EmailTemplate::new(MailKind::Invitation, "  ", body),
            Err(TemplateError::SubjectEmpty)
        );
        assert_eq!(
            EmailTemplate::new(MailKind::Invitation, "Hi\r\nBcc: x@example.com", body),
            Err(TemplateError::SubjectControlCharacter)
        );
        assert_eq!(
            EmailTemplate::new(MailKind::Invitation, &"s".repeat(256), body),
            Err(TemplateError::SubjectTooLong)
        );
        let t = EmailTemplate::new(MailKind::Invitation, " Welcome ", body).unwrap();
        assert_eq!(
            (t.kind(), t.subject(), t.body()),
            (MailKind::Invitation, "Welcome", body)
        );
    }

    #[test]
    fn m2_body_bounds() {
        assert_eq!(
            EmailTemplate::new(MailKind::Activation, "s", "\n\n"),
            Err(TemplateError::BodyEmpty)
        );
        assert_eq!(
            EmailTemplate::new(MailKind::Activation, "s", "a\u{0}b")
                .unwrap_err()
                .code(),
            "template_body_control_character"
        );
        assert!(EmailTemplate::new(MailKind::Activation, "s", "line\r\n\tindented").is_ok());
        assert_eq!(
            EmailTemplate::new(MailKind::Activation, "s", &"b".repeat(BODY_MAX_CHARS + 1)),
            Err(TemplateError::BodyTooLong)
        );
    }

    #[test]
    fn m2_unknown_variable_refused() {
        assert_eq!(
            check_variables(MailKind::Activation, ["name", "link"]),
            Ok(())
        );
        let err = check_variables(MailKind::ApplicationNotApproved, ["name", "link"]).unwrap_err();
        assert_eq!(err, TemplateError::UnknownVariable("link".into()));
        assert_eq!(err.code(), "template_unknown_variable");
    }

    #[test]
    fn m2_defaults_are_valid_and_use_only_their_variables() {
        for kind in MailKind::ALL {
            let d = EmailTemplate::default_for(kind);
            let checked = EmailTemplate::new(kind, d.subject(), d.body()).unwrap();
            assert_eq!(checked, d);
            let used = placeholders(d.subject()).chain(placeholders(d.body()));
            assert_eq!(check_variables(kind, used), Ok(()), "{kind}");
        }
    }

    /// The `{{ name }}` placeholders of a default text (they use nothing else).
    fn placeholders(text: &str) -> impl Iterator<Item = &str> {
        text.split("{{")
            .skip(1)
            .filter_map(|part| part.split("}}").next())
            .map(str::trim)
    }
}
