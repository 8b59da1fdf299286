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

#[tokio::test]
async fn s1_idle_and_absolute_timeouts_end_sessions() {
    let app = TestApp::new().await;
    let (idle, _) = app.login_ok(OWNER, OWNER_PASSWORD).await;
    app.clock.advance(chrono::Duration::minutes(29));
    app.get(&idle, "/api/v1/me").await.assert_status_is_ok();
    app.clock.advance(chrono::Duration::minutes(31));
    assert_problem(app.get(&idle, "/api/v1/me").await, 401, "session_expired").await;

    let (busy, _) = app.login_ok(OWNER, OWNER_PASSWORD).await;
    // Used every 25 minutes, it never idles out, but ends 12 hours after login.
    for _ in 0..28 {
        app.clock.advance(chrono::Duration::minutes(25));
        app.get(&busy, "/api/v1/me").await.assert_status_is_ok();
    }
    app.clock.advance(chrono::Duration::minutes(25));
    assert_problem(app.get(&busy, "/api/v1/me").await, 401, "session_expired").await;
}

#[tokio::test]
async fn s3_the_login_id_throttle_holds_across_instances() {
    let app = TestApp::new().await;
    let other = app.second_instance();
    for _ in 0..5 {
        assert_problem(
            app.login(OWNER, "wrong-password-1").await,
            401,
            "login_failed",
        )
        .await;
    }
    let resp = other
        .post("/api/v1/auth/login")
        .body_json(&json!({"login_id": OWNER, "password": OWNER_PASSWORD}))
        .send()
        .await;
    assert_problem(resp, 429, "too_many_attempts").await;
    // A session made through one instance works through the other.
    let resp = other
        .get("/api/v1/me")
        .header("Authorization", format!("Bearer {}", app.owner))
        .send()
        .await;
    resp.assert_status_is_ok();
}

/// C8: a user moved from Moodle with its bcrypt hash logs in with the old password, and the
/// hash is replaced by an argon2id one at that login. The hash was made with Python's
/// `bcrypt` (cost 5, `$2b$` relabelled `$2y$` as PHP writes it).
#[tokio::test]
async fn c8_a_legacy_bcrypt_hash_logs_in_and_is_upgraded() {
    use roster_domain::ids::UserId;
    use roster_domain::ports::password::PasswordHash;
    use roster_domain::ports::users::CredentialStore;
    const MOODLE: &str = "$2y$05$UFDpgv4ssNbDPMiEpP4FuuUkzB9lNO2aM5CiyuIFQWQK9pPp1DDSK";
    let app = TestApp::new().await;
    let user = app
        .create_user(&json!({"login_id": "moodler", "name": "M"}))
        .await;
    let id = UserId::from_uuid(user["id"].as_str().unwrap().parse().unwrap());
    app.store
        .set_password_hash(id, PasswordHash::new(MOODLE), true)
        .await
        .unwrap();
    assert_problem(
        app.login("moodler", "wrong-password").await,
        401,
        "login_failed",
    )
    .await;
    app.login_ok("moodler", "Legacy-Moodle-Pass1").await;
    let stored = app.store.password_hash(id).await.unwrap().unwrap();
    assert!(
        stored.expose().starts_with("$argon2id$"),
        "upgraded at login"
    );
    app.login_ok("moodler", "Legacy-Moodle-Pass1").await;
}

#[tokio::test]
async fn s1_token_answers_are_never_cached() {
    let app = TestApp::new().await;
    let resp = app.login(OWNER, OWNER_PASSWORD).await;
    resp.assert_header("cache-control", "no-store");
    resp.assert_header("x-content-type-options", "nosniff");
    let failed = app.login(OWNER, "nope-nope-nope").await;
    failed.assert_header("cache-control", "no-store");
}
