//! Cancel order (I6): an integration whose rows a later, still live integration into the
//! same target touched again must wait until that later one is cancelled.
//!
//! Why: both undo records then name the same row, each with the value it had just before
//! its own integration. Cancelling the earlier one first would restore the row under the
//! later integration's feet, and the later cancel would then put back the earlier
//! integration's value (a badge date from the wrong account). Cancelled later in the
//! opposite order — newest first — both restore exactly. Frozen later integrations cannot
//! be cancelled any more; their changes count as ordinary edits, which the snapshot
//! overrides. A bulk cancel orders its ids newest first, so cancelling both at once works.

use super::plan::UndoRecord;
use super::records::Row;
use crate::error::ErrorCode;
use crate::ids::IntegrationId;
use std::collections::BTreeSet;

/// The integration cannot be cancelled before a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "a later integration into the same user ({later}) changed the same records: cancel it first"
)]
pub struct CancelBlocked {
    /// The later live integration to cancel first.
    pub later: IntegrationId,
}

impl ErrorCode for CancelBlocked {
    fn code(&self) -> &'static str {
        "integration_cancel_later_first"
    }
}

/// Refuses cancelling `undo`'s integration while one of `later_live` — the undo records of
/// the live integrations into the same target made after it — names one of its rows.
pub fn check_cancel_order<'a>(
    undo: &UndoRecord,
    later_live: impl IntoIterator<Item = (IntegrationId, &'a UndoRecord)>,
) -> Result<(), CancelBlocked> {
    for (later, other) in later_live {
        if overlap(&undo.scores, &other.scores)
            || overlap(&undo.badges, &other.badges)
            || overlap(&undo.access_log, &other.access_log)
        {
            return Err(CancelBlocked { later });
        }
    }
    Ok(())
}

fn overlap<T: Row>(a: &[T], b: &[T]) -> bool {
    let ids: BTreeSet<T::Id> = a.iter().map(Row::id).collect();
    b.iter().any(|row| ids.contains(&row.id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::fixtures::*;
    use crate::integration::planner::plan_integration;
    use crate::integration::store::RecordSet;

    #[test]
    fn i6_later_integration_touching_the_same_badge_must_be_cancelled_first() {
        let (mut a, mut b, mut c) = (account(), account(), account());
        a.badges.push(badge(a.user_id, "gold", 10));
        b.badges.push(badge(b.user_id, "gold", 50));
        c.badges.push(badge(c.user_id, "gold", 5));
        c.scores.push(completed(c.user_id, "q", 1));
        let mut store = RecordSet::from_users([&a, &b, &c]);
        let first = plan_integration(&a, &b);
        first.apply_to(&mut store).unwrap();
        let second = plan_integration(&store.records_of(c.user_id), &store.records_of(b.user_id));
        second.apply_to(&mut store).unwrap();
        let later = IntegrationId::new();
        let err = check_cancel_order(&first.undo(), [(later, &second.undo())]).unwrap_err();
        assert_eq!(err.later, later);
        assert_eq!(err.code(), "integration_cancel_later_first");
        assert_eq!(check_cancel_order(&second.undo(), []), Ok(()));
    }

    #[test]
    fn i6_later_integration_on_other_rows_does_not_block() {
        let (mut a, b, mut c) = (account(), account(), account());
        a.scores.push(completed(a.user_id, "q", 1));
        c.scores.push(completed(c.user_id, "q", 2));
        let mut store = RecordSet::from_users([&a, &b, &c]);
        let first = plan_integration(&a, &b);
        first.apply_to(&mut store).unwrap();
        let second = plan_integration(&store.records_of(c.user_id), &store.records_of(b.user_id));
        let undo = second.undo();
        assert_eq!(
            check_cancel_order(&first.undo(), [(IntegrationId::new(), &undo)]),
            Ok(())
        );
    }
}
