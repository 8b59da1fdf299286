//! P3, U10 over HTTP: one's own profile, name, email and password.

use crate::harness::*;
use serde_json::json;

#[tokio::test]
async fn p3_me_shows_the_profile_and_never_a_hash() {
    let app = TestApp::new().await;
    let body = json_of(app.get(&app.owner, "/api/v1/me").await).await;
    assert_eq!(body["user"]["login_id"], OWNER);
    assert_eq!(body["user"]["is_owner"], true);
    assert_eq!(body["user"]["has_password"], true);
    let text = body.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("password_hash"),
        "{text}"
    );
}

#[tokio::test]
async fn p3_patch_me_changes_the_name_and_email_needs_the_password() {
    let app = TestApp::new().await;
    let renamed = app
        .send(
            "PATCH",
            &app.owner,
            "/api/v1/me",
            &json!({"name": "Renamed Owner"}),
        )
        .await;
    renamed.assert_status_is_ok();
    assert_eq!(json_of(renamed).await["name"], "Renamed Owner");
    let no_password = app
        .send(
            "PATCH",
            &app.owner,
            "/api/v1/me",
            &json!({"email": "o@example.com"}),
        )
        .await;
    assert_problem(no_password, 422, "wrong_password").await;
    let with_password = app
        .send(
            "PATCH",
            &app.owner,
            "/api/v1/me",
            &json!({"email": "o@example.com", "current_password": OWNER_PASSWORD}),
        )
        .await;
    with_password.assert_status_is_ok();
    assert_eq!(json_of(with_password).await["email"], "o@example.com");
    let bad_email = app
        .send(
            "PATCH",
            &app.owner,
            "/api/v1/me",
            &json!({"email": "not an email", "name": ""}),
        )
        .await;
    let problem = assert_problem(bad_email, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "email"], "every bad field is named");
}

#[tokio::test]
async fn u10_password_change_ends_every_session_and_the_new_one_works() {
    let app = TestApp::new().await;
    let (second, _) = app.login_ok(OWNER, OWNER_PASSWORD).await;
    let wrong = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/me/password",
            &json!({"current_password": "nope-nope-nope", "new_password": "Another-Secret-99"}),
        )
        .await;
    assert_problem(wrong, 422, "wrong_password").await;
    let weak = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/me/password",
            &json!({"current_password": OWNER_PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_problem(weak, 422, "validation_failed").await;
    let changed = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/me/password",
            &json!({"current_password": OWNER_PASSWORD, "new_password": "Another-Secret-99"}),
        )
        .await;
    changed.assert_status(poem::http::StatusCode::NO_CONTENT);
    for token in [&app.owner, &second] {
        assert_problem(app.get(token, "/api/v1/me").await, 401, "session_invalid").await;
    }
    assert_problem(app.login(OWNER, OWNER_PASSWORD).await, 401, "login_failed").await;
    app.login_ok(OWNER, "Another-Secret-99").await;
}
