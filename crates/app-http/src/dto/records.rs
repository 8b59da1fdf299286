//! Learning records as the API shows and takes them (L1): scores, badges, certificates and
//! the access log. Points travel as JSON numbers, kept to the thousandth.

use super::Fields;
use crate::problem::ApiError;
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::integration::{
    AccessLogEntry, BadgeAward, BadgeKey, Certificate, CertificateKey, MaterialId, QuizMode, Score,
    ScoreStatus, ScoreValue,
};
use roster_domain::ports::Page;
use roster_domain::services::{NewBadge, NewCertificate, NewScore};
use uuid::Uuid;

/// Whether an attempt was finished or paused (I4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ScoreStatusDto {
    /// Finished and graded.
    Completed,
    /// Paused: the learner resumes it later.
    Paused,
}

/// The quiz mode of an attempt (I4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum QuizModeDto {
    /// An ordinary attempt.
    Normal,
    /// Master mode: each attempt continues from the previous result.
    Master,
}

impl From<ScoreStatusDto> for ScoreStatus {
    fn from(s: ScoreStatusDto) -> Self {
        match s {
            ScoreStatusDto::Completed => Self::Completed,
            ScoreStatusDto::Paused => Self::Paused,
        }
    }
}

impl From<ScoreStatus> for ScoreStatusDto {
    fn from(s: ScoreStatus) -> Self {
        match s {
            ScoreStatus::Completed => Self::Completed,
            ScoreStatus::Paused => Self::Paused,
        }
    }
}

impl From<QuizModeDto> for QuizMode {
    fn from(m: QuizModeDto) -> Self {
        match m {
            QuizModeDto::Normal => Self::Normal,
            QuizModeDto::Master => Self::Master,
        }
    }
}

impl From<QuizMode> for QuizModeDto {
    fn from(m: QuizMode) -> Self {
        match m {
            QuizMode::Normal => Self::Normal,
            QuizMode::Master => Self::Master,
        }
    }
}

/// One attempt at a material.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct ScoreView {
    /// Its id.
    pub id: Uuid,
    /// Whose attempt it is now.
    pub user_id: Uuid,
    /// The material attempted (the host's key).
    pub material_id: String,
    /// The attempt number, as the host counts it.
    pub attempt: u32,
    /// The points; absent while paused or ungraded.
    #[oai(nullable)]
    pub score: Option<f64>,
    /// completed or paused.
    pub status: ScoreStatusDto,
    /// normal or master.
    pub mode: QuizModeDto,
    /// When it was studied.
    pub studied_at: DateTime<Utc>,
    /// Time spent, in seconds.
    pub study_seconds: u32,
    /// Kept but not shown to the learner: it lost a paused or master-mode conflict when
    /// two accounts were integrated (I4).
    pub superseded: bool,
}

impl From<Score> for ScoreView {
    fn from(s: Score) -> Self {
        Self {
            id: s.id.as_uuid(),
            user_id: s.user_id.as_uuid(),
            material_id: s.material_id.as_str().to_owned(),
            attempt: s.attempt,
            score: s.score.map(ScoreValue::to_f64),
            status: s.status.into(),
            mode: s.mode.into(),
            studied_at: s.studied_at,
            study_seconds: s.study_seconds,
            superseded: s.superseded,
        }
    }
}

/// A badge held by a user.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct BadgeView {
    /// The award's id.
    pub id: Uuid,
    /// Who holds it now.
    pub user_id: Uuid,
    /// Which badge (the host's key).
    pub badge_id: String,
    /// When it was awarded.
    pub awarded_at: DateTime<Utc>,
}

impl From<BadgeAward> for BadgeView {
    fn from(b: BadgeAward) -> Self {
        Self {
            id: b.id.as_uuid(),
            user_id: b.user_id.as_uuid(),
            badge_id: b.badge_id.as_str().to_owned(),
            awarded_at: b.awarded_at,
        }
    }
}

/// A certificate issued to a user (never moved by an integration, I2).
#[derive(Debug, Clone, PartialEq, Object)]
pub struct CertificateView {
    /// Its id.
    pub id: Uuid,
    /// Who holds it.
    pub user_id: Uuid,
    /// Which certificate (the host's key).
    pub certificate_key: String,
    /// The material it certifies, when there is one.
    #[oai(nullable)]
    pub material_id: Option<String>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

impl From<Certificate> for CertificateView {
    fn from(c: Certificate) -> Self {
        Self {
            id: c.id.as_uuid(),
            user_id: c.user_id.as_uuid(),
            certificate_key: c.certificate_key.as_str().to_owned(),
            material_id: c.material_id.map(|m| m.as_str().to_owned()),
            issued_at: c.issued_at,
        }
    }
}

/// One login (or other access) of a user.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct AccessLogView {
    /// Its id.
    pub id: Uuid,
    /// Whose access it is now.
    pub user_id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The client address, when known.
    #[oai(nullable)]
    pub ip: Option<String>,
    /// The client's user agent, when known.
    #[oai(nullable)]
    pub user_agent: Option<String>,
}

