//! Audit entries (Z1) as the API shows them, the list's filters, and the CSV form.

use super::fields::Fields;
use crate::problem::ApiError;
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::csv::neutralise;
use roster_domain::ids::UserId;
use roster_domain::ports::Page;
use roster_domain::ports::audit::{
    AuditAction, AuditEntry, AuditFilter, AuditOutcome, AuditTargetKind,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum AuditOutcomeDto {
    /// It happened.
    Success,
    /// It was refused or failed; `code` says why.
    Refused,
}

/// The format of the audit list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum AuditFormat {
    /// JSON pages (`limit`, `cursor`).
    Json,
    /// Every matching entry as one CSV file (UTF-8 with BOM, formula-safe).
    Csv,
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct AuditEntryView {
    /// Its id.
    pub id: Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor_id: Uuid,
    /// What was done (`user.create`, `grant.revoke`…).
    pub action: String,
    /// The kind of thing it touched.
    pub target_kind: String,
    /// The id of what it touched, when it has one.
    #[oai(nullable)]
    pub target_id: Option<String>,
    /// How it ended.
    pub outcome: AuditOutcomeDto,
    /// The error code of a refusal.
    #[oai(nullable)]
    pub code: Option<String>,
    /// Further facts; never secrets.
    pub details: BTreeMap<String, String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        let (outcome, code) = match e.outcome {
            AuditOutcome::Success => (AuditOutcomeDto::Success, None),
            AuditOutcome::Refused { code } => (AuditOutcomeDto::Refused, Some(code)),
        };
        Self {
            id: e.id.as_uuid(),
            at: e.at,
            actor_id: e.actor.as_uuid(),
            action: e.action.as_str().to_owned(),
            target_kind: e.target.kind.as_str().to_owned(),
            target_id: e.target.id,
            outcome,
            code,
            details: e.details,
        }
    }
}

/// A page of audit entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct AuditPage {
    /// The entries.
    pub items: Vec<AuditEntryView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<AuditEntry>> for AuditPage {
    fn from(page: Page<AuditEntry>) -> Self {
        Self {
            items: page.items.into_iter().map(Into::into).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// The audit list's filters as they arrive in the query string.
#[derive(Debug, Default)]
pub struct AuditQuery {
    /// Only this actor.
    pub actor_id: Option<Uuid>,
    /// Only this action word.
    pub action: Option<String>,
    /// Only this target kind word.
    pub target_kind: Option<String>,
    /// Only this target id.
    pub target_id: Option<String>,
    /// Only successes or only refusals.
    pub outcome: Option<AuditOutcomeDto>,
    /// From this instant, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant, exclusive.
    pub to: Option<DateTime<Utc>>,
}

impl AuditQuery {
    /// The domain filter; 422 naming every unknown word, or `from` after `to`.
    pub fn into_filter(self) -> Result<AuditFilter, ApiError> {
        let mut errors = Fields::new();
        let action = self
            .action
            .and_then(|w| errors.check("action", AuditAction::parse(&w)));
        let target_kind = self
            .target_kind
            .and_then(|w| errors.check("target_kind", AuditTargetKind::parse(&w)));
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            errors.push("from", "range_reversed", "`from` is after `to`");
        }
        errors.finish()?;
        Ok(AuditFilter {
            actor: self.actor_id.map(UserId::from),
            action,
            target_kind,
            target_id: self.target_id,
            success: self.outcome.map(|o| o == AuditOutcomeDto::Success),
            from: self.from,
            to: self.to,
        })
    }
}

/// The CSV header of the audit export.
pub const AUDIT_CSV_HEADER: [&str; 9] = [
    "id",
    "at",
    "actor_id",
    "action",
    "target_kind",
    "target_id",
    "outcome",
    "code",
    "details",
];

/// One CSV record of an entry. Every cell is formula-neutralised: target ids and details can
/// carry user-typed text (a login ID such as `=HYPERLINK(…)`).
pub fn audit_csv_record(entry: &AuditEntryView) -> [String; 9] {
    let details = serde_json::to_string(&entry.details).unwrap_or_default();
    let outcome = match entry.outcome {
        AuditOutcomeDto::Success => "success",
        AuditOutcomeDto::Refused => "refused",
    };
    [
        entry.id.to_string(),
        entry.at.to_rfc3339(),
        entry.actor_id.to_string(),
        entry.action.clone(),
        entry.target_kind.clone(),
        entry.target_id.clone().unwrap_or_default(),
        outcome.to_owned(),
        entry.code.clone().unwrap_or_default(),
        details,
    ]
    .map(|cell| neutralise(&cell).into_owned())
}
