//! O3: every error is a problem document — including the ones poem raises itself.

use crate::harness::*;

#[tokio::test]
async fn o3_unknown_paths_and_methods_are_problems() {
    let app = TestApp::new().await;
    let missing = app.get(&app.owner, "/api/v1/nothing-here").await;
    assert_problem(missing, 404, "not_found").await;
    let method = app.client.put("/api/v1/auth/login").send().await;
    assert_problem(method, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn o3_a_body_over_the_limit_is_413() {
    let app = TestApp::with(|c| c.body_limit = 2048).await;
    let big = "x".repeat(4096);
    let resp = app
        .client
        .post("/api/v1/auth/login")
        .content_type("application/json")
        .body(format!("{{\"login_id\":\"{big}\",\"password\":\"p\"}}"))
        .send()
        .await;
    assert_problem(resp, 413, "payload_too_large").await;
}

/// No route reads XML (see .cargo/audit.toml): an XML body is refused unread.
#[tokio::test]
async fn o3_an_xml_body_is_refused_as_unsupported() {
    let app = TestApp::new().await;
    let resp = app
        .client
        .post("/api/v1/auth/login")
        .content_type("application/xml")
        .body("<login><login_id>owner</login_id></login>")
        .send()
        .await;
    assert_problem(resp, 415, "unsupported_media_type").await;
}
