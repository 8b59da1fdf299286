//! Test builders for learning records: readable rows at minute offsets from the epoch.

use super::keys::{BadgeKey, CertificateKey, MaterialId};
use super::points::ScoreValue;
use super::records::{
    AccessLogEntry, BadgeAward, Certificate, QuizMode, Score, ScoreStatus, UserRecords,
};
use crate::ids::{AccessLogId, BadgeAwardId, CertificateId, ScoreId, UserId};
use chrono::{DateTime, Duration, Utc};

/// The epoch plus `minutes`.
pub fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(minutes)
}

/// A score of `user` on `material`, studied at minute `minute`.
pub fn score(
    user: UserId,
    material: &str,
    status: ScoreStatus,
    mode: QuizMode,
    minute: i64,
) -> Score {
    Score {
        id: ScoreId::new(),
        user_id: user,
        material_id: MaterialId::parse(material).unwrap(),
        attempt: 1,
        score: match status {
            ScoreStatus::Completed => Some(ScoreValue::from_thousandths(80_500).unwrap()),
            ScoreStatus::Paused => None,
        },
        status,
        mode,
        studied_at: at(minute),
        study_seconds: 60,
        superseded: false,
    }
}

/// A paused normal-mode attempt.
pub fn paused(user: UserId, material: &str, minute: i64) -> Score {
    score(
        user,
        material,
        ScoreStatus::Paused,
        QuizMode::Normal,
        minute,
    )
}

/// A completed master-mode result.
pub fn master(user: UserId, material: &str, minute: i64) -> Score {
    score(
        user,
        material,
        ScoreStatus::Completed,
        QuizMode::Master,
        minute,
    )
}

/// A completed normal-mode result.
pub fn completed(user: UserId, material: &str, minute: i64) -> Score {
    score(
        user,
        material,
        ScoreStatus::Completed,
        QuizMode::Normal,
        minute,
    )
}

/// A badge award.
pub fn badge(user: UserId, key: &str, minute: i64) -> BadgeAward {
    BadgeAward {
        id: BadgeAwardId::new(),
        user_id: user,
        badge_id: BadgeKey::parse(key).unwrap(),
        awarded_at: at(minute),
    }
}

/// A certificate.
pub fn certificate(user: UserId, key: &str) -> Certificate {
    Certificate {
        id: CertificateId::new(),
        user_id: user,
        certificate_key: CertificateKey::parse(key).unwrap(),
        material_id: None,
        issued_at: at(0),
    }
}

/// An access-log entry.
pub fn login(user: UserId, minute: i64) -> AccessLogEntry {
    AccessLogEntry {
        id: AccessLogId::new(),
        user_id: user,
        at: at(minute),
        ip: Some("192.0.2.1".into()),
        user_agent: Some("test".into()),
    }
}

/// Records of a fresh user, filled by the caller.
pub fn account() -> UserRecords {
    UserRecords::empty(UserId::new())
}
