//! U6 over HTTP with a test clock: an expired user cannot log in, its sessions end at the
//! next request, and extending the expiry restores login only (old sessions stay ended).

use crate::harness::*;
use chrono::{Duration, SecondsFormat};
use serde_json::json;

#[tokio::test]
async fn u6_expiry_refuses_login_ends_sessions_and_extension_restores_login_only() {
    let app = TestApp::new().await;
    let expires = (app.clock_now() + Duration::hours(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let user = app
        .create_user(
            &json!({"login_id": "kenji", "name": "Kenji", "password": PASSWORD,
                             "expires_at": expires}),
        )
        .await;
    let (token, _) = app.login_ok("kenji", PASSWORD).await;
    app.get(&token, "/api/v1/me").await.assert_status_is_ok();

    app.clock.advance(Duration::hours(2));
    // The session ends at its next request; logging in is refused like a wrong password
    // (S2: no hint that the account exists but expired).
    assert_eq!(app.get(&token, "/api/v1/me").await.0.status().as_u16(), 401);
    let refused = app.login("kenji", PASSWORD).await;
    assert_eq!(refused.0.status().as_u16(), 401);
    let wrong = app.login("kenji", "Not-The-Password-1").await;
    let (refused, wrong) = (json_of(refused).await, json_of(wrong).await);
    assert_eq!(refused["code"], wrong["code"], "{refused} vs {wrong}");

    let later = (app.clock_now() + Duration::days(30)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let path = format!("/api/v1/users/{}", user["id"].as_str().unwrap());
    // The owner's own session idled out during the two hours.
    let (owner, _) = app.login_ok(OWNER, OWNER_PASSWORD).await;
    let resp = app
        .send("PATCH", &owner, &path, &json!({"expires_at": later}))
        .await;
    resp.assert_status_is_ok();
    let (fresh, _) = app.login_ok("kenji", PASSWORD).await;
    app.get(&fresh, "/api/v1/me").await.assert_status_is_ok();
    assert_eq!(
        app.get(&token, "/api/v1/me").await.0.status().as_u16(),
        401,
        "the session ended at expiry stays ended"
    );
}
