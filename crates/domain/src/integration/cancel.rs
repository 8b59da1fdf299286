//! Cancel (I6): the plan that puts back every row an integration touched, exactly as its
//! snapshot in the undo record says — beyond the seed product, badge dates and superseded
//! flags come back too, and retired badge awards are re-created.
//!
//! For each snapshot row, by what is there now:
//! - the row is owned by the source or the target: it is restored to the snapshot, whatever
//!   was edited since (the snapshot wins — a moved score goes back to the source as it was,
//!   the target's badge gets its own date back, a superseded flag is cleared);
//! - the row is gone (deleted since, or retired by this integration): it is re-created from
//!   the snapshot — "a row deleted later can still be restored";
//! - the row is owned by a third account: it is left there, not taken from its new owner.
//!   Roster's own operations never put it there (chains are refused, I10, and cancels that
//!   share rows go newest first, `order`), so only a change outside Roster can.
//!
//! Rows the undo record does not name — records added since, on either side — are not
//! touched: what was added to the target after the integration stays with the target.

use super::plan::UndoRecord;
use super::records::Row;
use super::store::{RecordChanges, RecordSet, RowChange, StaleRecords};
use crate::ids::UserId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a cancel does, in numbers (for the per-id result and the audit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelSummary {
    /// Scores that end with the source again.
    pub scores_returned: u32,
    /// Badge awards that end with the source again (re-created retired ones included).
    pub badges_returned: u32,
    /// Access-log entries that end with the source again.
    pub access_log_returned: u32,
    /// Target rows given back their own values (badge dates, superseded flags).
    pub target_rows_restored: u32,
    /// Rows that were absent and are re-created from their snapshot.
    pub rows_recreated: u32,
    /// Rows left with a third account (see the module doc).
    pub rows_left_elsewhere: u32,
}

/// The changes one cancel writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelPlan {
    source_user_id: UserId,
    target_user_id: UserId,
    changes: RecordChanges,
    summary: CancelSummary,
}

impl CancelPlan {
    /// The source account.
    pub fn source_user_id(&self) -> UserId {
        self.source_user_id
    }
    /// The target account.
    pub fn target_user_id(&self) -> UserId {
        self.target_user_id
    }
    /// Every row change, before (as now) and after (the snapshot).
    pub fn changes(&self) -> &RecordChanges {
        &self.changes
    }
    /// The numbers.
    pub fn summary(&self) -> CancelSummary {
        self.summary
    }
    /// Applies the plan to an in-memory store; all or nothing.
    pub fn apply_to(&self, store: &mut RecordSet) -> Result<(), StaleRecords> {
        self.changes.apply_to(store)
    }
}

/// Plans cancelling the integration `undo` belongs to. `current` must hold, for every row id
/// the undo record names, that row as it is now wherever it is (absent: deleted); other
/// rows in it are ignored. An adapter computes this inside its cancel transaction from rows
/// read there, so the plan cannot be stale.
pub fn plan_cancel(undo: &UndoRecord, current: &RecordSet) -> CancelPlan {
    let mut planner = CancelPlanner {
        source: undo.source_user_id,
        target: undo.target_user_id,
        summary: CancelSummary::default(),
    };
    let mut returned = [0u32; 3];
    let changes = RecordChanges {
        scores: planner.restore(&undo.scores, &current.scores, &mut returned[0]),
        badges: planner.restore(&undo.badges, &current.badges, &mut returned[1]),
        access_log: planner.restore(&undo.access_log, &current.access_log, &mut returned[2]),
    };
    let [scores, badges, log] = returned;
    CancelPlan {
        source_user_id: undo.source_user_id,
        target_user_id: undo.target_user_id,
        changes,
        summary: CancelSummary {
            scores_returned: scores,
            badges_returned: badges,
            access_log_returned: log,
            ..planner.summary
        },
    }
}

struct CancelPlanner {
    source: UserId,
    target: UserId,
    summary: CancelSummary,
}

impl CancelPlanner {
    fn restore<T: Row>(
        &mut self,
        snapshots: &[T],
        current: &BTreeMap<T::Id, T>,
        returned: &mut u32,
    ) -> Vec<RowChange<T>> {
        let mut changes = Vec::new();
        for snapshot in snapshots {
            let now = current.get(&snapshot.id());
            match now {
                Some(row) if row.owner() != self.source && row.owner() != self.target => {
                    self.summary.rows_left_elsewhere += 1;
                    continue;
                }
                Some(row) if row == snapshot => continue,
                Some(_) => {}
                None => self.summary.rows_recreated += 1,
            }
            if snapshot.owner() == self.source {
                *returned += 1;
            } else {
                self.summary.target_rows_restored += 1;
            }
            changes.extend(RowChange::new(now.cloned(), Some(snapshot.clone())));
        }
        changes
    }
}

#[cfg(test)]
#[path = "cancel_tests.rs"]
mod tests;
