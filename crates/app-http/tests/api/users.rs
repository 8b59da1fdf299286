//! U1–U7, P3–P5 over HTTP: each users endpoint's success and refusals, with their codes.

use crate::harness::*;
use crate::world::World;
use roster_domain::ports::grants::GrantRepository;
use serde_json::json;

fn user_path(id: impl std::fmt::Display) -> String {
    format!("/api/v1/users/{id}")
}

#[tokio::test]
async fn u4_register_read_edit_delete_a_user() {
    let app = TestApp::new().await;
    let created = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/users",
            &json!({"login_id": "Hanako", "name": "山田 花子", "email": "hanako@example.com",
                    "password": PASSWORD, "expires_at": "2030-03-31"}),
        )
        .await;
    created.assert_status(poem::http::StatusCode::CREATED);
    let user = json_of(created).await;
    assert_eq!(user["login_id"], "Hanako");
    assert_eq!(user["status"], "valid");
    assert_eq!(user["has_password"], true);
    assert!(user.get("password").is_none() && !user.to_string().contains("argon2"));
    assert_eq!(
        user["expires_at"], "2030-04-01T00:00:00+00:00",
        "a date is valid through that whole day (U6)"
    );
    let id = user["id"].as_str().unwrap().to_owned();

    let read = json_of(app.get(&app.owner, &user_path(&id)).await).await;
    assert_eq!(read, user);
    app.login_ok("hanako", PASSWORD).await;

    let patched = app
        .send(
            "PATCH",
            &app.owner,
            &user_path(&id),
            &json!({"name": "Hanako Y", "email": null, "expires_at": null, "status": "invalid"}),
        )
        .await;
    patched.assert_status_is_ok();
    let patched = json_of(patched).await;
    assert_eq!(patched["name"], "Hanako Y");
    assert!(patched["email"].is_null() && patched["expires_at"].is_null());
    assert_eq!(patched["status"], "invalid");
    assert_problem(app.login("hanako", PASSWORD).await, 401, "login_failed").await;

    app.call("DELETE", &app.owner, &user_path(&id))
        .await
        .assert_status(poem::http::StatusCode::NO_CONTENT);
    assert_problem(app.get(&app.owner, &user_path(&id)).await, 404, "not_found").await;
}

#[tokio::test]
async fn u1_login_id_is_unique_case_insensitively_409() {
    let app = TestApp::new().await;
    let body = json!({"login_id": "taro", "name": "Taro"});
    app.send("POST", &app.owner, "/api/v1/users", &body)
        .await
        .assert_status(poem::http::StatusCode::CREATED);
    let again = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/users",
            &json!({"login_id": "TARO", "name": "T"}),
        )
        .await;
    assert_problem(again, 409, "login_id_taken").await;
}

#[tokio::test]
async fn u1_bad_fields_are_422_naming_each() {
    let app = TestApp::new().await;
    let resp = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/users",
            &json!({"login_id": "", "name": "x", "email": "no-at-sign", "expires_at": "soon"}),
        )
        .await;
    let problem = assert_problem(resp, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["login_id", "email", "expires_at"]);
    let weak = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/users",
            &json!({"login_id": "weak", "name": "W", "password": "123"}),
        )
        .await;
    let problem = assert_problem(weak, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "password");
}

#[tokio::test]
async fn u2_pending_without_password_and_password_set_makes_valid() {
    let app = TestApp::new().await;
    let user = app
        .create_user(&json!({"login_id": "p1", "name": "P"}))
        .await;
    assert_eq!(user["status"], "pending");
    assert_eq!(user["has_password"], false);
    let path = format!("{}/password", user_path(user["id"].as_str().unwrap()));
    app.send("PUT", &app.owner, &path, &json!({"password": PASSWORD}))
        .await
        .assert_status(poem::http::StatusCode::NO_CONTENT);
    app.login_ok("p1", PASSWORD).await;
    let invalid_status = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/users",
            &json!({"login_id": "p2", "name": "P", "status": "valid"}),
        )
        .await;
    assert_problem(invalid_status, 422, "password_required").await;
}

#[tokio::test]
async fn u3_the_owner_cannot_be_disabled_or_deleted() {
    let app = TestApp::new().await;
    let path = user_path(&app.owner_id);
    let resp = app
        .send("PATCH", &app.owner, &path, &json!({"status": "invalid"}))
        .await;
    assert_problem(resp, 403, "self_change_forbidden").await;
    let resp = app.call("DELETE", &app.owner, &path).await;
    assert_problem(resp, 403, "self_change_forbidden").await;
}

