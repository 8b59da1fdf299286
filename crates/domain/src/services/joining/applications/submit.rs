//! A2, A5, A6 (public): applying. Every field problem is reported at once; the login ID is
//! checked for availability (taken → `login_id_taken`); the email never is (see
//! `registration::availability`), so an application with an address already in use answers
//! exactly like a fresh one. The application, its code use, its activation link and its mail
//! are written by one store call.
//!
//! S3 for the public endpoint: the client address is throttled with the per-address policy
//! before anything is checked. What counts as a failure is what an outsider would repeat to
//! learn something: a wrong, expired or used-up authentication code (guessing codes) and a
//! taken login ID (probing accounts, A6). Form mistakes do not count — they reveal nothing.

use super::super::links::Recipient;
use super::{ApplicationService, JoiningError};
use crate::error::FieldError;
use crate::ids::ApplicationId;
use crate::ports::registration::ApplicationSubmission;
use crate::registration::{
    Application, ApplicationError, ApplicationForm, ApplyCommand, MailKind, OneTimeToken,
    PasswordHashString, RegistrationUrl, ThrottleKey, UrlRefusal, UrlToken, UsedCode,
    check_application_via_url, check_login_id_available, check_open,
};
use crate::services::ClientInfo;
use crate::user::password::Password;
use crate::user::{AttributeMode, validate_attributes};
use chrono::{DateTime, Utc};
use std::fmt;

/// The answer to an application: the same shape whether or not the email is known.
#[derive(Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The new application.
    pub application_id: ApplicationId,
    /// When its activation link stops working.
    pub activation_expires_at: DateTime<Utc>,
    /// The activation link, only when activation mail is off (M3): an embedded host then
    /// delivers it to the address itself. It proves the applicant owns the address, so it
    /// is for the host's mailer only — never part of an answer to the applicant (the public
    /// HTTP endpoint must omit it, or activation would prove nothing). `None` when it went
    /// by mail.
    pub activation_link: Option<String>,
}

