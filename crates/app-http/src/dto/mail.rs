//! The JSON shapes of mail administration (M2–M4): templates, previews, notification
//! switches and the mail queue. A queued mail is shown without its variables.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::ports::Page;
use roster_domain::ports::delivery::QueuedMailView;
use roster_domain::ports::templates::RenderedMail;
use roster_domain::registration::{MailKind, MailStatus, NotificationSettings};
use roster_domain::services::TemplateView;
use uuid::Uuid;

/// A kind of mail (its template and its switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum MailKindDto {
    /// U5.
    Invitation,
    /// A2.
    Activation,
    /// A4.
    ApplicationApproved,
    /// A4.
    ApplicationNotApproved,
    /// U10.
    PasswordReset,
}

impl From<MailKindDto> for MailKind {
    fn from(k: MailKindDto) -> Self {
        match k {
            MailKindDto::Invitation => Self::Invitation,
            MailKindDto::Activation => Self::Activation,
            MailKindDto::ApplicationApproved => Self::ApplicationApproved,
            MailKindDto::ApplicationNotApproved => Self::ApplicationNotApproved,
            MailKindDto::PasswordReset => Self::PasswordReset,
        }
    }
}

impl From<MailKind> for MailKindDto {
    fn from(k: MailKind) -> Self {
        match k {
            MailKind::Invitation => Self::Invitation,
            MailKind::Activation => Self::Activation,
            MailKind::ApplicationApproved => Self::ApplicationApproved,
            MailKind::ApplicationNotApproved => Self::ApplicationNotApproved,
            MailKind::PasswordReset => Self::PasswordReset,
        }
    }
}

/// Where a queued mail stands (M4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum MailStatusDto {
    /// Waiting for its first or next attempt (`last_error` says why a retry waits).
    Queued,
    /// Sent.
    Sent,
    /// Given up.
    Failed,
}

impl From<MailStatusDto> for MailStatus {
    fn from(s: MailStatusDto) -> Self {
        match s {
            MailStatusDto::Queued => Self::Queued,
            MailStatusDto::Sent => Self::Sent,
            MailStatusDto::Failed => Self::Failed,
        }
    }
}

impl From<MailStatus> for MailStatusDto {
    fn from(s: MailStatus) -> Self {
        match s {
            MailStatus::Queued => Self::Queued,
            MailStatus::Sent => Self::Sent,
            MailStatus::Failed => Self::Failed,
        }
    }
}

/// The notification switches (M3), one per kind; all on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Object)]
pub struct NotificationsDto {
    /// U5 invitations.
    pub invitation: bool,
    /// A2 activation links.
    pub activation: bool,
    /// A4 approval notices.
    pub application_approved: bool,
    /// A4 non-approval notices.
    pub application_not_approved: bool,
    /// U10 reset links.
    pub password_reset: bool,
}

impl From<NotificationSettings> for NotificationsDto {
    fn from(s: NotificationSettings) -> Self {
        Self {
            invitation: s.invitation,
            activation: s.activation,
            application_approved: s.application_approved,
            application_not_approved: s.application_not_approved,
            password_reset: s.password_reset,
        }
    }
}

impl From<NotificationsDto> for NotificationSettings {
    fn from(s: NotificationsDto) -> Self {
        Self {
            invitation: s.invitation,
            activation: s.activation,
            application_approved: s.application_approved,
            application_not_approved: s.application_not_approved,
            password_reset: s.password_reset,
        }
    }
}

/// A kind's template in force (M2).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct TemplateDto {
    /// The kind.
    pub kind: MailKindDto,
    /// One-line subject (minijinja: `{{ name }}`).
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Whether an administrator saved it (false: the built-in one).
    pub customized: bool,
    /// The variables it may use.
    pub variables: Vec<String>,
}

impl From<TemplateView> for TemplateDto {
    fn from(v: TemplateView) -> Self {
        Self {
            kind: v.template.kind().into(),
            subject: v.template.subject().to_owned(),
            body: v.template.body().to_owned(),
            customized: v.customized,
            variables: v.variables.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// Every kind's template.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct TemplateList {
    /// One per kind, in a stable order.
    pub items: Vec<TemplateDto>,
    /// Always null: the list is complete.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

/// A template to save.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct TemplateBody {
    /// One-line subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// A preview request: a draft to render, or nothing for the template in force.
#[derive(Debug, Clone, Default, PartialEq, Eq, Object)]
pub struct PreviewBody {
    /// Draft subject (with `body`).
    pub subject: Option<String>,
    /// Draft body (with `subject`).
    pub body: Option<String>,
}

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct RenderedDto {
    /// The subject as the recipient reads it.
    pub subject: String,
    /// The body.
    pub body: String,
}

impl From<RenderedMail> for RenderedDto {
    fn from(r: RenderedMail) -> Self {
        Self {
            subject: r.subject,
            body: r.body,
        }
    }
}

/// A queued mail (M4), without its variables.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct QueuedMailDto {
    /// The queue entry.
    pub id: Uuid,
    /// The recipient.
    pub recipient: String,
    /// The kind.
    pub kind: MailKindDto,
    /// Where it stands.
    pub status: MailStatusDto,
    /// Attempts made.
    pub attempts: u32,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// When it is next tried (or was last due).
    pub next_attempt_at: DateTime<Utc>,
    /// When it was sent.
    #[oai(nullable)]
    pub sent_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed.
    #[oai(nullable)]
    pub last_error: Option<String>,
}

/// A page of the mail queue.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct QueuedMailPage {
    /// Newest first.
    pub items: Vec<QueuedMailDto>,
    /// Where the next page starts; null on the last page.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<QueuedMailView>> for QueuedMailPage {
    fn from(page: Page<QueuedMailView>) -> Self {
        let page = page.map(|v| QueuedMailDto {
            id: v.id,
            recipient: v.recipient,
            kind: v.kind.into(),
            status: v.status.into(),
            attempts: v.attempts,
            queued_at: v.queued_at,
            next_attempt_at: v.next_attempt_at,
            sent_at: v.sent_at,
            last_error: v.last_error,
        });
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}
