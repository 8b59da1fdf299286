//! The planner's rules (I2, I3, I4, I11), one behaviour per test.

use super::*;
use crate::integration::fixtures::*;
use crate::integration::plan::{QuizRule, Side};
use crate::integration::records::{QuizMode, ScoreStatus};
use crate::integration::store::RecordSet;

/// Plans, applies to a store holding both accounts, and returns (plan, source, target after).
fn integrate(
    source: &UserRecords,
    target: &UserRecords,
) -> (IntegrationPlan, UserRecords, UserRecords) {
    let plan = plan_integration(source, target);
    let mut store = RecordSet::from_users([source, target]);
    plan.apply_to(&mut store).unwrap();
    let s = store.records_of(source.user_id);
    let t = store.records_of(target.user_id);
    (plan, s, t)
}

fn visible(records: &UserRecords) -> Vec<crate::ids::ScoreId> {
    let mut ids: Vec<_> = records
        .scores
        .iter()
        .filter(|s| s.is_visible())
        .map(|s| s.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn i2_scores_badges_and_log_move_certificates_stay() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source.scores.push(completed(s, "m1", 1));
    source.badges.push(badge(s, "gold", 2));
    source.access_log.push(login(s, 3));
    source.certificates.push(certificate(s, "cert"));
    target.scores.push(completed(t, "m2", 1));

    let (plan, after_s, after_t) = integrate(&source, &target);
    assert!(after_s.scores.is_empty() && after_s.badges.is_empty());
    assert!(after_s.access_log.is_empty());
    assert_eq!(
        after_s.certificates, source.certificates,
        "certificates stay"
    );
    assert_eq!(after_t.scores.len(), 2);
    assert_eq!(after_t.badges[0].id, source.badges[0].id);
    assert_eq!(after_t.badges[0].awarded_at, at(2));
    assert_eq!(after_t.access_log[0].id, source.access_log[0].id);
    assert!(after_t.certificates.is_empty());
    assert_eq!(plan.moved_scores(), vec![source.scores[0].id]);
    assert_eq!(plan.moved_badges(), vec![source.badges[0].id]);
    assert_eq!(plan.moved_access_log(), vec![source.access_log[0].id]);
    assert_eq!(plan.preview().certificates_kept, 1);
}

#[test]
fn i2_superseded_source_scores_move_and_stay_superseded() {
    let (mut source, target) = (account(), account());
    let mut old = paused(source.user_id, "m1", 1);
    old.superseded = true;
    source.scores.push(old.clone());
    let (plan, _, after_t) = integrate(&source, &target);
    assert_eq!(after_t.scores.len(), 1);
    assert!(after_t.scores[0].superseded);
    assert!(plan.superseded_changes().is_empty());
    assert!(
        plan.conflicts().paused.is_empty(),
        "superseded rows take no part"
    );
}

#[test]
fn i3_shared_badge_takes_source_date() {
    let (mut source, mut target) = (account(), account());
    let src_award = badge(source.user_id, "gold", 10);
    let tgt_award = badge(target.user_id, "gold", 50);
    source.badges.push(src_award.clone());
    target.badges.push(tgt_award.clone());

    let (plan, after_s, after_t) = integrate(&source, &target);
    assert!(after_s.badges.is_empty());
    assert_eq!(after_t.badges.len(), 1, "one award of the badge");
    assert_eq!(
        after_t.badges[0].id, tgt_award.id,
        "the target's award stays"
    );
    assert_eq!(
        after_t.badges[0].awarded_at,
        at(10),
        "with the source's date"
    );
    assert_eq!(plan.retired_badges(), vec![src_award.id]);
    let dates = plan.badge_date_changes();
    assert_eq!((dates[0].old, dates[0].new), (at(50), at(10)));
    let conflict = &plan.conflicts().badges[0];
    assert_eq!(conflict.target_awarded_at, at(50));
    assert_eq!(conflict.source_awarded_at, at(10));
    let undo = plan.undo();
    assert!(undo.badges.contains(&src_award) && undo.badges.contains(&tgt_award));
}

#[test]
fn i3_shared_badge_later_source_date_also_wins() {
    let (mut source, mut target) = (account(), account());
    source.badges.push(badge(source.user_id, "gold", 90));
    target.badges.push(badge(target.user_id, "gold", 5));
    let (_, _, after_t) = integrate(&source, &target);
    assert_eq!(after_t.badges[0].awarded_at, at(90));
}

#[test]
fn i3_same_date_only_retires_the_source_award() {
    let (mut source, mut target) = (account(), account());
    source.badges.push(badge(source.user_id, "gold", 7));
    target.badges.push(badge(target.user_id, "gold", 7));
    let (plan, _, after_t) = integrate(&source, &target);
    assert!(plan.badge_date_changes().is_empty());
    assert_eq!(plan.retired_badges().len(), 1);
    assert_eq!(after_t.badges.len(), 1);
    assert_eq!(plan.counts().badges_merged, 1);
}

#[test]
fn i3_source_duplicates_are_all_retired_and_earliest_date_wins() {
    let (mut source, mut target) = (account(), account());
    let s = source.user_id;
    source
        .badges
        .extend([badge(s, "gold", 30), badge(s, "gold", 20)]);
    source.badges.push(badge(s, "silver", 1));
    target.badges.push(badge(target.user_id, "gold", 99));
    let (plan, _, after_t) = integrate(&source, &target);
    assert_eq!(after_t.badges.len(), 2, "gold once, silver moved");
    let gold = after_t
        .badges
        .iter()
        .find(|b| b.badge_id.as_str() == "gold");
    assert_eq!(gold.map(|b| b.awarded_at), Some(at(20)));
    assert_eq!(plan.conflicts().badges[0].retired_source_awards.len(), 2);
    assert_eq!(plan.counts().badges_moved, 1);
}

#[test]
fn i4_paused_latest_wins() {
    let (mut source, mut target) = (account(), account());
    let newer = paused(source.user_id, "quiz", 20);
    let older = paused(target.user_id, "quiz", 10);
    source.scores.push(newer.clone());
    target.scores.push(older.clone());
    let (plan, _, after_t) = integrate(&source, &target);
    assert_eq!(
        visible(&after_t),
        vec![newer.id],
        "the latest paused one resumes"
    );
    assert!(
        after_t
            .scores
            .iter()
            .any(|s| s.id == older.id && s.superseded)
    );
    let conflict = &plan.conflicts().paused[0];
    assert_eq!(conflict.rule, QuizRule::Paused);
    assert_eq!(
        (conflict.winner, conflict.winner_side),
        (newer.id, Side::Source)
    );
    assert_eq!(conflict.superseded[0].id, older.id);
    let flags = plan.superseded_changes();
    assert_eq!(flags.len(), 1);
    assert_eq!(
        (flags[0].id, flags[0].old, flags[0].new),
        (older.id, false, true)
    );
}

#[test]
fn i4_paused_target_newer_supersedes_the_moved_source_attempt() {
    let (mut source, mut target) = (account(), account());
    let older = paused(source.user_id, "quiz", 10);
    let newer = paused(target.user_id, "quiz", 20);
    source.scores.push(older.clone());
    target.scores.push(newer.clone());
    let (plan, _, after_t) = integrate(&source, &target);
    assert_eq!(visible(&after_t), vec![newer.id]);
    let moved = after_t.scores.iter().find(|s| s.id == older.id);
    assert!(
        moved.is_some_and(|s| s.superseded),
        "moved, kept, not shown"
    );
    assert_eq!(plan.counts().scores_superseded, 1);
}

#[test]
fn i4_paused_tie_goes_to_the_target() {
    let (mut source, mut target) = (account(), account());
    source.scores.push(paused(source.user_id, "quiz", 10));
    let kept = paused(target.user_id, "quiz", 10);
    target.scores.push(kept.clone());
    let (_, _, after_t) = integrate(&source, &target);
    assert_eq!(visible(&after_t), vec![kept.id]);
}

#[test]
fn i4_paused_on_one_side_or_other_material_changes_nothing() {
    let (mut source, mut target) = (account(), account());
    source.scores.push(paused(source.user_id, "quiz-a", 10));
    target.scores.push(paused(target.user_id, "quiz-b", 20));
    target.scores.push(completed(target.user_id, "quiz-a", 30));
    let (plan, _, after_t) = integrate(&source, &target);
    assert_eq!(visible(&after_t).len(), 3);
    assert!(plan.conflicts().paused.is_empty());
    assert!(plan.superseded_changes().is_empty());
}

#[test]
fn i4_paused_several_on_both_sides_all_but_latest_superseded() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source
        .scores
        .extend([paused(s, "q", 1), paused(s, "q", 40)]);
    let latest = paused(t, "q", 50);
    target.scores.extend([paused(t, "q", 2), latest.clone()]);
    let (plan, _, after_t) = integrate(&source, &target);
    assert_eq!(visible(&after_t), vec![latest.id]);
    assert_eq!(plan.conflicts().paused[0].superseded.len(), 3);
}

