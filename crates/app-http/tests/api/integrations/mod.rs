//! User integration over HTTP (I1–I12) and the learning records it moves (L1): helpers to
//! make accounts with records through the API, and to read every record of an account.

mod authority;
mod backend;
mod crash;
mod flow;
mod races;
mod rules;
pub mod seed;

use crate::harness::*;
use poem::test::TestResponse;
use serde_json::{Value, json};

/// An instant `minute` minutes into 2026, as the API writes it.
pub fn at(minute: i64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap();
    (base + chrono::Duration::minutes(minute))
        .to_utc()
        .to_rfc3339()
}

/// A user made by the owner with [`PASSWORD`], logged in once (one access-log entry),
/// then given `status`. Returns its id.
pub async fn account(app: &TestApp, login: &str, status: &str) -> String {
    let user = app
        .create_user(&json!({"login_id": login, "name": login, "password": PASSWORD}))
        .await;
    let id = user["id"].as_str().unwrap().to_owned();
    app.login_ok(login, PASSWORD).await;
    if status != "valid" {
        let resp = app
            .send(
                "PATCH",
                &app.owner,
                &format!("/api/v1/users/{id}"),
                &json!({ "status": status }),
            )
            .await;
        resp.assert_status_is_ok();
    }
    id
}

/// Records a score as the owner.
pub async fn score(app: &TestApp, user: &str, material: &str, kind: &str, minute: i64) -> Value {
    let (status, mode) = match kind {
        "paused" => ("paused", "normal"),
        "master" => ("completed", "master"),
        _ => ("completed", "normal"),
    };
    let points = if status == "paused" {
        Value::Null
    } else {
        json!(50 + minute % 50)
    };
    let body = json!({"material_id": material, "attempt": 1, "score": points,
        "status": status, "mode": mode, "studied_at": at(minute), "study_seconds": 60});
    let path = format!("/api/v1/users/{user}/scores");
    let resp = app.send("POST", &app.owner, &path, &body).await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    json_of(resp).await
}

/// Awards a badge as the owner.
pub async fn badge(app: &TestApp, user: &str, key: &str, minute: i64) -> Value {
    let body = json!({"badge_id": key, "awarded_at": at(minute)});
    let path = format!("/api/v1/users/{user}/badges");
    let resp = app.send("POST", &app.owner, &path, &body).await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    json_of(resp).await
}

/// Issues a certificate as the owner.
pub async fn certificate(app: &TestApp, user: &str, key: &str) -> Value {
    let body = json!({"certificate_key": key, "material_id": "course-1", "issued_at": at(5)});
    let path = format!("/api/v1/users/{user}/certificates");
    let resp = app.send("POST", &app.owner, &path, &body).await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    json_of(resp).await
}

/// Every item of a record list as the owner, through every page, sorted by id.
pub async fn every(app: &TestApp, user: &str, kind: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/users/{user}/{kind}?limit=500&include_superseded=true");
        if kind != "scores" {
            path = format!("/api/v1/users/{user}/{kind}?limit=500");
        }
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let resp = app.get(&app.owner, &path).await;
        resp.assert_status_is_ok();
        let page = json_of(resp).await;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    items
}

/// Every record of an account: scores (superseded too), badges, certificates, access log.
pub async fn records(app: &TestApp, user: &str) -> [Vec<Value>; 4] {
    [
        every(app, user, "scores").await,
        every(app, user, "badges").await,
        every(app, user, "certificates").await,
        every(app, user, "access-log").await,
    ]
}

/// `POST /api/v1/integrations` as `token`.
pub async fn integrate(app: &TestApp, token: &str, source: &str, target: &str) -> TestResponse {
    let body = json!({"source_user_id": source, "target_user_id": target});
    app.send("POST", token, "/api/v1/integrations", &body).await
}

/// Integrates as the owner, expecting 201; the integration's id.
pub async fn integrate_ok(app: &TestApp, source: &str, target: &str) -> String {
    let resp = integrate(app, &app.owner, source, target).await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    json_of(resp).await["id"].as_str().unwrap().to_owned()
}

/// `POST /api/v1/integrations/cancel` as `token`; the per-id items.
pub async fn cancel(app: &TestApp, token: &str, ids: &[&str]) -> Vec<Value> {
    let resp = app
        .send(
            "POST",
            token,
            "/api/v1/integrations/cancel",
            &json!({ "ids": ids }),
        )
        .await;
    resp.assert_status_is_ok();
    json_of(resp).await["items"].as_array().unwrap().clone()
}
