//! I6, I8, P4: bulk and single cancels against mocked ports.

use super::super::testing::*;
use super::*;
use crate::authz::Scope;
use crate::error::ErrorCode;
use crate::integration::IntegrationState;
use crate::ports::integrations::{CancelError, CancelOutcome};
use crate::services::testing::{admin, now, owner};
use mockall::predicate::eq;
use std::sync::{Arc, Mutex};

fn summary() -> CancelSummary {
    CancelSummary {
        scores_returned: 2,
        ..CancelSummary::default()
    }
}

/// `get` answers these integrations (and `None` for any other id).
fn stored(m: &mut IMocks, integrations: &[Integration]) {
    for i in integrations {
        let found = i.clone();
        m.store
            .expect_get()
            .with(eq(i.id))
            .returning(move |_| Ok(Some(found.clone())));
    }
    m.store.expect_get().returning(|_| Ok(None));
}

fn code(outcome: &BulkCancelOutcome) -> &str {
    match &outcome.outcome {
        BulkOutcome::Failed { code, .. } => code,
        BulkOutcome::Done { .. } => "done",
    }
}

async fn cancel_one_refused(
    integration: Integration,
    m: IMocks,
    actor: &Actor,
) -> BulkCancelOutcome {
    let mut out = m
        .service()
        .cancel(actor, vec![integration.id])
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
    out.remove(0)
}

#[tokio::test]
async fn i6_cancel_returns_the_summary_and_is_audited() {
    let w = Scene::new();
    let integration = w.integration(0);
    let id = integration.id;
    let mut m = IMocks::new(&w);
    stored(&mut m, std::slice::from_ref(&integration));
    let a = admin(
        Privilege::UsersEdit,
        Scope::groups([w.world.school]).unwrap(),
    );
    let by = a.user_id;
    m.store
        .expect_cancel()
        .with(eq(id), eq(now()), eq(by))
        .times(1)
        .returning(move |_, _, _| {
            Ok(CancelOutcome {
                integration: integration.clone(),
                summary: summary(),
            })
        });
    m.base
        .audit
        .expect_record()
        .times(1)
        .withf(move |e| {
            e.action == AuditAction::IntegrationCancel
                && e.target.id == Some(id.to_string())
                && e.details["scores_returned"] == "2"
        })
        .returning(|_| Ok(()));
    let out = m.service().cancel(&a, vec![id, id]).await.unwrap();
    assert_eq!(out.len(), 1, "a repeated id counts once");
    assert_eq!(out[0].outcome, BulkOutcome::Done { result: summary() });
}

#[tokio::test]
async fn i6_bulk_cancels_newest_first_and_unknown_ids_last() {
    let w = Scene::new();
    let (old, newest, middle) = (w.integration(0), w.integration(10), w.integration(5));
    let unknown = IntegrationId::new();
    let mut m = IMocks::new(&w);
    stored(&mut m, &[old.clone(), newest.clone(), middle.clone()]);
    let order = Arc::new(Mutex::new(Vec::new()));
    let seen = order.clone();
    let all = [old.clone(), newest.clone(), middle.clone()];
    m.store.expect_cancel().times(3).returning(move |id, _, _| {
        seen.lock().unwrap().push(id);
        let integration = all.iter().find(|i| i.id == id).cloned().unwrap();
        Ok(CancelOutcome {
            integration,
            summary: CancelSummary::default(),
        })
    });
    m.base.audit.expect_record().times(4).returning(|_| Ok(()));
    let ids = vec![unknown, old.id, newest.id, middle.id];
    let out = m.service().cancel(&owner(), ids).await.unwrap();
    let expected = vec![newest.id, middle.id, old.id];
    assert_eq!(*order.lock().unwrap(), expected);
    let got: Vec<_> = out.iter().map(|o| (o.id, code(o))).collect();
    assert_eq!(
        got,
        vec![
            (newest.id, "done"),
            (middle.id, "done"),
            (old.id, "done"),
            (unknown, "not_found"),
        ]
    );
}

#[tokio::test]
async fn i8_frozen_integration_is_refused_without_a_write() {
    let w = Scene::new();
    let mut frozen = w.integration(0);
    frozen.state = IntegrationState::Frozen;
    frozen.source_deleted = true;
    let mut m = IMocks::new(&w);
    stored(&mut m, std::slice::from_ref(&frozen));
    m.store.expect_cancel().times(0);
    m.base
        .expect_audit(AuditAction::IntegrationCancel, Err("integration_frozen"));
    let out = cancel_one_refused(frozen, m, &owner()).await;
    assert_eq!(code(&out), "integration_frozen");
}