#[test]
fn i4_master_continues_from_the_latest_result() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    let target_history = master(t, "q", 1);
    let target_current = master(t, "q", 5);
    let source_current = master(s, "q", 9);
    let source_history = master(s, "q", 3);
    source
        .scores
        .extend([source_history.clone(), source_current.clone()]);
    target
        .scores
        .extend([target_history.clone(), target_current.clone()]);
    let (plan, _, after_t) = integrate(&source, &target);
    let conflict = &plan.conflicts().master[0];
    assert_eq!(conflict.rule, QuizRule::Master);
    assert_eq!(conflict.winner, source_current.id);
    assert_eq!(conflict.superseded.len(), 1);
    assert_eq!(conflict.superseded[0].id, target_current.id);
    let superseded: Vec<_> = after_t.scores.iter().filter(|s| s.superseded).collect();
    assert_eq!(superseded.len(), 1, "only the losing side's current result");
    assert_eq!(superseded[0].id, target_current.id);
}

#[test]
fn i4_master_target_latest_supersedes_source_current() {
    let (mut source, mut target) = (account(), account());
    let source_current = master(source.user_id, "q", 4);
    source.scores.push(source_current.clone());
    target.scores.push(master(target.user_id, "q", 8));
    let (plan, _, _) = integrate(&source, &target);
    assert_eq!(plan.conflicts().master[0].winner_side, Side::Target);
    let flags = plan.superseded_changes();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].id, source_current.id);
}

