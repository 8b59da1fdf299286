//! Invitations (U5) and password reset (U10) through the API: the mailed single-use links,
//! their expiry with a test clock, re-sending (the old link dies), and the reset request's
//! one answer (202) whether or not the account exists.

use crate::harness::{TestApp, assert_problem, json_of};
use crate::joining::{mail_to, public_post, queued_mail, wait_for_mail};
use chrono::Duration;
use poem::http::StatusCode;
use serde_json::json;

async fn pending_user(app: &TestApp, login: &str) -> String {
    let user = app
        .create_user(&json!({"login_id": login, "name": "Invited One",
                             "email": format!("{login}@example.com")}))
        .await;
    assert_eq!(user["status"], "pending");
    user["id"].as_str().unwrap().to_owned()
}

async fn invite(app: &TestApp, id: &str) -> serde_json::Value {
    let resp = app
        .call(
            "POST",
            &app.owner,
            &format!("/api/v1/users/{id}/invitation"),
        )
        .await;
    resp.assert_status_is_ok();
    json_of(resp).await
}

async fn accept(app: &TestApp, token: &str, password: &str) -> poem::test::TestResponse {
    let body = json!({ "token": token, "password": password });
    public_post(app, "/api/v1/invitations/accept", &body).await
}

#[tokio::test]
async fn u5_an_invitation_sets_the_password_once_and_a_resend_kills_the_old_link() {
    let app = TestApp::new().await;
    let id = pending_user(&app, "invitee").await;
    let first = invite(&app, &id).await;
    assert_eq!(
        first["link"],
        serde_json::Value::Null,
        "the link went by mail"
    );
    invite(&app, &id).await;
    let mails = mail_to(&app, "invitee@example.com", "invitation").await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].link().starts_with("http://127.0.0.1:8080/invite/"));
    // Re-sent: the first link no longer works.
    assert_problem(
        accept(&app, &mails[0].token(), "Birch-Harbor-515!").await,
        422,
        "token_invalid",
    )
    .await;
    // A weak password is refused and leaves the link usable.
    let weak = accept(&app, &mails[1].token(), "password").await;
    assert_problem(weak, 422, "validation_failed").await;
    accept(&app, &mails[1].token(), "Birch-Harbor-515!")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.login_ok("invitee", "Birch-Harbor-515!").await;
    // Used once: gone.
    assert_problem(
        accept(&app, &mails[1].token(), "Other-Pass-99!").await,
        422,
        "token_invalid",
    )
    .await;
    // Only a pending user is invited.
    let again = app
        .call(
            "POST",
            &app.owner,
            &format!("/api/v1/users/{id}/invitation"),
        )
        .await;
    assert_problem(again, 409, "not_pending").await;
}

#[tokio::test]
async fn u5_an_invitation_link_expires_after_seven_days() {
    let app = TestApp::new().await;
    let id = pending_user(&app, "slow").await;
    let invited = invite(&app, &id).await;
    let expires: chrono::DateTime<chrono::Utc> =
        invited["expires_at"].as_str().unwrap().parse().unwrap();
    let lifetime = expires - app.clock_now();
    assert!(
        (lifetime - Duration::days(7)).num_seconds().abs() < 1,
        "{lifetime}"
    );
    let token = mail_to(&app, "slow@example.com", "invitation").await[0].token();
    app.clock.advance(Duration::days(7) + Duration::seconds(1));
    assert_problem(
        accept(&app, &token, "Birch-Harbor-515!").await,
        422,
        "token_expired",
    )
    .await;
}

#[tokio::test]
async fn u5_only_an_editor_of_the_user_invites() {
    let app = TestApp::new().await;
    let w = crate::world::World::build(&app).await;
    let id = pending_user(&app, "outsider").await;
    let path = format!("/api/v1/users/{id}/invitation");
    // The user is in no group: the manager (users.edit over A) cannot see it.
    assert_problem(
        app.call("POST", &w.manager_token, &path).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.client.post(&path).send().await, 401, "unauthenticated").await;
    assert!(queued_mail(&app).await.is_empty());
}

async fn request_reset(app: &TestApp, body: serde_json::Value) {
    let resp = public_post(app, "/api/v1/auth/password-reset", &body).await;
    resp.assert_status(StatusCode::ACCEPTED);
    let answer = json_of(resp).await;
    assert_eq!(
        answer["message"],
        "If an account with a registered email matches, a reset link has been sent to it."
    );
}

#[tokio::test]
async fn u10_reset_answers_202_always_and_its_link_lives_thirty_minutes() {
    let app = TestApp::new().await;
    app.create_user(
        &json!({"login_id": "forgetful", "name": "F", "email": "f@example.com",
                            "password": "Quiet-River-2048"}),
    )
    .await;
    // Unknown accounts get the same answer, and no mail.
    request_reset(&app, json!({ "login_id": "nobody" })).await;
    request_reset(&app, json!({ "email": "nobody@example.com" })).await;
    request_reset(&app, json!({ "login_id": "forgetful" })).await;
    let mails = wait_for_mail(&app, "f@example.com", "password_reset", 1).await;
    assert!(mails[0].link().starts_with("http://127.0.0.1:8080/reset/"));
    let (session, _) = app.login_ok("forgetful", "Quiet-River-2048").await;
    let confirm = |token: String, password: &'static str| {
        let app = &app;
        async move {
            let body = json!({ "token": token, "password": password });
            public_post(app, "/api/v1/auth/password-reset/confirm", &body).await
        }
    };
    confirm(mails[0].token(), "Cobalt-Meadow-808!")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.login_ok("forgetful", "Cobalt-Meadow-808!").await;
    // S1: the password change ended the old session.
    assert_eq!(
        app.get(&session, "/api/v1/me").await.0.status().as_u16(),
        401
    );
    assert_problem(
        confirm(mails[0].token(), "Another-Pass-77!").await,
        422,
        "token_invalid",
    )
    .await;

    // By email this time; 30 minutes later the link is dead.
    request_reset(&app, json!({ "email": "f@example.com" })).await;
    let mails = wait_for_mail(&app, "f@example.com", "password_reset", 2).await;
    app.clock
        .advance(Duration::minutes(30) + Duration::seconds(1));
    assert_problem(
        confirm(mails[1].token(), "Late-Lantern-55!").await,
        422,
        "token_expired",
    )
    .await;
    assert_eq!(
        queued_mail(&app)
            .await
            .iter()
            .filter(|m| m.kind == "password_reset")
            .count(),
        2,
        "no mail for unknown accounts"
    );
}
