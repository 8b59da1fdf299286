//! Every transition of the integration state machine (I6–I9).

use super::*;
use crate::integration::fixtures::{account, at};
use crate::integration::planner::plan_integration;
use crate::user::UserStatus;
use crate::user::user::fixtures::user;
use IntegrationEvent as E;
use IntegrationState as S;

#[test]
fn i6_live_cancel_becomes_cancelled() {
    assert_eq!(S::Live.on(E::Cancel), Ok(Transition::To(S::Cancelled)));
}

#[test]
fn i8_live_source_deleted_becomes_frozen() {
    assert_eq!(S::Live.on(E::SourceDeleted), Ok(Transition::To(S::Frozen)));
}

#[test]
fn i9_live_target_deleted_removes_history() {
    assert_eq!(S::Live.on(E::TargetDeleted), Ok(Transition::Remove));
}

#[test]
fn i6_cancelling_a_cancelled_one_is_refused() {
    let err = S::Cancelled.on(E::Cancel).unwrap_err();
    assert_eq!(err, IntegrationStateError::AlreadyCancelled);
    assert_eq!(err.code(), "integration_already_cancelled");
}

#[test]
fn i8_cancelled_source_deleted_stays_cancelled() {
    assert_eq!(
        S::Cancelled.on(E::SourceDeleted),
        Ok(Transition::To(S::Cancelled))
    );
}

#[test]
fn i9_cancelled_target_deleted_removes_history() {
    assert_eq!(S::Cancelled.on(E::TargetDeleted), Ok(Transition::Remove));
}

#[test]
fn i8_cancelling_a_frozen_one_is_refused() {
    let err = S::Frozen.on(E::Cancel).unwrap_err();
    assert_eq!(err, IntegrationStateError::Frozen);
    assert_eq!(err.code(), "integration_frozen");
}

#[test]
fn i8_frozen_source_deleted_again_stays_frozen() {
    assert_eq!(
        S::Frozen.on(E::SourceDeleted),
        Ok(Transition::To(S::Frozen))
    );
}

#[test]
fn i9_frozen_target_deleted_removes_history() {
    assert_eq!(S::Frozen.on(E::TargetDeleted), Ok(Transition::Remove));
}

fn live() -> Integration {
    let mut source = user("old-alice");
    source.status = UserStatus::Invalid;
    let target = user("alice");
    let plan = plan_integration(&account(), &account());
    Integration::new(&plan, &source, &target, user("admin").id, at(0))
}

#[test]
fn i6_handle_cancel_records_who_and_when() {
    let mut integration = live();
    assert!(integration.is_live());
    let admin = user("admin").id;
    let t = integration.handle(E::Cancel, at(5), admin).unwrap();
    assert_eq!(t, Transition::To(S::Cancelled));
    assert_eq!(integration.state, S::Cancelled);
    assert_eq!(integration.cancelled_at, Some(at(5)));
    assert_eq!(integration.cancelled_by, Some(admin));
    assert!(!integration.is_live());
}

#[test]
fn i8_handle_source_deleted_freezes_and_flags() {
    let mut integration = live();
    let by = integration.integrated_by;
    integration.handle(E::SourceDeleted, at(5), by).unwrap();
    assert_eq!(integration.state, S::Frozen);
    assert!(integration.source_deleted);
    let before = integration.clone();
    assert_eq!(
        integration.handle(E::Cancel, at(6), by),
        Err(IntegrationStateError::Frozen)
    );
    assert_eq!(integration, before, "a refused event changes nothing");
}

#[test]
fn i5_new_integration_snapshots_login_ids() {
    let integration = live();
    assert_eq!(integration.source_login_id.as_str(), "old-alice");
    assert_eq!(integration.target_login_id.as_str(), "alice");
    assert_eq!(integration.state.as_str(), "live");
    assert!(!integration.source_deleted);
}
