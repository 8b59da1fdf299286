//! I1, I5, P4, P5, L2 over HTTP: `users.edit` over both users to preview, integrate or
//! cancel; `users.view` over the target to list and read; a scoped administrator sees only
//! integrations into its scope; records need their privilege.

use super::*;
use crate::harness::*;
use crate::world::World;
use serde_json::json;

async fn make_invalid(app: &TestApp, id: &roster_domain::ids::UserId) {
    app.send(
        "PATCH",
        &app.owner,
        &format!("/api/v1/users/{id}"),
        &json!({"status": "invalid"}),
    )
    .await
    .assert_status_is_ok();
}

#[tokio::test]
async fn i1_p4_who_may_preview_integrate_list_read_and_cancel() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    make_invalid(&app, &w.user_a1).await;
    make_invalid(&app, &w.user_b).await;
    let (a, a1, b) = (
        w.user_a.to_string(),
        w.user_a1.to_string(),
        w.user_b.to_string(),
    );
    score(&app, &a1, "quiz", "completed", 1).await;
    let pair = json!({"source_user_id": a1, "target_user_id": a});
    let preview = "/api/v1/integrations/preview";

    // The viewer sees both users but may not change them; the learner sees neither.
    let resp = app.send("POST", &w.viewer_token, preview, &pair).await;
    assert_problem(resp, 403, "forbidden").await;
    let resp = app.send("POST", &w.learner_token, preview, &pair).await;
    assert_problem(resp, 404, "not_found").await;
    let resp = app.client.post(preview).body_json(&pair).send().await;
    assert_problem(resp, 401, "unauthenticated").await;
    // The manager (users.edit over A and A1) may, but not with a user of B.
    app.send("POST", &w.manager_token, preview, &pair)
        .await
        .assert_status_is_ok();
    let resp = integrate(&app, &w.manager_token, &b, &a).await;
    assert_problem(resp, 404, "not_found").await;
    let in_a = integrate(&app, &w.manager_token, &a1, &a).await;
    in_a.assert_status(poem::http::StatusCode::CREATED);
    let in_a = json_of(in_a).await["id"].as_str().unwrap().to_owned();
    let other = account(&app, "elsewhere", "valid").await;
    let in_b = integrate_ok(&app, &b, &other).await;

    // The viewer (users.view over A) lists and reads only the integration into A, and
    // without grades.view sees no scores in the details (L2).
    let list = json_of(app.get(&w.viewer_token, "/api/v1/integrations").await).await;
    let ids: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(ids, vec![json!(in_a)]);
    let details = app
        .get(&w.viewer_token, &format!("/api/v1/integrations/{in_a}"))
        .await;
    details.assert_status_is_ok();
    let details = json_of(details).await;
    assert_eq!(details["scores_visible"], false);
    assert!(details["scores"].as_array().unwrap().is_empty());
    assert_eq!(details["integration"]["counts"]["scores_moved"], 1);
    let hidden = app
        .get(&w.viewer_token, &format!("/api/v1/integrations/{in_b}"))
        .await;
    assert_problem(hidden, 404, "not_found").await;
    let learner_list = json_of(app.get(&w.learner_token, "/api/v1/integrations").await).await;
    assert!(learner_list["items"].as_array().unwrap().is_empty());
    let owner_list = json_of(app.get(&app.owner, "/api/v1/integrations").await).await;
    assert_eq!(owner_list["items"].as_array().unwrap().len(), 2);

    // Cancel: the viewer holds users.edit nowhere; the manager cannot see the B entry.
    let resp = app
        .send(
            "POST",
            &w.viewer_token,
            "/api/v1/integrations/cancel",
            &json!({"ids": [in_a]}),
        )
        .await;
    assert_problem(resp, 403, "forbidden").await;
    let items = cancel(&app, &w.manager_token, &[&in_b, &in_a]).await;
    assert_eq!(items.len(), 2);
    let of = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(of(&in_a)["status"], "done");
    assert_eq!(of(&in_b)["code"], "not_found");
    let still = json_of(
        app.get(&app.owner, &format!("/api/v1/integrations/{in_b}"))
            .await,
    )
    .await;
    assert_eq!(still["integration"]["state"], "live");
}

