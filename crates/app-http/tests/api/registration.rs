//! Registration administration through the API (A1, A4, A5, A7, U8, P4): who may read and
//! change the settings, the user fields, the URLs and the applications; and the purge of
//! `not_activated` applications by the scheduled job with a test clock.

use crate::harness::{PASSWORD, TestApp, assert_problem, json_of};
use crate::joining::{application, apply, apply_and_activate, publish, registration};
use crate::world::World;
use chrono::Duration;
use poem::http::StatusCode;
use roster_domain::ports::StoreError;
use roster_domain::ports::jobs::{DeliveryCounts, JobKind, MailDispatch};
use roster_domain::services::{JobOutcome, JobPorts, JobRunner, JobsConfig};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn a1_u8_settings_need_admin_settings_with_scope_all() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let settings = "/api/v1/settings/registration";
    let body = json!({"self_registration": true, "auto_approve": false,
                      "purge_not_activated_after_days": 30});
    for token in [&w.manager_token, &w.viewer_token, &w.learner_token] {
        assert_problem(app.get(token, settings).await, 403, "forbidden").await;
        assert_problem(
            app.send("PUT", token, settings, &body).await,
            403,
            "forbidden",
        )
        .await;
        let field = json!({"key": "school", "label": "School", "type": "text"});
        let resp = app
            .send("POST", token, "/api/v1/settings/user-fields", &field)
            .await;
        assert_problem(resp, 403, "forbidden").await;
    }
    // A scoped admin.settings is not enough for global settings.
    let grant = json!({"subject_user_id": w.user_a.as_uuid(), "privilege": "admin.settings",
                       "scope": {"kind": "groups", "group_ids": [w.a.as_uuid()]}});
    app.send("POST", &app.owner, "/api/v1/grants", &grant)
        .await
        .assert_status(StatusCode::CREATED);
    let (scoped, _) = app.login_ok("user-a", PASSWORD).await;
    assert_problem(
        app.send("PUT", &scoped, settings, &body).await,
        403,
        "forbidden",
    )
    .await;

    let resp = app.send("PUT", &app.owner, settings, &body).await;
    resp.assert_status_is_ok();
    let read = json_of(app.get(&app.owner, settings).await).await;
    assert_eq!(read, body);
    let bad = json!({"self_registration": true, "auto_approve": false,
                     "purge_not_activated_after_days": 0});
    let resp = app.send("PUT", &app.owner, settings, &bad).await;
    let problem = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(
        problem["errors"][0]["field"],
        "purge_not_activated_after_days"
    );
}

#[tokio::test]
async fn u8_user_fields_are_created_changed_and_deleted() {
    let app = TestApp::new().await;
    let fields = "/api/v1/settings/user-fields";
    let body = json!({"key": "school", "label": "School", "type": "select",
                      "options": ["North", "South"], "on_registration_form": true});
    let resp = app.send("POST", &app.owner, fields, &body).await;
    resp.assert_status(StatusCode::CREATED);
    let dup = app.send("POST", &app.owner, fields, &body).await;
    assert_problem(dup, 409, "field_key_taken").await;
    let patch = json!({"label": "Campus", "required": true});
    let resp = app
        .send("PATCH", &app.owner, &format!("{fields}/school"), &patch)
        .await;
    resp.assert_status_is_ok();
    let list = json_of(app.get(&app.owner, fields).await).await;
    assert_eq!(list["items"][0]["label"], "Campus");
    assert_eq!(list["items"][0]["options"], json!(["North", "South"]));
    assert_eq!(list["items"][0]["required"], true);
    let resp = app
        .call("DELETE", &app.owner, &format!("{fields}/school"))
        .await;
    resp.assert_status(StatusCode::NO_CONTENT);
    let gone = app
        .call("DELETE", &app.owner, &format!("{fields}/school"))
        .await;
    assert_problem(gone, 404, "not_found").await;
}

#[tokio::test]
async fn a4_applications_are_decided_within_the_users_edit_scope_of_their_group() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    registration(&app, true, false, None).await;
    let (_, in_a) = publish(&app, &w.a.as_uuid().to_string(), json!([])).await;
    let (_, in_b) = publish(&app, &w.b.as_uuid().to_string(), json!([])).await;
    for (login, token) in [
        ("app-a", Some(&in_a)),
        ("app-b", Some(&in_b)),
        ("app-none", None),
    ] {
        let mut body = application(login);
        if let Some(token) = token {
            body["registration_token"] = json!(token);
        }
        apply_and_activate(&app, &body).await;
    }
    let all = json_of(app.get(&app.owner, "/api/v1/applications").await).await;
    let id_of = |login: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["login_id"] == login)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // The manager (users.edit over A) sees only the application joining A.
    let seen = json_of(app.get(&w.manager_token, "/api/v1/applications").await).await;
    let seen: Vec<&str> = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["login_id"].as_str().unwrap())
        .collect();
    assert_eq!(seen, ["app-a"]);
    for login in ["app-b", "app-none"] {
        let path = format!("/api/v1/applications/{}", id_of(login));
        assert_problem(app.get(&w.manager_token, &path).await, 404, "not_found").await;
        let approve = format!("{path}/approve");
        let resp = app
            .send("POST", &w.manager_token, &approve, &json!({}))
            .await;
        assert_problem(resp, 404, "not_found").await;
    }
    // A learner and a viewer hold no users.edit: nothing listed, nothing decided.
    for token in [&w.learner_token, &w.viewer_token] {
        let list = json_of(app.get(token, "/api/v1/applications").await).await;
        assert_eq!(list["items"], json!([]));
        let approve = format!("/api/v1/applications/{}/approve", id_of("app-a"));
        let resp = app.send("POST", token, &approve, &json!({})).await;
        assert!(
            matches!(resp.0.status().as_u16(), 403 | 404),
            "{:?}",
            resp.0.status()
        );
    }
    let approve = format!("/api/v1/applications/{}/approve", id_of("app-a"));
    let resp = app
        .send("POST", &w.manager_token, &approve, &json!({}))
        .await;
    resp.assert_status_is_ok();
    app.login_ok("app-a", "Maple-Lantern-93!").await;
    let anonymous = app.client.get("/api/v1/applications").send().await;
    assert_problem(anonymous, 401, "unauthenticated").await;
}

