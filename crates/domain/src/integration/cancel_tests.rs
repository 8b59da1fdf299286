//! Cancel (I6): exact restore of both accounts, whatever happened since.

use super::*;
use crate::integration::fixtures::*;
use crate::integration::planner::plan_integration;
use crate::integration::records::UserRecords;
use crate::integration::store::RecordSet;

/// Integrates `source` into `target` in a fresh store; returns the store and the undo record.
fn integrated(source: &UserRecords, target: &UserRecords) -> (RecordSet, UndoRecord) {
    let mut store = RecordSet::from_users([source, target]);
    let plan = plan_integration(source, target);
    plan.apply_to(&mut store).unwrap();
    (store, plan.undo())
}

fn cancel(store: &mut RecordSet, undo: &UndoRecord) -> CancelSummary {
    let plan = plan_cancel(undo, store);
    plan.apply_to(store).unwrap();
    plan.summary()
}

#[test]
fn i6_cancel_returns_moved_records_to_the_source() {
    let (mut source, target) = (account(), account());
    let s = source.user_id;
    source.scores.push(completed(s, "q", 1));
    source.badges.push(badge(s, "gold", 1));
    source.access_log.push(login(s, 1));
    let (mut store, undo) = integrated(&source, &target);
    let summary = cancel(&mut store, &undo);
    assert_eq!(store.records_of(s), source);
    assert_eq!(store.records_of(target.user_id), target);
    assert_eq!((summary.scores_returned, summary.badges_returned), (1, 1));
    assert_eq!(summary.access_log_returned, 1);
}

#[test]
fn i6_cancel_restores_badge_dates() {
    let (mut source, mut target) = (account(), account());
    source.badges.push(badge(source.user_id, "gold", 10));
    target.badges.push(badge(target.user_id, "gold", 50));
    let (mut store, undo) = integrated(&source, &target);
    let summary = cancel(&mut store, &undo);
    assert_eq!(store.records_of(target.user_id).badges, target.badges);
    assert_eq!(
        store.records_of(source.user_id).badges,
        source.badges,
        "the retired source award is re-created"
    );
    assert_eq!(summary.target_rows_restored, 1);
    assert_eq!(summary.rows_recreated, 1);
}

#[test]
fn i6_cancel_restores_superseded_flags() {
    let (mut source, mut target) = (account(), account());
    source.scores.push(paused(source.user_id, "q", 20));
    target.scores.push(paused(target.user_id, "q", 10));
    target.scores.push(master(target.user_id, "m", 10));
    source.scores.push(master(source.user_id, "m", 20));
    let (mut store, undo) = integrated(&source, &target);
    cancel(&mut store, &undo);
    assert_eq!(store.records_of(source.user_id), source);
    assert_eq!(store.records_of(target.user_id), target);
}

#[test]
fn i6_records_added_to_the_target_afterwards_stay_with_the_target() {
    let (mut source, target) = (account(), account());
    source.scores.push(completed(source.user_id, "q", 1));
    let (mut store, undo) = integrated(&source, &target);
    let later = completed(target.user_id, "q", 99);
    let later_login = login(target.user_id, 99);
    store.scores.insert(later.id, later.clone());
    store.access_log.insert(later_login.id, later_login.clone());
    cancel(&mut store, &undo);
    let t = store.records_of(target.user_id);
    assert_eq!(t.scores, vec![later]);
    assert_eq!(t.access_log, vec![later_login]);
    assert_eq!(store.records_of(source.user_id), source);
}

#[test]
fn i6_moved_record_deleted_since_is_recreated() {
    let (mut source, target) = (account(), account());
    source.scores.push(completed(source.user_id, "q", 1));
    source.access_log.push(login(source.user_id, 1));
    let (mut store, undo) = integrated(&source, &target);
    // U6 purge of the target, then cancel: the source's grades come back to the source.
    store.scores.clear();
    store.access_log.clear();
    let summary = cancel(&mut store, &undo);
    assert_eq!(store.records_of(source.user_id), source);
    assert_eq!(summary.rows_recreated, 2);
}

#[test]
fn i6_moved_record_edited_since_is_restored_from_the_snapshot() {
    let (mut source, target) = (account(), account());
    source.scores.push(paused(source.user_id, "q", 1));
    let (mut store, undo) = integrated(&source, &target);
    let id = source.scores[0].id;
    if let Some(row) = store.scores.get_mut(&id) {
        row.status = crate::integration::records::ScoreStatus::Completed;
        row.study_seconds = 999;
    }
    cancel(&mut store, &undo);
    assert_eq!(store.scores[&id], source.scores[0], "the snapshot wins");
}

#[test]
fn i6_target_award_deleted_since_is_recreated_with_its_own_date() {
    let (mut source, mut target) = (account(), account());
    source.badges.push(badge(source.user_id, "gold", 10));
    target.badges.push(badge(target.user_id, "gold", 50));
    let (mut store, undo) = integrated(&source, &target);
    store.badges.clear();
    cancel(&mut store, &undo);
    assert_eq!(store.records_of(target.user_id).badges, target.badges);
    assert_eq!(store.records_of(source.user_id).badges, source.badges);
}

#[test]
fn i6_row_now_with_a_third_account_is_left_there() {
    let (mut source, target) = (account(), account());
    source.scores.push(completed(source.user_id, "q", 1));
    let (mut store, undo) = integrated(&source, &target);
    let third = crate::ids::UserId::new();
    let id = source.scores[0].id;
    if let Some(row) = store.scores.get_mut(&id) {
        row.user_id = third;
    }
    let summary = cancel(&mut store, &undo);
    assert_eq!(store.scores[&id].user_id, third);
    assert_eq!(summary.rows_left_elsewhere, 1);
    assert_eq!(summary.scores_returned, 0);
}

#[test]
fn i6_planning_cancel_again_after_it_is_applied_changes_nothing() {
    let (mut source, mut target) = (account(), account());
    source.scores.push(paused(source.user_id, "q", 20));
    target.scores.push(paused(target.user_id, "q", 10));
    let (mut store, undo) = integrated(&source, &target);
    cancel(&mut store, &undo);
    let again = plan_cancel(&undo, &store);
    assert!(again.changes().is_empty());
    assert_eq!(again.summary(), CancelSummary::default());
}
