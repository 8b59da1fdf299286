//! The CSV import service (C1, C3–C6, C8, C9, U5, P3–P5, Z1): submits a job, then runs it in
//! two passes over the decoded records — every row checked first, in chunks against one
//! batched lookup each; then, only when the C4 policy says so, the rows written in chunks,
//! in one transaction (all or nothing) or one per chunk (`skip_invalid`). The file can never
//! grant anything: it has no column for grants, and every row passes the actor's authority.

mod check;
mod join;
mod lookups;
mod plan;
mod read;
mod run;
mod write;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_scope;
#[cfg(test)]
mod tests_write;

pub use run::ImportRequest;

use super::Ports;
use super::audit::{Auditor, Details};
use super::guard::require_some;
use crate::authz::{Actor, Denied, Privilege};
use crate::clock::Clock;
use crate::csv::ImportOptions;
use crate::error::{ErrorCode, Unexpected};
use crate::ids::ImportJobId;
use crate::ports::StoreError;
use crate::ports::audit::{AuditAction, AuditTarget, AuditTargetKind};
use crate::ports::fields::UserFieldRepository;
use crate::ports::groups::GroupRepository;
use crate::ports::imports::{
    ImportJob, ImportJobs, ImportLookups, ImportPhase, ImportProgress, ImportSink,
};
use crate::ports::mail::{MailStoreError, NotificationSettingsStore};
use crate::ports::password::{HashError, PasswordHasher};
use crate::ports::tokens::TokenGenerator;
use crate::registration::TokenLifetimes;
use std::fmt;
use std::sync::Arc;

/// Why an import was refused or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// P1, P4: no `users.edit` anywhere (`forbidden`), or a job the actor may not read
    /// (`not_found`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The password hasher is saturated (C9).
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for ImportError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(d) => d.code(),
            Self::Busy => "busy",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<MailStoreError> for ImportError {
    fn from(e: MailStoreError) -> Self {
        match e {
            MailStoreError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<HashError> for ImportError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::UnusableHash => Self::Unexpected(Unexpected::new(HashError::UnusableHash)),
            HashError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// The adapters the import needs besides [`Ports`].
#[derive(Clone)]
pub struct ImportPorts {
    /// Batched lookups of a chunk of rows.
    pub lookups: Arc<dyn ImportLookups>,
    /// The writer.
    pub sink: Arc<dyn ImportSink>,
    /// Job records and progress.
    pub jobs: Arc<dyn ImportJobs>,
    /// Invitation link secrets (C5).
    pub tokens: Arc<dyn TokenGenerator>,
    /// Whether invitation mail is switched on (M3).
    pub notifications: Arc<dyn NotificationSettingsStore>,
}

impl fmt::Debug for ImportPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportPorts").finish_non_exhaustive()
    }
}

/// How imports run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportConfig {
    /// Rows per chunk: one lookup, one write and one progress update each (C6).
    pub chunk_size: usize,
    /// Passwords hashed at once (C9). The hasher runs them in parallel off the async
    /// threads; this bounds how many one import queues, so it cannot starve logins. Set it
    /// to the hasher's worker count to use every core.
    pub hash_concurrency: usize,
    /// The invitation page, to which the token is appended (`{public_url}/invite/`, A8).
    pub invite_link_base: String,
    /// `site_name` in the invitation mail.
    pub site_name: String,
    /// How long invitation links live (U5).
    pub lifetimes: TokenLifetimes,
}

impl Default for ImportConfig {
    fn default() -> Self {
        Self {
            chunk_size: 1_000,
            hash_concurrency: 8,
            invite_link_base: "http://127.0.0.1:8080/invite/".into(),
            site_name: "Roster".into(),
            lifetimes: TokenLifetimes::default(),
        }
    }
}

/// Runs CSV imports.
#[derive(Clone)]
pub struct ImportService {
    groups: Arc<dyn GroupRepository>,
    fields: Arc<dyn UserFieldRepository>,
    hasher: Arc<dyn PasswordHasher>,
    auditor: Auditor,
    clock: Arc<dyn Clock>,
    ports: ImportPorts,
    config: ImportConfig,
}

impl fmt::Debug for ImportService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportService").finish_non_exhaustive()
    }
}

impl ImportService {
    /// The service over these ports and settings. A chunk size or hash concurrency of 0 is
    /// taken as 1.
    pub fn new(ports: &Ports, import_ports: ImportPorts, mut config: ImportConfig) -> Self {
        config.chunk_size = config.chunk_size.max(1);
        config.hash_concurrency = config.hash_concurrency.max(1);
        Self {
            groups: ports.groups.clone(),
            fields: ports.fields.clone(),
            hasher: ports.hasher.clone(),
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
            clock: ports.clock.clone(),
            ports: import_ports,
            config,
        }
    }

    /// C6: records a job for `options` (the API answers 202 with its id; the job runs with
    /// [`ImportService::run`]). Needs `users.edit` somewhere (P1); checked again when it runs.
    /// Errors: `forbidden` (audited as `import.run`); `unexpected`.
    pub async fn submit(
        &self,
        actor: &Actor,
        options: ImportOptions,
    ) -> Result<ImportJobId, ImportError> {
        let graph = self.groups.graph().await?;
        if let Err(denied) = require_some(actor, &graph, Privilege::UsersEdit) {
            let target = AuditTarget::kind_only(AuditTargetKind::Import);
            return self
                .auditor
                .record(
                    actor,
                    AuditAction::ImportRun,
                    target,
                    options_details(&options),
                    Err(denied.into()),
                )
                .await;
        }
        let job = ImportJob {
            id: ImportJobId::new(),
            started_by: actor.user_id,
            options,
            created_at: self.clock.now(),
            progress: ImportProgress {
                phase: ImportPhase::Queued,
                processed: 0,
                total: None,
            },
            outcome: None,
        };
        self.ports.jobs.create(&job).await?;
        Ok(job.id)
    }

    /// C6: a job's progress and outcome. Only whoever started it, and the owner, may read
    /// it; anyone else is answered `not_found`. Errors: `not_found`; `unexpected`.
    pub async fn status(&self, actor: &Actor, id: ImportJobId) -> Result<ImportJob, ImportError> {
        match self.ports.jobs.get(id).await? {
            Some(job) if job.started_by == actor.user_id || actor.is_owner => Ok(job),
            Some(_) | None => Err(Denied::NotFound.into()),
        }
    }
}

/// The options, as audit details.
fn options_details(options: &ImportOptions) -> Details {
    Details::from([
        ("mode".to_owned(), options.mode.as_str().to_owned()),
        ("dry_run".to_owned(), options.dry_run.to_string()),
        ("skip_invalid".to_owned(), options.skip_invalid.to_string()),
        ("invite".to_owned(), options.invite.to_string()),
    ])
}
