//! Learning records (L1): scores, badge awards, certificates and the access log. They belong
//! to the LMS; the domain sees them through the `LearningRecords` port and moves them between
//! accounts when integrating (I2).

use super::keys::{BadgeKey, CertificateKey, MaterialId};
use super::points::ScoreValue;
use crate::error::ErrorCode;
use crate::ids::{AccessLogId, BadgeAwardId, CertificateId, ScoreId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether an attempt was finished or left to resume later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreStatus {
    /// Finished and graded.
    Completed,
    /// Paused ("in progress"): the learner resumes it later (I4).
    Paused,
}

/// The quiz mode of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizMode {
    /// An ordinary attempt.
    Normal,
    /// Master mode: each attempt continues from the previous result (I4).
    Master,
}

/// An unknown status or mode word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordWordError {
    /// Not `completed` or `paused`.
    #[error("unknown score status {0:?}: expected completed or paused")]
    Status(String),
    /// Not `normal` or `master`.
    #[error("unknown quiz mode {0:?}: expected normal or master")]
    Mode(String),
}

impl ErrorCode for RecordWordError {
    fn code(&self) -> &'static str {
        match self {
            Self::Status(_) => "invalid_score_status",
            Self::Mode(_) => "invalid_quiz_mode",
        }
    }
}

impl ScoreStatus {
    /// The wire and storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Paused => "paused",
        }
    }
    /// Parses the wire word (exact, lower case).
    pub fn parse(raw: &str) -> Result<Self, RecordWordError> {
        [Self::Completed, Self::Paused]
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| RecordWordError::Status(raw.to_owned()))
    }
}

impl QuizMode {
    /// The wire and storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Master => "master",
        }
    }
    /// Parses the wire word (exact, lower case).
    pub fn parse(raw: &str) -> Result<Self, RecordWordError> {
        [Self::Normal, Self::Master]
            .into_iter()
            .find(|m| m.as_str() == raw)
            .ok_or_else(|| RecordWordError::Mode(raw.to_owned()))
    }
}

/// One attempt at a material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Its id.
    pub id: ScoreId,
    /// Whose attempt it is (changes when integrated or cancelled).
    pub user_id: UserId,
    /// The material attempted.
    pub material_id: MaterialId,
    /// The attempt number, as the host counts it.
    pub attempt: u32,
    /// The points, absent while paused or ungraded.
    pub score: Option<ScoreValue>,
    /// Completed or paused.
    pub status: ScoreStatus,
    /// Normal or master mode.
    pub mode: QuizMode,
    /// When it was studied (the "study date and time" I4 compares).
    pub studied_at: DateTime<Utc>,
    /// Time spent, in seconds.
    pub study_seconds: u32,
    /// Kept but not shown: lost a paused or master-mode conflict when integrating (I4).
    pub superseded: bool,
}

impl Score {
    /// Shown to the learner and counted: not superseded.
    pub fn is_visible(&self) -> bool {
        !self.superseded
    }
}

/// A badge awarded to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeAward {
    /// Its id.
    pub id: BadgeAwardId,
    /// Who holds it.
    pub user_id: UserId,
    /// Which badge.
    pub badge_id: BadgeKey,
    /// When it was awarded (I3 overwrites the target's with the source's).
    pub awarded_at: DateTime<Utc>,
}

/// A certificate issued to a user. Never moved by an integration (I2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Its id.
    pub id: CertificateId,
    /// Who holds it.
    pub user_id: UserId,
    /// Which certificate.
    pub certificate_key: CertificateKey,
    /// The material it certifies, when there is one.
    pub material_id: Option<MaterialId>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

/// One login (or other access) of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogEntry {
    /// Its id.
    pub id: AccessLogId,
    /// Whose access.
    pub user_id: UserId,
    /// When.
    pub at: DateTime<Utc>,
    /// The client address, when known.
    pub ip: Option<String>,
    /// The client's user agent, when known.
    pub user_agent: Option<String>,
}

/// An adapter's version of one user's learning records: every write of that user's records
/// changes it, in the same transaction, so records read under one version are the records
/// as long as the version stays. Lets `IntegrationRepository::apply` tell "unchanged since
/// the preview" without reading every row again (I10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordsVersion(i64);

impl RecordsVersion {
    /// The version an adapter stored.
    pub const fn new(value: i64) -> Self {
        Self(value)
    }
    /// Its stored value.
    pub const fn get(self) -> i64 {
        self.0
    }
}

/// Every learning record of one user, superseded scores included. Adapters return rows whose
/// `user_id` is `self.user_id`. Equality compares the records, not `version`: two reads of
/// the same rows are equal whenever they were made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecords {
    /// The user these records belong to.
    pub user_id: UserId,
    /// Every score, visible or superseded.
    pub scores: Vec<Score>,
    /// Every badge award.
    pub badges: Vec<BadgeAward>,
    /// Every certificate.
    pub certificates: Vec<Certificate>,
    /// The whole access log.
    pub access_log: Vec<AccessLogEntry>,
    /// The adapter's version of these records when they were read (`None`: it keeps none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<RecordsVersion>,
}

impl PartialEq for UserRecords {
    fn eq(&self, other: &Self) -> bool {
        self.user_id == other.user_id
            && self.scores == other.scores
            && self.badges == other.badges
            && self.certificates == other.certificates
            && self.access_log == other.access_log
    }
}

impl Eq for UserRecords {}

impl UserRecords {
    /// A user with no records yet.
    pub fn empty(user_id: UserId) -> Self {
        Self {
            user_id,
            scores: Vec::new(),
            badges: Vec::new(),
            certificates: Vec::new(),
            access_log: Vec::new(),
            version: None,
        }
    }
}

/// A stored row with an id and an owner: what the record store and the plans work on.
pub trait Row: Clone + PartialEq {
    /// The row's id type.
    type Id: Copy + Ord + std::fmt::Debug;
    /// The row's id.
    fn id(&self) -> Self::Id;
    /// Whose row it is.
    fn owner(&self) -> UserId;
}

macro_rules! row {
    ($ty:ty, $id:ty) => {
        impl Row for $ty {
            type Id = $id;
            fn id(&self) -> $id {
                self.id
            }
            fn owner(&self) -> UserId {
                self.user_id
            }
        }
    };
}

row!(Score, ScoreId);
row!(BadgeAward, BadgeAwardId);
row!(Certificate, CertificateId);
row!(AccessLogEntry, AccessLogId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l1_status_and_mode_words_round_trip() {
        for s in [ScoreStatus::Completed, ScoreStatus::Paused] {
            assert_eq!(ScoreStatus::parse(s.as_str()).unwrap(), s);
        }
        for m in [QuizMode::Normal, QuizMode::Master] {
            assert_eq!(QuizMode::parse(m.as_str()).unwrap(), m);
        }
        assert_eq!(
            ScoreStatus::parse("done").unwrap_err().code(),
            "invalid_score_status"
        );
        assert_eq!(
            QuizMode::parse("Master").unwrap_err().code(),
            "invalid_quiz_mode"
        );
        assert_eq!(
            serde_json::to_string(&ScoreStatus::Paused).unwrap(),
            "\"paused\""
        );
    }
}
