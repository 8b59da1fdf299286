//! M1 end to end through a real SMTP server (aiosmtpd): the invitation, activation and
//! approval mails the API causes are delivered by the mail dispatcher, read back as a mail
//! client reads them, and the test follows the link in each — the page it opens answers,
//! and the token it carries sets the password or activates the application.

use crate::harness::{TestApp, json_of};
use crate::joining::{application, apply, public_post, registration};
use chrono::Duration;
use roster_domain::ports::delivery::MailTransport;
use roster_domain::ports::jobs::MailDispatch;
use roster_domain::registration::RetryPolicy;
use roster_domain::services::{MailDispatchPorts, MailDispatcher};
use roster_infra_mail::testing::{ReceivedMail, SmtpSink, mail_tools_present};
use roster_infra_mail::{MiniJinjaRenderer, Sender, SmtpTransport};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration as StdDuration;

/// What `roster serve`'s mail job does, once, over the test app's store and the sink.
async fn deliver(app: &TestApp, sink: &SmtpSink) {
    let sender = Sender::parse("Roster LMS <roster@lms.example.com>").unwrap();
    let transport: Arc<dyn MailTransport> =
        Arc::new(SmtpTransport::from_url(&sink.url(), sender).unwrap());
    let shared = Arc::new(app.store.clone());
    let dispatcher = MailDispatcher::new(
        MailDispatchPorts {
            outbox: shared.clone(),
            templates: shared,
            renderer: Arc::new(MiniJinjaRenderer),
            transport,
        },
        RetryPolicy::default(),
    );
    let now = app.clock_now() + Duration::seconds(1);
    dispatcher.deliver_due(now, 50).await.unwrap();
}

/// The received mail to `to` whose subject contains `subject`.
fn received(sink: &SmtpSink, n: usize, to: &str, subject: &str) -> ReceivedMail {
    sink.wait_for(n, StdDuration::from_secs(20))
        .into_iter()
        .find(|m| m.to.contains(to) && m.subject.contains(subject))
        .unwrap_or_else(|| panic!("no mail to {to} about {subject:?}"))
}

/// Follows `link` (under the default public URL) in the app: the page must answer 200 and
/// show a form; returns the token, the link's last segment.
async fn follow(app: &TestApp, link: &str) -> String {
    let path = link
        .strip_prefix("http://127.0.0.1:8080")
        .unwrap_or_else(|| panic!("a link under the public URL: {link}"));
    let page = app.client.get(path).send().await;
    page.assert_status_is_ok();
    let html = page.0.into_body().into_string().await.unwrap();
    assert!(
        html.contains("<form"),
        "the linked page has its form: {html}"
    );
    path.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn m1_u5_a_delivered_invitation_link_sets_the_password() {
    if !mail_tools_present("m1_u5_a_delivered_invitation_link_sets_the_password") {
        return;
    }
    let app = TestApp::new().await;
    let sink = SmtpSink::start();
    let user = app
        .create_user(
            &json!({"login_id": "sakura", "name": "Sakura", "email": "sakura@example.com"}),
        )
        .await;
    let path = format!("/api/v1/users/{}/invitation", user["id"].as_str().unwrap());
    let sent = app.call("POST", &app.owner, &path).await;
    assert!(sent.0.status().is_success(), "{}", sent.0.status());

    deliver(&app, &sink).await;
    let mail = received(&sink, 1, "sakura@example.com", "invited");
    assert!(mail.defects.is_empty(), "{:?}", mail.defects);
    let token = follow(&app, mail.link().expect("a link")).await;
    let accepted = public_post(
        &app,
        "/api/v1/invitations/accept",
        &json!({"token": token, "password": "Paper-Crane-4821!"}),
    )
    .await;
    assert!(accepted.0.status().is_success(), "{}", accepted.0.status());
    app.login_ok("sakura", "Paper-Crane-4821!").await;
}

#[tokio::test]
async fn m1_a2_a4_delivered_activation_and_approval_mails_carry_working_links() {
    if !mail_tools_present("m1_a2_a4_delivered_activation_and_approval_mails_carry_working_links") {
        return;
    }
    let app = TestApp::new().await;
    let sink = SmtpSink::start();
    // Registration open, approval by an administrator.
    registration(&app, true, false, None).await;
    let applied = json_of(apply(&app, &application("kenji")).await).await;

    deliver(&app, &sink).await;
    let mail = received(&sink, 1, "kenji@example.com", "Confirm your application");
    let token = follow(&app, mail.link().expect("a link")).await;
    let activated = public_post(
        &app,
        "/api/v1/applications/activate",
        &json!({"token": token}),
    )
    .await;
    activated.assert_status_is_ok();
    assert_eq!(json_of(activated).await["status"], "unapproved");

    let path = format!(
        "/api/v1/applications/{}/approve",
        applied["id"].as_str().unwrap()
    );
    let approved = app
        .send("POST", &app.owner, &path, &json!({"notify": true}))
        .await;
    approved.assert_status_is_ok();
    deliver(&app, &sink).await;
    let mail = received(&sink, 2, "kenji@example.com", "approved");
    assert!(mail.body.contains("kenji"), "{}", mail.body);
    app.login_ok("kenji", "Maple-Lantern-93!").await;
}
