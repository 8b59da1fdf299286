//! Account applications through the API (A1–A6): automatic approval on and off, decisions
//! with and without notice, registration URLs and their codes, taken login IDs and emails.

use crate::harness::{TestApp, assert_problem, json_of};
use crate::joining::{
    application, apply, apply_and_activate, group, mail_to, public_post, publish, queued_mail,
    registration,
};
use chrono::Duration;
use poem::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a2_a3_automatic_approval_creates_a_valid_user_at_activation() {
    let app = TestApp::new().await;
    registration(&app, true, true, None).await;
    let body = application("kenji");
    let resp = apply(&app, &body).await;
    resp.assert_status(StatusCode::CREATED);
    let applied = json_of(resp).await;
    assert_eq!(applied["status"], "not_activated");
    assert!(applied.get("activation_link").is_none(), "{applied}");
    // A2: no login before activation.
    assert_problem(
        app.login("kenji", "Maple-Lantern-93!").await,
        401,
        "login_failed",
    )
    .await;
    let mail = mail_to(&app, "kenji@example.com", "activation").await;
    assert_eq!(mail.len(), 1);
    // A8: the link is under the configured public URL, on the activation page.
    assert!(
        mail[0]
            .link()
            .starts_with("http://127.0.0.1:8080/activate/"),
        "{:?}",
        mail[0]
    );
    let activated = apply_and_activate_token(&app, &mail[0].token()).await;
    assert_eq!(activated["status"], "approved");
    app.login_ok("kenji", "Maple-Lantern-93!").await;
    // A single-use link: the second use is refused.
    let again = public_post(
        &app,
        "/api/v1/applications/activate",
        &json!({ "token": mail[0].token() }),
    )
    .await;
    assert_problem(again, 422, "token_invalid").await;
}

async fn apply_and_activate_token(app: &TestApp, token: &str) -> serde_json::Value {
    let resp = public_post(
        app,
        "/api/v1/applications/activate",
        &json!({ "token": token }),
    )
    .await;
    resp.assert_status_is_ok();
    json_of(resp).await
}

#[tokio::test]
async fn a3_a4_without_automatic_approval_the_application_waits_for_approval() {
    let app = TestApp::new().await;
    registration(&app, true, false, None).await;
    let activated = apply_and_activate(&app, &application("yui")).await;
    assert_eq!(activated["status"], "unapproved");
    assert_problem(
        app.login("yui", "Maple-Lantern-93!").await,
        401,
        "login_failed",
    )
    .await;

    let list = json_of(
        app.get(&app.owner, "/api/v1/applications?status=unapproved")
            .await,
    )
    .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    assert!(list["items"][0].get("password_hash").is_none());
    let resp = app
        .send(
            "POST",
            &app.owner,
            &format!("/api/v1/applications/{id}/approve"),
            &json!({ "notify": true }),
        )
        .await;
    resp.assert_status_is_ok();
    let decided = json_of(resp).await;
    assert_eq!(decided["application"]["status"], "approved");
    assert_eq!(decided["mailed"], true);
    assert_eq!(
        mail_to(&app, "yui@example.com", "application_approved")
            .await
            .len(),
        1
    );
    app.login_ok("yui", "Maple-Lantern-93!").await;
    // Decided once: a second decision is a conflict.
    let again = app
        .send(
            "POST",
            &app.owner,
            &format!("/api/v1/applications/{id}/reject"),
            &json!({}),
        )
        .await;
    assert_problem(again, 409, "application_already_decided").await;
}

#[tokio::test]
async fn a4_not_approved_with_notice_mails_and_without_does_not() {
    let app = TestApp::new().await;
    registration(&app, true, false, None).await;
    apply_and_activate(&app, &application("told")).await;
    apply_and_activate(&app, &application("silent")).await;
    let list = json_of(app.get(&app.owner, "/api/v1/applications").await).await;
    for item in list["items"].as_array().unwrap() {
        let login_id = item["login_id"].as_str().unwrap();
        let notify = login_id == "told";
        let path = format!(
            "/api/v1/applications/{}/reject",
            item["id"].as_str().unwrap()
        );
        let resp = app
            .send("POST", &app.owner, &path, &json!({ "notify": notify }))
            .await;
        resp.assert_status_is_ok();
        let decided = json_of(resp).await;
        assert_eq!(decided["application"]["status"], "not_approved");
        assert_eq!(decided["mailed"], notify);
    }
    assert_eq!(
        mail_to(&app, "told@example.com", "application_not_approved")
            .await
            .len(),
        1
    );
    assert!(
        mail_to(&app, "silent@example.com", "application_not_approved")
            .await
            .is_empty()
    );
    assert_problem(
        app.login("told", "Maple-Lantern-93!").await,
        401,
        "login_failed",
    )
    .await;
    let filtered = app
        .get(
            &app.owner,
            "/api/v1/applications?login_id=TOL&status=not_approved",
        )
        .await;
    let filtered = json_of(filtered).await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1, "{filtered}");
}

