//! Integrations as the API shows them (I5, I11): list entries, previews with their
//! conflicts, details with the integrated scores, badges and logins.

use super::{AccessLogView, ScoreView};
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use roster_domain::integration::{
    BadgeConflict, IntegratedBadge, Integration, IntegrationCounts, IntegrationPreview,
    IntegrationState, QuizConflict, QuizRule, Side,
};
use roster_domain::ports::Page;
use roster_domain::services::IntegrationView;
use uuid::Uuid;

/// Where an integration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum IntegrationStateDto {
    /// In force: the target holds the source's records (I7: the source stays invalid).
    Live,
    /// Cancelled (I6); kept as history.
    Cancelled,
    /// The source was deleted while live (I8): kept, cannot be cancelled.
    Frozen,
}

impl From<IntegrationState> for IntegrationStateDto {
    fn from(s: IntegrationState) -> Self {
        match s {
            IntegrationState::Live => Self::Live,
            IntegrationState::Cancelled => Self::Cancelled,
            IntegrationState::Frozen => Self::Frozen,
        }
    }
}

/// What an integration moves (or moved).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct CountsView {
    /// Scores moved to the target.
    pub scores_moved: u32,
    /// Badge awards moved to the target.
    pub badges_moved: u32,
    /// Badges both held: the target's award takes the source's date (I3).
    pub badges_merged: u32,
    /// Access-log entries moved to the target.
    pub access_log_moved: u32,
    /// Attempts kept but no longer shown (I4).
    pub scores_superseded: u32,
}

impl From<IntegrationCounts> for CountsView {
    fn from(c: IntegrationCounts) -> Self {
        Self {
            scores_moved: c.scores_moved,
            badges_moved: c.badges_moved,
            badges_merged: c.badges_merged,
            access_log_moved: c.access_log_moved,
            scores_superseded: c.scores_superseded,
        }
    }
}

/// One integration of the list (I5).
#[derive(Debug, Clone, PartialEq, Object)]
pub struct IntegrationItemView {
    /// Its id.
    pub id: Uuid,
    /// The source (invalid) account.
    pub source_user_id: Uuid,
    /// The target (valid) account that holds the records.
    pub target_user_id: Uuid,
    /// The source's login ID when integrated.
    pub source_login_id: String,
    /// The target's login ID when integrated.
    pub target_login_id: String,
    /// live, cancelled or frozen.
    pub state: IntegrationStateDto,
    /// I8: the source account was deleted.
    pub source_deleted: bool,
    /// Whether it can still be cancelled (live, source not deleted).
    pub cancellable: bool,
    /// When it was made.
    pub integrated_at: DateTime<Utc>,
    /// Who made it.
    pub integrated_by: Uuid,
    /// When it was cancelled.
    #[oai(nullable)]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    #[oai(nullable)]
    pub cancelled_by: Option<Uuid>,
    /// What it moved.
    pub counts: CountsView,
}

impl From<Integration> for IntegrationItemView {
    fn from(i: Integration) -> Self {
        Self {
            id: i.id.as_uuid(),
            source_user_id: i.source_user_id.as_uuid(),
            target_user_id: i.target_user_id.as_uuid(),
            source_login_id: i.source_login_id.as_str().to_owned(),
            target_login_id: i.target_login_id.as_str().to_owned(),
            state: i.state.into(),
            source_deleted: i.source_deleted,
            cancellable: i.state == IntegrationState::Live && !i.source_deleted,
            integrated_at: i.integrated_at,
            integrated_by: i.integrated_by.as_uuid(),
            cancelled_at: i.cancelled_at,
            cancelled_by: i.cancelled_by.map(|u| u.as_uuid()),
            counts: i.counts.into(),
        }
    }
}

/// A page of integrations, newest first.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct IntegrationPage {
    /// The integrations.
    pub items: Vec<IntegrationItemView>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[oai(nullable)]
    pub next_cursor: Option<String>,
}

