//! The self-registration form (A2): raw applicant input, checked field by field into a typed
//! command. The password stays raw here: the service checks it with the password policy
//! (which needs the other fields, so a password equal to the login ID is refused) and hashes
//! it; until then it is kept out of every log.

use crate::error::FieldError;
use crate::user::{Attributes, DisplayName, Email, LoginId};
use serde::Deserialize;
use std::fmt;

/// A password as typed, not yet checked or hashed. Debug is redacted, there is no Display
/// and no Serialize, so it cannot leak into logs or responses by accident.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct RawPassword(String);

impl RawPassword {
    /// Wraps what the person typed.
    pub fn new(raw: String) -> Self {
        Self(raw)
    }

    /// The text, for the policy check and the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for RawPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RawPassword(<redacted>)")
    }
}

/// What the applicant submitted, as submitted (the public `POST /applications` body).
#[derive(Debug, Clone, Deserialize)]
pub struct ApplicationForm {
    /// Wished login ID.
    pub login_id: String,
    /// Display name.
    pub name: String,
    /// Email; required, since activation goes there (A2).
    pub email: String,
    /// The chosen password.
    pub password: RawPassword,
    /// Custom fields marked for the form (U8); checked against the field definitions by the
    /// service.
    #[serde(default)]
    pub attributes: Attributes,
    /// The token of the registration URL the person came through (A5), if any.
    #[serde(default)]
    pub registration_token: Option<String>,
    /// The authentication code the URL asks for, if any.
    #[serde(default)]
    pub code: Option<String>,
}

/// A checked application, ready for the availability and URL checks.
#[derive(Debug, Clone)]
pub struct ApplyCommand {
    /// Wished login ID.
    pub login_id: LoginId,
    /// Display name.
    pub name: DisplayName,
    /// Email.
    pub email: Email,
    /// The password, still to be checked by the policy and hashed.
    pub password: RawPassword,
    /// Custom fields, still to be checked against their definitions.
    pub attributes: Attributes,
    /// The registration URL's token, trimmed, when present and not blank.
    pub registration_token: Option<String>,
    /// The authentication code, trimmed, when present and not blank.
    pub code: Option<String>,
}

impl ApplicationForm {
    /// Checks every field and reports every problem at once (422 per-field errors), so the
    /// form can show them all on the first submission.
    pub fn validate(self) -> Result<ApplyCommand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let login_id = LoginId::parse(&self.login_id)
            .map_err(|e| errors.push(FieldError::of("login_id", &e)))
            .ok();
        let name = DisplayName::parse(&self.name)
            .map_err(|e| errors.push(FieldError::of("name", &e)))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|e| errors.push(FieldError::of("email", &e)))
            .ok();
        if self.password.expose().is_empty() {
            errors.push(FieldError {
                field: "password".into(),
                code: "password_empty",
                message: "the password is empty".into(),
            });
        }
        match (login_id, name, email) {
            (Some(login_id), Some(name), Some(email)) if errors.is_empty() => Ok(ApplyCommand {
                login_id,
                name,
                email,
                password: self.password,
                attributes: self.attributes,
                registration_token: non_blank(self.registration_token),
                code: non_blank(self.code),
            }),
            _ => Err(errors),
        }
    }
}

fn non_blank(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ApplicationForm {
        ApplicationForm {
            login_id: " hanako ".into(),
            name: "Hanako Sato".into(),
            email: "hanako@example.jp".into(),
            password: RawPassword::new("correct horse battery".into()),
            attributes: Attributes::new(),
            registration_token: Some("  ".into()),
            code: Some(" ABCD ".into()),
        }
    }

    #[test]
    fn a2_valid_form_becomes_a_command() {
        let cmd = form().validate().unwrap();
        assert_eq!(cmd.login_id.as_str(), "hanako");
        assert_eq!(cmd.email.as_str(), "hanako@example.jp");
        assert_eq!(cmd.registration_token, None, "blank token means none");
        assert_eq!(cmd.code.as_deref(), Some("ABCD"));
    }

    #[test]
    fn a2_every_bad_field_is_reported_at_once() {
        let mut f = form();
        f.login_id = String::new();
        f.email = "nope".into();
        f.password = RawPassword::new(String::new());
        let errors = f.validate().unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("login_id", "login_id_empty"),
                ("email", "invalid_email"),
                ("password", "password_empty")
            ]
        );
    }

    #[test]
    fn a2_password_never_shows_in_debug() {
        let f = form();
        assert!(!format!("{f:?}").contains("horse"));
        let cmd = f.validate().unwrap();
        assert!(!format!("{cmd:?}").contains("horse"));
    }

    #[test]
    fn a2_form_deserializes_from_the_public_body() {
        let f: ApplicationForm = serde_json::from_value(serde_json::json!({
            "login_id": "taro", "name": "Taro", "email": "taro@example.com", "password": "pw"
        }))
        .unwrap();
        assert_eq!(f.password.expose(), "pw");
        assert!(f.attributes.is_empty() && f.code.is_none());
    }
}
