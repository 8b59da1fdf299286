//! G1–G5, P3–P5 over HTTP: each groups endpoint's success and refusals, with their codes.

use crate::harness::*;
use crate::world::World;
use poem::http::StatusCode;
use serde_json::{Value, json};

pub fn group_path(id: impl std::fmt::Display) -> String {
    format!("/api/v1/groups/{id}")
}

/// Creates a group through the API and returns its id; panics unless 201.
pub async fn new_group(app: &TestApp, token: &str, name: &str, parents: &[&str]) -> String {
    let resp = app
        .send(
            "POST",
            token,
            "/api/v1/groups",
            &json!({"name": name, "parent_ids": parents}),
        )
        .await;
    resp.assert_status(StatusCode::CREATED);
    json_of(resp).await["id"].as_str().unwrap().to_owned()
}

/// The ids of a list answer's items.
pub fn ids_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The `field`s of a 422's `errors`.
pub fn fields_of(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn g1_create_read_edit_delete_a_group() {
    let app = TestApp::new().await;
    let created = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/groups",
            &json!({"name": "Class 1-A", "external_code": "SIS-1A", "description": "first year"}),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    let group = json_of(created).await;
    assert_eq!(group["name"], "Class 1-A");
    assert_eq!(group["external_code"], "SIS-1A");
    assert_eq!(group["description"], "first year");
    let id = group["id"].as_str().unwrap().to_owned();

    let read = json_of(app.get(&app.owner, &group_path(&id)).await).await;
    assert_eq!(read["name"], "Class 1-A");
    assert_eq!(read["parent_ids"], json!([]));
    assert_eq!(read["child_ids"], json!([]));

    let patched = app
        .send(
            "PATCH",
            &app.owner,
            &group_path(&id),
            &json!({"name": "Class 1-B", "external_code": null}),
        )
        .await;
    patched.assert_status_is_ok();
    let patched = json_of(patched).await;
    assert_eq!(patched["name"], "Class 1-B");
    assert!(patched["external_code"].is_null(), "null clears the code");
    assert_eq!(patched["description"], "first year", "absent stays");

    app.call("DELETE", &app.owner, &group_path(&id))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    assert_problem(
        app.get(&app.owner, &group_path(&id)).await,
        404,
        "not_found",
    )
    .await;
    let again = app.call("DELETE", &app.owner, &group_path(&id)).await;
    assert_problem(again, 404, "not_found").await;
}

#[tokio::test]
async fn g1_name_is_unique_case_insensitively_and_code_unique_409() {
    let app = TestApp::new().await;
    let body = json!({"name": "Science", "external_code": "S-1"});
    app.send("POST", &app.owner, "/api/v1/groups", &body)
        .await
        .assert_status(StatusCode::CREATED);
    let same_name = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/groups",
            &json!({"name": "SCIENCE"}),
        )
        .await;
    assert_problem(same_name, 409, "group_name_taken").await;
    let same_code = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/groups",
            &json!({"name": "Arts", "external_code": "S-1"}),
        )
        .await;
    assert_problem(same_code, 409, "external_code_taken").await;
    let other = new_group(&app, &app.owner, "Arts", &[]).await;
    let rename = app
        .send(
            "PATCH",
            &app.owner,
            &group_path(&other),
            &json!({"name": "science"}),
        )
        .await;
    assert_problem(rename, 409, "group_name_taken").await;
}

#[tokio::test]
async fn g1_bad_bodies_are_422_naming_each_field() {
    let app = TestApp::new().await;
    let bad = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/groups",
            &json!({"name": "", "external_code": "a\u{1}b", "description": "bell\u{7}"}),
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(
        fields_of(&problem),
        ["name", "external_code", "description"]
    );
    let id = new_group(&app, &app.owner, "Kept", &[]).await;
    let bad_patch = app
        .send(
            "PATCH",
            &app.owner,
            &group_path(&id),
            &json!({"name": "a;b"}),
        )
        .await;
    let problem = assert_problem(bad_patch, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "name");
    assert_eq!(problem["errors"][0]["code"], "group_name_semicolon");
    let unreadable = app
        .send("POST", &app.owner, "/api/v1/groups", &json!({"nom": "x"}))
        .await;
    assert_problem(unreadable, 400, "bad_request").await;
}

#[tokio::test]
async fn g3_unknown_parent_is_422_unknown_group() {
    let app = TestApp::new().await;
    let ghost = uuid::Uuid::now_v7().to_string();
    let resp = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/groups",
            &json!({"name": "Orphan", "parent_ids": [ghost]}),
        )
        .await;
    assert_problem(resp, 422, "unknown_group").await;
}

