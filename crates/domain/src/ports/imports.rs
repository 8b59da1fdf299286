//! Ports of the CSV import and export (C1, C3–C9): the decoded record stream, the batched
//! lookups of a chunk of rows, the writer (one transaction, or one per chunk), the job
//! record with its progress, and the group names of a page of exported users.

use super::StoreError;
use super::password::PasswordHash;
use super::users::{NewUser, UserUpdate};
use crate::authz::Grant;
use crate::csv::{ImportOptions, ImportReport, RowError};
use crate::error::{ErrorCode, Unexpected};
use crate::group::{Group, GroupName};
use crate::ids::{GroupId, ImportJobId, UserId};
use crate::registration::{OneTimeToken, OutgoingMail};
use crate::user::{LoginId, User};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One decoded record of the file: its line number as the codec counted it (the header is
/// line 1; a quoted field spanning lines moves later records down) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    /// The line the record starts on.
    pub line: u64,
    /// The decoded cells, in file order.
    pub cells: Vec<String>,
}

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// This record could not be decoded (bytes invalid in the encoding, a stray quote); the
    /// codec goes on with the next record. Reported as an invalid row.
    #[error("{0}")]
    Record(RowError),
    /// Nothing after this point can be read (a quoted field never closed): the import
    /// reports it and writes nothing, as for a bad header.
    #[error("{0}")]
    Malformed(RowError),
    /// Reading failed (the spool file vanished, a disk error).
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

/// The uploaded file as decoded records, read twice: once to validate every row, once more
/// to write (C4: validation first). The adapter (the `infra-csv` codec) spools the upload to
/// a temporary file and decodes it as it reads, so memory stays flat however large the file
/// (C6); `rewind` starts again from the header. Reads are synchronous: each call reads from
/// a local buffered file, and the import runs on its own task, never on a request's.
pub trait ImportSource: Send {
    /// The next record (the first is the header), or `None` at the end.
    fn next_record(&mut self) -> Option<Result<SourceRecord, SourceError>>;

    /// Starts again from the first record. Errors: the spool file cannot be read again.
    fn rewind(&mut self) -> Result<(), Unexpected>;
}

/// What one chunk of rows needs from the store, asked in one call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LookupRequest {
    /// The rows' login IDs (compared by their case-folded key), without repeats.
    pub login_ids: Vec<LoginId>,
    /// The group names the rows mention (compared case-insensitively), without repeats.
    pub group_names: Vec<GroupName>,
}

/// An existing user as the import checks and changes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportUser {
    /// The user as stored (its `updated_at` guards the write, as `UserUpdate` says).
    pub user: User,
    /// Its direct groups.
    pub direct_groups: BTreeSet<GroupId>,
    /// Every grant that may apply to it, as `GrantRepository::grants_for_user` answers (P5).
    pub grants: Vec<Grant>,
    /// I7: it is the source of a live integration (it cannot become `valid`).
    pub live_integration_source: bool,
}

/// The store's answer for one chunk.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LookupAnswer {
    /// The users holding the requested login IDs; absent IDs are simply missing.
    pub users: Vec<ImportUser>,
    /// The groups with the requested names; unknown names are simply missing.
    pub groups: Vec<Group>,
    /// Every grant whose subject is one of those groups or a group above one of them:
    /// joining a group hands its members these grants, which the actor must be able to give
    /// (P5).
    pub group_grants: Vec<Grant>,
}

/// Reads what row validation needs, a chunk of rows at a time (never a query per row).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ImportLookups: Send + Sync {
    /// Users by login ID with their groups, grants and integration state, and groups by name
    /// with the grants their members would receive, in one round trip (or a few batched
    /// queries). Errors: `Unexpected` only.
    async fn lookup(&self, request: &LookupRequest) -> Result<LookupAnswer, StoreError>;
}

/// How the write pass commits (C4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Every chunk in one transaction, committed at the end: any failure, nothing written.
    AllOrNothing,
    /// Each chunk in its own transaction, committed when `write_chunk` returns (the
    /// `skip_invalid` option).
    PerChunk,
}

/// A U5 invitation for a created user: stored and queued with the user, in the same
/// transaction, with the semantics of `OneTimeTokenStore::issue` (so an invitation exists
/// exactly when its user does, and its mail is never lost — M4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportInvitation {
    /// The single-use link's token (its hash only).
    pub token: OneTimeToken,
    /// The invitation mail. An import never issues an invitation without its mail: with
    /// invitation mail switched off (M3) nobody could deliver the link (the import hands no
    /// secret back), so no token is issued and the report counts the row in
    /// `invitations_not_sent`; the administrator invites those users one by one.
    pub mail: OutgoingMail,
}

/// One row's change, decided by the domain.
#[derive(Debug, Clone, PartialEq)]
pub enum RowWrite {
    /// A new user (with its memberships and password hash), maybe invited.
    Create {
        /// The user.
        user: NewUser,
        /// Its invitation (C5).
        invitation: Option<ImportInvitation>,
    },
    /// A change to an existing user.
    Update {
        /// The new fields, applied only if the user is unchanged since it was looked up.
        update: UserUpdate,
        /// The complete new set of direct groups, when the row changes them.
        group_ids: Option<BTreeSet<GroupId>>,
        /// A new password hash (hashed, or a legacy hash as given — C8). Setting one ends
        /// the user's sessions (S1), as `CredentialStore::set_password_hash` does.
        password_hash: Option<PasswordHash>,
    },
}

