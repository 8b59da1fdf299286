//! CSV import jobs and export options as the API shows them (C1–C7).

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::csv::ImportMode;
use roster_domain::ports::imports::{ImportJob, ImportOutcome, ImportPhase};
use roster_infra_csv::Encoding;
use uuid::Uuid;

/// How rows are matched to users (C3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum ImportModeDto {
    /// Every row creates a user; a known login ID is an error.
    Create,
    /// Every row edits a user; an unknown login ID is an error.
    Update,
    /// Known login IDs are edited, unknown ones created.
    Upsert,
}

impl From<ImportModeDto> for ImportMode {
    fn from(m: ImportModeDto) -> Self {
        match m {
            ImportModeDto::Create => Self::Create,
            ImportModeDto::Update => Self::Update,
            ImportModeDto::Upsert => Self::Upsert,
        }
    }
}

impl From<ImportMode> for ImportModeDto {
    fn from(m: ImportMode) -> Self {
        match m {
            ImportMode::Create => Self::Create,
            ImportMode::Update => Self::Update,
            ImportMode::Upsert => Self::Upsert,
        }
    }
}

/// The encoding of an export (C7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ExportEncodingDto {
    /// UTF-8 without a BOM.
    #[oai(rename = "utf-8")]
    Utf8,
    /// UTF-8 with a BOM, which Excel needs to read UTF-8.
    #[oai(rename = "utf-8-bom")]
    Utf8Bom,
    /// Shift_JIS (CP932), Excel's encoding in Japan; characters it lacks become `?`.
    #[oai(rename = "shift_jis")]
    ShiftJis,
}

impl From<ExportEncodingDto> for Encoding {
    fn from(e: ExportEncodingDto) -> Self {
        match e {
            ExportEncodingDto::Utf8 => Self::Utf8,
            ExportEncodingDto::Utf8Bom => Self::Utf8Bom,
            ExportEncodingDto::ShiftJis => Self::ShiftJis,
        }
    }
}

/// An accepted import.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ImportAccepted {
    /// The job's id: follow it with `GET /api/v1/imports/{id}`.
    pub id: Uuid,
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ImportStatusDto {
    /// Waiting to run.
    Queued,
    /// Checking every row.
    Validating,
    /// Writing.
    Writing,
    /// Ended; the counts and errors say what was written.
    Completed,
    /// Stopped; `failure_code` says why.
    Failed,
}

/// One problem in the file (C4).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ImportRowErrorView {
    /// The line, as a spreadsheet numbers it (the header is line 1).
    pub line: u64,
    /// The column's header name; empty when the whole row or file is concerned.
    pub column: String,
    /// A stable code (`invalid_email`, `login_id_exists`, `csv_stray_quote`…).
    pub code: String,
    /// A human message.
    pub message: String,
}

/// An import job: its options, progress and, once ended, its report (C4, C6).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ImportJobView {
    /// The job's id.
    pub id: Uuid,
    /// Where it is.
    pub status: ImportStatusDto,
    /// The mode it runs in.
    pub mode: ImportModeDto,
    /// Nothing is written; the report says what would be.
    pub dry_run: bool,
    /// Valid rows are written even when others are not.
    pub skip_invalid: bool,
    /// Created users with an email and no password are invited.
    pub invite: bool,
    /// Data rows done in the current pass (all of them once completed).
    pub processed: u64,
    /// Data rows in the file, once counted.
    #[oai(nullable)]
    pub total: Option<u64>,
    /// Users created (on a dry run: that would be).
    pub created: u64,
    /// Users updated (on a dry run: that would be).
    pub updated: u64,
    /// Rows with at least one error.
    pub invalid_rows: u64,
    /// The problems, in file order (at most 1,000; see `errors_omitted`).
    pub errors: Vec<ImportRowErrorView>,
    /// Problems counted but not listed.
    pub errors_omitted: u64,
    /// Why a failed job stopped (`forbidden`, `busy`, `unexpected`).
    #[oai(nullable)]
    pub failure_code: Option<String>,
    /// When it was submitted.
    pub created_at: DateTime<Utc>,
}

impl From<ImportJob> for ImportJobView {
    fn from(job: ImportJob) -> Self {
        let mut view = Self {
            id: job.id.as_uuid(),
            status: match job.progress.phase {
                ImportPhase::Queued => ImportStatusDto::Queued,
                ImportPhase::Validating => ImportStatusDto::Validating,
                ImportPhase::Writing => ImportStatusDto::Writing,
            },
            mode: job.options.mode.into(),
            dry_run: job.options.dry_run,
            skip_invalid: job.options.skip_invalid,
            invite: job.options.invite,
            processed: job.progress.processed,
            total: job.progress.total,
            created: 0,
            updated: 0,
            invalid_rows: 0,
            errors: Vec::new(),
            errors_omitted: 0,
            failure_code: None,
            created_at: job.created_at,
        };
        match job.outcome {
            None => {}
            Some(ImportOutcome::Failed { code }) => {
                view.status = ImportStatusDto::Failed;
                view.failure_code = Some(code);
            }
            Some(ImportOutcome::Completed {
                processed,
                created,
                updated,
                invalid_rows,
                errors,
                errors_omitted,
            }) => {
                view.status = ImportStatusDto::Completed;
                (view.processed, view.total) = (processed, Some(processed));
                (view.created, view.updated, view.invalid_rows) = (created, updated, invalid_rows);
                view.errors_omitted = errors_omitted;
                view.errors = errors
                    .into_iter()
                    .map(|e| ImportRowErrorView {
                        line: e.line,
                        column: e.column,
                        code: e.code,
                        message: e.message,
                    })
                    .collect();
            }
        }
        view
    }
}
