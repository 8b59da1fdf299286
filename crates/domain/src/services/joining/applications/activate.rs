//! A2, A3 (public): following the activation link. With automatic approval the user is
//! created `valid` at once; otherwise the application waits `unapproved`.

use super::super::links::Recipient;
use super::{ApplicationService, JoiningError};
use crate::ids::{ApplicationId, UserId};
use crate::ports::registration::TransitionError;
use crate::registration::{
    ApplicationStatus, MailKind, TokenError, TokenPurpose, TokenSubject, check_redeem,
};

/// The outcome of an activation, for the landing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activated {
    /// The application.
    pub application_id: ApplicationId,
    /// `approved` (automatic approval: the person can log in) or `unapproved` (waiting).
    pub status: ApplicationStatus,
    /// The user created, with automatic approval.
    pub user_id: Option<UserId>,
}

impl ApplicationService {
    /// A2, A3 (public): activates the application the link names, spending the link.
    /// Errors: `token_invalid` (unknown, used, of another purpose, or its application is
    /// gone); `token_expired`; `application_already_activated`; `login_id_taken` (an
    /// administrator registered the ID meanwhile — apply again with another);
    /// `application_status_changed`; `unexpected`.
    pub async fn activate(&self, token: &str) -> Result<Activated, JoiningError> {
        let cx = &self.cx;
        let now = cx.clock.now();
        let hash = cx.generator.hash(token);
        let found = cx.tokens.find(&hash).await?;
        let TokenSubject::Application(id) =
            check_redeem(found.as_ref(), TokenPurpose::Activation, now)?
        else {
            return Err(TokenError::Invalid.into());
        };
        let app = cx.applications.get(id).await?.ok_or(TokenError::Invalid)?;
        let settings = cx.registration.get().await?;
        let update = app.activate(&settings, now)?;
        let mut outbox = Vec::new();
        if update.create_user.is_some()
            && cx
                .notifications
                .get()
                .await?
                .is_enabled(MailKind::ApplicationApproved)
        {
            let to = Recipient {
                email: &app.email,
                name: &app.name,
                login_id: &app.login_id,
            };
            outbox.push(cx.config.approved_mail(&to)?);
        }
        cx.tokens
            .redeem(&hash, TokenPurpose::Activation, now)
            .await?;
        cx.applications
            .transition(&update, &outbox)
            .await
            .map_err(|e| match e {
                TransitionError::NotFound => TokenError::Invalid.into(),
                other => JoiningError::from(other),
            })?;
        Ok(Activated {
            application_id: id,
            status: update.status,
            user_id: update.create_user,
        })
    }
}

#[cfg(test)]
#[path = "activate_tests.rs"]
mod tests;