#[tokio::test]
async fn u4_stale_expected_updated_at_is_409_conflict() {
    let app = TestApp::new().await;
    let user = app
        .create_user(&json!({"login_id": "c1", "name": "C"}))
        .await;
    let path = user_path(user["id"].as_str().unwrap());
    let stale = json!({"name": "New", "expected_updated_at": "2001-01-01T00:00:00Z"});
    assert_problem(
        app.send("PATCH", &app.owner, &path, &stale).await,
        409,
        "conflict",
    )
    .await;
    let fresh = json!({"name": "New", "expected_updated_at": user["updated_at"]});
    app.send("PATCH", &app.owner, &path, &fresh)
        .await
        .assert_status_is_ok();
}

#[tokio::test]
async fn u7_deleting_a_user_ends_its_sessions() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    app.call("DELETE", &app.owner, &user_path(w.learner.as_uuid()))
        .await
        .assert_status(poem::http::StatusCode::NO_CONTENT);
    let resp = app.get(&w.learner_token, "/api/v1/me").await;
    assert_eq!(resp.0.status().as_u16(), 401);
}

#[tokio::test]
async fn s1_disabling_a_user_ends_its_sessions() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let path = user_path(w.learner.as_uuid());
    app.send("PATCH", &app.owner, &path, &json!({"status": "invalid"}))
        .await
        .assert_status_is_ok();
    // The store deletes the sessions with the change: the token is simply unknown now.
    assert_problem(
        app.get(&w.learner_token, "/api/v1/me").await,
        401,
        "session_invalid",
    )
    .await;
}

#[tokio::test]
async fn p5_a_manager_cannot_edit_someone_who_holds_more() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    // user-a gets grades.view everywhere, which the manager does not hold.
    let store_grant = roster_domain::authz::NewGrant {
        subject: roster_domain::authz::Subject::User(w.user_a),
        privilege: roster_domain::authz::Privilege::GradesView,
        scope: roster_domain::authz::Scope::All,
    };
    app.store
        .create(roster_domain::ids::GrantId::new(), store_grant)
        .await
        .unwrap();
    let path = user_path(w.user_a.as_uuid());
    let resp = app
        .send("PATCH", &w.manager_token, &path, &json!({"name": "X"}))
        .await;
    assert_problem(resp, 403, "target_holds_more").await;
    let resp = app.call("DELETE", &w.manager_token, &path).await;
    assert_problem(resp, 403, "target_holds_more").await;
}

#[tokio::test]
async fn p3_nobody_changes_their_own_status_and_users_see_themselves() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let own = user_path(w.learner.as_uuid());
    app.get(&w.learner_token, &own).await.assert_status_is_ok();
    let viewer_self = user_path(w.viewer.as_uuid());
    app.get(&w.viewer_token, &viewer_self)
        .await
        .assert_status_is_ok();
    let resp = app
        .send(
            "PATCH",
            &w.manager_token,
            &user_path(w.manager.as_uuid()),
            &json!({"status": "invalid"}),
        )
        .await;
    assert_problem(resp, 403, "self_change_forbidden").await;
}

#[tokio::test]
async fn p4_list_filters_and_pages() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let in_a = json_of(
        app.get(
            &app.owner,
            &format!("/api/v1/users?group_id={}", w.a.as_uuid()),
        )
        .await,
    )
    .await;
    let mut logins: Vec<&str> = in_a["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login_id"].as_str().unwrap())
        .collect();
    logins.sort();
    assert_eq!(
        logins,
        ["learner", "manager", "user-a", "user-a1"],
        "G4: members of A and below"
    );
    let q = json_of(app.get(&app.owner, "/api/v1/users?q=USER-A1").await).await;
    assert_eq!(q["items"].as_array().unwrap().len(), 1);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".to_owned(),
        };
        let page = json_of(app.get(&app.owner, &path).await).await;
        for u in page["items"].as_array().unwrap() {
            seen.push(u["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "every user once across pages");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 7);
    // The storage port reads a cursor it never issued as the end of the list.
    let bad = json_of(app.get(&app.owner, "/api/v1/users?cursor=garbage").await).await;
    assert!(bad["items"].as_array().unwrap().is_empty() && bad["next_cursor"].is_null());
}

#[tokio::test]
async fn p4_unknown_id_and_malformed_id() {
    let app = TestApp::new().await;
    let unknown = app.get(&app.owner, &user_path(uuid::Uuid::now_v7())).await;
    assert_problem(unknown, 404, "not_found").await;
    let malformed = app.get(&app.owner, "/api/v1/users/not-a-uuid").await;
    assert_problem(malformed, 400, "bad_request").await;
}

#[tokio::test]
async fn u10_one_sets_ones_own_password_only_by_proving_the_current_one() {
    let app = TestApp::new().await;
    let path = format!("{}/password", user_path(&app.owner_id));
    let resp = app
        .send(
            "PUT",
            &app.owner,
            &path,
            &json!({"password": "Taken-Over-2026!"}),
        )
        .await;
    assert_problem(resp, 403, "self_change_forbidden").await;
    app.get(&app.owner, "/api/v1/me")
        .await
        .assert_status_is_ok();
    app.login_ok(OWNER, OWNER_PASSWORD).await;
}
