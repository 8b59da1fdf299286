//! The pure integration planner (I1–I4, I11): from both accounts' records to a plan.
//!
//! - I2: every source score (superseded ones too) and every source access-log entry moves to
//!   the target; source badges move unless the target holds the same badge; certificates
//!   never move.
//! - I3: for a badge both hold, the target's award (its earliest, by date then id) stays and
//!   takes the date and time of the source's earliest award; every source award of that
//!   badge is retired — deleted, with its snapshot in the undo record — so the target shows
//!   one award. The target's award keeps its id, so host references to it stay valid.
//! - I4: see `quiz` for the paused and master-mode rules.
//!
//! The plan depends only on the records (not their order, not the clock), so an adapter can
//! plan again inside its transaction and compare, to detect concurrent changes.

use super::plan::{BadgeConflict, Conflicts, IntegrationCounts, IntegrationPlan};
use super::quiz;
use super::records::{BadgeAward, Row, Score, UserRecords};
use super::store::{RecordChanges, RowChange};
use crate::ids::UserId;
use std::collections::BTreeMap;

/// Plans integrating `source` into `target`. The caller has checked the pair with
/// `check_integration` (distinct users, source invalid, target valid, no chain).
pub fn plan_integration(source: &UserRecords, target: &UserRecords) -> IntegrationPlan {
    let target_id = target.user_id;
    let source_scores = sorted(&source.scores);
    let target_scores = sorted(&target.scores);
    let quiz = quiz::resolve(&source_scores, &target_scores);

    let mut scores: Vec<RowChange<Score>> = Vec::new();
    for s in &source_scores {
        let mut after = moved(s, target_id);
        after.superseded |= quiz.superseded.contains(&s.id);
        scores.extend(RowChange::new(Some(s.clone()), Some(after)));
    }
    for t in target_scores
        .iter()
        .filter(|t| quiz.superseded.contains(&t.id))
    {
        let after = Score {
            superseded: true,
            ..t.clone()
        };
        scores.extend(RowChange::new(Some(t.clone()), Some(after)));
    }
    scores.sort_by_key(|c| c.id());

    let (badges, badge_conflicts, badges_moved) = plan_badges(source, target_id, target);

    let access_log: Vec<_> = sorted(&source.access_log)
        .into_iter()
        .filter_map(|e| {
            let after = moved(&e, target_id);
            RowChange::new(Some(e), Some(after))
        })
        .collect();

    let counts = IntegrationCounts {
        scores_moved: count(source_scores.len()),
        badges_moved,
        badges_merged: count(badge_conflicts.len()),
        access_log_moved: count(access_log.len()),
        scores_superseded: count(quiz.superseded.len()),
    };
    IntegrationPlan {
        source_user_id: source.user_id,
        target_user_id: target_id,
        source_version: source.version,
        target_version: target.version,
        changes: RecordChanges {
            scores,
            badges,
            access_log,
        },
        conflicts: Conflicts {
            badges: badge_conflicts,
            paused: quiz.paused,
            master: quiz.master,
        },
        counts,
        certificates_kept: count(source.certificates.len()),
    }
}

/// I2 + I3 for badges: the row changes, the conflicts, and how many awards moved as they are.
fn plan_badges(
    source: &UserRecords,
    target_id: UserId,
    target: &UserRecords,
) -> (Vec<RowChange<BadgeAward>>, Vec<BadgeConflict>, u32) {
    let by_key = |awards: &[BadgeAward]| {
        let mut map: BTreeMap<_, Vec<BadgeAward>> = BTreeMap::new();
        for award in awards {
            map.entry(award.badge_id.clone())
                .or_default()
                .push(award.clone());
        }
        // Earliest first: the representative award of a badge within one account.
        map.values_mut()
            .for_each(|v| v.sort_by_key(|a| (a.awarded_at, a.id)));
        map
    };
    let target_by_key = by_key(&target.badges);
    let (mut changes, mut conflicts, mut moved_count) = (Vec::new(), Vec::new(), 0);
    for (key, awards) in by_key(&source.badges) {
        let (Some(kept), Some(first)) = (
            target_by_key.get(&key).and_then(|v| v.first()),
            awards.first(),
        ) else {
            moved_count += count(awards.len());
            changes.extend(
                awards
                    .iter()
                    .filter_map(|a| RowChange::new(Some(a.clone()), Some(moved(a, target_id)))),
            );
            continue;
        };
        if kept.awarded_at != first.awarded_at {
            let after = BadgeAward {
                awarded_at: first.awarded_at,
                ..kept.clone()
            };
            changes.extend(RowChange::new(Some(kept.clone()), Some(after)));
        }
        changes.extend(
            awards
                .iter()
                .filter_map(|a| RowChange::new(Some(a.clone()), None)),
        );
        let mut retired: Vec<_> = awards.iter().map(|a| a.id).collect();
        retired.sort();
        conflicts.push(BadgeConflict {
            badge_id: key,
            target_award: kept.id,
            target_awarded_at: kept.awarded_at,
            source_award: first.id,
            source_awarded_at: first.awarded_at,
            retired_source_awards: retired,
        });
    }
    changes.sort_by_key(|c| c.id());
    (changes, conflicts, moved_count)
}

fn sorted<T: Row>(rows: &[T]) -> Vec<T> {
    let mut rows = rows.to_vec();
    rows.sort_by_key(Row::id);
    rows
}

/// The row handed to the target, otherwise unchanged.
fn moved<T: Row + Owned>(row: &T, target: UserId) -> T {
    let mut row = row.clone();
    row.set_owner(target);
    row
}

/// Rows whose owner the planner may change.
trait Owned {
    fn set_owner(&mut self, user: UserId);
}

macro_rules! owned {
    ($($ty:ty),*) => {$(
        impl Owned for $ty {
            fn set_owner(&mut self, user: UserId) {
                self.user_id = user;
            }
        }
    )*};
}
owned!(Score, BadgeAward, super::records::AccessLogEntry);

/// Counts fit in u32 by a wide margin; saturate rather than wrap if a host ever disagrees.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[path = "planner_tests.rs"]
mod tests;
