//! Checking a bearer token on each request (S1, U6, U7) and logging out.

use super::{SessionError, SessionService};
use crate::authz::Actor;
use crate::registration::{SessionRejection, SessionTouch, check_session};
use crate::services::actor::snapshot;

impl SessionService {
    /// S1: the actor behind a bearer token. The session must exist, be within its idle and
    /// absolute timeouts, and belong to a user who can log in right now — disabled, expired
    /// (U6) or deleted (U7) users lose their sessions at once, and a dead session is revoked
    /// on the spot. A use is recorded at most once a minute. Errors: `session_invalid`;
    /// `session_expired`, `session_revoked`; `unexpected`.
    pub async fn authenticate(&self, token: &str) -> Result<Actor, SessionError> {
        let hash = self.stores.tokens.hash(token);
        let session = self
            .stores
            .sessions
            .find_by_token(&hash)
            .await?
            .ok_or(SessionError::Invalid)?;
        let now = self.clock.now();
        let checked = match self.users.get(session.user_id).await? {
            Some(user) => {
                check_session(&session, &user, &self.config.policy, now).map(|t| (t, user))
            }
            None => Err(SessionRejection::UserCannotLogIn),
        };
        let (touch, user) = match checked {
            Ok(ok) => ok,
            Err(rejection) => {
                self.stores.sessions.revoke(session.id).await?;
                return Err(SessionError::Rejected(rejection));
            }
        };
        match touch {
            SessionTouch::Keep => {}
            SessionTouch::Bump(at) => self.stores.sessions.touch(session.id, at).await?,
        }
        Ok(snapshot(
            user.id,
            user.is_owner,
            self.users.as_ref(),
            self.grants.as_ref(),
        )
        .await?)
    }

    /// S1: ends the session of this token. Logging out twice, or with an unknown token, is
    /// not an error: the token does not work afterwards either way. Errors: `unexpected`.
    pub async fn logout(&self, token: &str) -> Result<(), SessionError> {
        let hash = self.stores.tokens.hash(token);
        if let Some(session) = self.stores.sessions.find_by_token(&hash).await? {
            self.stores.sessions.revoke(session.id).await?;
        }
        Ok(())
    }
}
