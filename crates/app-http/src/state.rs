//! The application the routes serve: the domain services, built once over the adapters a
//! host (or the `roster` binary) hands in, and the few HTTP-only settings.

use crate::client::ClientAddress;
use roster_domain::clock::Clock;
use roster_domain::ports::password::PasswordHasher;
use roster_domain::ports::tokens::TokenGenerator;
use roster_domain::services::{
    GrantService, GroupService, MeService, Ports, SessionConfig, SessionPorts, SessionService,
    SettingsPorts, SettingsService, UserService,
};
use roster_infra_db::Store;
use roster_infra_mail::MiniJinjaRenderer;
use std::fmt;
use std::sync::Arc;

/// Answers `/readyz`: whether the service can do its work (the database answers).
#[async_trait::async_trait]
pub trait Readiness: Send + Sync {
    /// `Err` with a reason (for the logs) when not ready.
    async fn check(&self) -> Result<(), String>;
}

#[async_trait::async_trait]
impl Readiness for Store {
    async fn check(&self) -> Result<(), String> {
        self.connection().ping().await.map_err(|e| e.to_string())
    }
}

/// Everything the routes need from outside.
#[derive(Clone)]
pub struct Adapters {
    /// The domain's ports.
    pub ports: Ports,
    /// The stores of sessions, throttling, tokens and the access log.
    pub sessions: SessionPorts,
    /// The stores of settings, templates and notification switches, and the renderer.
    pub settings: SettingsPorts,
    /// What `/readyz` asks.
    pub readiness: Arc<dyn Readiness>,
}

impl fmt::Debug for Adapters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adapters").finish_non_exhaustive()
    }
}

impl Adapters {
    /// Every port over one database `store` (what the `roster` binary runs on), with the
    /// given hasher, token generator and clock.
    pub fn over_store(
        store: Store,
        hasher: Arc<dyn PasswordHasher>,
        tokens: Arc<dyn TokenGenerator>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        let shared = Arc::new(store);
        let ports = Ports {
            users: shared.clone(),
            credentials: shared.clone(),
            groups: shared.clone(),
            grants: shared.clone(),
            hasher,
            fields: shared.clone(),
            audit: shared.clone(),
            clock,
        };
        let sessions = SessionPorts {
            sessions: shared.clone(),
            throttle: shared.clone(),
            tokens,
            records: shared.clone(),
        };
        let settings = SettingsPorts {
            registration: shared.clone(),
            templates: shared.clone(),
            renderer: Arc::new(MiniJinjaRenderer),
            notifications: shared.clone(),
            outbox: shared.clone(),
        };
        Self {
            ports,
            sessions,
            settings,
            readiness: shared,
        }
    }
}

/// HTTP settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Session lifetimes, login throttling and the dummy hash (S1–S3).
    pub session: SessionConfig,
    /// Where the client address comes from (S3).
    pub client_address: ClientAddress,
    /// The largest JSON body accepted (413 above it).
    pub body_limit: usize,
    /// The path the routes are mounted under by a host (`""` standalone), for the OpenAPI
    /// document's server URL.
    pub base_path: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            session: SessionConfig::default(),
            client_address: ClientAddress::Peer,
            body_limit: 1 << 20,
            base_path: String::new(),
        }
    }
}

/// The services behind the routes; cheap to clone (every part is shared).
#[derive(Clone)]
pub struct Roster {
    pub(crate) users: UserService,
    pub(crate) groups: GroupService,
    pub(crate) grants: GrantService,
    pub(crate) me: MeService,
    pub(crate) sessions: SessionService,
    pub(crate) settings: SettingsService,
    pub(crate) readiness: Arc<dyn Readiness>,
    pub(crate) config: Arc<HttpConfig>,
}

impl fmt::Debug for Roster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Roster").finish_non_exhaustive()
    }
}

impl Roster {
    /// Builds every service over `adapters`.
    pub fn new(adapters: Adapters, config: HttpConfig) -> Self {
        let Adapters {
            ports,
            sessions,
            settings,
            readiness,
        } = adapters;
        // S3: a wrong current password on /me counts against the login ID like a login.
        let me = MeService::new(&ports)
            .with_throttle(sessions.throttle.clone(), config.session.per_login_id);
        Self {
            users: UserService::new(&ports),
            groups: GroupService::new(&ports),
            grants: GrantService::new(&ports),
            me,
            settings: SettingsService::new(&ports, &settings),
            sessions: SessionService::new(&ports, sessions, config.session.clone()),
            readiness,
            config: Arc::new(config),
        }
    }
}
