//! The application the routes serve: the domain services, built once over the adapters a
//! host (or the `roster` binary) hands in, and the few HTTP-only settings.

use crate::client::ClientAddress;
use crate::import_jobs::LiveImportJobs;
use roster_domain::clock::Clock;
use roster_domain::ports::fields::UserFieldRepository;
use roster_domain::ports::imports::ExportLookups;
use roster_domain::ports::integrations::IntegrationRepository;
use roster_domain::ports::password::PasswordHasher;
use roster_domain::ports::records::LearningRecords;
use roster_domain::ports::tokens::TokenGenerator;
use roster_domain::services::joining::{
    ApplicationService, InvitationService, JoiningConfig, JoiningPorts, PasswordResetService,
    RegistrationUrlService,
};
use roster_domain::services::{
    AuditService, ExportService, GrantService, GroupService, ImportConfig, ImportPorts,
    ImportService, IntegrationService, MeService, Ports, RecordService, SessionConfig,
    SessionPorts, SessionService, SettingsPorts, SettingsService, UserService,
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
    /// The stores of single-use links, applications and registration URLs (U5, U10, A).
    pub joining: JoiningPorts,
    /// What `/readyz` asks.
    pub readiness: Arc<dyn Readiness>,
    /// The learning records (L1): the host's, or the store's own.
    pub records: Arc<dyn LearningRecords>,
    /// Integrations and their history (I1–I12).
    pub integrations: Arc<dyn IntegrationRepository>,
    /// CSV import and export (C1–C9).
    pub csv: CsvAdapters,
}

/// The adapters of CSV import and export (C1–C9).
#[derive(Clone)]
pub struct CsvAdapters {
    /// Lookups, writer, jobs, invitation tokens and notification settings of imports.
    pub imports: ImportPorts,
    /// The group names of exported users.
    pub export_names: Arc<dyn ExportLookups>,
}

impl fmt::Debug for CsvAdapters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvAdapters").finish_non_exhaustive()
    }
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
        let csv = CsvAdapters {
            imports: ImportPorts {
                lookups: shared.clone(),
                sink: shared.clone(),
                jobs: Arc::new(LiveImportJobs::new(shared.clone())),
                tokens: tokens.clone(),
                notifications: shared.clone(),
            },
            export_names: shared.clone(),
        };
        let sessions = SessionPorts {
            sessions: shared.clone(),
            throttle: shared.clone(),
            tokens: tokens.clone(),
            records: shared.clone(),
        };
        let joining = JoiningPorts {
            tokens: shared.clone(),
            generator: tokens,
            registration: shared.clone(),
            urls: shared.clone(),
            applications: shared.clone(),
            notifications: shared.clone(),
            throttle: shared.clone(),
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
            joining,
            records: shared.clone(),
            integrations: shared.clone(),
            readiness: shared,
            csv,
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
    /// The largest CSV upload accepted by `POST /imports` (413 above it), apart from
    /// `body_limit`: the upload is spooled to a temporary file, never held in memory.
    pub import_limit: usize,
    /// How imports run: chunk size, hashing concurrency, invitation links (C5, C6, C9).
    pub imports: ImportConfig,
    /// Where mailed links point (`ROSTER_PUBLIC_URL`, A8), link lifetimes (U5, U10) and the
    /// per-address throttle of public applications (S3).
    pub joining: JoiningConfig,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            session: SessionConfig::default(),
            client_address: ClientAddress::Peer,
            body_limit: 1 << 20,
            base_path: String::new(),
            import_limit: 64 << 20,
            imports: ImportConfig::default(),
            joining: JoiningConfig::new("http://127.0.0.1:8080", "Roster"),
        }
    }
}

/// The services behind the routes; cheap to clone (every part is shared).
#[derive(Clone)]
pub struct Roster {
    pub(crate) users: UserService,
    pub(crate) audit: AuditService,
    pub(crate) groups: GroupService,
    pub(crate) grants: GrantService,
    pub(crate) me: MeService,
    pub(crate) sessions: SessionService,
    pub(crate) settings: SettingsService,
    pub(crate) applications: ApplicationService,
    pub(crate) invitations: InvitationService,
    pub(crate) resets: PasswordResetService,
    pub(crate) urls: RegistrationUrlService,
    pub(crate) records: RecordService,
    pub(crate) integrations: IntegrationService,
    pub(crate) readiness: Arc<dyn Readiness>,
    /// The pages' CSRF secrets (256-bit, from the same generator as every token).
    pub(crate) secrets: Arc<dyn TokenGenerator>,
    pub(crate) config: Arc<HttpConfig>,
    pub(crate) csv: CsvServices,
}

/// The CSV services (C1–C9) and the custom field definitions naming the extra columns.
#[derive(Clone)]
pub(crate) struct CsvServices {
    pub(crate) imports: ImportService,
    pub(crate) exports: ExportService,
    pub(crate) fields: Arc<dyn UserFieldRepository>,
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
            joining,
            readiness,
            csv,
            records,
            integrations,
        } = adapters;
        // S3: a wrong current password on /me counts against the login ID like a login.
        let me = MeService::new(&ports)
            .with_throttle(sessions.throttle.clone(), config.session.per_login_id);
        Self {
            users: UserService::new(&ports),
            audit: AuditService::new(&ports),
            groups: GroupService::new(&ports),
            grants: GrantService::new(&ports),
            me,
            settings: SettingsService::new(&ports, &settings),
            applications: ApplicationService::new(&ports, &joining, &config.joining),
            invitations: InvitationService::new(&ports, &joining, &config.joining),
            resets: PasswordResetService::new(&ports, &joining, &config.joining),
            urls: RegistrationUrlService::new(&ports, &joining, &config.joining),
            records: RecordService::new(&ports, records.clone()),
            integrations: IntegrationService::new(&ports, integrations, records),
            sessions: SessionService::new(&ports, sessions, config.session.clone()),
            readiness,
            csv: CsvServices {
                imports: ImportService::new(&ports, csv.imports, config.imports.clone()),
                exports: ExportService::new(&ports, csv.export_names),
                fields: ports.fields.clone(),
            },
            secrets: joining.generator.clone(),
            config: Arc::new(config),
        }
    }
}
