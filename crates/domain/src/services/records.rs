//! Learning records as the standalone service's API offers them (L1, L2): a host writes a
//! user's scores, badges and certificates and reads them back with the access log.
//!
//! Who may do what (P4: deny by default; a user out of view answers `not_found`):
//! - everyone reads their own records;
//! - scores of another user need `grades.view` over that user (L2);
//! - badges, certificates and the access log of another user need `users.view` over it
//!   (the same view the integration details give, I5);
//! - writing a record needs `users.edit` over the user: records are the account's data,
//!   and learners never write their own grades.
//!
//! Writes are not audited: they are the LMS's own learning data arriving (one row per quiz
//! attempt), not an administrator's change to an account (Z1); the access log itself is
//! the record of logins.

use super::Ports;
use super::guard::target_user;
use crate::authz::{Actor, Denied, Privilege, Target, authorize, is_allowed};
use crate::clock::Clock;
use crate::error::{ErrorCode, Unexpected};
use crate::ids::{BadgeAwardId, CertificateId, ScoreId, UserId};
use crate::integration::{
    AccessLogEntry, BadgeAward, BadgeKey, Certificate, CertificateKey, MaterialId, QuizMode, Score,
    ScoreStatus, ScoreValue,
};
use crate::ports::groups::GroupRepository;
use crate::ports::records::{AddRecordError, LearningRecords, RecordsError};
use crate::ports::users::UserRepository;
use crate::ports::{Page, PageRequest, StoreError};
use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;

