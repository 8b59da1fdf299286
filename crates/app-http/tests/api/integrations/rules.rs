//! The product rules over HTTP: I7 (an integrated source stays invalid), I8 (deleting the
//! source freezes the entry), I9 (deleting the target removes its history), I10 (chained
//! and self integrations refused), U3 (the owner is never integrated), Z1 (audited).

use super::*;
use crate::harness::*;
use roster_domain::ports::PageRequest;
use roster_domain::ports::audit::{AuditAction, AuditFilter, AuditLog, AuditOutcome};
use serde_json::json;

fn user_path(id: &str) -> String {
    format!("/api/v1/users/{id}")
}

async fn set_status(app: &TestApp, id: &str, status: &str) -> poem::test::TestResponse {
    app.send(
        "PATCH",
        &app.owner,
        &user_path(id),
        &json!({ "status": status }),
    )
    .await
}

#[tokio::test]
async fn i7_an_integrated_source_cannot_be_set_valid_until_cancelled() {
    let app = TestApp::new().await;
    let source = account(&app, "src", "invalid").await;
    let target = account(&app, "tgt", "valid").await;
    let id = integrate_ok(&app, &source, &target).await;
    let problem = assert_problem(
        set_status(&app, &source, "valid").await,
        409,
        "integration_active",
    )
    .await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("cancel"), "says to cancel first: {detail}");
    let user = json_of(app.get(&app.owner, &user_path(&source)).await).await;
    assert_eq!(user["status"], "invalid", "nothing written");
    assert_eq!(cancel(&app, &app.owner, &[&id]).await[0]["status"], "done");
    set_status(&app, &source, "valid")
        .await
        .assert_status_is_ok();
}

#[tokio::test]
async fn i8_deleting_the_source_keeps_the_entry_shown_deleted_and_not_cancellable() {
    let app = TestApp::new().await;
    let source = account(&app, "src", "invalid").await;
    let target = account(&app, "tgt", "valid").await;
    score(&app, &source, "quiz", "completed", 1).await;
    let id = integrate_ok(&app, &source, &target).await;
    app.call("DELETE", &app.owner, &user_path(&source))
        .await
        .assert_status(poem::http::StatusCode::NO_CONTENT);
    let list = json_of(app.get(&app.owner, "/api/v1/integrations").await).await;
    let entry = &list["items"][0];
    assert_eq!(entry["id"], id.as_str());
    assert_eq!(entry["source_deleted"], true);
    assert_eq!(entry["state"], "frozen");
    assert_eq!(entry["cancellable"], false);
    assert_eq!(entry["source_login_id"], "src");
    let items = cancel(&app, &app.owner, &[&id]).await;
    assert_eq!(items[0]["status"], "failed");
    assert_eq!(items[0]["code"], "integration_frozen");
    assert_eq!(every(&app, &target, "scores").await.len(), 1, "data kept");
}

#[tokio::test]
async fn i9_deleting_the_target_removes_its_history_and_frees_the_source() {
    let app = TestApp::new().await;
    let source = account(&app, "src", "invalid").await;
    let target = account(&app, "tgt", "valid").await;
    let id = integrate_ok(&app, &source, &target).await;
    app.call("DELETE", &app.owner, &user_path(&target))
        .await
        .assert_status(poem::http::StatusCode::NO_CONTENT);
    let path = format!("/api/v1/integrations/{id}");
    assert_problem(app.get(&app.owner, &path).await, 404, "not_found").await;
    let list = json_of(app.get(&app.owner, "/api/v1/integrations").await).await;
    assert!(list["items"].as_array().unwrap().is_empty());
    set_status(&app, &source, "valid")
        .await
        .assert_status_is_ok();
    let items = cancel(&app, &app.owner, &[&id]).await;
    assert_eq!(items[0]["code"], "not_found");
}

#[tokio::test]
async fn i10_self_chained_owner_and_wrong_status_integrations_are_refused() {
    let app = TestApp::new().await;
    let a = account(&app, "a", "invalid").await;
    let b = account(&app, "b", "valid").await;
    let c = account(&app, "c", "valid").await;
    let refused = |s: String, t: String, code: &'static str| {
        let app = &app;
        async move {
            assert_problem(integrate(app, &app.owner, &s, &t).await, 409, code).await;
        }
    };
    refused(a.clone(), a.clone(), "integration_same_user").await;
    refused(b.clone(), c.clone(), "integration_source_not_invalid").await;
    let owner = app.owner_id.clone();
    refused(a.clone(), owner, "integration_owner").await;
    integrate_ok(&app, &a, &b).await;
    refused(
        a.clone(),
        c.clone(),
        "integration_source_already_integrated",
    )
    .await;
    // b is now a live target: integrating it away would chain a → b → c.
    set_status(&app, &b, "invalid").await.assert_status_is_ok();
    refused(b.clone(), c.clone(), "integration_source_is_target").await;
    // a is a live source: it cannot become a target (it is invalid, and a live source).
    refused(c.clone(), a.clone(), "integration_source_not_invalid").await;
    let missing = uuid::Uuid::now_v7().to_string();
    assert_problem(
        integrate(&app, &app.owner, &missing, &c).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn z1_every_integration_and_cancel_is_audited_refusals_too() {
    let app = TestApp::new().await;
    let source = account(&app, "src", "invalid").await;
    let target = account(&app, "tgt", "valid").await;
    let id = integrate_ok(&app, &source, &target).await;
    let resp = integrate(&app, &app.owner, &source, &target).await;
    assert_problem(resp, 409, "integration_source_already_integrated").await;
    cancel(&app, &app.owner, &[&id]).await;
    cancel(&app, &app.owner, &[&id]).await;
    let entries = |action| {
        let store = app.store.clone();
        async move {
            let filter = AuditFilter {
                action: Some(action),
                ..AuditFilter::default()
            };
            let page = store.list(filter, PageRequest::first(50)).await.unwrap();
            page.items
        }
    };
    let created = entries(AuditAction::IntegrationCreate).await;
    assert_eq!(created.len(), 2);
    let success = created.iter().find(|e| e.outcome == AuditOutcome::Success);
    let success = success.expect("the integration is audited");
    assert_eq!(success.target.id.as_deref(), Some(id.as_str()));
    assert_eq!(success.actor.to_string(), app.owner_id);
    assert_eq!(success.details["source_user_id"], source);
    assert!(created.iter().any(|e| e.outcome
        == AuditOutcome::Refused {
            code: "integration_source_already_integrated".into()
        }));
    let cancelled = entries(AuditAction::IntegrationCancel).await;
    assert_eq!(cancelled.len(), 2);
    assert!(cancelled.iter().any(|e| e.outcome == AuditOutcome::Success));
    assert!(cancelled.iter().any(|e| e.outcome
        == AuditOutcome::Refused {
            code: "integration_already_cancelled".into()
        }));
}
