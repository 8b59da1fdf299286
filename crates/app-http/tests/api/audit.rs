//! Z1 over HTTP: `GET /api/v1/audit` lists administrator changes and refusals with who, what,
//! target, when and outcome; filters; CSV; only `admin.settings` over everything reads it.

use crate::harness::*;
use crate::world::World;
use serde_json::{Value, json};

async fn audit(app: &TestApp, query: &str) -> Value {
    let resp = app.get(&app.owner, &format!("/api/v1/audit{query}")).await;
    resp.assert_status_is_ok();
    json_of(resp).await
}

#[tokio::test]
async fn z1_a_user_creation_is_listed_with_actor_target_and_outcome() {
    let app = TestApp::new().await;
    let user = app
        .create_user(&json!({"login_id": "hanako", "name": "Hanako Sato"}))
        .await;
    let body = audit(&app, "?action=user.create").await;
    let items = body["items"].as_array().unwrap();
    let entry = items
        .iter()
        .find(|e| e["target_id"] == user["id"])
        .unwrap_or_else(|| panic!("no entry for the user in {body}"));
    assert_eq!(entry["actor_id"], app.owner_id.as_str());
    assert_eq!(entry["target_kind"], "user");
    assert_eq!(entry["outcome"], "success");
    assert_eq!(entry["code"], Value::Null);
    assert!(entry["at"].as_str().is_some_and(|at| at.contains('T')));
    assert!(items.iter().all(|e| e["action"] == "user.create"), "{body}");
}

#[tokio::test]
async fn z1_a_refusal_is_listed_with_its_code_and_filters_narrow_to_it() {
    let app = TestApp::new().await;
    let world = World::build(&app).await;
    // The viewer may see users but not create them: refused, and recorded.
    let resp = app
        .send(
            "POST",
            &world.viewer_token,
            "/api/v1/users",
            &json!({"login_id": "nope", "name": "Nope"}),
        )
        .await;
    assert_eq!(resp.0.status().as_u16(), 403);
    let query = format!("?outcome=refused&actor_id={}", world.viewer);
    let body = audit(&app, &query).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{body}");
    assert_eq!(items[0]["action"], "user.create");
    assert_eq!(items[0]["outcome"], "refused");
    assert_eq!(items[0]["code"], "forbidden");
    // Successes only: none by the viewer.
    let query = format!("?outcome=success&actor_id={}", world.viewer);
    assert_eq!(audit(&app, &query).await["items"], json!([]));
}

#[tokio::test]
async fn z1_pages_follow_the_cursor_newest_first() {
    let app = TestApp::new().await;
    for n in 0..3 {
        app.create_user(&json!({"login_id": format!("u{n}"), "name": "U"}))
            .await;
    }
    let first = audit(&app, "?action=user.create&limit=2").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = audit(
        &app,
        &format!("?action=user.create&limit=2&cursor={cursor}"),
    )
    .await;
    let rest = second["items"].as_array().unwrap();
    assert!(!rest.is_empty());
    assert_eq!(second["next_cursor"], Value::Null);
    let times: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest)
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
}

#[tokio::test]
async fn z1_only_admin_settings_over_everything_reads_the_audit() {
    let app = TestApp::new().await;
    let world = World::build(&app).await;
    for token in [
        &world.manager_token,
        &world.viewer_token,
        &world.learner_token,
    ] {
        assert_problem(app.get(token, "/api/v1/audit").await, 403, "forbidden").await;
    }
    let anonymous = app.client.get("/api/v1/audit").send().await;
    assert_eq!(anonymous.0.status().as_u16(), 401);
}

#[tokio::test]
async fn z1_unknown_words_and_a_reversed_range_are_422_naming_each_field() {
    let app = TestApp::new().await;
    let resp = app
        .get(
            &app.owner,
            "/api/v1/audit?action=user.explode&target_kind=planet\
             &from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
        )
        .await;
    let body = assert_problem(resp, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["action", "target_kind", "from"], "{body}");
}

#[tokio::test]
async fn z1_csv_has_a_bom_a_header_and_one_row_per_entry() {
    let app = TestApp::new().await;
    let user = app
        .create_user(&json!({"login_id": "taro", "name": "Taro"}))
        .await;
    let resp = app
        .get(&app.owner, "/api/v1/audit?format=csv&action=user.create")
        .await;
    resp.assert_status_is_ok();
    let headers = resp.0.headers().clone();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{headers:?}"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("audit.csv")
    );
    let bytes = resp.0.into_body().into_vec().await.unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 BOM for spreadsheets");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "at",
            "actor_id",
            "action",
            "target_kind",
            "target_id",
            "outcome",
            "code",
            "details"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(&rows[0][3], "user.create");
    assert_eq!(&rows[0][5], user["id"].as_str().unwrap());
    assert_eq!(&rows[0][6], "success");
    let details: Value = serde_json::from_str(&rows[0][8]).unwrap();
    assert!(details.is_object(), "{details}");
}