/// Why a records call was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordServiceError {
    /// P4, L2: out of view or absent (`not_found`), or not allowed (`forbidden`).
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The page cursor is not one the store issued.
    #[error("the page cursor is not valid")]
    InvalidCursor,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for RecordServiceError {
    fn code(&self) -> &'static str {
        match self {
            Self::Denied(e) => e.code(),
            Self::InvalidCursor => "invalid_cursor",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for RecordServiceError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<RecordsError> for RecordServiceError {
    fn from(e: RecordsError) -> Self {
        match e {
            RecordsError::InvalidCursor => Self::InvalidCursor,
            RecordsError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

impl From<AddRecordError> for RecordServiceError {
    fn from(e: AddRecordError) -> Self {
        match e {
            // The user was deleted between the check and the write.
            AddRecordError::UserNotFound => Self::Denied(Denied::NotFound),
            // Ids are made here, fresh: a clash is a fault, not the caller's.
            AddRecordError::DuplicateId => Self::Unexpected(Unexpected::new(e.to_string())),
            AddRecordError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// A new score (L1), as the host reports an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScore {
    /// The material attempted.
    pub material_id: MaterialId,
    /// The attempt number, as the host counts it.
    pub attempt: u32,
    /// The points; absent while paused or ungraded.
    pub score: Option<ScoreValue>,
    /// Completed or paused.
    pub status: ScoreStatus,
    /// Normal or master mode.
    pub mode: QuizMode,
    /// When it was studied.
    pub studied_at: DateTime<Utc>,
    /// Time spent, in seconds.
    pub study_seconds: u32,
}

/// A new badge award (L1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBadge {
    /// Which badge.
    pub badge_id: BadgeKey,
    /// When it was awarded; now when absent.
    pub awarded_at: Option<DateTime<Utc>>,
}

/// A new certificate (L1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertificate {
    /// Which certificate.
    pub certificate_key: CertificateKey,
    /// The material it certifies, when there is one.
    pub material_id: Option<MaterialId>,
    /// When it was issued; now when absent.
    pub issued_at: Option<DateTime<Utc>>,
}

/// Reads and writes users' learning records with the actor's authority.
#[derive(Clone)]
pub struct RecordService {
    users: Arc<dyn UserRepository>,
    groups: Arc<dyn GroupRepository>,
    records: Arc<dyn LearningRecords>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for RecordService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordService").finish_non_exhaustive()
    }
}

impl RecordService {
    /// The service over these ports and the learning records.
    pub fn new(ports: &Ports, records: Arc<dyn LearningRecords>) -> Self {
        Self {
            users: ports.users.clone(),
            groups: ports.groups.clone(),
            records,
            clock: ports.clock.clone(),
        }
    }

    /// L2: a page of `user`'s scores, newest first; superseded attempts (I4) only when
    /// asked. Oneself, or `grades.view` over the user. Errors: `not_found`, `forbidden`,
    /// `invalid_cursor`, `unexpected`.
    pub async fn scores(
        &self,
        actor: &Actor,
        user: UserId,
        include_superseded: bool,
        page: PageRequest,
    ) -> Result<Page<Score>, RecordServiceError> {
        self.check(actor, user, Privilege::GradesView, true).await?;
        let page = page.clamped();
        Ok(self
            .records
            .list_scores(user, include_superseded, &page)
            .await?)
    }

    /// L1: a page of `user`'s badges, newest first. Oneself, or `users.view` over the user.
    /// Errors: as [`Self::scores`].
    pub async fn badges(
        &self,
        actor: &Actor,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<BadgeAward>, RecordServiceError> {
        self.check(actor, user, Privilege::UsersView, true).await?;
        Ok(self.records.list_badges(user, &page.clamped()).await?)
    }

    /// L1: a page of `user`'s certificates, newest first. As [`Self::badges`].
    pub async fn certificates(
        &self,
        actor: &Actor,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<Certificate>, RecordServiceError> {
        self.check(actor, user, Privilege::UsersView, true).await?;
        Ok(self
            .records
            .list_certificates(user, &page.clamped())
            .await?)
    }

    /// L1: a page of `user`'s access log (Roster's own logins among it), newest first. As
    /// [`Self::badges`].
    pub async fn access_log(
        &self,
        actor: &Actor,
        user: UserId,
        page: PageRequest,
    ) -> Result<Page<AccessLogEntry>, RecordServiceError> {
        self.check(actor, user, Privilege::UsersView, true).await?;
        Ok(self.records.list_access_log(user, &page.clamped()).await?)
    }

    /// L1: records a score for `user`. Needs `users.edit` over the user (oneself
    /// included). Errors: `not_found`, `forbidden`, `unexpected`.
    pub async fn add_score(
        &self,
        actor: &Actor,
        user: UserId,
        new: NewScore,
    ) -> Result<Score, RecordServiceError> {
        self.check(actor, user, Privilege::UsersEdit, false).await?;
        let score = Score {
            id: ScoreId::new(),
            user_id: user,
            material_id: new.material_id,
            attempt: new.attempt,
            score: new.score,
            status: new.status,
            mode: new.mode,
            studied_at: new.studied_at,
            study_seconds: new.study_seconds,
            superseded: false,
        };
        self.records.add_score(&score).await?;
        Ok(score)
    }

    /// L1: awards a badge to `user`. As [`Self::add_score`].
    pub async fn add_badge(
        &self,
        actor: &Actor,
        user: UserId,
        new: NewBadge,
    ) -> Result<BadgeAward, RecordServiceError> {
        self.check(actor, user, Privilege::UsersEdit, false).await?;
        let award = BadgeAward {
            id: BadgeAwardId::new(),
            user_id: user,
            badge_id: new.badge_id,
            awarded_at: new.awarded_at.unwrap_or_else(|| self.clock.now()),
        };
        self.records.add_badge(&award).await?;
        Ok(award)
    }

    /// L1: issues a certificate to `user`. As [`Self::add_score`].
    pub async fn add_certificate(
        &self,
        actor: &Actor,
        user: UserId,
        new: NewCertificate,
    ) -> Result<Certificate, RecordServiceError> {
        self.check(actor, user, Privilege::UsersEdit, false).await?;
        let certificate = Certificate {
            id: CertificateId::new(),
            user_id: user,
            certificate_key: new.certificate_key,
            material_id: new.material_id,
            issued_at: new.issued_at.unwrap_or_else(|| self.clock.now()),
        };
        self.records.add_certificate(&certificate).await?;
        Ok(certificate)
    }

    /// The user exists and the actor holds `privilege` over it (or it is the actor itself,
    /// when `self_allowed`). `not_found` when absent or out of view, `forbidden` when in
    /// view without the privilege.
    async fn check(
        &self,
        actor: &Actor,
        user: UserId,
        privilege: Privilege,
        self_allowed: bool,
    ) -> Result<(), RecordServiceError> {
        let stored = self.users.get(user).await?.ok_or(Denied::NotFound)?;
        if self_allowed && user == actor.user_id {
            return Ok(());
        }
        let groups = self.users.direct_groups(user).await?;
        let target = Target::User(target_user(&stored, groups));
        let graph = self.groups.graph().await?;
        // A `grades.view` holder without `users.view` still reads the scores it may see.
        if is_allowed(actor, &graph, privilege, &target) {
            return Ok(());
        }
        Ok(authorize(actor, &graph, privilege, &target)?)
    }
}

#[cfg(test)]
#[path = "records_tests.rs"]
mod tests;
