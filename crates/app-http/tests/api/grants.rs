//! P2–P6 over HTTP: granting, listing and revoking privileges, escalation refused, and the
//! explain call's grant path.

use crate::groups::{fields_of, ids_of};
use crate::harness::*;
use crate::world::World;
use poem::http::StatusCode;
use serde_json::{Value, json};

/// A grant body for a user subject.
fn to_user(user: impl std::fmt::Display, privilege: &str, scope: Value) -> Value {
    json!({"subject_user_id": user.to_string(), "privilege": privilege, "scope": scope})
}

fn groups_scope(ids: &[uuid::Uuid]) -> Value {
    json!({"kind": "groups", "group_ids": ids})
}

/// Grants through the API as `token`, expecting 201; returns the grant's id.
async fn grant_ok(app: &TestApp, token: &str, body: &Value) -> String {
    let resp = app.send("POST", token, "/api/v1/grants", body).await;
    resp.assert_status(StatusCode::CREATED);
    json_of(resp).await["id"].as_str().unwrap().to_owned()
}

/// The world, with the manager also holding `admin.authorization` over its member groups.
async fn world_with_authorizing_manager(app: &TestApp) -> World {
    let w = World::build(app).await;
    let body = to_user(
        w.manager.as_uuid(),
        "admin.authorization",
        json!({"kind": "member_groups"}),
    );
    grant_ok(app, &app.owner, &body).await;
    w
}

#[tokio::test]
async fn p2_grant_list_and_revoke() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let body = to_user(
        w.user_a.as_uuid(),
        "grades.view",
        groups_scope(&[w.a.as_uuid()]),
    );
    let created = app.send("POST", &app.owner, "/api/v1/grants", &body).await;
    created.assert_status(StatusCode::CREATED);
    let grant = json_of(created).await;
    assert_eq!(grant["subject_user_id"], w.user_a.as_uuid().to_string());
    assert!(grant["subject_group_id"].is_null());
    assert_eq!(grant["privilege"], "grades.view");
    assert_eq!(grant["scope"], groups_scope(&[w.a.as_uuid()]));
    let id = grant["id"].as_str().unwrap().to_owned();

    let path = format!("/api/v1/grants?subject_user_id={}", w.user_a.as_uuid());
    let page = json_of(app.get(&app.owner, &path).await).await;
    assert_eq!(ids_of(&page), [id.as_str()]);
    let by_privilege = json_of(
        app.get(&app.owner, "/api/v1/grants?privilege=grades.view")
            .await,
    )
    .await;
    assert_eq!(ids_of(&by_privilege), [id.as_str()]);
    let everything = json_of(app.get(&app.owner, "/api/v1/grants?limit=500").await).await;
    assert_eq!(
        ids_of(&everything).len(),
        3,
        "the manager's, the viewer's and this"
    );

    let revoke = format!("/api/v1/grants/{id}");
    app.call("DELETE", &app.owner, &revoke)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    assert_problem(
        app.call("DELETE", &app.owner, &revoke).await,
        404,
        "not_found",
    )
    .await;
    let page = json_of(app.get(&app.owner, &path).await).await;
    assert!(ids_of(&page).is_empty());
}

#[tokio::test]
async fn p2_a_group_grant_names_the_group() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let body = json!({"subject_group_id": w.a1.as_uuid(), "privilege": "materials.assign",
                      "scope": {"kind": "member_groups"}});
    let created = app.send("POST", &app.owner, "/api/v1/grants", &body).await;
    created.assert_status(StatusCode::CREATED);
    let grant = json_of(created).await;
    assert_eq!(grant["subject_group_id"], w.a1.as_uuid().to_string());
    assert!(grant["subject_user_id"].is_null());
    assert_eq!(
        grant["scope"],
        json!({"kind": "member_groups", "group_ids": []})
    );
    let path = format!("/api/v1/grants?subject_group_id={}", w.a1.as_uuid());
    let page = json_of(app.get(&app.owner, &path).await).await;
    assert_eq!(ids_of(&page), [grant["id"].as_str().unwrap()]);
}