/// A row to write, with its line for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct LineWrite {
    /// The row's line.
    pub line: u64,
    /// What to write.
    pub write: RowWrite,
}

/// Why a chunk was not written.
#[derive(Debug, thiserror::Error)]
pub enum ImportWriteError {
    /// A row could not be written as decided — its login ID was taken meanwhile
    /// (`login_id_taken`), the user changed or was deleted (`conflict`), a group was deleted
    /// (`unknown_group`) — so nothing of the chunk was written. The error names the row.
    #[error("{0}")]
    Row(RowError),
    /// The cause, for the logs; nothing of the chunk was written.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for ImportWriteError {
    fn code(&self) -> &'static str {
        match self {
            Self::Row(e) => e.code,
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// An open write pass. Dropping it without `commit` rolls back whatever is not committed
/// yet (in `AllOrNothing`, everything).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ImportTxn: Send {
    /// Writes the rows, all or none of them. In `PerChunk` mode they are committed when this
    /// returns `Ok`. Errors: `Row` (nothing of the chunk written; in `AllOrNothing` the
    /// earlier chunks stay pending until `commit` or drop); `Unexpected`.
    async fn write_chunk(&mut self, rows: &[LineWrite]) -> Result<(), ImportWriteError>;

    /// Commits what is pending (in `PerChunk` mode, nothing). Errors: `Unexpected`
    /// (nothing pending was written).
    async fn commit(&mut self) -> Result<(), StoreError>;
}

/// Opens the write pass of an import.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ImportSink: Send + Sync {
    /// Starts writing. `AllOrNothing` opens the one transaction every chunk goes into (on
    /// SQLite it holds the write lock until commit). Errors: `Unexpected`.
    async fn begin(&self, mode: WriteMode) -> Result<Box<dyn ImportTxn>, StoreError>;
}

/// The part of an import running now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Waiting to run.
    Queued,
    /// Checking every row.
    Validating,
    /// Writing the rows.
    Writing,
}

/// How far an import has come (C6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    /// Which pass.
    pub phase: ImportPhase,
    /// Data rows done in this pass.
    pub processed: u64,
    /// Data rows in the file, once the validation pass has counted them.
    pub total: Option<u64>,
}

/// One reported problem, as stored with the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRowError {
    /// Line (the header is line 1).
    pub line: u64,
    /// Column name, empty for the whole row.
    pub column: String,
    /// Stable code.
    pub code: String,
    /// Human message.
    pub message: String,
}

/// How an import ended, as stored with the job (`GET /imports/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportOutcome {
    /// It ran to the end; the report says what was written.
    Completed {
        /// Data rows read.
        processed: u64,
        /// Users created.
        created: u64,
        /// Users updated.
        updated: u64,
        /// Rows with errors.
        invalid_rows: u64,
        /// The first problems, in file order.
        errors: Vec<JobRowError>,
        /// Problems counted but not listed.
        errors_omitted: u64,
    },
    /// It stopped (refused, the hasher busy, storage down): the code says why. With
    /// `skip_invalid`, chunks written before the failure stay written.
    Failed {
        /// The error's stable code.
        code: String,
    },
}

impl From<&ImportReport> for ImportOutcome {
    fn from(report: &ImportReport) -> Self {
        Self::Completed {
            processed: report.processed,
            created: report.created,
            updated: report.updated,
            invalid_rows: report.invalid_rows,
            errors: report
                .errors
                .iter()
                .map(|e| JobRowError {
                    line: e.line,
                    column: e.column.clone(),
                    code: e.code.to_owned(),
                    message: e.message.clone(),
                })
                .collect(),
            errors_omitted: report.errors_omitted,
        }
    }
}

/// A stored import job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    /// Its id.
    pub id: ImportJobId,
    /// Who started it (only they, and the owner, can read it).
    pub started_by: UserId,
    /// How it runs.
    pub options: ImportOptions,
    /// When it was submitted.
    pub created_at: DateTime<Utc>,
    /// How far it has come.
    pub progress: ImportProgress,
    /// How it ended; `None` while it runs.
    pub outcome: Option<ImportOutcome>,
}

/// Keeps import jobs and their progress (C6).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ImportJobs: Send + Sync {
    /// Stores a new job. Errors: `Unexpected`.
    async fn create(&self, job: &ImportJob) -> Result<(), StoreError>;

    /// The job, or `None`. Errors: `Unexpected`.
    async fn get(&self, id: ImportJobId) -> Result<Option<ImportJob>, StoreError>;

    /// Records progress (once per chunk). A job gone meanwhile is not an error.
    /// Errors: `Unexpected`.
    async fn update_progress(
        &self,
        id: ImportJobId,
        progress: &ImportProgress,
    ) -> Result<(), StoreError>;

    /// Records how the job ended. Errors: `Unexpected`.
    async fn finish(&self, id: ImportJobId, outcome: &ImportOutcome) -> Result<(), StoreError>;
}

/// Reads the group names of exported users (C7), a page of users at a time.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait ExportLookups: Send + Sync {
    /// Each user's direct groups as (id, name), sorted by name; users in no group may be
    /// absent. The ids let the service drop the groups the actor cannot see (P4).
    /// Errors: `Unexpected` only.
    async fn group_names(
        &self,
        users: &[UserId],
    ) -> Result<BTreeMap<UserId, Vec<(GroupId, GroupName)>>, StoreError>;
}
