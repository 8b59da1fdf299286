//! The learning-records port (L1): scores, badges, certificates and the access log live in
//! the LMS's tables; a host plugs its own adapter, the standalone service ships one.

use crate::error::ErrorCode;
use crate::ids::UserId;
use crate::integration::{AccessLogEntry, BadgeAward, Certificate, Score, UserRecords};
use crate::ports::{Page, PageRequest};

/// Why a record could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddRecordError {
    /// The record's `user_id` names no user.
    #[error("the user does not exist")]
    UserNotFound,
    /// A record with this id already exists.
    #[error("a record with this id already exists")]
    DuplicateId,
    /// Anything else; for the logs.
    #[error(transparent)]
    Unexpected(#[from] crate::Unexpected),
}

impl ErrorCode for AddRecordError {
    fn code(&self) -> &'static str {
        match self {
            Self::UserNotFound => "user_not_found",
            Self::DuplicateId => "record_id_taken",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why records could not be read or deleted.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    /// The page cursor is not one this store issued.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// Anything else; for the logs.
    #[error(transparent)]
    Unexpected(#[from] crate::Unexpected),
}

impl ErrorCode for RecordsError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidCursor => "invalid_cursor",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Reads and writes a user's learning records. Moving records between accounts is not here:
/// integration and cancel go through `IntegrationRepository`, in one transaction each.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait LearningRecords: Send + Sync {
    /// Every record of `user`, superseded scores included (the planner's input). An unknown
    /// user has no records: `Ok` with empty lists. Errors: `Unexpected`.
    async fn records_of(&self, user: UserId) -> Result<UserRecords, RecordsError>;

    /// Adds a score as given (its `user_id` says whose). Errors: `UserNotFound`,
    /// `DuplicateId`, `Unexpected`.
    async fn add_score(&self, score: &Score) -> Result<(), AddRecordError>;

    /// Adds a badge award. Errors: `UserNotFound`, `DuplicateId`, `Unexpected`.
    async fn add_badge(&self, award: &BadgeAward) -> Result<(), AddRecordError>;

    /// Adds a certificate. Errors: `UserNotFound`, `DuplicateId`, `Unexpected`.
    async fn add_certificate(&self, certificate: &Certificate) -> Result<(), AddRecordError>;

    /// Appends an access-log entry (Roster logs its own logins here). Errors:
    /// `UserNotFound`, `DuplicateId`, `Unexpected`.
    async fn add_access_log(&self, entry: &AccessLogEntry) -> Result<(), AddRecordError>;

    /// U6 purge: deletes every score of `user` (superseded ones too) and returns how many.
    /// Rows snapshotted in a live integration's undo record are still re-created by its
    /// cancel (I6). Errors: `Unexpected`.
    async fn delete_scores_of(&self, user: UserId) -> Result<u64, RecordsError>;

    /// A page of `user`'s scores, newest `studied_at` first; superseded ones only when
    /// `include_superseded`. Errors: `InvalidCursor`, `Unexpected`.
    async fn list_scores(
        &self,
        user: UserId,
        include_superseded: bool,
        page: &PageRequest,
    ) -> Result<Page<Score>, RecordsError>;

    /// A page of `user`'s badge awards, newest first. Errors: `InvalidCursor`, `Unexpected`.
    async fn list_badges(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Page<BadgeAward>, RecordsError>;

    /// A page of `user`'s certificates, newest first. Errors: `InvalidCursor`, `Unexpected`.
    async fn list_certificates(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Page<Certificate>, RecordsError>;

    /// A page of `user`'s access log, newest first. Errors: `InvalidCursor`, `Unexpected`.
    async fn list_access_log(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Page<AccessLogEntry>, RecordsError>;
}