#[tokio::test]
async fn p2_exactly_one_subject_and_a_sound_scope_else_422() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let cases = [
        (
            json!({"privilege": "users.view", "scope": {"kind": "all"}}),
            vec!["subject_user_id"],
        ),
        (
            json!({"subject_user_id": w.user_a.as_uuid(), "subject_group_id": w.a.as_uuid(),
                   "privilege": "users.view", "scope": {"kind": "all"}}),
            vec!["subject_group_id"],
        ),
        (
            to_user(w.user_a.as_uuid(), "users.view", json!({"kind": "groups"})),
            vec!["scope.group_ids"],
        ),
        (
            json!({"privilege": "users.view",
                   "scope": {"kind": "all", "group_ids": [w.a.as_uuid()]}}),
            vec!["subject_user_id", "scope.group_ids"],
        ),
    ];
    for (body, fields) in cases {
        let resp = app.send("POST", &app.owner, "/api/v1/grants", &body).await;
        let problem = assert_problem(resp, 422, "validation_failed").await;
        assert_eq!(fields_of(&problem), fields, "{body}");
    }
    let unknown = to_user(w.user_a.as_uuid(), "users.fly", json!({"kind": "all"}));
    let resp = app
        .send("POST", &app.owner, "/api/v1/grants", &unknown)
        .await;
    assert_problem(resp, 400, "bad_request").await;
    let ghost = groups_scope(&[uuid::Uuid::now_v7()]);
    let resp = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/grants",
            &to_user(w.user_a.as_uuid(), "users.view", ghost),
        )
        .await;
    assert_problem(resp, 422, "unknown_group").await;
    let both = format!(
        "/api/v1/grants?subject_user_id={}&subject_group_id={}",
        w.user_a.as_uuid(),
        w.a.as_uuid()
    );
    let problem = assert_problem(app.get(&app.owner, &both).await, 422, "validation_failed").await;
    assert_eq!(fields_of(&problem), ["subject_group_id"]);
}

#[tokio::test]
async fn p2_the_same_grant_twice_is_409() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let body = to_user(w.user_b.as_uuid(), "users.view", json!({"kind": "all"}));
    grant_ok(&app, &app.owner, &body).await;
    let again = app.send("POST", &app.owner, "/api/v1/grants", &body).await;
    assert_problem(again, 409, "grant_exists").await;
}

#[tokio::test]
async fn p2_unknown_subjects_are_404() {
    let app = TestApp::new().await;
    let ghost = uuid::Uuid::now_v7();
    let user = to_user(ghost, "users.view", json!({"kind": "all"}));
    let resp = app.send("POST", &app.owner, "/api/v1/grants", &user).await;
    assert_problem(resp, 404, "not_found").await;
    let group = json!({"subject_group_id": ghost, "privilege": "users.view",
                       "scope": {"kind": "all"}});
    let resp = app.send("POST", &app.owner, "/api/v1/grants", &group).await;
    assert_problem(resp, 404, "not_found").await;
}

#[tokio::test]
async fn p3_nobody_grants_themselves_403() {
    let app = TestApp::new().await;
    let w = world_with_authorizing_manager(&app).await;
    let own = to_user(
        w.manager.as_uuid(),
        "users.view",
        json!({"kind": "member_groups"}),
    );
    let resp = app
        .send("POST", &w.manager_token, "/api/v1/grants", &own)
        .await;
    assert_problem(resp, 403, "self_change_forbidden").await;
    let mine = format!("/api/v1/grants?subject_user_id={}", w.manager.as_uuid());
    let page = json_of(app.get(&w.manager_token, &mine).await).await;
    for id in ids_of(&page) {
        let resp = app
            .call("DELETE", &w.manager_token, &format!("/api/v1/grants/{id}"))
            .await;
        assert_problem(resp, 403, "self_change_forbidden").await;
    }
}

#[tokio::test]
async fn p5_a_manager_cannot_grant_what_it_lacks_403_privilege_not_held() {
    let app = TestApp::new().await;
    let w = world_with_authorizing_manager(&app).await;
    let body = to_user(
        w.user_a.as_uuid(),
        "admin.settings",
        json!({"kind": "member_groups"}),
    );
    let resp = app
        .send("POST", &w.manager_token, "/api/v1/grants", &body)
        .await;
    assert_problem(resp, 403, "privilege_not_held").await;
}

