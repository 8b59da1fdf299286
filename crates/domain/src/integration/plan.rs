//! The integration plan (I1–I4, I11): a plain value saying which rows move, which fields
//! change (old and new value), which conflicts were resolved, and — through `undo` — the
//! prior snapshot of every row it touches. `planner` computes it; a port applies it.

use super::keys::{BadgeKey, MaterialId};
use super::records::{AccessLogEntry, BadgeAward, RecordsVersion, Row, Score, UserRecords};
use super::store::{RecordChanges, RecordSet, RowChange, StaleRecords};
use crate::ids::{AccessLogId, BadgeAwardId, ScoreId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which account of the integration a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The invalid account being integrated.
    Source,
    /// The valid account that keeps everything.
    Target,
}

/// I3: a badge both accounts hold. The target's award `target_award` stays and takes
/// `source_awarded_at`; every source award of that badge is retired (deleted, snapshot kept
/// in the undo record), so the target shows one award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeConflict {
    /// The badge.
    pub badge_id: BadgeKey,
    /// The target's award that remains (its earliest, when it held several).
    pub target_award: BadgeAwardId,
    /// The target award's date before the integration.
    pub target_awarded_at: DateTime<Utc>,
    /// The source's award whose date wins (its earliest, when it held several).
    pub source_award: BadgeAwardId,
    /// The date the target's award ends with.
    pub source_awarded_at: DateTime<Utc>,
    /// Every source award of this badge, all retired (`source_award` included).
    pub retired_source_awards: Vec<BadgeAwardId>,
}

/// Which I4 rule resolved a quiz conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizRule {
    /// Both accounts had a visible paused attempt on the material.
    Paused,
    /// Both accounts had a visible completed master-mode result on the material.
    Master,
}

/// An attempt that lost a quiz conflict: kept, flagged superseded, not shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupersededAttempt {
    /// The score row.
    pub id: ScoreId,
    /// Where it came from.
    pub side: Side,
    /// Its study time.
    pub studied_at: DateTime<Utc>,
}

/// I4: a material where both accounts had a "current" attempt; `winner` is the one the
/// learner continues from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizConflict {
    /// The material.
    pub material_id: MaterialId,
    /// The rule applied.
    pub rule: QuizRule,
    /// The attempt that stays current.
    pub winner: ScoreId,
    /// Where the winner came from.
    pub winner_side: Side,
    /// The winner's study time.
    pub winner_studied_at: DateTime<Utc>,
    /// The attempts now superseded, ordered by id.
    pub superseded: Vec<SupersededAttempt>,
}

/// The conflicts a plan resolves, for the preview (I11) and the details (I5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflicts {
    /// Badges both accounts hold, ordered by badge key.
    pub badges: Vec<BadgeConflict>,
    /// Paused quizzes in both accounts, ordered by material.
    pub paused: Vec<QuizConflict>,
    /// Master-mode quizzes in both accounts, ordered by material.
    pub master: Vec<QuizConflict>,
}

/// How much an integration moves; kept on the integration for the list (I5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationCounts {
    /// Source scores moved to the target (superseded ones included).
    pub scores_moved: u32,
    /// Source badge awards moved to the target as they are.
    pub badges_moved: u32,
    /// Badges both held, merged into the target's award (I3).
    pub badges_merged: u32,
    /// Source access-log entries moved.
    pub access_log_moved: u32,
    /// Score rows flagged superseded by I4, on either side.
    pub scores_superseded: u32,
}

/// One field of one row: its value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange<I, V> {
    /// The row.
    pub id: I,
    /// The value before.
    pub old: V,
    /// The value after.
    pub new: V,
}

/// Everything needed to restore both accounts exactly (I6): the full prior snapshot of every
/// row the integration moved, changed or retired. Stored with the integration, so a row
/// deleted later can still be re-created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoRecord {
    /// The source account.
    pub source_user_id: UserId,
    /// The target account.
    pub target_user_id: UserId,
    /// Score rows as they were, ordered by id.
    pub scores: Vec<Score>,
    /// Badge rows as they were, ordered by id.
    pub badges: Vec<BadgeAward>,
    /// Access-log rows as they were, ordered by id.
    pub access_log: Vec<AccessLogEntry>,
}

/// What a preview shows (I11), before anything changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationPreview {
    /// How much moves.
    pub counts: IntegrationCounts,
    /// Conflicts and how they are resolved.
    pub conflicts: Conflicts,
    /// Source certificates, which stay with the source (I2).
    pub certificates_kept: u32,
}

/// An integration plan. Built only by `plan_integration` (or read back from storage, through
/// the compact form in `stored`). Equality compares what the plan does, not the record
/// versions it was read at.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "super::stored::StoredPlan")]
pub struct IntegrationPlan {
    pub(super) source_user_id: UserId,
    pub(super) target_user_id: UserId,
    /// The versions of the source's and the target's records the plan was made from.
    pub(super) source_version: Option<RecordsVersion>,
    pub(super) target_version: Option<RecordsVersion>,
    pub(super) changes: RecordChanges,
    pub(super) conflicts: Conflicts,
    pub(super) counts: IntegrationCounts,
    pub(super) certificates_kept: u32,
}

