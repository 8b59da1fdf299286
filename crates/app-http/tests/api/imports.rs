//! CSV import over HTTP (C1–C6, P3–P5): 202 with a job, the job's report with every problem
//! by line and column, encodings, all-or-nothing, the actor's scope per row, the upload
//! limit.

use crate::harness::*;
use crate::world::World;
use encoding_rs::SHIFT_JIS;
use poem::test::TestResponse;
use serde_json::{Value, json};

/// POSTs `body` as `text/csv` (with `content_type` when given) to `/imports?{query}`.
pub async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    body: impl Into<Vec<u8>>,
    content_type: &str,
) -> TestResponse {
    app.client
        .post(format!("/api/v1/imports?{query}"))
        .header("Authorization", format!("Bearer {token}"))
        .content_type(content_type)
        .body(body.into())
        .send()
        .await
}

/// Polls the job until it has ended, and returns it.
pub async fn wait(app: &TestApp, token: &str, id: &str) -> Value {
    for _ in 0..2_000 {
        let resp = app.get(token, &format!("/api/v1/imports/{id}")).await;
        resp.assert_status_is_ok();
        let job = json_of(resp).await;
        if job["status"] == "completed" || job["status"] == "failed" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("import {id} did not end");
}

/// Uploads as `token` and waits for the job to end.
pub async fn import_as(app: &TestApp, token: &str, query: &str, body: impl Into<Vec<u8>>) -> Value {
    let resp = upload(app, token, query, body, "text/csv").await;
    resp.assert_status(poem::http::StatusCode::ACCEPTED);
    let location = resp
        .0
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap();
    let id = json_of(resp).await["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/imports/{id}"));
    wait(app, token, &id).await
}

