//! How people join and get back in: invitations (U5), password reset (U10), account
//! applications (A2–A4, A6) and registration URLs (A5). Public flows (accept, reset, apply,
//! activate) take no actor; administrator flows take the actor first, decide authority before
//! any side effect and are audited (Z1). Every state change that sends mail hands the mail to
//! the same port call, so the two commit together (M4).
//!
//! Decision on the link kinds' notification switches (M3): the rule of
//! `registration::mail::notifications` holds — turning off invitation, activation or reset
//! mail means the host delivers those links itself. Where the caller may hold the link, the
//! flow still issues the token and hands the link back instead of mailing it: the
//! administrator who invites (who could set the password directly anyway), and the caller of
//! `submit` (the host's own front end, which then verifies the address its own way). A reset
//! link can never be handed to the anonymous caller (that would let anyone take over any
//! account), so with reset mail off no reset token is issued at all and forgotten passwords
//! are the host's business (SSO, an administrator setting one).

mod applications;
mod error;
mod grants;
mod invitations;
mod links;
mod reset;
#[cfg(test)]
mod testing;
mod urls;

pub use applications::{Activated, ApplicationService, Decision, RegistrationForm, Submitted};
pub use error::JoiningError;
pub use invitations::{Invitation, InvitationService};
pub use links::{JoiningConfig, PublicLinks};
pub use reset::{PasswordResetService, ResetRequested};
pub use urls::{
    MAX_BULK_URLS, PublishOutcome, PublishResult, RegistrationUrlService, UrlExportRow,
    UrlListItem, UrlPatch,
};

use super::Ports;
use super::audit::Auditor;
use crate::clock::Clock;
use crate::ports::fields::UserFieldRepository;
use crate::ports::grants::GrantRepository;
use crate::ports::groups::GroupRepository;
use crate::ports::mail::NotificationSettingsStore;
use crate::ports::password::PasswordHasher;
use crate::ports::registration::{
    ApplicationRepository, RegistrationSettingsStore, RegistrationUrlRepository,
};
use crate::ports::sessions::LoginThrottleStore;
use crate::ports::tokens::{OneTimeTokenStore, TokenGenerator};
use crate::ports::users::{CredentialStore, UserRepository};
use crate::registration::ThrottleKey;
use crate::registration::throttle::combine;
use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;

/// The adapters the joining flows need beyond [`Ports`].
#[derive(Clone)]
pub struct JoiningPorts {
    /// Single-use links (U5, A2, U10).
    pub tokens: Arc<dyn OneTimeTokenStore>,
    /// Bearer secrets and their hashes.
    pub generator: Arc<dyn TokenGenerator>,
    /// The A1 settings.
    pub registration: Arc<dyn RegistrationSettingsStore>,
    /// Registration URLs (A5).
    pub urls: Arc<dyn RegistrationUrlRepository>,
    /// Applications (A2–A4).
    pub applications: Arc<dyn ApplicationRepository>,
    /// The notification switches (M3).
    pub notifications: Arc<dyn NotificationSettingsStore>,
    /// S3, A6: failure counters per client address for public applications (the store
    /// login uses, so one address's guesses count across both).
    pub throttle: Arc<dyn LoginThrottleStore>,
}

impl fmt::Debug for JoiningPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoiningPorts").finish_non_exhaustive()
    }
}

/// Everything the joining services share: the ports and the configuration.
#[derive(Clone)]
struct Context {
    users: Arc<dyn UserRepository>,
    credentials: Arc<dyn CredentialStore>,
    groups: Arc<dyn GroupRepository>,
    grants: Arc<dyn GrantRepository>,
    hasher: Arc<dyn PasswordHasher>,
    fields: Arc<dyn UserFieldRepository>,
    clock: Arc<dyn Clock>,
    auditor: Auditor,
    tokens: Arc<dyn OneTimeTokenStore>,
    generator: Arc<dyn TokenGenerator>,
    registration: Arc<dyn RegistrationSettingsStore>,
    urls: Arc<dyn RegistrationUrlRepository>,
    applications: Arc<dyn ApplicationRepository>,
    notifications: Arc<dyn NotificationSettingsStore>,
    throttle: Arc<dyn LoginThrottleStore>,
    config: JoiningConfig,
}

impl Context {
    fn new(ports: &Ports, joining: &JoiningPorts, config: &JoiningConfig) -> Self {
        Self {
            users: ports.users.clone(),
            credentials: ports.credentials.clone(),
            groups: ports.groups.clone(),
            grants: ports.grants.clone(),
            hasher: ports.hasher.clone(),
            fields: ports.fields.clone(),
            clock: ports.clock.clone(),
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
            tokens: joining.tokens.clone(),
            generator: joining.generator.clone(),
            registration: joining.registration.clone(),
            urls: joining.urls.clone(),
            applications: joining.applications.clone(),
            notifications: joining.notifications.clone(),
            throttle: joining.throttle.clone(),
            config: config.clone(),
        }
    }
}

impl Context {
    /// S3: refused while the client address is locked by the per-address policy (no key:
    /// no address known, nothing to count).
    async fn check_throttle(
        &self,
        key: Option<&ThrottleKey>,
        now: DateTime<Utc>,
    ) -> Result<(), JoiningError> {
        let Some(key) = key else {
            return Ok(());
        };
        let policy = self.config.per_address;
        let seen = self
            .throttle
            .failures_since(key, policy.window_start(now))
            .await?;
        combine([policy.check(seen.count, seen.last_at, now)])?;
        Ok(())
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{JoinMocks, config};
    use super::*;
    use crate::ids::{ApplicationId, GroupId, RegistrationUrlId, UserId};
    use crate::ports::PageRequest;
    use crate::ports::password::PlainPassword;
    use crate::registration::ApplicationForm;
    use crate::services::ClientInfo;
    use crate::services::testing::owner;

    fn assert_send<T: Send>(_: &T) {}

    /// HTTP servers run handlers on a work-stealing pool: every service future must be `Send`.
    #[test]
    fn joining_service_futures_are_send() {
        let (ports, joining) = JoinMocks::new().build();
        let c = config();
        let invitations = InvitationService::new(&ports, &joining, &c);
        let resets = PasswordResetService::new(&ports, &joining, &c);
        let applications = ApplicationService::new(&ports, &joining, &c);
        let urls = RegistrationUrlService::new(&ports, &joining, &c);
        let a = owner();
        let form: ApplicationForm = serde_json::from_value(serde_json::json!({
            "login_id": "x", "name": "x", "email": "x@example.com", "password": "x"
        }))
        .unwrap();
        assert_send(&invitations.invite(&a, UserId::new()));
        assert_send(&invitations.accept_invitation("t", PlainPassword::new("p")));
        assert_send(&resets.request_reset("x"));
        assert_send(&resets.confirm_reset("t", PlainPassword::new("p")));
        assert_send(&applications.submit(form, &ClientInfo::default()));
        assert_send(&applications.activate("t"));
        assert_send(&applications.list(&a, Default::default(), PageRequest::default()));
        assert_send(&applications.approve(&a, ApplicationId::new(), true));
        assert_send(&urls.publish(&a, [GroupId::new()].into(), Vec::new()));
        assert_send(&urls.stop(&a, vec![RegistrationUrlId::new()]));
        assert_send(&urls.export_rows(&a));
    }
}
