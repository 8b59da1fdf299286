//! Applications (A2–A4) as the API shows and takes them. The applicant's password goes
//! straight into the domain form and is never echoed; views never carry its hash.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::ports::Page;
use roster_domain::registration::{Application, ApplicationForm, ApplicationStatus, RawPassword};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Where an application stands (A4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ApplicationStatusDto {
    /// Applied; the activation link has not been followed.
    NotActivated,
    /// Activated; waiting for an administrator.
    Unapproved,
    /// Approved: the user exists.
    Approved,
    /// Not approved.
    NotApproved,
}

impl From<ApplicationStatus> for ApplicationStatusDto {
    fn from(s: ApplicationStatus) -> Self {
        match s {
            ApplicationStatus::NotActivated => Self::NotActivated,
            ApplicationStatus::Unapproved => Self::Unapproved,
            ApplicationStatus::Approved => Self::Approved,
            ApplicationStatus::NotApproved => Self::NotApproved,
        }
    }
}

impl From<ApplicationStatusDto> for ApplicationStatus {
    fn from(s: ApplicationStatusDto) -> Self {
        match s {
            ApplicationStatusDto::NotActivated => Self::NotActivated,
            ApplicationStatusDto::Unapproved => Self::Unapproved,
            ApplicationStatusDto::Approved => Self::Approved,
            ApplicationStatusDto::NotApproved => Self::NotApproved,
        }
    }
}

/// An application to join (public).
#[derive(Clone, Object)]
pub struct ApplyBody {
    /// The wished login ID.
    #[oai(validator(max_length = 1024))]
    pub login_id: String,
    /// Display name.
    #[oai(validator(max_length = 1024))]
    pub name: String,
    /// Email; the activation link goes there.
    #[oai(validator(max_length = 1024))]
    pub email: String,
    /// The chosen password.
    #[oai(validator(max_length = 4096))]
    pub password: String,
    /// The custom fields the form asks for (U8), by key.
    #[oai(default)]
    pub attributes: BTreeMap<String, String>,
    /// The token of the registration URL applied through (A5).
    #[oai(validator(max_length = 256))]
    pub registration_token: Option<String>,
    /// The URL's authentication code, when it has codes.
    #[oai(validator(max_length = 256))]
    pub code: Option<String>,
}

impl std::fmt::Debug for ApplyBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyBody")
            .field("login_id", &self.login_id)
            .finish_non_exhaustive()
    }
}

impl From<ApplyBody> for ApplicationForm {
    fn from(b: ApplyBody) -> Self {
        Self {
            login_id: b.login_id,
            name: b.name,
            email: b.email,
            password: RawPassword::new(b.password),
            attributes: b.attributes,
            registration_token: b.registration_token,
            code: b.code,
        }
    }
}

/// The answer to an application: the same for every address (A6, S2).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct AppliedView {
    /// The application.
    pub id: Uuid,
    /// `not_activated`: follow the link mailed to the address.
    pub status: ApplicationStatusDto,
    /// When the activation link stops working.
    pub activation_expires_at: DateTime<Utc>,
}

/// A single-use link's secret.
#[derive(Clone, Object)]
pub struct TokenBody {
    /// The token from the mailed link.
    #[oai(validator(max_length = 512))]
    pub token: String,
}

impl std::fmt::Debug for TokenBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenBody(<redacted>)")
    }
}

/// The outcome of an activation (A3).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ActivatedView {
    /// `approved` (automatic approval: log in now) or `unapproved` (an administrator decides).
    pub status: ApplicationStatusDto,
}

/// An application as administrators see it (A4).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ApplicationView {
    /// Its id.
    pub id: Uuid,
    /// The wished login ID.
    pub login_id: String,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Custom fields from the form.
    pub attributes: BTreeMap<String, String>,
    /// The groups the user joins (the registration URL's group).
    pub group_ids: Vec<Uuid>,
    /// The registration URL applied through.
    #[oai(nullable)]
    pub registration_url_id: Option<Uuid>,
    /// Where it stands.
    pub status: ApplicationStatusDto,
    /// When the person applied.
    pub applied_at: DateTime<Utc>,
    /// When the activation link was followed.
    #[oai(nullable)]
    pub activated_at: Option<DateTime<Utc>>,
    /// When it was decided.
    #[oai(nullable)]
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided; `null` for automatic approval.
    #[oai(nullable)]
    pub decided_by: Option<Uuid>,
}

impl From<Application> for ApplicationView {
    fn from(a: Application) -> Self {
        Self {
            id: a.id.as_uuid(),
            login_id: a.login_id.as_str().to_owned(),
            name: a.name.as_str().to_owned(),
            email: a.email.as_str().to_owned(),
            attributes: a.attributes,
            group_ids: a.group_ids.iter().map(|g| g.as_uuid()).collect(),
            registration_url_id: a.registration_url_id.map(|u| u.as_uuid()),
            status: a.status.into(),
            applied_at: a.applied_at,
            activated_at: a.activated_at,
            decided_at: a.decided_at,
            decided_by: a.decided_by.map(|u| u.as_uuid()),
        }
    }
}

/// A page of applications.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ApplicationPage {
    /// Newest first.
    pub items: Vec<ApplicationView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<Application>> for ApplicationPage {
    fn from(page: Page<Application>) -> Self {
        Self {
            items: page.items.into_iter().map(Into::into).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// An administrator's decision.
#[derive(Debug, Clone, Object)]
pub struct DecisionBody {
    /// Mail the applicant (when that notification is on, M3). `false` by default.
    #[oai(default)]
    pub notify: bool,
}

/// The outcome of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct DecisionView {
    /// The application as it now stands.
    pub application: ApplicationView,
    /// The user an approval created.
    #[oai(nullable)]
    pub user_id: Option<Uuid>,
    /// Whether the applicant was mailed.
    pub mailed: bool,
}