impl fmt::Debug for Submitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Submitted")
            .field("application_id", &self.application_id)
            .field("activation_expires_at", &self.activation_expires_at)
            .field(
                "activation_link",
                &self.activation_link.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl ApplicationService {
    /// A2 (public): applies with the form, through the registration URL and code it names,
    /// if any. Errors: `registration_closed` (A1); `validation_failed` with every field
    /// problem (form, U8 fields on the form, password policy); `registration_url_not_found`,
    /// `registration_url_stopped`, `registration_code_required`, `registration_code_invalid`,
    /// `registration_code_expired`, `registration_code_used_up` (A5); `login_id_taken` (A6);
    /// `too_many_attempts` (S3: the client address failed too often; nothing else is
    /// checked); `busy`; `unexpected`. The password is hashed before the availability check,
    /// so a taken login ID answers in the time a free one does. A code refusal and a taken
    /// login ID each count one failure against `client`'s address.
    pub async fn submit(
        &self,
        form: ApplicationForm,
        client: &ClientInfo,
    ) -> Result<Submitted, JoiningError> {
        let key = client.ip.map(ThrottleKey::address);
        let now = self.cx.clock.now();
        self.cx.check_throttle(key.as_ref(), now).await?;
        let result = self.submit_unthrottled(form, now).await;
        if let (Err(e), Some(key)) = (&result, &key)
            && counts_as_failure(e)
        {
            self.cx.throttle.record_failure(key, now).await?;
        }
        result
    }

    /// A2 (public): the confirmation step — the checks `submit` makes of the form itself
    /// (registration open, every field, the custom fields, the password policy), with no
    /// side effect. The URL, its code and the login ID are checked only by `submit`, which
    /// counts their refusals against the client address (S3). Errors: `registration_closed`;
    /// `validation_failed` with every field problem; `unexpected`.
    pub async fn review(&self, form: ApplicationForm) -> Result<(), JoiningError> {
        self.checked_form(form).await.map(|_| ())
    }

    /// The form checked into a command (its attributes validated) and its password.
    async fn checked_form(
        &self,
        form: ApplicationForm,
    ) -> Result<(ApplyCommand, Password), JoiningError> {
        let cx = &self.cx;
        check_open(&cx.registration.get().await?)?;
        let definitions = cx.fields.list().await?;
        let attributes = validate_attributes(
            &definitions,
            &form.attributes,
            AttributeMode::RegistrationForm,
        );
        let mut errors: Vec<FieldError> = Vec::new();
        let command = form.validate().map_err(|e| errors.extend(e)).ok();
        let attributes = attributes.map_err(|e| errors.extend(e)).ok();
        let password = command.as_ref().and_then(|c| {
            let inputs = [c.login_id.as_str(), c.name.as_str(), c.email.as_str()];
            Password::parse(c.password.expose(), &inputs)
                .map_err(|e| errors.push(FieldError::of("password", &e)))
                .ok()
        });
        match (command, attributes, password) {
            (Some(mut c), Some(a), Some(p)) if errors.is_empty() => {
                c.attributes = a;
                Ok((c, p))
            }
            _ => Err(JoiningError::Invalid(errors)),
        }
    }

    async fn submit_unthrottled(
        &self,
        form: ApplicationForm,
        now: DateTime<Utc>,
    ) -> Result<Submitted, JoiningError> {
        let cx = &self.cx;
        let (command, password) = self.checked_form(form).await?;
        let (via, used_code) = self
            .admission(
                command.registration_token.as_deref(),
                command.code.as_deref(),
                now,
            )
            .await?;
        let password_hash = cx.hasher.hash(&password).await?;
        let taken_by_user = cx.users.get_by_login_id(&command.login_id).await?.is_some();
        let held = cx.applications.is_login_id_held(&command.login_id).await?;
        check_login_id_available(taken_by_user, held)?;

        let hash = PasswordHashString::new(password_hash.expose().to_owned());
        let application = Application::submit(command, hash, via.as_ref(), now);
        let (plain, token_hash) = cx.generator.generate();
        let activation =
            OneTimeToken::activation(application.id, token_hash, &cx.config.lifetimes, now);
        let link = cx.config.activation_link(&plain);
        let mail_on = cx
            .notifications
            .get()
            .await?
            .is_enabled(MailKind::Activation);
        let mail = if mail_on {
            let to = Recipient {
                email: &application.email,
                name: &application.name,
                login_id: &application.login_id,
            };
            let kind = MailKind::Activation;
            Some(
                cx.config
                    .link_mail(kind, &to, &link, activation.expires_at)?,
            )
        } else {
            None
        };
        let submitted = Submitted {
            application_id: application.id,
            activation_expires_at: activation.expires_at,
            activation_link: (!mail_on).then_some(link),
        };
        let submission = ApplicationSubmission {
            application,
            used_code,
            activation,
            mail,
        };
        cx.applications.create(&submission).await?;
        Ok(submitted)
    }

    /// A5: the URL applied through and the code that admits the application (counted by
    /// the store with the application), or why not.
    async fn admission(
        &self,
        token: Option<&str>,
        code: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Option<RegistrationUrl>, UsedCode), JoiningError> {
        let Some(raw) = token else {
            return Ok((None, UsedCode::NoneRequired));
        };
        let token = UrlToken::parse(raw).map_err(|_| UrlRefusal::NotFound)?;
        let url = self
            .cx
            .urls
            .find_by_token(&token)
            .await?
            .ok_or(UrlRefusal::NotFound)?;
        let used = check_application_via_url(&url, code, now)?;
        Ok((Some(url), used))
    }
}

/// S3, A5, A6: the refusals an outsider would repeat to guess a code or probe login IDs.
fn counts_as_failure(e: &JoiningError) -> bool {
    matches!(
        e,
        JoiningError::Url(
            UrlRefusal::CodeInvalid | UrlRefusal::CodeExpired | UrlRefusal::CodeUsedUp
        ) | JoiningError::Application(ApplicationError::LoginIdTaken)
    )
}

#[cfg(test)]
#[path = "submit_tests.rs"]
mod tests;
