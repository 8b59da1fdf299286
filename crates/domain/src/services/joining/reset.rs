//! Password reset (U10): "forgot password" mails a single-use link that lives 30 minutes; the
//! answer never reveals whether the account exists.
//!
//! Decisions:
//! - **One answer.** `request_reset` returns [`ResetRequested`] whatever happened; HTTP
//!   answers 202 from it and only logs its failures. A storage failure while issuing for a
//!   found account is such a failure, not an error, since an error only found accounts can
//!   cause would tell them apart.
//! - **Timing.** Both paths do the same CPU work: without an account to mail, one secret is
//!   generated and dropped, as issuing would. A store write still takes its own time; hiding
//!   that is the HTTP adapter's job — it answers 202 at once and runs the request in the
//!   background (or pads every answer to one fixed duration).
//! - **Lookup.** The input is tried as a login ID and, when it is an address, as an email
//!   (a login ID may look like an address). Emails are not unique (U1: a family or a class
//!   may share one), so every matching account gets its own link — each link names its
//!   login ID, and only that account's password changes — up to [`RESET_MAX_ACCOUNTS`], which
//!   bounds the mail one anonymous request can cause.
//! - **Who gets a link.** Only accounts that could log in once they have a password: `valid`
//!   and unexpired, with an email. A pending user has the invitation for that (U5); a reset
//!   never re-enables a disabled user — a link that was issued before the account was
//!   disabled still sets the password, but the status stays `invalid`.

use super::invitations::user_inputs;
use super::{Context, JoiningConfig, JoiningError, JoiningPorts, links::Recipient};
use crate::error::Unexpected;
use crate::ids::UserId;
use crate::ports::password::PlainPassword;
use crate::ports::users::CredentialError;
use crate::registration::{
    MailKind, OneTimeToken, ThrottleKey, TokenError, TokenPurpose, TokenSubject, check_redeem,
};
use crate::services::{ClientInfo, Ports};
use crate::user::password::Password;
use crate::user::{Email, LoginId, User, UserStatus};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Most accounts one reset request mails.
pub const RESET_MAX_ACCOUNTS: usize = 20;

/// The answer to a reset request: the same for the client whether or not an account exists.
#[derive(Debug, Default)]
pub struct ResetRequested {
    failures: Vec<Unexpected>,
}

impl ResetRequested {
    /// What went wrong on the way, for the logs only — never for the client.
    pub fn failures(&self) -> &[Unexpected] {
        &self.failures
    }
}

/// U10: asking for and using reset links.
#[derive(Clone, Debug)]
pub struct PasswordResetService {
    cx: Context,
}

impl PasswordResetService {
    /// The service over these ports.
    pub fn new(ports: &Ports, joining: &JoiningPorts, config: &JoiningConfig) -> Self {
        Self {
            cx: Context::new(ports, joining, config),
        }
    }

    /// U10, S3 (public): admits one reset request from `client` — refused with
    /// `too_many_attempts` while its address is locked, else counted against the address
    /// (every request, found account or not, so the count says nothing about accounts and
    /// one address cannot flood mailboxes). Call before [`Self::request_reset`]. Errors:
    /// `too_many_attempts`; `unexpected`.
    pub async fn admit_request(&self, client: &ClientInfo) -> Result<(), JoiningError> {
        let now = self.cx.clock.now();
        let key = client.ip.map(ThrottleKey::address);
        self.cx.check_throttle(key.as_ref(), now).await?;
        if let Some(key) = &key {
            self.cx.throttle.record_failure(key, now).await?;
        }
        Ok(())
    }

    /// U10 (public): mails a reset link to each account the login ID or email names (see
    /// the module documentation for who gets one). Never fails towards the client.
    pub async fn request_reset(&self, login_id_or_email: &str) -> ResetRequested {
        let cx = &self.cx;
        let now = cx.clock.now();
        let mut outcome = ResetRequested::default();
        let mail_on = match cx.notifications.get().await {
            Ok(settings) => settings.is_enabled(MailKind::PasswordReset),
            Err(e) => {
                outcome.failures.push(e.into_unexpected());
                false
            }
        };
        let accounts = match self.find_accounts(login_id_or_email.trim()).await {
            Ok(accounts) => accounts,
            Err(e) => {
                outcome.failures.push(e);
                Vec::new()
            }
        };
        let eligible: Vec<User> = accounts
            .into_iter()
            .filter(|u| u.status == UserStatus::Valid && !u.is_expired(now) && u.email.is_some())
            .take(RESET_MAX_ACCOUNTS)
            .collect();
        if eligible.is_empty() || !mail_on {
            // The work of an issue, so the answer takes the same time (module documentation).
            let _ = cx.generator.generate();
            return outcome;
        }
        for user in &eligible {
            if let Err(e) = self.issue(user, now).await {
                outcome.failures.push(e);
            }
        }
        outcome
    }

