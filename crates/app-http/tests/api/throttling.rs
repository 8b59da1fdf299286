//! S3 on the public joining endpoints: failed applications and reset requests are counted
//! per client address (here from `X-Forwarded-For`), and a locked address gets 429 with
//! `Retry-After` while other addresses carry on.

use crate::harness::{TestApp, assert_problem};
use crate::joining::{application, registration};
use poem::http::StatusCode;
use roster_app_http::ClientAddress;
use serde_json::json;

async fn app_with_limit(max_failures: u32) -> TestApp {
    TestApp::with(|c| {
        c.client_address = ClientAddress::ForwardedFor;
        c.joining.per_address.max_failures = max_failures;
    })
    .await
}

#[tokio::test]
async fn s3_failed_applications_are_throttled_per_client_address() {
    let app = app_with_limit(3).await;
    registration(&app, true, false, None).await;
    let from = |addr: &'static str, body: serde_json::Value| {
        app.client
            .post("/api/v1/applications")
            .header("X-Forwarded-For", addr)
            .body_json(&body)
            .send()
    };
    app.create_user(&json!({"login_id": "taken", "name": "T", "password": "Quiet-River-2048"}))
        .await;
    for _ in 0..3 {
        assert_problem(
            from("203.0.113.9", application("taken")).await,
            409,
            "login_id_taken",
        )
        .await;
    }
    let resp = from("203.0.113.9", application("free-one")).await;
    let retry = resp.0.headers().get("retry-after").cloned();
    assert_problem(resp, 429, "too_many_attempts").await;
    assert!(retry.is_some(), "Retry-After is sent");
    // Another address is not affected.
    from("198.51.100.7", application("free-one"))
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn s3_u10_reset_requests_are_counted_per_address_whatever_they_name() {
    let app = app_with_limit(2).await;
    let reset = |addr: &'static str, login_id: &'static str| {
        app.client
            .post("/api/v1/auth/password-reset")
            .header("X-Forwarded-For", addr)
            .body_json(&json!({ "login_id": login_id }))
            .send()
    };
    reset("203.0.113.20", "owner")
        .await
        .assert_status(StatusCode::ACCEPTED);
    reset("203.0.113.20", "nobody")
        .await
        .assert_status(StatusCode::ACCEPTED);
    // The third answer is the same for a known and an unknown account: throttled.
    assert_problem(
        reset("203.0.113.20", "nobody").await,
        429,
        "too_many_attempts",
    )
    .await;
    assert_problem(
        reset("203.0.113.20", "owner").await,
        429,
        "too_many_attempts",
    )
    .await;
    reset("198.51.100.20", "owner")
        .await
        .assert_status(StatusCode::ACCEPTED);
}
