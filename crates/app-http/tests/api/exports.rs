//! CSV export over HTTP (C7, P4): the import's format without passwords, formulas
//! neutralised, the caller's scope, the encodings; and export → import in update mode
//! changes nothing, over generated users (a property test).

use crate::harness::*;
use crate::imports::{import_as, login_ids};
use crate::world::World;
use encoding_rs::SHIFT_JIS;
use proptest::prelude::*;
use roster_domain::ports::fields::UserFieldRepository;
use roster_domain::user::fields::{FieldDefinition, FieldKey, FieldLabel, FieldType};
use serde_json::json;

/// GETs the export; returns (content type, bytes).
async fn export(app: &TestApp, token: &str, query: &str) -> (String, Vec<u8>) {
    let resp = app
        .get(token, &format!("/api/v1/users/export?{query}"))
        .await;
    resp.assert_status_is_ok();
    let content_type = resp.0.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = resp.0.into_body().into_vec().await.unwrap();
    (content_type, bytes)
}

async fn define_dept(app: &TestApp) {
    let field = FieldDefinition::new(
        FieldKey::parse("dept").unwrap(),
        FieldLabel::parse("Department").unwrap(),
        FieldType::Text,
        false,
        false,
    )
    .unwrap();
    app.store.create(&field).await.unwrap();
}

#[tokio::test]
async fn c7_export_is_the_import_format_neutralised_without_passwords() {
    let app = TestApp::new().await;
    define_dept(&app).await;
    app.create_user(&json!({
        "login_id": "formula",
        "name": "=HYPERLINK(\"http://x\",\"click\")",
        "password": PASSWORD,
        "attributes": {"dept": "+81, \"sales\""}
    }))
    .await;
    let (content_type, bytes) = export(&app, &app.owner, "q=formula").await;
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM by default"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(
        text,
        "login_id,name,email,groups,status,expires_at,dept\r\n\
         formula,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",,,valid,,\"'+81, \"\"sales\"\"\"\r\n"
    );
    assert!(!text.contains("password"), "C7: never a password");
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t']), "{cell}");
        }
    }
}

#[tokio::test]
async fn c7_shift_jis_and_plain_utf8_on_request() {
    let app = TestApp::new().await;
    app.create_user(&json!({"login_id": "yamada", "name": "山田 太郎", "password": PASSWORD}))
        .await;
    let (content_type, bytes) = export(&app, &app.owner, "encoding=shift_jis&q=yamada").await;
    assert_eq!(content_type, "text/csv; charset=shift_jis");
    let (text, _, malformed) = SHIFT_JIS.decode(&bytes);
    assert!(!malformed);
    assert!(text.contains("yamada,山田 太郎,"), "{text}");
    let (_, bytes) = export(&app, &app.owner, "encoding=utf-8&q=yamada").await;
    assert!(bytes.starts_with(b"login_id,"));
}

#[tokio::test]
async fn p4_c7_the_export_holds_the_callers_scope_only() {
    let app = TestApp::new().await;
    let world = World::build(&app).await;
    let (_, bytes) = export(&app, &world.manager_token, "encoding=utf-8").await;
    let text = String::from_utf8(bytes).unwrap();
    let logins: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(
        logins.contains(&"user-a") && logins.contains(&"user-a1"),
        "{text}"
    );
    assert!(
        !logins.contains(&"user-b") && !logins.contains(&"owner"),
        "{text}"
    );
    let resp = app.get(&world.viewer_token, "/api/v1/users/export").await;
    assert_problem(resp, 403, "forbidden").await;
}

/// Text a spreadsheet mangles: Japanese, commas, quotes, formula triggers, the marker.
fn tricky() -> impl Strategy<Value = String> {
    "[=+@\\-']?[山田太郎髙橋,\"a-z ;<>]{1,10}[a-z山]".prop_filter("not the clear marker", |s| {
        !s.trim().eq_ignore_ascii_case("<clear>")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// C7: export, then import the export in update mode: nothing changes — not a name,
    /// an email, a group, a custom field, not even `updated_at`.
    #[test]
    fn c7_export_then_update_import_changes_nothing(
        people in proptest::collection::vec((tricky(), tricky(), any::<bool>()), 1..8)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let app = TestApp::new().await;
            define_dept(&app).await;
            let group = app
                .send("POST", &app.owner, "/api/v1/groups", &json!({"name": "=1年, \"A\"組"}))
                .await;
            let group_id = json_of(group).await["id"].as_str().unwrap().to_owned();
            for (i, (name, dept, in_group)) in people.iter().enumerate() {
                let groups = if *in_group { vec![group_id.clone()] } else { vec![] };
                app.create_user(&json!({
                    "login_id": format!("u{i}"),
                    "name": name,
                    "email": format!("u{i}@example.com"),
                    "group_ids": groups,
                    "attributes": {"dept": dept},
                }))
                .await;
            }
            let before = json_of(app.get(&app.owner, "/api/v1/users?limit=500").await).await;
            let (_, bytes) = export(&app, &app.owner, "").await;
            let job = import_as(&app, &app.owner, "mode=update", bytes).await;
            assert_eq!(job["invalid_rows"], 0, "{job}");
            assert_eq!(job["processed"].as_u64(), Some(people.len() as u64 + 1));
            let after = json_of(app.get(&app.owner, "/api/v1/users?limit=500").await).await;
            assert_eq!(before, after);
            assert_eq!(login_ids(&app).await.len(), people.len() + 1);
        });
    }
}

#[tokio::test]
async fn c6_c7_the_export_streams_every_page() {
    let app = TestApp::new().await;
    let mut csv = String::from("login_id,name\n");
    // Under one import chunk (1,000 rows): the in-memory test database has one connection,
    // which a multi-chunk all-or-nothing import's transaction would hold against its own
    // lookups (a file or server database has a pool).
    for i in 0..800 {
        csv.push_str(&format!("user{i:05},利用者 {i}\n"));
    }
    let job = import_as(&app, &app.owner, "mode=create", csv).await;
    assert_eq!(job["created"], 800, "{job}");
    let (_, bytes) = export(&app, &app.owner, "encoding=utf-8").await;
    let text = String::from_utf8(bytes).unwrap();
    let mut logins: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(logins.len(), 801, "two pages of up to 500");
    logins.sort_unstable();
    logins.dedup();
    assert_eq!(logins.len(), 801, "no row twice");
}
