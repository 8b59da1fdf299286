//! The stored form: versions kept, changes derived exactly, inconsistent snapshots refused.

use super::super::fixtures::*;
use super::super::planner::plan_integration;
use super::super::records::RecordsVersion;
use super::IntegrationPlan;

fn mixed_plan() -> IntegrationPlan {
    let (mut source, mut target) = (account(), account());
    let (s, t) = (source.user_id, target.user_id);
    source
        .scores
        .extend([paused(s, "q", 9), master(s, "m", 3), completed(s, "c", 1)]);
    source.badges.extend([
        badge(s, "gold", 1),
        badge(s, "gold", 4),
        badge(s, "silver", 2),
    ]);
    source.access_log.push(login(s, 2));
    target.scores.extend([paused(t, "q", 2), master(t, "m", 4)]);
    target.badges.push(badge(t, "gold", 5));
    source.version = Some(RecordsVersion::new(7));
    target.version = Some(RecordsVersion::new(11));
    plan_integration(&source, &target)
}

#[test]
fn i6_stored_plan_keeps_versions_and_every_change() {
    let plan = mixed_plan();
    let json = serde_json::to_string(&plan).unwrap();
    let stored: IntegrationPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(stored.changes(), plan.changes());
    assert_eq!(stored.conflicts(), plan.conflicts());
    assert_eq!(stored.read_versions(), plan.read_versions());
    assert_eq!(
        plan.read_versions(),
        (Some(RecordsVersion::new(7)), Some(RecordsVersion::new(11)))
    );
    assert!(!plan.retired_badges().is_empty() && !plan.badge_date_changes().is_empty());
    assert!(!plan.superseded_changes().is_empty());
}

#[test]
fn i6_stored_plan_refuses_a_snapshot_no_conflict_explains() {
    let plan = mixed_plan();
    let mut json: serde_json::Value = serde_json::to_value(&plan).unwrap();
    // The target's gold award claims to be the target's, but no conflict names it now.
    json["conflicts"]["badges"] = serde_json::json!([]);
    let err = serde_json::from_value::<IntegrationPlan>(json).unwrap_err();
    assert!(err.to_string().contains("inconsistent"), "{err}");
}

#[test]
fn i10_plans_equal_whatever_versions_they_were_read_at() {
    let (mut source, target) = (account(), account());
    source.scores.push(completed(source.user_id, "c", 1));
    let unversioned = plan_integration(&source, &target);
    source.version = Some(RecordsVersion::new(3));
    assert_eq!(plan_integration(&source, &target), unversioned);
}