    /// Accounts named by the input as a login ID, or as an email (exact address, the local
    /// part compared without case as mail providers do), at most once each.
    async fn find_accounts(&self, input: &str) -> Result<Vec<User>, Unexpected> {
        let users = &self.cx.users;
        let mut found: BTreeMap<UserId, User> = BTreeMap::new();
        if let Ok(login_id) = LoginId::parse(input)
            && let Some(user) = users.get_by_login_id(&login_id).await?
        {
            found.insert(user.id, user);
        }
        if let Ok(email) = Email::parse(input) {
            let limit = u32::try_from(RESET_MAX_ACCOUNTS).unwrap_or(u32::MAX);
            for user in users.find_by_email(&email, limit).await? {
                found.insert(user.id, user);
            }
        }
        Ok(found.into_values().collect())
    }

    /// Issues one account's link with its mail, in one store call (M4).
    async fn issue(&self, user: &User, now: DateTime<Utc>) -> Result<(), Unexpected> {
        let cx = &self.cx;
        let Some(email) = user.email.as_ref() else {
            return Ok(());
        };
        let (plain, hash) = cx.generator.generate();
        let token = OneTimeToken::password_reset(user.id, hash, &cx.config.lifetimes, now);
        let to = Recipient {
            email,
            name: &user.name,
            login_id: &user.login_id,
        };
        let link = cx.config.reset_link(&plain);
        let mail = cx
            .config
            .link_mail(MailKind::PasswordReset, &to, &link, token.expires_at)
            .map_err(|e| Unexpected::new(e.to_string()))?;
        cx.tokens
            .issue(&token, &[mail])
            .await
            .map_err(|e| e.into_unexpected())
    }

    /// U10 (public): sets a new password through a reset link. The password passes the
    /// policy before the link is spent; every session of the user ends, and any other reset
    /// link of the user dies (S1, U10, by the credential store's contract); the status does not change (a disabled user stays
    /// disabled). Errors: `token_invalid`; `token_expired`; `validation_failed`; `busy`;
    /// `unexpected`. Not audited: no administrator acts.
    pub async fn confirm_reset(
        &self,
        token: &str,
        password: PlainPassword,
    ) -> Result<(), JoiningError> {
        let cx = &self.cx;
        let now = cx.clock.now();
        let hash = cx.generator.hash(token);
        let found = cx.tokens.find(&hash).await?;
        let TokenSubject::User(id) =
            check_redeem(found.as_ref(), TokenPurpose::PasswordReset, now)?
        else {
            return Err(TokenError::Invalid.into());
        };
        let user = cx.users.get(id).await?.ok_or(TokenError::Invalid)?;
        let password = Password::parse(password.expose(), &user_inputs(&user))?;
        let password_hash = cx.hasher.hash(&password).await?;
        cx.tokens
            .redeem(&hash, TokenPurpose::PasswordReset, now)
            .await?;
        cx.credentials
            .set_password_hash(id, password_hash, false)
            .await
            .map_err(|e| match e {
                CredentialError::NotFound => TokenError::Invalid.into(),
                CredentialError::Unexpected(u) => JoiningError::Unexpected(u),
            })
    }
}

/// Port errors that only carry an unexpected cause, unwrapped for the failure list.
trait IntoUnexpected {
    fn into_unexpected(self) -> Unexpected;
}

impl IntoUnexpected for crate::ports::mail::MailStoreError {
    fn into_unexpected(self) -> Unexpected {
        match self {
            Self::Unexpected(u) => u,
        }
    }
}

impl IntoUnexpected for crate::ports::tokens::TokenStoreError {
    fn into_unexpected(self) -> Unexpected {
        match self {
            Self::Unexpected(u) => u,
        }
    }
}

#[cfg(test)]
#[path = "reset_tests.rs"]
mod tests;