#[tokio::test]
async fn p5_a_manager_cannot_grant_beyond_its_scope_403_scope_exceeds_own() {
    let app = TestApp::new().await;
    let w = world_with_authorizing_manager(&app).await;
    let all = to_user(w.user_a.as_uuid(), "users.edit", json!({"kind": "all"}));
    let resp = app
        .send("POST", &w.manager_token, "/api/v1/grants", &all)
        .await;
    assert_problem(resp, 403, "scope_exceeds_own").await;
    let over_b = to_user(
        w.user_a.as_uuid(),
        "users.view",
        groups_scope(&[w.b.as_uuid()]),
    );
    let resp = app
        .send("POST", &w.manager_token, "/api/v1/grants", &over_b)
        .await;
    assert_problem(resp, 403, "scope_exceeds_own").await;
}

#[tokio::test]
async fn p5_a_manager_grants_and_revokes_within_its_own_and_sees_them_p4() {
    let app = TestApp::new().await;
    let w = world_with_authorizing_manager(&app).await;
    let within = to_user(
        w.user_a.as_uuid(),
        "users.view",
        groups_scope(&[w.a1.as_uuid()]),
    );
    let id = grant_ok(&app, &w.manager_token, &within).await;
    let listed = json_of(app.get(&w.manager_token, "/api/v1/grants").await).await;
    assert!(ids_of(&listed).contains(&id), "{listed}");
    let out_of_scope = to_user(
        w.user_b.as_uuid(),
        "users.view",
        groups_scope(&[w.a1.as_uuid()]),
    );
    let resp = app
        .send("POST", &w.manager_token, "/api/v1/grants", &out_of_scope)
        .await;
    assert_problem(resp, 404, "not_found").await;
    app.call("DELETE", &w.manager_token, &format!("/api/v1/grants/{id}"))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let viewers = format!("/api/v1/grants?subject_user_id={}", w.viewer.as_uuid());
    let page = json_of(app.get(&app.owner, &viewers).await).await;
    let viewer_grant = ids_of(&page).pop().unwrap();
    let resp = app
        .call(
            "DELETE",
            &w.manager_token,
            &format!("/api/v1/grants/{viewer_grant}"),
        )
        .await;
    assert_problem(resp, 404, "not_found").await;
}

#[tokio::test]
async fn p5_nobody_touches_the_owners_grants_or_a_stronger_users_403() {
    let app = TestApp::new().await;
    let w = world_with_authorizing_manager(&app).await;
    for privilege in ["admin.authorization", "users.edit"] {
        let body = to_user(w.user_b.as_uuid(), privilege, json!({"kind": "all"}));
        grant_ok(&app, &app.owner, &body).await;
    }
    let (admin, _) = app.login_ok("user-b", PASSWORD).await;
    let owner = to_user(&app.owner_id, "users.view", json!({"kind": "all"}));
    let resp = app.send("POST", &admin, "/api/v1/grants", &owner).await;
    assert_problem(resp, 403, "owner_protected").await;
    let stronger = to_user(w.user_a.as_uuid(), "admin.settings", json!({"kind": "all"}));
    grant_ok(&app, &app.owner, &stronger).await;
    let body = to_user(
        w.user_a.as_uuid(),
        "users.view",
        groups_scope(&[w.a1.as_uuid()]),
    );
    let resp = app
        .send("POST", &w.manager_token, "/api/v1/grants", &body)
        .await;
    assert_problem(resp, 403, "target_holds_more").await;
}

#[tokio::test]
async fn p4_without_admin_authorization_one_sees_only_ones_own_grants() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let learner = json_of(app.get(&w.learner_token, "/api/v1/grants").await).await;
    assert!(ids_of(&learner).is_empty());
    let manager = json_of(app.get(&w.manager_token, "/api/v1/grants").await).await;
    assert_eq!(manager["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        manager["items"][0]["subject_user_id"],
        w.manager.as_uuid().to_string()
    );
    let others = format!("/api/v1/grants?subject_user_id={}", w.viewer.as_uuid());
    let hidden = json_of(app.get(&w.manager_token, &others).await).await;
    assert!(ids_of(&hidden).is_empty());
}