#[tokio::test]
async fn i6_cancelled_integration_is_refused_without_a_write() {
    let w = Scene::new();
    let mut done = w.integration(0);
    done.state = IntegrationState::Cancelled;
    let mut m = IMocks::new(&w);
    stored(&mut m, std::slice::from_ref(&done));
    m.store.expect_cancel().times(0);
    m.base.expect_audit(
        AuditAction::IntegrationCancel,
        Err("integration_already_cancelled"),
    );
    let out = cancel_one_refused(done, m, &owner()).await;
    assert_eq!(code(&out), "integration_already_cancelled");
}

#[tokio::test]
async fn i6_store_verdicts_are_per_id_codes() {
    for (verdict, expected) in [
        (
            CancelError::LaterIntegrationFirst {
                later: IntegrationId::new(),
            },
            "integration_cancel_later_first",
        ),
        (
            CancelError::AlreadyCancelled,
            "integration_already_cancelled",
        ),
        (CancelError::NotFound, "not_found"),
    ] {
        let w = Scene::new();
        let live = w.integration(0);
        let mut m = IMocks::new(&w);
        stored(&mut m, std::slice::from_ref(&live));
        let verdict = Mutex::new(Some(verdict));
        m.store
            .expect_cancel()
            .times(1)
            .returning(move |_, _, _| Err(verdict.lock().unwrap().take().unwrap()));
        m.base
            .expect_audit(AuditAction::IntegrationCancel, Err(expected));
        let out = cancel_one_refused(live, m, &owner()).await;
        assert_eq!(code(&out), expected);
    }
}

#[tokio::test]
async fn p4_cancel_of_an_integration_out_of_view_is_not_found() {
    let w = Scene::new();
    let live = w.integration(0);
    let mut m = IMocks::new(&w);
    stored(&mut m, std::slice::from_ref(&live));
    m.store.expect_cancel().times(0);
    m.base
        .expect_audit(AuditAction::IntegrationCancel, Err("not_found"));
    let a = admin(
        Privilege::UsersEdit,
        Scope::groups([w.world.class_b]).unwrap(),
    );
    let out = cancel_one_refused(live, m, &a).await;
    assert_eq!(code(&out), "not_found");
}

#[tokio::test]
async fn p4_cancel_without_authority_over_the_source_is_forbidden() {
    let w = Scene::new();
    let live = w.integration(0);
    let (a_class, other) = (w.world.class_a, w.world.other);
    let mut m = IMocks::placed(&w, [other].into(), [a_class].into(), Vec::new());
    stored(&mut m, std::slice::from_ref(&live));
    m.store.expect_cancel().times(0);
    m.base
        .expect_audit(AuditAction::IntegrationCancel, Err("forbidden"));
    let a = admin(Privilege::UsersEdit, Scope::groups([a_class]).unwrap());
    let out = cancel_one_refused(live, m, &a).await;
    assert_eq!(code(&out), "forbidden");
}

#[tokio::test]
async fn i8_deleted_source_does_not_block_authority_checks() {
    let w = Scene::new();
    let mut live = w.integration(0);
    live.source_deleted = true;
    let mut m = IMocks::new(&w);
    stored(&mut m, std::slice::from_ref(&live));
    m.base.grants.checkpoint();
    m.base.with_grants_of(w.target.id, Vec::new());
    let back = live.clone();
    m.store.expect_cancel().times(1).returning(move |_, _, _| {
        Ok(CancelOutcome {
            integration: back.clone(),
            summary: CancelSummary::default(),
        })
    });
    m.base.expect_audit(AuditAction::IntegrationCancel, Ok(()));
    let out = cancel_one_refused(live, m, &owner()).await;
    assert_eq!(code(&out), "done");
}

#[tokio::test]
async fn p4_viewer_cannot_cancel_at_all() {
    let w = Scene::new();
    let mut m = IMocks::new(&w);
    m.store.expect_get().times(0);
    m.store.expect_cancel().times(0);
    m.base
        .expect_audit(AuditAction::IntegrationCancel, Err("forbidden"));
    let viewer = admin(Privilege::UsersView, Scope::All);
    let err = m
        .service()
        .cancel(&viewer, vec![IntegrationId::new()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

#[tokio::test]
async fn i6_too_many_ids_are_refused_before_any() {
    let w = Scene::new();
    let mut m = IMocks::new(&w);
    m.store.expect_get().times(0);
    m.base
        .expect_audit(AuditAction::IntegrationCancel, Err("too_many_items"));
    let ids = (0..=MAX_BULK_CANCEL)
        .map(|_| IntegrationId::new())
        .collect();
    let err = m.service().cancel(&owner(), ids).await.unwrap_err();
    assert_eq!(err.code(), "too_many_items");
}
