//! The stored form of an integration plan (I5, I6): the prior snapshot of every row it
//! touches, once, and the resolved conflicts — not every row before *and* after. Every
//! after-state follows from the snapshot and the conflicts, as the planner made it: a source
//! row moves to the target (and is superseded when a quiz conflict says so), a target score
//! named superseded is flagged, a target badge award takes the source's date, a retired
//! source award is deleted. Half the size of the full plan, and no redundant copy for a
//! reader to trust, so a 100k-row plan stays cheap to store and read back.
//!
//! `IntegrationPlan` serializes through this form; reading it back derives the changes and
//! refuses a snapshot the conflicts do not explain (corrupt storage), so a stored plan reads
//! back equal to the plan that was stored.

use super::plan::{Conflicts, IntegrationCounts, IntegrationPlan};
use super::records::{AccessLogEntry, BadgeAward, RecordsVersion, Row, Score};
use super::store::{RecordChanges, RowChange};
use crate::ids::{BadgeAwardId, ScoreId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

/// The owned stored form, read back.
#[derive(Debug, Deserialize)]
pub struct StoredPlan {
    source_user_id: UserId,
    target_user_id: UserId,
    source_version: Option<RecordsVersion>,
    target_version: Option<RecordsVersion>,
    conflicts: Conflicts,
    counts: IntegrationCounts,
    certificates_kept: u32,
    scores: Vec<Score>,
    badges: Vec<BadgeAward>,
    access_log: Vec<AccessLogEntry>,
}

/// The same form, borrowed from a plan for writing (field for field like `StoredPlan`, so
/// both self-describing formats and positional ones such as postcard read it back).
#[derive(Serialize)]
struct StoredPlanRef<'a> {
    source_user_id: UserId,
    target_user_id: UserId,
    source_version: Option<RecordsVersion>,
    target_version: Option<RecordsVersion>,
    conflicts: &'a Conflicts,
    counts: IntegrationCounts,
    certificates_kept: u32,
    scores: Vec<&'a Score>,
    badges: Vec<&'a BadgeAward>,
    access_log: Vec<&'a AccessLogEntry>,
}

fn befores<T: Row>(changes: &[RowChange<T>]) -> Vec<&T> {
    changes.iter().filter_map(RowChange::before).collect()
}

impl Serialize for IntegrationPlan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let changes = &self.changes;
        StoredPlanRef {
            source_user_id: self.source_user_id,
            target_user_id: self.target_user_id,
            source_version: self.source_version,
            target_version: self.target_version,
            conflicts: &self.conflicts,
            counts: self.counts,
            certificates_kept: self.certificates_kept,
            scores: befores(&changes.scores),
            badges: befores(&changes.badges),
            access_log: befores(&changes.access_log),
        }
        .serialize(serializer)
    }
}

/// A stored plan whose snapshots its conflicts do not explain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored integration plan is inconsistent: {0}")]
pub struct CorruptPlan(String);

fn corrupt(kind: &str, id: impl std::fmt::Debug) -> CorruptPlan {
    CorruptPlan(format!(
        "{kind} row {id:?} is neither moved nor named by a conflict"
    ))
}

impl TryFrom<StoredPlan> for IntegrationPlan {
    type Error = CorruptPlan;

    fn try_from(stored: StoredPlan) -> Result<Self, CorruptPlan> {
        let (source, target) = (stored.source_user_id, stored.target_user_id);
        let conflicts = &stored.conflicts;
        let superseded: BTreeSet<ScoreId> = conflicts
            .paused
            .iter()
            .chain(&conflicts.master)
            .flat_map(|c| c.superseded.iter().map(|a| a.id))
            .collect();
        let retired: BTreeSet<BadgeAwardId> = conflicts
            .badges
            .iter()
            .flat_map(|c| c.retired_source_awards.iter().copied())
            .collect();
        let dated: BTreeMap<BadgeAwardId, DateTime<Utc>> = conflicts
            .badges
            .iter()
            .map(|c| (c.target_award, c.source_awarded_at))
            .collect();

        let mut scores = Vec::with_capacity(stored.scores.len());
        for before in stored.scores {
            let mut after = before.clone();
            if before.user_id == source {
                after.user_id = target;
                after.superseded |= superseded.contains(&before.id);
            } else if before.user_id == target && superseded.contains(&before.id) {
                after.superseded = true;
            } else {
                return Err(corrupt("score", before.id));
            }
            scores.extend(RowChange::new(Some(before), Some(after)));
        }
        let mut badges = Vec::with_capacity(stored.badges.len());
        for before in stored.badges {
            let after = if before.user_id == source && retired.contains(&before.id) {
                None
            } else if before.user_id == source {
                Some(BadgeAward {
                    user_id: target,
                    ..before.clone()
                })
            } else if let Some(&awarded_at) =
                dated.get(&before.id).filter(|_| before.user_id == target)
            {
                Some(BadgeAward {
                    awarded_at,
                    ..before.clone()
                })
            } else {
                return Err(corrupt("badge", before.id));
            };
            badges.extend(RowChange::new(Some(before), after));
        }
        let mut access_log = Vec::with_capacity(stored.access_log.len());
        for before in stored.access_log {
            if before.user_id != source {
                return Err(corrupt("access-log", before.id));
            }
            let after = AccessLogEntry {
                user_id: target,
                ..before.clone()
            };
            access_log.extend(RowChange::new(Some(before), Some(after)));
        }
        Ok(Self {
            source_user_id: source,
            target_user_id: target,
            source_version: stored.source_version,
            target_version: stored.target_version,
            changes: RecordChanges {
                scores,
                badges,
                access_log,
            },
            conflicts: stored.conflicts,
            counts: stored.counts,
            certificates_kept: stored.certificates_kept,
        })
    }
}

#[cfg(test)]
#[path = "stored_tests.rs"]
mod tests;
