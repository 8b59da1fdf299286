//! Invitations (U5): an administrator invites a pending user by email; the person follows
//! the single-use link, sets a password and becomes `valid`. Re-inviting issues a new link
//! and the old one stops working (the token store keeps one live link per user).

use super::{Context, JoiningConfig, JoiningError, JoiningPorts, links::Recipient};
use crate::authz::{Actor, Denied, Privilege, Target, authorize, check_may_manage};
use crate::ids::UserId;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::password::PlainPassword;
use crate::ports::users::CredentialError;
use crate::registration::{
    MailKind, OneTimeToken, TokenError, TokenPurpose, TokenSubject, check_redeem,
};
use crate::services::Ports;
use crate::services::audit::Details;
use crate::services::guard::target_user;
use crate::user::password::Password;
use crate::user::rules;
use crate::user::{User, UserStatus};
use chrono::{DateTime, Utc};
use std::fmt;

/// The answer to an invitation.
#[derive(Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The invited user.
    pub user_id: UserId,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// The link itself, only when invitation mail is turned off (M3): the host delivers it.
    /// `None` when it went by mail.
    pub link: Option<String>,
}

impl fmt::Debug for Invitation {
    // The link is a live credential: kept out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invitation")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .field("link", &self.link.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// U5: inviting and accepting.
#[derive(Clone, Debug)]
pub struct InvitationService {
    cx: Context,
}

/// The words a password must not be built from (U1).
pub(super) fn user_inputs(user: &User) -> [&str; 3] {
    [
        user.login_id.as_str(),
        user.name.as_str(),
        user.email.as_ref().map_or("", |e| e.as_str()),
    ]
}

impl InvitationService {
    /// The service over these ports.
    pub fn new(ports: &Ports, joining: &JoiningPorts, config: &JoiningConfig) -> Self {
        Self {
            cx: Context::new(ports, joining, config),
        }
    }

    /// U5: (re-)invites a pending user: issues a new link (the previous one stops working)
    /// and queues the invitation mail with it, in one store call (M4). Needs `users.edit`
    /// over the user and nothing held beyond the actor (P4, P5). Errors: `not_found`,
    /// `forbidden`; `target_holds_more`, `owner_protected`; `not_pending`; `email_required`;
    /// `unexpected`. Audited as `user.invite`.
    pub async fn invite(&self, actor: &Actor, id: UserId) -> Result<Invitation, JoiningError> {
        let result = self.invite_checked(actor, id).await;
        let mut details = Details::new();
        if let Ok(invitation) = &result {
            let mailed = invitation.link.is_none();
            details.insert("mailed".into(), mailed.to_string());
        }
        let target = AuditTarget::new(AuditTargetKind::User, id);
        self.cx
            .auditor
            .record(actor, AuditAction::UserInvite, target, details, result)
            .await
    }

    async fn invite_checked(&self, actor: &Actor, id: UserId) -> Result<Invitation, JoiningError> {
        let cx = &self.cx;
        let user = cx.users.get(id).await?.ok_or(Denied::NotFound)?;
        let target = target_user(&user, cx.users.direct_groups(id).await?);
        let graph = cx.groups.graph().await?;
        authorize(
            actor,
            &graph,
            Privilege::UsersEdit,
            &Target::User(target.clone()),
        )?;
        rules::check_owner_edit(actor.user_id, &user)?;
        check_may_manage(
            actor,
            &graph,
            &target,
            &cx.grants.grants_for_user(id).await?,
        )?;
        if user.status != UserStatus::Pending {
            return Err(JoiningError::NotPending);
        }
        let email = user.email.as_ref().ok_or(JoiningError::EmailRequired)?;
        let mail_on = cx
            .notifications
            .get()
            .await?
            .is_enabled(MailKind::Invitation);
        let (plain, hash) = cx.generator.generate();
        let token = OneTimeToken::invitation(id, hash, &cx.config.lifetimes, cx.clock.now());
        let link = cx.config.invitation_link(&plain);
        let (outbox, handed_back) = if mail_on {
            let to = Recipient {
                email,
                name: &user.name,
                login_id: &user.login_id,
            };
            let mail = cx
                .config
                .link_mail(MailKind::Invitation, &to, &link, token.expires_at)?;
            (vec![mail], None)
        } else {
            (Vec::new(), Some(link))
        };
        cx.tokens.issue(&token, &outbox).await?;
        Ok(Invitation {
            user_id: id,
            expires_at: token.expires_at,
            link: handed_back,
        })
    }

    /// U5 (public): sets the first password of an invited user, who becomes `valid`. The
    /// password passes the policy (with the user's login ID, name and email as known words)
    /// before the link is spent, so a refused password leaves the link usable. Errors:
    /// `token_invalid` (unknown, used, superseded, the user is no longer pending, or the user
    /// is the source of a live integration — the invitation no longer applies);
    /// `token_expired`; `validation_failed`; `busy`; `unexpected`. Not audited: no
    /// administrator acts.
    ///
    /// I7, defence in depth: the status rules keep a live integration source `invalid` (it
    /// can be made neither `valid` nor `pending`), yet a source left `pending` by older data
    /// or another writer must not become `valid` here. The refusal is `token_invalid`, not
    /// `integration_active`: this endpoint is public, and the holder of a link learns
    /// nothing about integrations from it; the link is not spent and nothing is written.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: PlainPassword,
    ) -> Result<(), JoiningError> {
        let cx = &self.cx;
        let now = cx.clock.now();
        let hash = cx.generator.hash(token);
        let found = cx.tokens.find(&hash).await?;
        let TokenSubject::User(id) = check_redeem(found.as_ref(), TokenPurpose::Invitation, now)?
        else {
            return Err(TokenError::Invalid.into());
        };
        let user = cx.users.get(id).await?.ok_or(TokenError::Invalid)?;
        if user.status != UserStatus::Pending || cx.users.is_live_integration_source(id).await? {
            return Err(TokenError::Invalid.into());
        }
        let password = Password::parse(password.expose(), &user_inputs(&user))?;
        let password_hash = cx.hasher.hash(&password).await?;
        cx.tokens
            .redeem(&hash, TokenPurpose::Invitation, now)
            .await?;
        cx.credentials
            .set_password_hash(id, password_hash, true)
            .await
            .map_err(|e| match e {
                // Deleted between the redeem and now: the link no longer applies.
                CredentialError::NotFound => TokenError::Invalid.into(),
                CredentialError::Unexpected(u) => JoiningError::Unexpected(u),
            })
    }
}

#[cfg(test)]
#[path = "invitations_tests.rs"]
mod tests;
