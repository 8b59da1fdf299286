//! Rows and domain records, both ways: `TryFrom<Model>` at the seam (a row the domain refuses
//! is corrupt, never a panic) and each record's column values for the bulk writes.

use super::cells::{Cell, Stored};
use super::entities::{access_log, badge_award, certificate, score};
use crate::convert::{instant, micros};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::{AccessLogId, BadgeAwardId, CertificateId, ScoreId, UserId};
use roster_domain::integration::{
    AccessLogEntry, BadgeAward, BadgeKey, Certificate, CertificateKey, MaterialId, QuizMode, Score,
    ScoreStatus, ScoreValue,
};

fn count<T: TryFrom<i64>>(what: &str, value: i64) -> Result<T, Unexpected> {
    T::try_from(value).map_err(|_| corrupt(what, format!("{value} is out of range")))
}

impl TryFrom<score::Model> for Score {
    type Error = Unexpected;

    fn try_from(row: score::Model) -> Result<Self, Unexpected> {
        Ok(Self {
            id: ScoreId::from_uuid(row.id),
            user_id: UserId::from_uuid(row.user_id),
            material_id: MaterialId::parse(&row.material_id)
                .map_err(|e| corrupt("score material", e))?,
            attempt: count("score attempt", row.attempt)?,
            score: row
                .score
                .map(ScoreValue::from_thousandths)
                .transpose()
                .map_err(|e| corrupt("score value", e))?,
            status: ScoreStatus::parse(&row.status).map_err(|e| corrupt("score status", e))?,
            mode: QuizMode::parse(&row.mode).map_err(|e| corrupt("score mode", e))?,
            studied_at: instant(row.studied_at)?,
            study_seconds: count("score study seconds", row.study_seconds)?,
            superseded: row.superseded,
        })
    }
}

impl TryFrom<badge_award::Model> for BadgeAward {
    type Error = Unexpected;

    fn try_from(row: badge_award::Model) -> Result<Self, Unexpected> {
        Ok(Self {
            id: BadgeAwardId::from_uuid(row.id),
            user_id: UserId::from_uuid(row.user_id),
            badge_id: BadgeKey::parse(&row.badge_id).map_err(|e| corrupt("badge key", e))?,
            awarded_at: instant(row.awarded_at)?,
        })
    }
}

impl TryFrom<certificate::Model> for Certificate {
    type Error = Unexpected;

    fn try_from(row: certificate::Model) -> Result<Self, Unexpected> {
        Ok(Self {
            id: CertificateId::from_uuid(row.id),
            user_id: UserId::from_uuid(row.user_id),
            certificate_key: CertificateKey::parse(&row.certificate_key)
                .map_err(|e| corrupt("certificate key", e))?,
            material_id: row
                .material_id
                .map(|m| MaterialId::parse(&m))
                .transpose()
                .map_err(|e| corrupt("certificate material", e))?,
            issued_at: instant(row.issued_at)?,
        })
    }
}

impl TryFrom<access_log::Model> for AccessLogEntry {
    type Error = Unexpected;

    fn try_from(row: access_log::Model) -> Result<Self, Unexpected> {
        Ok(Self {
            id: AccessLogId::from_uuid(row.id),
            user_id: UserId::from_uuid(row.user_id),
            at: instant(row.at)?,
            ip: row.ip,
            user_agent: row.user_agent,
        })
    }
}

/// A score row as selected column by column (`score::Model`'s field order): decoded by
/// position, without the model's per-column name lookups (100k rows in an integration).
pub(crate) type ScoreTuple = (
    uuid::Uuid,
    uuid::Uuid,
    String,
    i64,
    Option<i64>,
    String,
    String,
    i64,
    i64,
    bool,
);
/// A badge-award row, likewise.
pub(crate) type BadgeTuple = (uuid::Uuid, uuid::Uuid, String, i64);
/// A certificate row, likewise.
pub(crate) type CertificateTuple = (uuid::Uuid, uuid::Uuid, String, Option<String>, i64);
/// An access-log row, likewise.
pub(crate) type AccessLogTuple = (uuid::Uuid, uuid::Uuid, i64, Option<String>, Option<String>);