impl PartialEq for IntegrationPlan {
    fn eq(&self, other: &Self) -> bool {
        self.source_user_id == other.source_user_id
            && self.target_user_id == other.target_user_id
            && self.changes == other.changes
            && self.conflicts == other.conflicts
            && self.counts == other.counts
            && self.certificates_kept == other.certificates_kept
    }
}

impl Eq for IntegrationPlan {}

impl IntegrationPlan {
    /// The source account.
    pub fn source_user_id(&self) -> UserId {
        self.source_user_id
    }
    /// The target account.
    pub fn target_user_id(&self) -> UserId {
        self.target_user_id
    }
    /// Every row change, with full before and after rows.
    pub fn changes(&self) -> &RecordChanges {
        &self.changes
    }
    /// I10: the versions of the source's and the target's records this plan was made from
    /// (`UserRecords::version`). While both are still current the records are as planned,
    /// and an adapter need not read and plan them again to know it.
    pub fn read_versions(&self) -> (Option<RecordsVersion>, Option<RecordsVersion>) {
        (self.source_version, self.target_version)
    }
    /// The conflicts resolved.
    pub fn conflicts(&self) -> &Conflicts {
        &self.conflicts
    }
    /// How much moves.
    pub fn counts(&self) -> IntegrationCounts {
        self.counts
    }

    /// The preview (I11).
    pub fn preview(&self) -> IntegrationPreview {
        IntegrationPreview {
            counts: self.counts,
            conflicts: self.conflicts.clone(),
            certificates_kept: self.certificates_kept,
        }
    }

    /// Score rows that move from source to target.
    pub fn moved_scores(&self) -> Vec<ScoreId> {
        self.moved(&self.changes.scores)
    }
    /// Badge awards that move from source to target.
    pub fn moved_badges(&self) -> Vec<BadgeAwardId> {
        self.moved(&self.changes.badges)
    }
    /// Access-log entries that move from source to target.
    pub fn moved_access_log(&self) -> Vec<AccessLogId> {
        self.moved(&self.changes.access_log)
    }

    /// I4: superseded flags that change.
    pub fn superseded_changes(&self) -> Vec<FieldChange<ScoreId, bool>> {
        field_changes(&self.changes.scores, |s| s.superseded)
    }
    /// I3: award dates that change.
    pub fn badge_date_changes(&self) -> Vec<FieldChange<BadgeAwardId, DateTime<Utc>>> {
        field_changes(&self.changes.badges, |b| b.awarded_at)
    }
    /// I3: badge awards retired (deleted; their snapshot is in the undo record).
    pub fn retired_badges(&self) -> Vec<BadgeAwardId> {
        let retired = self.changes.badges.iter().filter(|c| c.after().is_none());
        retired.filter_map(RowChange::id).collect()
    }

    /// The prior snapshot of every row this plan touches.
    pub fn undo(&self) -> UndoRecord {
        UndoRecord {
            source_user_id: self.source_user_id,
            target_user_id: self.target_user_id,
            scores: befores(&self.changes.scores),
            badges: befores(&self.changes.badges),
            access_log: befores(&self.changes.access_log),
        }
    }

    /// Every row this plan touches as applying it leaves them (retired rows absent): what
    /// `plan_cancel` finds as the current rows while neither account changed since (I6).
    pub fn applied_rows(&self) -> RecordSet {
        let mut rows = RecordSet::default();
        rows.insert_all(&UserRecords {
            scores: afters(&self.changes.scores),
            badges: afters(&self.changes.badges),
            access_log: afters(&self.changes.access_log),
            ..UserRecords::empty(self.target_user_id)
        });
        rows
    }

    /// Applies the plan to an in-memory store, as an adapter does in its transaction: the
    /// plan made from the store's current records must equal this one (else someone changed
    /// the records since — `StaleRecords`, nothing written), then every change is written.
    pub fn apply_to(&self, store: &mut RecordSet) -> Result<(), StaleRecords> {
        let now = super::planner::plan_integration(
            &store.records_of(self.source_user_id),
            &store.records_of(self.target_user_id),
        );
        if now != *self {
            return Err(StaleRecords {
                detail: "the source's or target's records changed since the preview".into(),
            });
        }
        self.changes.apply_to(store)
    }

    fn moved<T: Row>(&self, changes: &[RowChange<T>]) -> Vec<T::Id> {
        changes
            .iter()
            .filter(|c| {
                c.before().map(Row::owner) == Some(self.source_user_id)
                    && c.after().map(Row::owner) == Some(self.target_user_id)
            })
            .filter_map(RowChange::id)
            .collect()
    }
}

fn field_changes<T: Row, V: PartialEq>(
    changes: &[RowChange<T>],
    field: impl Fn(&T) -> V,
) -> Vec<FieldChange<T::Id, V>> {
    changes
        .iter()
        .filter_map(|c| match (c.before(), c.after()) {
            (Some(b), Some(a)) if field(b) != field(a) => Some(FieldChange {
                id: b.id(),
                old: field(b),
                new: field(a),
            }),
            _ => None,
        })
        .collect()
}

fn afters<T: Row>(changes: &[RowChange<T>]) -> Vec<T> {
    changes.iter().filter_map(|c| c.after().cloned()).collect()
}

fn befores<T: Row>(changes: &[RowChange<T>]) -> Vec<T> {
    changes.iter().filter_map(|c| c.before().cloned()).collect()
}