#[tokio::test]
async fn a5_registration_urls_need_admin_settings_over_their_group() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let urls = "/api/v1/registration-urls";
    let (a, b) = (w.a.as_uuid().to_string(), w.b.as_uuid().to_string());
    // users.edit is not enough to publish (A5: admin.settings over the group).
    let resp = app
        .send("POST", &w.manager_token, urls, &json!({"group_ids": [a]}))
        .await;
    assert!(
        matches!(resp.0.status().as_u16(), 403 | 404),
        "{:?}",
        resp.0.status()
    );
    let grant = json!({"subject_user_id": w.user_a.as_uuid(), "privilege": "admin.settings",
                       "scope": {"kind": "groups", "group_ids": [a]}});
    app.send("POST", &app.owner, "/api/v1/grants", &grant)
        .await
        .assert_status(StatusCode::CREATED);
    let (scoped, _) = app.login_ok("user-a", PASSWORD).await;
    let resp = app
        .send("POST", &scoped, urls, &json!({"group_ids": [a]}))
        .await;
    resp.assert_status_is_ok();
    // Out of scope: group B is not even visible (P4), and the whole call is refused.
    let resp = app
        .send("POST", &scoped, urls, &json!({"group_ids": [a, b]}))
        .await;
    assert_problem(resp, 404, "not_found").await;
    let (b_url, _) = publish(&app, &b, json!([])).await;
    let listed = json_of(app.get(&scoped, urls).await).await;
    let groups: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["group_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        [a.as_str()],
        "only the URLs of groups in scope are listed"
    );
    let stop = app
        .send(
            "POST",
            &scoped,
            &format!("{urls}/stop"),
            &json!({"ids": [b_url]}),
        )
        .await;
    assert_problem(stop, 404, "not_found").await;
    let patch = json!({"status": "stopped"});
    let resp = app
        .send("PATCH", &scoped, &format!("{urls}/{b_url}"), &patch)
        .await;
    assert_problem(resp, 404, "not_found").await;
}

/// The mail queue is the mail worker's; this test runs only the A7 job.
struct NoMail;

#[async_trait::async_trait]
impl MailDispatch for NoMail {
    async fn deliver_due(
        &self,
        _: chrono::DateTime<chrono::Utc>,
        _: u32,
    ) -> Result<DeliveryCounts, StoreError> {
        Ok(DeliveryCounts::default())
    }
}

fn jobs(app: &TestApp) -> JobRunner {
    let store = Arc::new(app.store.clone());
    let ports = JobPorts {
        claims: store.clone(),
        purge: store.clone(),
        records: store.clone(),
        applications: store.clone(),
        registration_settings: store.clone(),
        tokens: store.clone(),
        sessions: store.clone(),
        throttle: store.clone(),
        mail: Arc::new(NoMail),
    };
    JobRunner::new(ports, JobsConfig::default())
}

#[tokio::test]
async fn a7_not_activated_applications_are_purged_after_the_configured_days() {
    let app = TestApp::new().await;
    registration(&app, true, false, Some(3)).await;
    apply(&app, &application("stale"))
        .await
        .assert_status(StatusCode::CREATED);
    apply_and_activate(&app, &application("active")).await;
    let runner = jobs(&app);
    let early = runner
        .run_one(
            JobKind::StaleApplications,
            app.clock_now() + Duration::days(2),
        )
        .await;
    assert_eq!(early.outcome, JobOutcome::Done { items: 0 });
    let late = runner
        .run_one(
            JobKind::StaleApplications,
            app.clock_now() + Duration::days(4),
        )
        .await;
    assert_eq!(late.outcome, JobOutcome::Done { items: 1 });
    let list = json_of(app.get(&app.owner, "/api/v1/applications").await).await;
    let left: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["login_id"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["active"], "only the activated application is kept");
    // The purged application no longer holds its login ID (A6).
    apply(&app, &application("stale"))
        .await
        .assert_status(StatusCode::CREATED);
}