#[tokio::test]
async fn l2_records_need_their_privilege_and_writes_need_users_edit() {
    let app = TestApp::new().await;
    let w = World::build(&app).await;
    let (a, b, learner) = (
        w.user_a.to_string(),
        w.user_b.to_string(),
        w.learner.to_string(),
    );
    score(&app, &a, "quiz", "completed", 1).await;
    badge(&app, &a, "gold", 1).await;
    let path = |user: &str, kind: &str| format!("/api/v1/users/{user}/{kind}");
    // The viewer (users.view over A): badges, certificates, access log; not scores.
    for kind in ["badges", "certificates", "access-log"] {
        app.get(&w.viewer_token, &path(&a, kind))
            .await
            .assert_status_is_ok();
        let resp = app.get(&w.viewer_token, &path(&b, kind)).await;
        assert_problem(resp, 404, "not_found").await;
    }
    let resp = app.get(&w.viewer_token, &path(&a, "scores")).await;
    assert_problem(resp, 403, "forbidden").await;
    // grades.view over A opens the scores (L2).
    let grant = json!({"subject_user_id": w.viewer, "privilege": "grades.view",
        "scope": {"kind": "groups", "group_ids": [w.a]}});
    let resp = app.send("POST", &app.owner, "/api/v1/grants", &grant).await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    let scores = app.get(&w.viewer_token, &path(&a, "scores")).await;
    scores.assert_status_is_ok();
    assert_eq!(json_of(scores).await["items"].as_array().unwrap().len(), 1);
    // A learner reads its own records, writes none, and sees nobody else's.
    let own = app
        .get(&w.learner_token, &path(&learner, "access-log"))
        .await;
    own.assert_status_is_ok();
    let own = json_of(own).await;
    assert_eq!(
        own["items"].as_array().unwrap().len(),
        1,
        "its login: {own}"
    );
    assert_eq!(own["items"][0]["user_id"], learner.as_str());
    app.get(&w.learner_token, &path(&learner, "scores"))
        .await
        .assert_status_is_ok();
    let body = json!({"badge_id": "self-made"});
    let resp = app
        .send("POST", &w.learner_token, &path(&learner, "badges"), &body)
        .await;
    assert_problem(resp, 403, "forbidden").await;
    let resp = app.get(&w.learner_token, &path(&a, "scores")).await;
    assert_problem(resp, 404, "not_found").await;
    // The manager writes for users of A, not of B.
    let resp = app
        .send("POST", &w.manager_token, &path(&a, "badges"), &body)
        .await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    let resp = app
        .send("POST", &w.manager_token, &path(&b, "badges"), &body)
        .await;
    assert_problem(resp, 404, "not_found").await;
}

#[tokio::test]
async fn l1_records_are_checked_field_by_field() {
    let app = TestApp::new().await;
    let user = account(&app, "learner", "valid").await;
    let body = json!({"material_id": " padded", "attempt": 1, "score": 1e15,
        "status": "completed", "studied_at": at(1)});
    let path = format!("/api/v1/users/{user}/scores");
    let resp = app.send("POST", &app.owner, &path, &body).await;
    let problem = assert_problem(resp, 422, "validation_failed").await;
    let fields: Vec<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("material_id", "record_key_padded"),
            ("score", "score_out_of_range")
        ]
    );
    assert!(every(&app, &user, "scores").await.is_empty());
    let missing = format!("/api/v1/users/{}/badges", uuid::Uuid::now_v7());
    let resp = app
        .send("POST", &app.owner, &missing, &json!({"badge_id": "gold"}))
        .await;
    assert_problem(resp, 404, "not_found").await;
    // Paging: a limit and the cursor of the next page.
    for minute in 0..3 {
        score(&app, &user, "quiz", "completed", minute).await;
    }
    let first = json_of(app.get(&app.owner, &format!("{path}?limit=2")).await).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert_eq!(first["items"][0]["studied_at"], at(2), "newest first");
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = json_of(
        app.get(&app.owner, &format!("{path}?limit=2&cursor={cursor}"))
            .await,
    )
    .await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    let resp = app.get(&app.owner, &format!("{path}?cursor=bogus")).await;
    assert_problem(resp, 400, "invalid_cursor").await;
}