#[tokio::test]
async fn a1_closed_registration_refuses_every_application() {
    let app = TestApp::new().await;
    let resp = apply(&app, &application("early")).await;
    assert_problem(resp, 409, "registration_closed").await;
    assert!(queued_mail(&app).await.is_empty());
}

#[tokio::test]
async fn a5_an_application_through_a_url_joins_its_group_and_a_stopped_url_refuses() {
    let app = TestApp::new().await;
    registration(&app, true, true, None).await;
    let class = group(&app, "Class 2-B").await;
    let (url_id, token) = publish(&app, &class, json!([])).await;
    let mut body = application("via-url");
    body["registration_token"] = json!(token);
    apply_and_activate(&app, &body).await;
    let (user_token, _) = app.login_ok("via-url", "Maple-Lantern-93!").await;
    let me = json_of(app.get(&user_token, "/api/v1/me").await).await;
    assert_eq!(me["group_ids"][0], class.as_str());

    let resp = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/registration-urls/stop",
            &json!({ "ids": [url_id] }),
        )
        .await;
    resp.assert_status_is_ok();
    let mut late = application("too-late");
    late["registration_token"] = json!(token);
    assert_problem(apply(&app, &late).await, 409, "registration_url_stopped").await;
    late["registration_token"] = json!("NoSuchTokenAtAll-123");
    assert_problem(apply(&app, &late).await, 404, "registration_url_not_found").await;
    // The CSV download names the group, the URL and its status.
    let csv = app
        .get(&app.owner, "/api/v1/registration-urls/export")
        .await;
    csv.assert_status_is_ok();
    csv.assert_content_type("text/csv; charset=utf-8");
    let text = csv.0.into_body().into_string().await.unwrap();
    assert!(text.starts_with("group,url,status\r\n"), "{text}");
    assert!(
        text.contains(&format!(
            "\"Class 2-B\",\"http://127.0.0.1:8080/register/{token}\",\"stopped\""
        )),
        "{text}"
    );
}

#[tokio::test]
async fn a5_wrong_expired_and_used_up_codes_are_refused() {
    let app = TestApp::new().await;
    registration(&app, true, false, None).await;
    let class = group(&app, "Coded").await;
    let soon = app.clock_now() + Duration::hours(1);
    let codes = json!([
        { "code": "ONCE-2026", "max_uses": 1 },
        { "code": "HOUR-2026", "expires_at": soon },
    ]);
    let (_, token) = publish(&app, &class, codes).await;
    let with = |login: &str, code: Option<&str>| {
        let mut body = application(login);
        body["registration_token"] = json!(token);
        if let Some(code) = code {
            body["code"] = json!(code);
        }
        body
    };
    assert_problem(
        apply(&app, &with("a1", None)).await,
        422,
        "registration_code_required",
    )
    .await;
    assert_problem(
        apply(&app, &with("a2", Some("WRONG-1"))).await,
        422,
        "registration_code_invalid",
    )
    .await;
    apply(&app, &with("a3", Some("ONCE-2026")))
        .await
        .assert_status(StatusCode::CREATED);
    assert_problem(
        apply(&app, &with("a4", Some("ONCE-2026"))).await,
        422,
        "registration_code_used_up",
    )
    .await;
    apply(&app, &with("a5", Some("HOUR-2026")))
        .await
        .assert_status(StatusCode::CREATED);
    app.clock.advance(Duration::hours(2));
    assert_problem(
        apply(&app, &with("a6", Some("HOUR-2026"))).await,
        422,
        "registration_code_expired",
    )
    .await;
    // Only the two admitted applications exist, and only they got mail.
    assert_eq!(queued_mail(&app).await.len(), 2);
}

#[tokio::test]
async fn a6_a_taken_login_id_is_refused_and_a_known_email_answers_like_a_new_one() {
    let app = TestApp::new().await;
    registration(&app, true, false, None).await;
    app.create_user(&json!({
        "login_id": "existing", "name": "Existing", "email": "existing@example.com",
        "password": "Quiet-River-2048",
    }))
    .await;
    let taken = apply(&app, &application("EXISTING")).await;
    assert_problem(taken, 409, "login_id_taken").await;
    // A6: an email in use is not refused: the answer is the one a fresh address gets.
    let mut known = application("newcomer");
    known["email"] = json!("existing@example.com");
    let resp = apply(&app, &known).await;
    resp.assert_status(StatusCode::CREATED);
    let fresh = json_of(apply(&app, &application("fresh")).await).await;
    let known = json_of(resp).await;
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&known), keys(&fresh));
    // An open application holds its login ID (A6).
    assert_problem(
        apply(&app, &application("fresh")).await,
        409,
        "login_id_taken",
    )
    .await;
}