#[tokio::test]
async fn g3_nesting_shows_in_both_groups_and_comes_apart() {
    let app = TestApp::new().await;
    let school = new_group(&app, &app.owner, "School", &[]).await;
    let dept = new_group(&app, &app.owner, "Department", &[]).await;
    let class = new_group(&app, &app.owner, "Class", &[&school]).await;
    let edge = format!("{}/parents/{dept}", group_path(&class));
    app.call("PUT", &app.owner, &edge)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let read = json_of(app.get(&app.owner, &group_path(&class)).await).await;
    let mut parents: Vec<String> = serde_json::from_value(read["parent_ids"].clone()).unwrap();
    parents.sort();
    let mut want = vec![school.clone(), dept.clone()];
    want.sort();
    assert_eq!(parents, want, "G3: several parents");
    let read = json_of(app.get(&app.owner, &group_path(&dept)).await).await;
    assert_eq!(read["child_ids"], json!([class]));

    app.call("DELETE", &app.owner, &edge)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let read = json_of(app.get(&app.owner, &group_path(&class)).await).await;
    assert_eq!(read["parent_ids"], json!([school]));
    let gone = app.call("DELETE", &app.owner, &edge).await;
    assert_problem(gone, 404, "not_found").await;
    let ghost = uuid::Uuid::now_v7();
    let to_ghost = format!("{}/parents/{ghost}", group_path(&class));
    assert_problem(
        app.call("PUT", &app.owner, &to_ghost).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn g3_cycle_is_refused_409() {
    let app = TestApp::new().await;
    let top = new_group(&app, &app.owner, "Top", &[]).await;
    let middle = new_group(&app, &app.owner, "Middle", &[&top]).await;
    let bottom = new_group(&app, &app.owner, "Bottom", &[&middle]).await;
    let cycle = format!("{}/parents/{bottom}", group_path(&top));
    assert_problem(
        app.call("PUT", &app.owner, &cycle).await,
        409,
        "group_cycle",
    )
    .await;
    let own = format!("{}/parents/{top}", group_path(&top));
    assert_problem(
        app.call("PUT", &app.owner, &own).await,
        409,
        "group_self_parent",
    )
    .await;
    let read = json_of(app.get(&app.owner, &group_path(&top)).await).await;
    assert_eq!(read["parent_ids"], json!([]), "nothing changed");
}

#[tokio::test]
async fn g2_members_join_list_and_leave() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let members = format!("{}/members", group_path(w.b.as_uuid()));
    let user_a = w.user_a.as_uuid();
    app.call("PUT", &app.owner, &format!("{members}/{user_a}"))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let page = json_of(app.get(&app.owner, &members).await).await;
    let mut ids = ids_of(&page);
    ids.sort();
    let mut want = vec![
        w.user_b.as_uuid().to_string(),
        w.viewer.as_uuid().to_string(),
        user_a.to_string(),
    ];
    want.sort();
    assert_eq!(ids, want);
    let first = json_of(app.get(&app.owner, &format!("{members}?limit=2")).await).await;
    assert_eq!(ids_of(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = json_of(
        app.get(&app.owner, &format!("{members}?limit=2&cursor={cursor}"))
            .await,
    )
    .await;
    assert_eq!(ids_of(&rest).len(), 1, "keyset pages");
    assert!(rest["next_cursor"].is_null());

    app.call("DELETE", &app.owner, &format!("{members}/{user_a}"))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let not_member = app
        .call("DELETE", &app.owner, &format!("{members}/{user_a}"))
        .await;
    assert_problem(not_member, 404, "not_found").await;
    let ghost = uuid::Uuid::now_v7();
    let no_user = app
        .call("PUT", &app.owner, &format!("{members}/{ghost}"))
        .await;
    assert_problem(no_user, 404, "not_found").await;
    let no_group = format!("{}/members", group_path(ghost));
    assert_problem(app.get(&app.owner, &no_group).await, 404, "not_found").await;
}

#[tokio::test]
async fn p3_nobody_changes_their_own_groups_403() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let own = format!(
        "{}/members/{}",
        group_path(w.a1.as_uuid()),
        w.manager.as_uuid()
    );
    let resp = app.call("PUT", &w.manager_token, &own).await;
    assert_problem(resp, 403, "self_change_forbidden").await;
}

#[tokio::test]
async fn p5_a_manager_cannot_move_a_user_who_holds_more_403() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let body = json!({"subject_user_id": w.user_a1.as_uuid(), "privilege": "grades.view",
                      "scope": {"kind": "groups", "group_ids": [w.a1.as_uuid()]}});
    app.send("POST", &app.owner, "/api/v1/grants", &body)
        .await
        .assert_status(StatusCode::CREATED);
    let join = format!(
        "{}/members/{}",
        group_path(w.a.as_uuid()),
        w.user_a1.as_uuid()
    );
    let resp = app.call("PUT", &w.manager_token, &join).await;
    assert_problem(resp, 403, "target_holds_more").await;
}

#[tokio::test]
async fn p3_only_scope_all_leaves_a_user_in_no_group_422() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let last = format!(
        "{}/members/{}",
        group_path(w.a1.as_uuid()),
        w.user_a1.as_uuid()
    );
    let resp = app.call("DELETE", &w.manager_token, &last).await;
    assert_problem(resp, 422, "group_required").await;
    app.call("DELETE", &app.owner, &last)
        .await
        .assert_status(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn p3_scoped_manager_creates_groups_only_below_its_scope() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let root = app
        .send(
            "POST",
            &w.manager_token,
            "/api/v1/groups",
            &json!({"name": "Root"}),
        )
        .await;
    assert_problem(root, 403, "forbidden").await;
    let a = w.a.as_uuid().to_string();
    new_group(&app, &w.manager_token, "Below A", &[&a]).await;
    let b = w.b.as_uuid().to_string();
    let below_b = app
        .send(
            "POST",
            &w.manager_token,
            "/api/v1/groups",
            &json!({"name": "Below B", "parent_ids": [b]}),
        )
        .await;
    assert_problem(below_b, 422, "unknown_group").await;
}

#[tokio::test]
async fn p4_groups_out_of_scope_are_404_and_in_view_but_not_editable_403() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let b = group_path(w.b.as_uuid());
    assert_problem(app.get(&w.manager_token, &b).await, 404, "not_found").await;
    let a = group_path(w.a.as_uuid());
    let patch = app
        .send("PATCH", &w.viewer_token, &a, &json!({"description": "x"}))
        .await;
    assert_problem(patch, 403, "forbidden").await;
    let a1 = json_of(app.get(&w.viewer_token, &group_path(w.a1.as_uuid())).await).await;
    assert_eq!(a1["parent_ids"], json!([w.a.as_uuid()]));
}

