//! S1–S3 over HTTP: login, one answer for every failure, throttling, logout.

use crate::harness::*;
use serde_json::json;

#[tokio::test]
async fn s1_login_gives_a_token_that_opens_the_api_and_logout_ends_it() {
    let app = TestApp::new().await;
    let me = app.get(&app.owner, "/api/v1/me").await;
    me.assert_status_is_ok();
    let logout = app.call("POST", &app.owner, "/api/v1/auth/logout").await;
    logout.assert_status(poem::http::StatusCode::NO_CONTENT);
    let after = app.get(&app.owner, "/api/v1/me").await;
    assert_problem(after, 401, "session_invalid").await;
}

#[tokio::test]
async fn s1_no_token_or_a_made_up_one_is_401() {
    let app = TestApp::new().await;
    let none = app.client.get("/api/v1/me").send().await;
    none.assert_header("www-authenticate", "Bearer");
    assert_problem(none, 401, "unauthenticated").await;
    let made_up = app.get("not-a-real-token", "/api/v1/me").await;
    assert_problem(made_up, 401, "session_invalid").await;
    let logout = app.client.post("/api/v1/auth/logout").send().await;
    assert_problem(logout, 401, "unauthenticated").await;
}

#[tokio::test]
async fn s2_every_login_failure_is_the_same_answer() {
    let app = TestApp::new().await;
    let wrong_password = app.login(OWNER, "not-the-password").await;
    let a = assert_problem(wrong_password, 401, "login_failed").await;
    let unknown = app.login("nobody-here", "whatever-123").await;
    let b = assert_problem(unknown, 401, "login_failed").await;
    let unparsable = app.login("", "").await;
    let c = assert_problem(unparsable, 401, "login_failed").await;
    assert_eq!(a, b, "unknown login ID answers like a wrong password");
    assert_eq!(a, c, "an impossible login ID answers alike");
}

#[tokio::test]
async fn s3_repeated_failures_are_throttled_with_retry_after() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let resp = app.login(OWNER, "wrong-password-1").await;
        assert_problem(resp, 401, "login_failed").await;
    }
    let locked = app.login(OWNER, OWNER_PASSWORD).await;
    let retry: u64 = locked
        .0
        .headers()
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "retry after {retry}");
    assert_problem(locked, 429, "too_many_attempts").await;
}

#[tokio::test]
async fn s3_throttle_is_relaxed_by_configuration() {
    let app = TestApp::with(|c| c.session.per_login_id.max_failures = 1000).await;
    for _ in 0..8 {
        let resp = app.login(OWNER, "wrong-password-1").await;
        assert_problem(resp, 401, "login_failed").await;
    }
    app.login(OWNER, OWNER_PASSWORD).await.assert_status_is_ok();
}

#[tokio::test]
async fn s1_a_malformed_login_body_is_a_400_problem() {
    let app = TestApp::new().await;
    let resp = app
        .client
        .post("/api/v1/auth/login")
        .body_json(&json!({"login_id": 5}))
        .send()
        .await;
    assert_problem(resp, 400, "bad_request").await;
    let not_json = app
        .client
        .post("/api/v1/auth/login")
        .content_type("application/json")
        .body("{")
        .send()
        .await;
    assert_problem(not_json, 400, "bad_request").await;
}