impl From<Page<Integration>> for IntegrationPage {
    fn from(page: Page<Integration>) -> Self {
        Self {
            items: page.items.into_iter().map(Into::into).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// I3: a badge both accounts hold.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct BadgeConflictView {
    /// The badge.
    pub badge_id: String,
    /// The target's award that remains.
    pub target_award_id: Uuid,
    /// Its date before the integration.
    pub target_awarded_at: DateTime<Utc>,
    /// The source's award whose date wins.
    pub source_award_id: Uuid,
    /// The date the target's award ends with.
    pub source_awarded_at: DateTime<Utc>,
}

impl From<BadgeConflict> for BadgeConflictView {
    fn from(b: BadgeConflict) -> Self {
        Self {
            badge_id: b.badge_id.as_str().to_owned(),
            target_award_id: b.target_award.as_uuid(),
            target_awarded_at: b.target_awarded_at,
            source_award_id: b.source_award.as_uuid(),
            source_awarded_at: b.source_awarded_at,
        }
    }
}

/// Which account a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SideDto {
    /// The source account.
    Source,
    /// The target account.
    Target,
}

impl From<Side> for SideDto {
    fn from(s: Side) -> Self {
        match s {
            Side::Source => Self::Source,
            Side::Target => Self::Target,
        }
    }
}

/// I4: a quiz both accounts hold paused, or in master mode; the latest attempt wins.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct QuizConflictView {
    /// The material.
    pub material_id: String,
    /// `paused` or `master`.
    pub rule: String,
    /// The attempt the learner continues from.
    pub winner_score_id: Uuid,
    /// Where the winner comes from.
    pub winner_side: SideDto,
    /// Its study time.
    pub winner_studied_at: DateTime<Utc>,
    /// The attempts kept but no longer shown.
    pub superseded_score_ids: Vec<Uuid>,
}

impl From<QuizConflict> for QuizConflictView {
    fn from(q: QuizConflict) -> Self {
        let rule = match q.rule {
            QuizRule::Paused => "paused",
            QuizRule::Master => "master",
        };
        Self {
            material_id: q.material_id.as_str().to_owned(),
            rule: rule.to_owned(),
            winner_score_id: q.winner.as_uuid(),
            winner_side: q.winner_side.into(),
            winner_studied_at: q.winner_studied_at,
            superseded_score_ids: q.superseded.iter().map(|s| s.id.as_uuid()).collect(),
        }
    }
}

/// I11: what an integration would move and which conflicts it would resolve.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct PreviewView {
    /// What would move.
    pub counts: CountsView,
    /// Badges both hold (I3).
    pub badge_conflicts: Vec<BadgeConflictView>,
    /// Quizzes paused in both (I4).
    pub paused_conflicts: Vec<QuizConflictView>,
    /// Master-mode quizzes in both (I4).
    pub master_conflicts: Vec<QuizConflictView>,
    /// The source's certificates, which stay with it (I2).
    pub certificates_kept: u32,
}

impl From<IntegrationPreview> for PreviewView {
    fn from(p: IntegrationPreview) -> Self {
        let quiz = |v: Vec<QuizConflict>| v.into_iter().map(Into::into).collect();
        Self {
            counts: p.counts.into(),
            badge_conflicts: p.conflicts.badges.into_iter().map(Into::into).collect(),
            paused_conflicts: quiz(p.conflicts.paused),
            master_conflicts: quiz(p.conflicts.master),
            certificates_kept: p.certificates_kept,
        }
    }
}

/// A badge the integration gave the target.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct IntegratedBadgeView {
    /// The badge.
    pub badge_id: String,
    /// The award the target holds.
    pub award_id: Uuid,
    /// Its date after the integration.
    pub awarded_at: DateTime<Utc>,
    /// I3: the target's own date it replaced, when both held the badge.
    #[oai(nullable)]
    pub replaced_awarded_at: Option<DateTime<Utc>>,
}

impl From<IntegratedBadge> for IntegratedBadgeView {
    fn from(b: IntegratedBadge) -> Self {
        Self {
            badge_id: b.badge_id.as_str().to_owned(),
            award_id: b.award_id.as_uuid(),
            awarded_at: b.awarded_at,
            replaced_awarded_at: b.replaced_awarded_at,
        }
    }
}

/// I5: one integration with what it integrated.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct IntegrationDetailsView {
    /// The integration.
    pub integration: IntegrationItemView,
    /// L2: whether the caller holds `grades.view` over the target; when not, `scores` is
    /// empty (the counts still say how many moved).
    pub scores_visible: bool,
    /// The integrated scores.
    pub scores: Vec<ScoreView>,
    /// The integrated badges.
    pub badges: Vec<IntegratedBadgeView>,
    /// The integrated login history.
    pub logins: Vec<AccessLogView>,
}

impl From<IntegrationView> for IntegrationDetailsView {
    fn from(v: IntegrationView) -> Self {
        let d = v.details;
        Self {
            integration: d.integration.into(),
            scores_visible: v.scores_visible,
            scores: d.scores.into_iter().map(Into::into).collect(),
            badges: d.badges.into_iter().map(Into::into).collect(),
            logins: d.access_log.into_iter().map(Into::into).collect(),
        }
    }
}
