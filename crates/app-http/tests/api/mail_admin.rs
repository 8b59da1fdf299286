//! M2–M4 over HTTP: email templates with `admin.email_templates`, notification switches
//! and the mail queue with `admin.notifications`; 403 without them, 422 for a template
//! that does not render, previews with sample data.

use crate::harness::{TestApp, assert_problem, json_of};
use chrono::{Duration, Utc};
use poem::http::StatusCode;
use roster_domain::ports::delivery::{MailOutbox, Settlement};
use roster_domain::ports::mail::MailQueue;
use roster_domain::registration::{MailKind, OutgoingMail};
use roster_domain::user::Email;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A user holding `privilege` with scope `all`, logged in: its token.
async fn admin_with(app: &TestApp, login_id: &str, privilege: &str) -> String {
    let password = "Quiet-River-2048-x";
    let user = app
        .create_user(&json!({"login_id": login_id, "name": login_id, "password": password}))
        .await;
    let grant = json!({"subject_user_id": user["id"], "privilege": privilege,
                       "scope": {"kind": "all"}});
    app.send("POST", &app.owner, "/api/v1/grants", &grant)
        .await
        .assert_status(StatusCode::CREATED);
    app.login_ok(login_id, password).await.0
}

#[tokio::test]
async fn m2_templates_are_read_saved_previewed_and_bad_ones_refused() {
    let app = TestApp::new().await;
    let editor = admin_with(&app, "editor", "admin.email_templates").await;
    let other = admin_with(&app, "switcher", "admin.notifications").await;

    let list = json_of(app.get(&editor, "/api/v1/email-templates").await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 5);
    assert_eq!(list["items"][0]["kind"], "invitation");
    assert_eq!(list["items"][0]["customized"], false);
    assert_problem(
        app.get(&other, "/api/v1/email-templates").await,
        403,
        "forbidden",
    )
    .await;

    let path = "/api/v1/email-templates/activation";
    let good =
        json!({"subject": "Welcome {{ name }}", "body": "Open {{ link }} before {{ expires_at }}"});
    let saved = json_of(app.send("PUT", &editor, path, &good).await).await;
    assert_eq!(
        (saved["subject"].clone(), saved["customized"].clone()),
        (json!("Welcome {{ name }}"), json!(true))
    );
    assert_eq!(
        json_of(app.get(&editor, path).await).await["body"],
        good["body"]
    );
    assert_problem(app.send("PUT", &other, path, &good).await, 403, "forbidden").await;

    for (body, code) in [
        (
            json!({"subject": "Hi", "body": "{% if name %}unclosed"}),
            "template_syntax",
        ),
        (
            json!({"subject": "Hi", "body": "{{ password }}"}),
            "template_unknown_variable",
        ),
        (
            json!({"subject": "Hi {{ login_url }}", "body": "x"}),
            "template_unknown_variable",
        ),
    ] {
        assert_problem(app.send("PUT", &editor, path, &body).await, 422, code).await;
    }
    // The refused saves changed nothing.
    assert_eq!(
        json_of(app.get(&editor, path).await).await["subject"],
        "Welcome {{ name }}"
    );

    let preview = format!("{path}/preview");
    let in_force = json_of(app.send("POST", &editor, &preview, &json!({})).await).await;
    assert_eq!(in_force["subject"], "Welcome Hanako Sato");
    assert!(
        in_force["body"]
            .as_str()
            .unwrap()
            .contains("https://lms.example.com/activate/SAMPLE-TOKEN")
    );
    let draft = json!({"subject": "Draft for {{ login_id }}", "body": "b"});
    let rendered = json_of(app.send("POST", &editor, &preview, &draft).await).await;
    assert_eq!(rendered["subject"], "Draft for hanako");
    let bad = json!({"subject": "s", "body": "{{ nope }}"});
    assert_problem(
        app.send("POST", &editor, &preview, &bad).await,
        422,
        "template_unknown_variable",
    )
    .await;
    assert_problem(
        app.send("POST", &other, &preview, &json!({})).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn m3_notification_switches_need_admin_notifications() {
    let app = TestApp::new().await;
    let switcher = admin_with(&app, "switcher", "admin.notifications").await;
    let editor = admin_with(&app, "editor", "admin.email_templates").await;
    let path = "/api/v1/settings/notifications";
    let all_on = json_of(app.get(&switcher, path).await).await;
    assert!(
        all_on
            .as_object()
            .unwrap()
            .values()
            .all(|v| v == &Value::Bool(true)),
        "{all_on}"
    );
    let mut off = all_on.clone();
    off["application_not_approved"] = json!(false);
    assert_eq!(
        json_of(app.send("PUT", &switcher, path, &off).await).await,
        off
    );
    assert_eq!(json_of(app.get(&switcher, path).await).await, off);
    assert_problem(app.get(&editor, path).await, 403, "forbidden").await;
    assert_problem(
        app.send("PUT", &editor, path, &all_on).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn m4_failed_and_pending_mail_is_visible_to_admin_notifications_only() {
    let app = TestApp::new().await;
    let switcher = admin_with(&app, "switcher", "admin.notifications").await;
    let editor = admin_with(&app, "editor", "admin.email_templates").await;
    for n in 0..3 {
        let vars = BTreeMap::from([("link".to_owned(), format!("https://x/invite/SECRET{n}"))]);
        let to = Email::parse(&format!("u{n}@example.com")).unwrap();
        let mail = OutgoingMail::new(to, MailKind::Invitation, vars).unwrap();
        app.store.enqueue(&mail).await.unwrap();
    }
    let now = Utc::now() + Duration::seconds(1);
    let claimed = app
        .store
        .claim_due(now, 1, Duration::minutes(5))
        .await
        .unwrap();
    let give_up = Settlement::GiveUp {
        error: "smtp: 550 mailbox unavailable".into(),
    };
    assert!(app.store.settle(&claimed[0].claim, &give_up).await.unwrap());

    let failed = json_of(app.get(&switcher, "/api/v1/mail-queue?status=failed").await).await;
    assert_eq!(failed["items"].as_array().unwrap().len(), 1, "{failed}");
    let row = &failed["items"][0];
    assert_eq!(row["status"], "failed");
    assert_eq!(row["last_error"], "smtp: 550 mailbox unavailable");
    assert_eq!(row["kind"], "invitation");
    assert!(!failed.to_string().contains("SECRET"), "no variables shown");

    let page = json_of(app.get(&switcher, "/api/v1/mail-queue?limit=2").await).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = json_of(
        app.get(
            &switcher,
            &format!("/api/v1/mail-queue?limit=2&cursor={cursor}"),
        )
        .await,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    assert!(!page.to_string().contains("SECRET") && !rest.to_string().contains("SECRET"));

    assert_problem(
        app.get(&editor, "/api/v1/mail-queue").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get(&switcher, "/api/v1/mail-queue?cursor=nope").await,
        400,
        "invalid_cursor",
    )
    .await;
}