#[test]
fn i4_master_ignores_normal_mode_paused_and_superseded_rows() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    let mut hidden = master(s, "q", 9);
    hidden.superseded = true;
    source.scores.extend([hidden, completed(s, "q", 8)]);
    source
        .scores
        .push(score(s, "q", ScoreStatus::Paused, QuizMode::Master, 7));
    target.scores.push(master(t, "q", 1));
    let plan = plan_integration(&source, &target);
    assert!(plan.conflicts().master.is_empty());
    assert!(plan.superseded_changes().is_empty());
}

#[test]
fn i11_preview_counts_and_conflicts() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source
        .scores
        .extend([completed(s, "a", 1), paused(s, "b", 9)]);
    source
        .badges
        .extend([badge(s, "gold", 1), badge(s, "silver", 2)]);
    source
        .access_log
        .extend([login(s, 1), login(s, 2), login(s, 3)]);
    source.certificates.push(certificate(s, "c"));
    target.scores.push(paused(t, "b", 5));
    target.badges.push(badge(t, "gold", 8));
    let preview = plan_integration(&source, &target).preview();
    assert_eq!(preview.counts.scores_moved, 2);
    assert_eq!(preview.counts.badges_moved, 1);
    assert_eq!(preview.counts.badges_merged, 1);
    assert_eq!(preview.counts.access_log_moved, 3);
    assert_eq!(preview.counts.scores_superseded, 1);
    assert_eq!(preview.certificates_kept, 1);
    assert_eq!(preview.conflicts.badges.len(), 1);
    assert_eq!(preview.conflicts.paused[0].winner_side, Side::Source);
}