#[tokio::test]
async fn g5_deleting_a_group_keeps_its_users_and_drops_its_grants() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let grant = app
        .send(
            "POST",
            &app.owner,
            "/api/v1/grants",
            &json!({"subject_group_id": w.b.as_uuid(), "privilege": "grades.view",
                    "scope": {"kind": "groups", "group_ids": [w.b.as_uuid()]}}),
        )
        .await;
    grant.assert_status(StatusCode::CREATED);
    let grant_id = json_of(grant).await["id"].as_str().unwrap().to_owned();
    app.call("DELETE", &app.owner, &group_path(w.b.as_uuid()))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let user = app
        .get(&app.owner, &format!("/api/v1/users/{}", w.user_b.as_uuid()))
        .await;
    user.assert_status_is_ok();
    let grants = json_of(app.get(&app.owner, "/api/v1/grants?limit=500").await).await;
    assert!(!ids_of(&grants).contains(&grant_id), "G5: its grants went");
}

#[tokio::test]
async fn g5_a_scoped_manager_deletes_an_empty_group_not_a_populated_one() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let a = w.a.as_uuid().to_string();
    let empty = new_group(&app, &w.manager_token, "Empty", &[&a]).await;
    app.call("DELETE", &w.manager_token, &group_path(&empty))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let populated = app
        .call("DELETE", &w.manager_token, &group_path(w.a1.as_uuid()))
        .await;
    assert_problem(populated, 403, "forbidden").await;
}

#[tokio::test]
async fn p4_group_list_filters_by_name_and_pages() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let page = json_of(app.get(&app.owner, "/api/v1/groups?q=a1").await).await;
    assert_eq!(ids_of(&page), [w.a1.as_uuid().to_string()]);
    let first = json_of(app.get(&app.owner, "/api/v1/groups?limit=2").await).await;
    assert_eq!(ids_of(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = json_of(
        app.get(
            &app.owner,
            &format!("/api/v1/groups?limit=2&cursor={cursor}"),
        )
        .await,
    )
    .await;
    assert_eq!(ids_of(&rest).len(), 1);
    assert!(rest["next_cursor"].is_null());
    let foreign = json_of(app.get(&app.owner, "/api/v1/groups?cursor=nope").await).await;
    assert_eq!(ids_of(&foreign).len(), 0, "a cursor not ours ends the list");
}

#[tokio::test]
async fn s1_every_groups_endpoint_needs_a_session_401() {
    let app = TestApp::new().await;
    let id = uuid::Uuid::now_v7();
    let other = uuid::Uuid::now_v7();
    let calls = [
        ("GET", "/api/v1/groups".to_owned()),
        ("POST", "/api/v1/groups".to_owned()),
        ("GET", group_path(id)),
        ("PATCH", group_path(id)),
        ("DELETE", group_path(id)),
        ("PUT", format!("{}/parents/{other}", group_path(id))),
        ("DELETE", format!("{}/parents/{other}", group_path(id))),
        ("GET", format!("{}/members", group_path(id))),
        ("PUT", format!("{}/members/{other}", group_path(id))),
        ("DELETE", format!("{}/members/{other}", group_path(id))),
    ];
    for (method, path) in calls {
        let req = match method {
            "GET" => app.client.get(&path),
            "POST" => app.client.post(&path),
            "PATCH" => app.client.patch(&path),
            "PUT" => app.client.put(&path),
            _ => app.client.delete(&path),
        };
        let resp = req.body_json(&json!({"name": "x"})).send().await;
        assert_eq!(resp.0.status().as_u16(), 401, "{method} {path}");
        assert_problem(resp, 401, "unauthenticated").await;
    }
}
