//! Administrator settings: registration settings (A1) and user information fields (U8) with
//! `admin.settings`, email templates (M2) with `admin.email_templates`, notification
//! switches (M3) and the mail queue's pending and failed mail (M4) with
//! `admin.notifications`. Settings span every group, so each needs its
//! privilege with scope `all` (P4: only scope `all` covers global targets). Every change and
//! every refused change is audited (Z1); reads are not.

mod fields;
mod mail_queue;
mod notifications;
mod registration;
mod templates;
#[cfg(test)]
mod testing;

pub use fields::FieldPatch;
pub use templates::TemplateView;

use super::Ports;
use super::audit::Auditor;
use crate::authz::{Actor, Denied, Privilege, Target, authorize};
use crate::error::{ErrorCode, FieldError, Unexpected};
use crate::group::graph::GroupGraph;
use crate::ports::StoreError;
use crate::ports::delivery::MailOutbox;
use crate::ports::fields::{FieldWriteError, UserFieldRepository};
use crate::ports::groups::GroupRepository;
use crate::ports::mail::{MailStoreError, NotificationSettingsStore, TemplateStore};
use crate::ports::registration::{RegistrationSettingsError, RegistrationSettingsStore};
use crate::ports::templates::TemplateRenderer;
use crate::registration::TemplateError;
use std::fmt;
use std::sync::Arc;

/// The adapters the settings need beyond [`Ports`].
#[derive(Clone)]
pub struct SettingsPorts {
    /// The A1 settings.
    pub registration: Arc<dyn RegistrationSettingsStore>,
    /// Saved email templates (M2).
    pub templates: Arc<dyn TemplateStore>,
    /// The mail adapter's template engine (M2).
    pub renderer: Arc<dyn TemplateRenderer>,
    /// The notification switches (M3).
    pub notifications: Arc<dyn NotificationSettingsStore>,
    /// The mail queue, for administrators to see pending and failed mail (M4).
    pub outbox: Arc<dyn MailOutbox>,
}

impl fmt::Debug for SettingsPorts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SettingsPorts").finish_non_exhaustive()
    }
}

/// Why a settings operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// P4: not allowed (`forbidden`), or a field that does not exist (`not_found`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// A field definition that does not pass (U8).
    #[error("{} field(s) are invalid", .0.len())]
    Invalid(Vec<FieldError>),
    /// U8: another field has this key.
    #[error("a custom field with this key exists already")]
    FieldKeyTaken,
    /// The page cursor is not one the store issued.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// M2: the template does not pass (`template_unknown_variable`, `template_syntax`…).
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for SettingsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::Invalid(_) => "validation_failed",
            Self::FieldKeyTaken => "field_key_taken",
            Self::InvalidCursor => "invalid_cursor",
            Self::Template(e) => e.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for SettingsError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<MailStoreError> for SettingsError {
    fn from(e: MailStoreError) -> Self {
        match e {
            MailStoreError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<RegistrationSettingsError> for SettingsError {
    fn from(e: RegistrationSettingsError) -> Self {
        match e {
            RegistrationSettingsError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<FieldWriteError> for SettingsError {
    fn from(e: FieldWriteError) -> Self {
        match e {
            FieldWriteError::KeyTaken => Self::FieldKeyTaken,
            FieldWriteError::NotFound => Self::Denied(Denied::NotFound),
            FieldWriteError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// A1, U8, M2, M3: the administrators' settings.
#[derive(Clone)]
pub struct SettingsService {
    groups: Arc<dyn GroupRepository>,
    fields: Arc<dyn UserFieldRepository>,
    auditor: Auditor,
    registration: Arc<dyn RegistrationSettingsStore>,
    templates: Arc<dyn TemplateStore>,
    renderer: Arc<dyn TemplateRenderer>,
    notifications: Arc<dyn NotificationSettingsStore>,
    outbox: Arc<dyn MailOutbox>,
}

impl fmt::Debug for SettingsService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SettingsService").finish_non_exhaustive()
    }
}

impl SettingsService {
    /// The service over these ports.
    pub fn new(ports: &Ports, settings: &SettingsPorts) -> Self {
        Self {
            groups: ports.groups.clone(),
            fields: ports.fields.clone(),
            auditor: Auditor::new(ports.audit.clone(), ports.clock.clone()),
            registration: settings.registration.clone(),
            templates: settings.templates.clone(),
            renderer: settings.renderer.clone(),
            notifications: settings.notifications.clone(),
            outbox: settings.outbox.clone(),
        }
    }

    /// P4: `privilege` with scope `all` (group grants count through the graph).
    async fn require_global(
        &self,
        actor: &Actor,
        privilege: Privilege,
    ) -> Result<GroupGraph, SettingsError> {
        let graph = self.groups.graph().await?;
        authorize(actor, &graph, privilege, &Target::Global)?;
        Ok(graph)
    }
}
