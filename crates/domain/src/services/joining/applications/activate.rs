//! A2, A3 (public): following the activation link. With automatic approval the user is
//! created `valid` at once; otherwise the application waits `unapproved`.
//!
//! P5 and automatic approval: nobody is there to vouch for the grants a group hands its
//! members, and a URL's codes are readable (and editable) by administrators who may not
//! hold those grants. So when the application's groups, or any group above them, hold any
//! grant, automatic approval does not apply: the application waits `unapproved`, and the
//! administrator who approves it passes the P5 check of `approve` (`check_joining_grants`).

use super::super::links::Recipient;
use super::{ApplicationService, JoiningError};
use crate::ids::{ApplicationId, GroupId, UserId};
use crate::ports::registration::TransitionError;
use crate::registration::{
    ApplicationStatus, MailKind, TokenError, TokenPurpose, TokenSubject, check_redeem,
};
use std::collections::BTreeSet;

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
        let mut settings = cx.registration.get().await?;
        if settings.auto_approve && self.groups_hand_out_grants(&app.group_ids).await? {
            settings.auto_approve = false;
        }
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

impl ApplicationService {
    /// P5: whether joining `groups` would hand the new member any grant (held by the groups
    /// or by a group above them, G4).
    async fn groups_hand_out_grants(
        &self,
        groups: &BTreeSet<GroupId>,
    ) -> Result<bool, JoiningError> {
        if groups.is_empty() {
            return Ok(false);
        }
        let graph = self.cx.groups.graph().await?;
        let holders: BTreeSet<GroupId> = groups
            .iter()
            .flat_map(|g| graph.ancestors_or_self(*g))
            .collect();
        Ok(!self.cx.grants.grants_for_groups(holders).await?.is_empty())
    }
}

#[cfg(test)]
#[path = "activate_tests.rs"]
mod tests;