/// Login IDs of every user, sorted.
pub async fn login_ids(app: &TestApp) -> Vec<String> {
    let body = json_of(app.get(&app.owner, "/api/v1/users?limit=500").await).await;
    let mut ids: Vec<String> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn group(app: &TestApp, name: &str) -> String {
    let resp = app
        .send("POST", &app.owner, "/api/v1/groups", &json!({"name": name}))
        .await;
    resp.assert_status(poem::http::StatusCode::CREATED);
    json_of(resp).await["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn c1_c3_create_then_update_through_a_job() {
    let app = TestApp::new().await;
    group(&app, "1年A組").await;
    let csv = "Login_ID,name,email,groups\r\ntaro,山田 太郎,taro@example.com,1年A組\r\nhanako,\"Sato, Hanako\",,\r\n";
    let job = import_as(&app, &app.owner, "mode=create", csv).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(
        (job["processed"].as_u64(), job["created"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(job["errors"], json!([]));
    assert_eq!(login_ids(&app).await, ["hanako", "owner", "taro"]);
    let update = "login_id,email\ntaro,<clear>\n";
    let job = import_as(&app, &app.owner, "mode=update", update).await;
    assert_eq!(
        (job["status"].as_str(), job["updated"].as_u64()),
        (Some("completed"), Some(1))
    );
    let users = json_of(app.get(&app.owner, "/api/v1/users?q=taro").await).await;
    assert_eq!(
        users["items"][0]["email"],
        Value::Null,
        "C3: the marker cleared it"
    );
    assert_eq!(
        users["items"][0]["name"], "山田 太郎",
        "C3: an absent column keeps the value"
    );
}

#[tokio::test]
async fn c4_errors_on_many_lines_are_all_reported_with_line_and_column_and_nothing_is_written() {
    let app = TestApp::new().await;
    group(&app, "A").await;
    let csv = [
        "login_id,name,email,groups,status",
        "good1,Good One,,A,",
        "bad-email,Bad,not-an-email,,",
        "good2,\"Multi",
        "line\",,,",
        "unknown-group,X,,NoSuchGroup,",
        "good1,Again,,,",
        "bad-status,Y,,,sleeping",
        ",No login,,,",
        "stray,Ya\"mada,,,",
    ]
    .join("\r\n");
    let job = import_as(&app, &app.owner, "mode=create", csv).await;
    assert_eq!(job["status"], "completed", "{job}");
    let found: Vec<(u64, String, String)> = job["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let lines: Vec<u64> = found.iter().map(|(l, _, _)| *l).collect();
    assert_eq!(
        lines,
        [3, 4, 6, 7, 8, 9, 10],
        "every bad line, in order: {found:?}"
    );
    assert!(
        found.contains(&(3, "email".into(), "invalid_email".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(7, "login_id".into(), "login_id_duplicate".into())),
        "{found:?}"
    );
    // The quoted name spans lines 4–5 (a line break is not allowed in a name), so the next
    // record is line 6, as a spreadsheet numbers it.
    assert!(
        found.iter().any(|(l, c, _)| *l == 4 && c == "name"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(l, c, _)| *l == 6 && c == "groups"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(l, c, _)| *l == 8 && c == "status"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(l, c, _)| *l == 9 && c == "login_id"),
        "{found:?}"
    );
    assert!(
        found.contains(&(10, "name".into(), "csv_stray_quote".into())),
        "{found:?}"
    );
    assert_eq!(job["invalid_rows"], 7);
    assert_eq!(
        (job["created"].as_u64(), job["processed"].as_u64()),
        (Some(0), Some(8)),
        "eight records on nine lines"
    );
    assert_eq!(
        login_ids(&app).await,
        ["owner"],
        "C4: any error, nothing written"
    );
}

#[tokio::test]
async fn c4_skip_invalid_writes_the_valid_rows_and_dry_run_writes_nothing() {
    let app = TestApp::new().await;
    let csv = "login_id,name,email\nok1,One,\nbad,Two,nope\nok2,Three,\n";
    let dry = import_as(
        &app,
        &app.owner,
        "mode=create&dry_run=true&skip_invalid=true",
        csv,
    )
    .await;
    assert_eq!(
        (dry["created"].as_u64(), dry["invalid_rows"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(login_ids(&app).await, ["owner"], "a dry run writes nothing");
    let job = import_as(&app, &app.owner, "mode=create&skip_invalid=true", csv).await;
    assert_eq!(
        (job["created"].as_u64(), job["invalid_rows"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(job["errors"][0]["line"], 3);
    assert_eq!(login_ids(&app).await, ["ok1", "ok2", "owner"]);
}

#[tokio::test]
async fn c2_a_shift_jis_file_imports_detected_or_named() {
    let app = TestApp::new().await;
    group(&app, "髙橋ゼミ").await;
    let (sjis, _, unmappable) =
        SHIFT_JIS.encode("login_id,name,groups\r\nsuzuki,鈴木 一郎,髙橋ゼミ\r\n");
    assert!(!unmappable);
    let job = import_as(&app, &app.owner, "mode=create", sjis.to_vec()).await;
    assert_eq!(
        (job["status"].as_str(), job["created"].as_u64()),
        (Some("completed"), Some(1))
    );
    let (named, _, _) = SHIFT_JIS.encode("login_id,name\r\nito,伊藤 ①\r\n");
    let resp = upload(
        &app,
        &app.owner,
        "mode=create",
        named.to_vec(),
        "text/csv; charset=Shift_JIS",
    )
    .await;
    resp.assert_status(poem::http::StatusCode::ACCEPTED);
    let id = json_of(resp).await["id"].as_str().unwrap().to_owned();
    assert_eq!(wait(&app, &app.owner, &id).await["created"], 1);
    let users = json_of(app.get(&app.owner, "/api/v1/users?q=suzuki").await).await;
    assert_eq!(users["items"][0]["name"], "鈴木 一郎");
    let users = json_of(app.get(&app.owner, "/api/v1/users?q=ito").await).await;
    assert_eq!(
        users["items"][0]["name"], "伊藤 ①",
        "CP932's NEC extensions decode"
    );
}

#[tokio::test]
async fn c2_a_bom_file_imports_and_its_header_is_recognised() {
    let app = TestApp::new().await;
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("login_id,name\nkato,加藤\n".as_bytes());
    let job = import_as(&app, &app.owner, "", bytes).await;
    assert_eq!(
        (job["mode"].as_str(), job["created"].as_u64()),
        (Some("create"), Some(1)),
        "{job}"
    );
    assert_eq!(login_ids(&app).await, ["kato", "owner"]);
}

#[tokio::test]
async fn p4_c4_a_scoped_managers_row_outside_its_scope_is_refused_and_nothing_is_written() {
    let app = TestApp::new().await;
    let world = World::build(&app).await;
    let before = json_of(app.get(&app.owner, "/api/v1/users?limit=500").await).await;
    // user-a is in the manager's group A; user-b is not.
    let csv = "login_id,name\nuser-a,Renamed A\nuser-b,Renamed B\n";
    let job = import_as(&app, &world.manager_token, "mode=update", csv).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["invalid_rows"], 1);
    assert_eq!(job["errors"][0]["line"], 3, "{job}");
    let after = json_of(app.get(&app.owner, "/api/v1/users?limit=500").await).await;
    assert_eq!(before, after, "nothing written, not even the row in scope");
    // Nor can a file put a user in a group outside the scope (it would grant nothing else).
    let csv = "login_id,name,groups\nnew-in-b,New,B\n";
    let job = import_as(&app, &world.manager_token, "mode=create", csv).await;
    assert_eq!(job["invalid_rows"], 1, "{job}");
    assert!(!login_ids(&app).await.contains(&"new-in-b".to_owned()));
}

#[tokio::test]
async fn p1_c6_who_may_import_and_read_a_job() {
    let app = TestApp::new().await;
    let world = World::build(&app).await;
    let csv = "login_id,name\nx,X\n";
    let resp = upload(&app, &world.viewer_token, "", csv, "text/csv").await;
    assert_problem(resp, 403, "forbidden").await;
    let resp = app
        .client
        .post("/api/v1/imports")
        .content_type("text/csv")
        .body(csv)
        .send()
        .await;
    assert_problem(resp, 401, "unauthenticated").await;
    let resp = upload(&app, &app.owner, "", csv, "application/json").await;
    assert_problem(resp, 415, "unsupported_media_type").await;
    let resp = upload(&app, &app.owner, "", csv, "text/csv; charset=koi8-r").await;
    assert_problem(resp, 400, "bad_request").await;
    // The owner's job is not the manager's to read: 404 as if absent.
    let resp = upload(&app, &app.owner, "dry_run=true", csv, "text/csv").await;
    let id = json_of(resp).await["id"].as_str().unwrap().to_owned();
    wait(&app, &app.owner, &id).await;
    let resp = app
        .get(&world.manager_token, &format!("/api/v1/imports/{id}"))
        .await;
    assert_problem(resp, 404, "not_found").await;
}

#[tokio::test]
async fn c6_the_upload_limit_is_its_own_and_answered_413() {
    let app = TestApp::with(|c| {
        c.body_limit = 1024;
        c.import_limit = 8 * 1024;
    })
    .await;
    let mut csv = String::from("login_id,name\n");
    for i in 0..200 {
        csv.push_str(&format!("user{i:04},Name {i}\n"));
    }
    assert!(csv.len() > 1024 && csv.len() < 8 * 1024);
    let job = import_as(&app, &app.owner, "dry_run=true", csv.clone()).await;
    assert_eq!(
        job["created"], 200,
        "over the JSON limit, under the import limit"
    );
    let big = csv.repeat(3);
    let resp = upload(&app, &app.owner, "", big.clone(), "text/csv").await;
    assert_problem(resp, 413, "payload_too_large").await;
    // Without a declared length (chunked), counted while spooling.
    let resp = app
        .client
        .post("/api/v1/imports")
        .header("Authorization", format!("Bearer {}", app.owner))
        .content_type("text/csv")
        .body(poem::Body::from_async_read(std::io::Cursor::new(
            big.into_bytes(),
        )))
        .send()
        .await;
    assert_problem(resp, 413, "payload_too_large").await;
}

#[tokio::test]
async fn c8_a_legacy_hash_logs_in_and_an_unbounded_one_is_refused() {
    use roster_domain::ports::password::PasswordHasher;
    use roster_domain::user::Password;
    use roster_infra_crypto::{Argon2Hasher, HasherConfig};
    let app = TestApp::new().await;
    let password = Password::parse("Legacy-Pass-4711!", &[]).unwrap();
    let hash = Argon2Hasher::new(HasherConfig::for_tests())
        .hash(&password)
        .await
        .unwrap();
    // A PHC string holds commas: the cell is quoted, as any spreadsheet writes it.
    let csv = format!(
        "login_id,name,status,password_hash\nlegacy,Legacy,valid,\"{}\"\n",
        hash.expose()
    );
    let job = import_as(&app, &app.owner, "mode=create", csv).await;
    assert_eq!(job["created"], 1, "{job}");
    app.login_ok("legacy", "Legacy-Pass-4711!").await;
    let costly = "login_id,name,status,password_hash\n\
                  costly,Costly,valid,\"$argon2id$v=19$m=1048576,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA\"\n";
    let job = import_as(&app, &app.owner, "mode=create", costly).await;
    assert_eq!(job["invalid_rows"], 1, "{job}");
    assert_eq!(
        (
            job["errors"][0]["line"].as_u64(),
            job["errors"][0]["column"].as_str()
        ),
        (Some(2), Some("password_hash")),
        "{job}"
    );
    assert!(
        !job["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("c2FsdHNhbHQ")
    );
}