impl From<AccessLogEntry> for AccessLogView {
    fn from(e: AccessLogEntry) -> Self {
        Self {
            id: e.id.as_uuid(),
            user_id: e.user_id.as_uuid(),
            at: e.at,
            ip: e.ip,
            user_agent: e.user_agent,
        }
    }
}

macro_rules! page_of {
    ($(#[$doc:meta])* $page:ident, $view:ty, $domain:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Object)]
        pub struct $page {
            /// The items, newest first.
            pub items: Vec<$view>,
            /// Pass as `cursor` for the next page; absent on the last.
            #[oai(nullable)]
            pub next_cursor: Option<String>,
        }

        impl From<Page<$domain>> for $page {
            fn from(page: Page<$domain>) -> Self {
                Self {
                    items: page.items.into_iter().map(<$view>::from).collect(),
                    next_cursor: page.next_cursor,
                }
            }
        }
    };
}

page_of!(
    /// A page of scores.
    ScorePage, ScoreView, Score
);
page_of!(
    /// A page of badges.
    BadgePage, BadgeView, BadgeAward
);
page_of!(
    /// A page of certificates.
    CertificatePage, CertificateView, Certificate
);
page_of!(
    /// A page of the access log.
    AccessLogPage, AccessLogView, AccessLogEntry
);

/// A score to record.
#[derive(Debug, Object)]
pub struct NewScoreBody {
    /// The material attempted (the host's key, 1–128 characters).
    pub material_id: String,
    /// The attempt number, as the host counts it.
    pub attempt: u32,
    /// The points, kept to the thousandth; absent while paused or ungraded.
    pub score: Option<f64>,
    /// completed or paused.
    pub status: ScoreStatusDto,
    /// normal (default) or master.
    pub mode: Option<QuizModeDto>,
    /// When it was studied.
    pub studied_at: DateTime<Utc>,
    /// Time spent, in seconds (0 by default).
    #[oai(default)]
    pub study_seconds: u32,
}

impl NewScoreBody {
    /// The command, or 422 naming every bad field.
    pub fn parse(self) -> Result<NewScore, ApiError> {
        let mut errors = Fields::new();
        let material_id = errors.check("material_id", MaterialId::parse(&self.material_id));
        let score = match self.score {
            Some(points) => errors
                .check("score", ScoreValue::from_f64(points))
                .map(Some),
            None => Some(None),
        };
        errors.finish()?;
        let (Some(material_id), Some(score)) = (material_id, score) else {
            return Err(ApiError::unexpected());
        };
        Ok(NewScore {
            material_id,
            attempt: self.attempt,
            score,
            status: self.status.into(),
            mode: self.mode.unwrap_or(QuizModeDto::Normal).into(),
            studied_at: self.studied_at,
            study_seconds: self.study_seconds,
        })
    }
}

/// A badge to award.
#[derive(Debug, Object)]
pub struct NewBadgeBody {
    /// Which badge (the host's key, 1–128 characters).
    pub badge_id: String,
    /// When it was awarded; now when absent.
    pub awarded_at: Option<DateTime<Utc>>,
}

impl NewBadgeBody {
    /// The command, or 422.
    pub fn parse(self) -> Result<NewBadge, ApiError> {
        let mut errors = Fields::new();
        let badge_id = errors.check("badge_id", BadgeKey::parse(&self.badge_id));
        errors.finish()?;
        let Some(badge_id) = badge_id else {
            return Err(ApiError::unexpected());
        };
        Ok(NewBadge {
            badge_id,
            awarded_at: self.awarded_at,
        })
    }
}

/// A certificate to issue.
#[derive(Debug, Object)]
pub struct NewCertificateBody {
    /// Which certificate (the host's key, 1–128 characters).
    pub certificate_key: String,
    /// The material it certifies, when there is one.
    pub material_id: Option<String>,
    /// When it was issued; now when absent.
    pub issued_at: Option<DateTime<Utc>>,
}

impl NewCertificateBody {
    /// The command, or 422 naming every bad field.
    pub fn parse(self) -> Result<NewCertificate, ApiError> {
        let mut errors = Fields::new();
        let key = errors.check(
            "certificate_key",
            CertificateKey::parse(&self.certificate_key),
        );
        let material_id = match &self.material_id {
            Some(raw) => errors
                .check("material_id", MaterialId::parse(raw))
                .map(Some),
            None => Some(None),
        };
        errors.finish()?;
        let (Some(certificate_key), Some(material_id)) = (key, material_id) else {
            return Err(ApiError::unexpected());
        };
        Ok(NewCertificate {
            certificate_key,
            material_id,
            issued_at: self.issued_at,
        })
    }
}