#[test]
fn i11_preview_changes_nothing_and_ignores_row_order() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source
        .scores
        .extend([paused(s, "q", 1), master(s, "m", 2), completed(s, "x", 3)]);
    source.badges.extend([badge(s, "b1", 1), badge(s, "b2", 1)]);
    target.scores.extend([paused(t, "q", 4), master(t, "m", 1)]);
    target.badges.push(badge(t, "b2", 3));
    let (source0, target0) = (source.clone(), target.clone());
    let plan = plan_integration(&source, &target);
    assert_eq!((&source, &target), (&source0, &target0));
    source.scores.reverse();
    source.badges.reverse();
    target.scores.reverse();
    assert_eq!(plan_integration(&source, &target), plan);
}

#[test]
fn i6_undo_holds_the_prior_snapshot_of_every_touched_row() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source.scores.push(paused(s, "q", 9));
    source.badges.push(badge(s, "gold", 1));
    source.access_log.push(login(s, 1));
    let untouched = completed(t, "other", 1);
    target.scores.extend([paused(t, "q", 2), untouched.clone()]);
    target.badges.push(badge(t, "gold", 5));
    let undo = plan_integration(&source, &target).undo();
    assert_eq!(undo.source_user_id, s);
    assert_eq!(undo.target_user_id, t);
    assert_eq!(undo.scores.len(), 2);
    assert!(undo.scores.contains(&source.scores[0]));
    assert!(undo.scores.contains(&target.scores[0]));
    assert!(!undo.scores.contains(&untouched));
    assert_eq!(undo.badges.len(), 2);
    assert_eq!(undo.access_log, source.access_log);
}

#[test]
fn i10_apply_refuses_when_records_changed_since_the_plan() {
    let (mut source, mut target) = (account(), account());
    source.scores.push(paused(source.user_id, "q", 9));
    let plan = plan_integration(&source, &target);
    // A new paused attempt on the target changes the outcome of I4.
    target.scores.push(paused(target.user_id, "q", 20));
    let mut store = RecordSet::from_users([&source, &target]);
    let before = store.clone();
    let err = plan.apply_to(&mut store).unwrap_err();
    assert_eq!(crate::ErrorCode::code(&err), "integration_conflict");
    assert_eq!(store, before, "nothing written");
}

#[test]
fn i10_apply_tolerates_unrelated_target_activity() {
    let (mut source, mut target) = (account(), account());
    source.scores.push(paused(source.user_id, "q", 9));
    let plan = plan_integration(&source, &target);
    target.access_log.push(login(target.user_id, 30));
    let mut store = RecordSet::from_users([&source, &target]);
    assert_eq!(plan.apply_to(&mut store), Ok(()));
}

#[test]
fn i6_plan_and_undo_survive_storage_as_json() {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source.scores.extend([paused(s, "q", 9), master(s, "m", 3)]);
    source.badges.push(badge(s, "gold", 1));
    source.access_log.push(login(s, 2));
    target.scores.extend([paused(t, "q", 2), master(t, "m", 4)]);
    target.badges.push(badge(t, "gold", 5));
    let plan = plan_integration(&source, &target);
    let json = serde_json::to_string(&plan).unwrap();
    let stored: IntegrationPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(stored, plan);
    assert_eq!(stored.undo(), plan.undo());
}