#[tokio::test]
async fn p6_explain_gives_the_grant_path() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let mine = format!("/api/v1/grants?subject_user_id={}", w.manager.as_uuid());
    let grant_id = ids_of(&json_of(app.get(&app.owner, &mine).await).await)
        .pop()
        .unwrap();
    let ask = |target: Value| {
        let mut body = json!({"user_id": w.manager.as_uuid(), "privilege": "users.view"});
        body.as_object_mut()
            .unwrap()
            .extend(target.as_object().unwrap().clone());
        body
    };
    let resp = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/authz/explain",
            &ask(json!({"target_user_id": w.user_a1.as_uuid()})),
        )
        .await;
    resp.assert_status_is_ok();
    let answer = json_of(resp).await;
    assert_eq!(answer["allowed"], true);
    let step = &answer["path"][0];
    assert_eq!(step["kind"], "grant");
    assert_eq!(step["grant_id"], grant_id);
    assert_eq!(step["subject_user_id"], w.manager.as_uuid().to_string());
    assert_eq!(step["privilege"], "users.edit", "edit implies view");
    assert_eq!(step["scope"], "member_groups");
    assert_eq!(step["via_group_id"], w.a.as_uuid().to_string());
    assert_eq!(step["target_group_id"], w.a1.as_uuid().to_string());

    let refused = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/authz/explain",
            &ask(json!({"target_group_id": w.b.as_uuid()})),
        )
        .await;
    let refused = json_of(refused).await;
    assert_eq!(refused["allowed"], false);
    assert_eq!(refused["path"], json!([]));
    assert!(refused["reason"].is_string());

    let global = app
        .send("POST", &app.owner, "/api/v1/authz/explain", &ask(json!({})))
        .await;
    assert_eq!(
        json_of(global).await["allowed"],
        false,
        "member_groups is not all"
    );

    let owner = json!({"user_id": app.owner_id, "privilege": "admin.settings"});
    let answer = json_of(
        app.send("POST", &app.owner, "/api/v1/authz/explain", &owner)
            .await,
    )
    .await;
    assert_eq!(answer["allowed"], true);
    assert_eq!(answer["path"][0]["kind"], "owner");
}

#[tokio::test]
async fn p6_explain_refuses_two_targets_422_and_hides_what_is_out_of_view_404() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let both = json!({"user_id": w.manager.as_uuid(), "privilege": "users.view",
                      "target_user_id": w.user_a.as_uuid(), "target_group_id": w.a.as_uuid()});
    let resp = app
        .send("POST", &app.owner, "/api/v1/authz/explain", &both)
        .await;
    let problem = assert_problem(resp, 422, "validation_failed").await;
    assert_eq!(fields_of(&problem), ["target_group_id"]);
    let ghost = json!({"user_id": uuid::Uuid::now_v7(), "privilege": "users.view"});
    let resp = app
        .send("POST", &app.owner, "/api/v1/authz/explain", &ghost)
        .await;
    assert_problem(resp, 404, "not_found").await;
    let about_b = json!({"user_id": w.user_b.as_uuid(), "privilege": "users.view"});
    let resp = app
        .send("POST", &w.learner_token, "/api/v1/authz/explain", &about_b)
        .await;
    assert_problem(resp, 404, "not_found").await;
    let about_self = json!({"user_id": w.learner.as_uuid(), "privilege": "users.view",
                           "target_user_id": w.learner.as_uuid()});
    let resp = app
        .send(
            "POST",
            &w.learner_token,
            "/api/v1/authz/explain",
            &about_self,
        )
        .await;
    resp.assert_status_is_ok();
    assert_eq!(json_of(resp).await["allowed"], false);
    let target_out_of_view = json!({"user_id": w.manager.as_uuid(), "privilege": "users.view",
                                    "target_user_id": w.user_b.as_uuid()});
    let resp = app
        .send(
            "POST",
            &w.manager_token,
            "/api/v1/authz/explain",
            &target_out_of_view,
        )
        .await;
    assert_problem(resp, 404, "not_found").await;
}

#[tokio::test]
async fn s1_every_grants_endpoint_needs_a_session_401() {
    let app = TestApp::new().await;
    let id = uuid::Uuid::now_v7();
    let calls = [
        ("GET", "/api/v1/grants".to_owned()),
        ("POST", "/api/v1/grants".to_owned()),
        ("DELETE", format!("/api/v1/grants/{id}")),
        ("POST", "/api/v1/authz/explain".to_owned()),
    ];
    for (method, path) in calls {
        let req = match method {
            "GET" => app.client.get(&path),
            "POST" => app.client.post(&path),
            _ => app.client.delete(&path),
        };
        let resp = req.body_json(&json!({})).send().await;
        assert_eq!(resp.0.status().as_u16(), 401, "{method} {path}");
        assert_problem(resp, 401, "unauthenticated").await;
    }
}