impl From<ScoreTuple> for score::Model {
    fn from(
        (
            id,
            user_id,
            material_id,
            attempt,
            score,
            status,
            mode,
            studied_at,
            study_seconds,
            superseded,
        ): ScoreTuple,
    ) -> Self {
        Self {
            id,
            user_id,
            material_id,
            attempt,
            score,
            status,
            mode,
            studied_at,
            study_seconds,
            superseded,
        }
    }
}

impl From<BadgeTuple> for badge_award::Model {
    fn from((id, user_id, badge_id, awarded_at): BadgeTuple) -> Self {
        Self {
            id,
            user_id,
            badge_id,
            awarded_at,
        }
    }
}

impl From<CertificateTuple> for certificate::Model {
    fn from((id, user_id, certificate_key, material_id, issued_at): CertificateTuple) -> Self {
        Self {
            id,
            user_id,
            certificate_key,
            material_id,
            issued_at,
        }
    }
}

impl From<AccessLogTuple> for access_log::Model {
    fn from((id, user_id, at, ip, user_agent): AccessLogTuple) -> Self {
        Self {
            id,
            user_id,
            at,
            ip,
            user_agent,
        }
    }
}

impl Stored for Score {
    const TABLE: &'static str = "scores";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "user_id",
        "material_id",
        "attempt",
        "score",
        "status",
        "mode",
        "studied_at",
        "study_seconds",
        "superseded",
    ];

    fn uuid(&self) -> uuid::Uuid {
        self.id.as_uuid()
    }

    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Uuid(self.id.as_uuid()),
            Cell::Uuid(self.user_id.as_uuid()),
            Cell::Text(self.material_id.as_str().to_owned()),
            Cell::Int(i64::from(self.attempt)),
            Cell::OptInt(self.score.map(ScoreValue::thousandths)),
            Cell::Text(self.status.as_str().to_owned()),
            Cell::Text(self.mode.as_str().to_owned()),
            Cell::Int(micros(self.studied_at)),
            Cell::Int(i64::from(self.study_seconds)),
            Cell::Bool(self.superseded),
        ]
    }
}

impl Stored for BadgeAward {
    const TABLE: &'static str = "badge_awards";
    const COLUMNS: &'static [&'static str] = &["id", "user_id", "badge_id", "awarded_at"];

    fn uuid(&self) -> uuid::Uuid {
        self.id.as_uuid()
    }

    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Uuid(self.id.as_uuid()),
            Cell::Uuid(self.user_id.as_uuid()),
            Cell::Text(self.badge_id.as_str().to_owned()),
            Cell::Int(micros(self.awarded_at)),
        ]
    }
}

impl Stored for Certificate {
    const TABLE: &'static str = "certificates";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "user_id",
        "certificate_key",
        "material_id",
        "issued_at",
    ];

    fn uuid(&self) -> uuid::Uuid {
        self.id.as_uuid()
    }

    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Uuid(self.id.as_uuid()),
            Cell::Uuid(self.user_id.as_uuid()),
            Cell::Text(self.certificate_key.as_str().to_owned()),
            Cell::OptText(self.material_id.as_ref().map(|m| m.as_str().to_owned())),
            Cell::Int(micros(self.issued_at)),
        ]
    }
}

impl Stored for AccessLogEntry {
    const TABLE: &'static str = "access_log";
    const COLUMNS: &'static [&'static str] = &["id", "user_id", "at", "ip", "user_agent"];

    fn uuid(&self) -> uuid::Uuid {
        self.id.as_uuid()
    }

    fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Uuid(self.id.as_uuid()),
            Cell::Uuid(self.user_id.as_uuid()),
            Cell::Int(micros(self.at)),
            Cell::OptText(self.ip.clone()),
            Cell::OptText(self.user_agent.clone()),
        ]
    }
}
