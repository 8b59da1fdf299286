//! Shared steps of the joining tests (U5, U10, A1–A8): settings through the API, and the
//! mail the services queue in `mail_queue` (read straight from the store: delivery is the
//! mail worker's job), with the link each one carries.

use crate::harness::{TestApp, json_of};
use poem::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::time::Duration;

/// One queued mail.
#[derive(Debug, Clone)]
pub struct Queued {
    pub recipient: String,
    pub kind: String,
    pub variables: Value,
}

impl Queued {
    /// The `link` variable: the single-use link the mail carries.
    pub fn link(&self) -> String {
        self.variables["link"].as_str().unwrap().to_owned()
    }

    /// The token at the end of the link.
    pub fn token(&self) -> String {
        self.link().rsplit('/').next().unwrap().to_owned()
    }
}

/// Every mail queued so far, oldest first.
pub async fn queued_mail(app: &TestApp) -> Vec<Queued> {
    let conn = app.store.connection();
    let rows = conn
        .query_all_raw(Statement::from_string(
            app.store.backend(),
            "SELECT recipient, kind, variables FROM mail_queue ORDER BY queued_at, id",
        ))
        .await
        .unwrap();
    rows.into_iter()
        .map(|row| {
            let variables: String = row.try_get("", "variables").unwrap();
            Queued {
                recipient: row.try_get("", "recipient").unwrap(),
                kind: row.try_get("", "kind").unwrap(),
                variables: serde_json::from_str(&variables).unwrap(),
            }
        })
        .collect()
}

/// The mails of `kind` to `recipient`, oldest first.
pub async fn mail_to(app: &TestApp, recipient: &str, kind: &str) -> Vec<Queued> {
    queued_mail(app)
        .await
        .into_iter()
        .filter(|m| m.recipient == recipient && m.kind == kind)
        .collect()
}

/// Waits (up to 5 s) for `n` mails of `kind` to `recipient`: work that runs after the
/// answer (the reset request) queues its mail a moment later.
pub async fn wait_for_mail(app: &TestApp, recipient: &str, kind: &str, n: usize) -> Vec<Queued> {
    for _ in 0..100 {
        let mails = mail_to(app, recipient, kind).await;
        if mails.len() >= n {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {kind} mail to {recipient} arrived");
}

/// A1: sets the registration settings as the owner.
pub async fn registration(app: &TestApp, open: bool, auto_approve: bool, purge: Option<u16>) {
    let body = json!({
        "self_registration": open, "auto_approve": auto_approve,
        "purge_not_activated_after_days": purge,
    });
    let resp = app
        .send("PUT", &app.owner, "/api/v1/settings/registration", &body)
        .await;
    resp.assert_status_is_ok();
}

/// A group made by the owner; its id.
pub async fn group(app: &TestApp, name: &str) -> String {
    let resp = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/groups",
            &json!({ "name": name }),
        )
        .await;
    resp.assert_status(StatusCode::CREATED);
    json_of(resp).await["id"].as_str().unwrap().to_owned()
}

/// A5: publishes a URL for `group` with `codes`; (url id, token).
pub async fn publish(app: &TestApp, group: &str, codes: Value) -> (String, String) {
    let body = json!({ "group_ids": [group], "codes": codes });
    let resp = app
        .send("POST", &app.owner, "/api/v1/registration-urls", &body)
        .await;
    resp.assert_status_is_ok();
    let body = json_of(resp).await;
    let url = &body["items"][0]["url"];
    (
        url["id"].as_str().unwrap().to_owned(),
        url["token"].as_str().unwrap().to_owned(),
    )
}

/// An application body for `login_id` (email `{login_id}@example.com`).
pub fn application(login_id: &str) -> Value {
    json!({
        "login_id": login_id, "name": format!("Applicant {login_id}"),
        "email": format!("{login_id}@example.com"), "password": "Maple-Lantern-93!",
    })
}

/// POSTs an application with no session.
pub async fn apply(app: &TestApp, body: &Value) -> poem::test::TestResponse {
    app.client
        .post("/api/v1/applications")
        .body_json(body)
        .send()
        .await
}

/// POSTs a public JSON body with no session.
pub async fn public_post(app: &TestApp, path: &str, body: &Value) -> poem::test::TestResponse {
    app.client.post(path).body_json(body).send().await
}

/// Applies as `login_id` and activates by the mailed link; the activation answer.
pub async fn apply_and_activate(app: &TestApp, body: &Value) -> Value {
    let resp = apply(app, body).await;
    resp.assert_status(StatusCode::CREATED);
    let email = body["email"].as_str().unwrap();
    let mail = mail_to(app, email, "activation").await;
    let token = mail.last().expect("an activation mail").token();
    let resp = public_post(
        app,
        "/api/v1/applications/activate",
        &json!({ "token": token }),
    )
    .await;
    resp.assert_status_is_ok();
    json_of(resp).await
}
