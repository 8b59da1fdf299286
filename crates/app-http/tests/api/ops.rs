//! O3, O4: health, readiness, the OpenAPI document and its committed copy.

use crate::harness::*;

#[tokio::test]
async fn o4_healthz_and_readyz_answer() {
    let app = TestApp::new().await;
    let health = app.client.get("/healthz").send().await;
    health.assert_status_is_ok();
    health.assert_text("ok").await;
    let ready = app.client.get("/readyz").send().await;
    ready.assert_status_is_ok();
}

#[tokio::test]
async fn o4_every_answer_carries_a_request_id_and_keeps_a_plain_client_id() {
    let app = TestApp::new().await;
    let made = app.client.get("/healthz").send().await;
    let id = made.0.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    // Errors too (401 here).
    let denied = app.client.get("/api/v1/me").send().await;
    assert_eq!(denied.0.status().as_u16(), 401);
    assert!(denied.0.headers().contains_key("x-request-id"));
    let kept = app
        .client
        .get("/healthz")
        .header("x-request-id", "lb-7f3a.1")
        .send()
        .await;
    assert_eq!(kept.0.headers()["x-request-id"], "lb-7f3a.1");
    let forged = app
        .client
        .get("/healthz")
        .header("x-request-id", "x\" injected=1")
        .send()
        .await;
    assert_ne!(forged.0.headers()["x-request-id"], "x\" injected=1");
}

#[tokio::test]
async fn o3_openapi_json_and_docs_are_served() {
    let app = TestApp::new().await;
    let spec = json_of(app.client.get("/openapi.json").send().await).await;
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    assert!(spec["paths"]["/api/v1/auth/login"]["post"].is_object());
    let docs = app.client.get("/docs").send().await;
    docs.assert_status_is_ok();
}

/// O3: `docs/openapi.json` is the document the code serves. Regenerate it with
/// `cargo xtask openapi` when this fails.
#[test]
fn o3_committed_openapi_document_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).expect("docs/openapi.json exists");
    let current = roster_app_http::openapi_json();
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let current: serde_json::Value = serde_json::from_str(&current).unwrap();
    assert!(
        committed == current,
        "docs/openapi.json is out of date: run `cargo xtask openapi`"
    );
}
