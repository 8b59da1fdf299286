//! S1, S3, O3 and library use: sessions of expired users, throttling per client address,
//! a saturated hasher answering 503, and the routes nested under a host's prefix.

use crate::harness::*;
use crate::world::World;
use roster_app_http::ClientAddress;
use roster_infra_crypto::{Argon2Params, HasherConfig};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn u6_s1_an_expired_users_sessions_stop_at_once() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    app.get(&w.learner_token, "/api/v1/me")
        .await
        .assert_status_is_ok();
    let path = format!("/api/v1/users/{}", w.learner.as_uuid());
    app.send(
        "PATCH",
        &app.owner,
        &path,
        &json!({"expires_at": "2001-02-03"}),
    )
    .await
    .assert_status_is_ok();
    // Setting a past expiry ends the sessions in the same write: the token is unknown now.
    assert_problem(
        app.get(&w.learner_token, "/api/v1/me").await,
        401,
        "session_invalid",
    )
    .await;
    assert_problem(app.login("learner", PASSWORD).await, 401, "login_failed").await;
}

async fn login_from(
    app: &TestApp,
    address: &str,
    login_id: &str,
    password: &str,
) -> poem::test::TestResponse {
    app.client
        .post("/api/v1/auth/login")
        .header("X-Forwarded-For", address)
        .body_json(&json!({"login_id": login_id, "password": password}))
        .send()
        .await
}

#[tokio::test]
async fn s3_failures_from_one_address_lock_that_address_only() {
    let app = TestApp::with(|c| {
        c.client_address = ClientAddress::ForwardedFor;
        c.session.per_address.max_failures = 3;
    })
    .await;
    for n in 0..3 {
        let resp = login_from(&app, "203.0.113.7", &format!("guess-{n}"), "wrong-wrong").await;
        assert_problem(resp, 401, "login_failed").await;
    }
    let locked = login_from(&app, "203.0.113.7", OWNER, OWNER_PASSWORD).await;
    assert!(locked.0.headers().contains_key("retry-after"));
    assert_problem(locked, 429, "too_many_attempts").await;
    login_from(&app, "198.51.100.1", OWNER, OWNER_PASSWORD)
        .await
        .assert_status_is_ok();
}

#[tokio::test]
async fn s1_a_saturated_hasher_answers_503_with_retry_after() {
    let hashing = HasherConfig {
        params: Argon2Params::PRODUCTION,
        workers: 1,
        queue_capacity: 1,
    };
    let app = Arc::new(TestApp::with_hasher(hashing, |_| {}).await);
    let mut logins = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let app = app.clone();
        logins.spawn(async move {
            let resp = app.login(OWNER, OWNER_PASSWORD).await;
            let retry = resp.0.headers().get("retry-after").cloned();
            (resp.0.status().as_u16(), retry, json_of(resp).await)
        });
    }
    let (mut ok, mut busy) = (0, 0);
    while let Some(result) = logins.join_next().await {
        let (status, retry, body) = result.unwrap();
        match status {
            200 => ok += 1,
            503 => {
                busy += 1;
                assert_eq!(body["code"], "busy");
                assert!(retry.is_some(), "503 carries Retry-After");
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(ok >= 1 && busy >= 1, "ok {ok}, busy {busy}");
}

#[tokio::test]
async fn embedding_routes_nest_under_a_host_prefix() {
    let app = TestApp::with(|c| c.base_path = "/lms/roster".to_owned()).await;
    let me = app.get(&app.owner, "/lms/roster/api/v1/me").await;
    me.assert_status_is_ok();
    let spec = json_of(app.client.get("/lms/roster/openapi.json").send().await).await;
    assert_eq!(spec["servers"][0]["url"], "/lms/roster");
    app.client
        .get("/lms/roster/readyz")
        .send()
        .await
        .assert_status_is_ok();
    let outside = app.get(&app.owner, "/api/v1/me").await;
    assert_eq!(outside.0.status().as_u16(), 404);
}

#[tokio::test]
async fn u6_sessions_stop_when_the_expiry_instant_passes() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let path = format!("/api/v1/users/{}", w.learner.as_uuid());
    let soon = (app.clock_now() + chrono::Duration::minutes(10)).to_rfc3339();
    app.send("PATCH", &app.owner, &path, &json!({"expires_at": soon}))
        .await
        .assert_status_is_ok();
    let (token, _) = app.login_ok("learner", PASSWORD).await;
    app.get(&token, "/api/v1/me").await.assert_status_is_ok();
    app.clock.advance(chrono::Duration::minutes(11));
    assert_problem(app.get(&token, "/api/v1/me").await, 401, "session_revoked").await;
    assert_problem(app.login("learner", PASSWORD).await, 401, "login_failed").await;
}
