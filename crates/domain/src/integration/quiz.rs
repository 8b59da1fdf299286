//! I4: which attempt stays current when both accounts worked on one quiz.
//!
//! Only visible (not superseded) rows take part; nothing else changes.
//! - **Paused**: for a material where the source and the target each have at least one
//!   visible paused attempt (any mode), the paused attempt with the latest `studied_at` among
//!   all of them wins; every other visible paused attempt of that material, on either side,
//!   is superseded.
//! - **Master**: for a material where each side has a visible completed master-mode result,
//!   each side's *current* result is its latest one (by `studied_at`, then id). The later of
//!   the two current results wins; the losing side's current result — and only it — is
//!   superseded. Older results stay visible history, as they were in their own account.
//!
//! Ties on `studied_at` go to the target (the account that continues keeps its own attempt),
//! then to the larger id (UUIDv7: created later). Paused attempts are governed only by the
//! paused rule, completed ones only by the master rule, so no row is judged twice.

use super::keys::MaterialId;
use super::plan::{QuizConflict, QuizRule, Side, SupersededAttempt};
use super::records::{QuizMode, Score, ScoreStatus};
use crate::ids::ScoreId;
use std::collections::{BTreeMap, BTreeSet};

/// What the I4 rules decided.
#[derive(Debug, Default)]
pub(super) struct QuizOutcome {
    pub paused: Vec<QuizConflict>,
    pub master: Vec<QuizConflict>,
    pub superseded: BTreeSet<ScoreId>,
}

type ByMaterial<'a> = BTreeMap<&'a MaterialId, Vec<(Side, &'a Score)>>;

/// Applies both rules to the two accounts' scores.
pub(super) fn resolve(source: &[Score], target: &[Score]) -> QuizOutcome {
    let mut outcome = QuizOutcome::default();
    let paused = |s: &&Score| s.is_visible() && s.status == ScoreStatus::Paused;
    let both_paused = in_both(
        group(source.iter().filter(paused), Side::Source),
        group(target.iter().filter(paused), Side::Target),
    );
    for (material, attempts) in both_paused {
        outcome.record(material, QuizRule::Paused, attempts);
    }

    let master = |s: &&Score| {
        s.is_visible() && s.status == ScoreStatus::Completed && s.mode == QuizMode::Master
    };
    let both_master = in_both(
        latest_per_material(source.iter().filter(master), Side::Source),
        latest_per_material(target.iter().filter(master), Side::Target),
    );
    for (material, current) in both_master {
        outcome.record(material, QuizRule::Master, current);
    }
    outcome
}

impl QuizOutcome {
    fn record(&mut self, material: &MaterialId, rule: QuizRule, attempts: Vec<(Side, &Score)>) {
        let Some(&(winner_side, winner)) = attempts.iter().max_by_key(|(side, s)| rank(*side, s))
        else {
            return;
        };
        let mut superseded: Vec<SupersededAttempt> = attempts
            .iter()
            .filter(|(_, s)| s.id != winner.id)
            .map(|(side, s)| SupersededAttempt {
                id: s.id,
                side: *side,
                studied_at: s.studied_at,
            })
            .collect();
        superseded.sort_by_key(|a| a.id);
        self.superseded.extend(superseded.iter().map(|a| a.id));
        let conflict = QuizConflict {
            material_id: material.clone(),
            rule,
            winner: winner.id,
            winner_side,
            winner_studied_at: winner.studied_at,
            superseded,
        };
        match rule {
            QuizRule::Paused => self.paused.push(conflict),
            QuizRule::Master => self.master.push(conflict),
        }
    }
}

/// The order "latest wins" follows: study time, then the target, then the later id.
fn rank(side: Side, score: &Score) -> impl Ord {
    (score.studied_at, side == Side::Target, score.id)
}

fn group<'a>(scores: impl Iterator<Item = &'a Score>, side: Side) -> ByMaterial<'a> {
    let mut map = ByMaterial::new();
    for s in scores {
        map.entry(&s.material_id).or_default().push((side, s));
    }
    map
}

fn latest_per_material<'a>(scores: impl Iterator<Item = &'a Score>, side: Side) -> ByMaterial<'a> {
    let mut map: BTreeMap<&MaterialId, &Score> = BTreeMap::new();
    for s in scores {
        let slot = map.entry(&s.material_id).or_insert(s);
        if (s.studied_at, s.id) > (slot.studied_at, slot.id) {
            *slot = s;
        }
    }
    map.into_iter().map(|(m, s)| (m, vec![(side, s)])).collect()
}

/// Materials present on both sides, with both sides' attempts together.
fn in_both<'a>(mut source: ByMaterial<'a>, target: ByMaterial<'a>) -> ByMaterial<'a> {
    target
        .into_iter()
        .filter_map(|(m, mut t)| {
            let mut s = source.remove(m)?;
            s.append(&mut t);
            Some((m, s))
        })
        .collect()
}
