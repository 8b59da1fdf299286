//! `cargo xtask bench integration` (issue 7): integrate and cancel through the API an account
//! with 100k scores, 1k badges and 50k access-log rows into one with records of its own, on
//! SQLite (a file, WAL) and PostgreSQL (when `ROSTER_TEST_POSTGRES_URL` is set). Goal: ≤ 1 s
//! each. The requests go through Roster's whole route stack (poem's in-process test client:
//! JSON, session check, authority, planning, the store), without a socket.
//!
//! `ROSTER_BENCH_RUNS` (default 3) integrate/cancel rounds per backend. Figures go to
//! docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../tests/api/integrations/backend.rs"]
mod backend;
#[path = "../../tests/api/integrations/seed.rs"]
mod seed;

use poem::EndpointExt;
use poem::test::TestClient;
use roster_app_http::{Adapters, HttpConfig, Roster, SystemClock, routes};
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::{OwnerConfig, SessionConfig, ensure_owner};
use roster_domain::user::{DisplayName, LoginId};
use roster_infra_crypto::{Argon2Hasher, HasherConfig, OsTokenGenerator};
use roster_infra_db::Store;
use seed::Volume;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

const GOAL_MS: u128 = 1_000;
const SOURCE: Volume = Volume {
    scores: 100_000,
    badges: 1_000,
    logins: 50_000,
};
const TARGET: Volume = Volume {
    scores: 1_000,
    badges: 100,
    logins: 1_000,
};
const PASSWORD: &str = "Bench-Owner-Pass-42!";

type Client = TestClient<poem::endpoint::BoxEndpoint<'static>>;

async fn send(client: &Client, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let resp = client
        .post(path)
        .header("Authorization", format!("Bearer {token}"))
        .body_json(body)
        .send()
        .await;
    let status = resp.0.status().as_u16();
    let text = resp.0.into_body().into_string().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn verdict(ms: u128) -> &'static str {
    if ms <= GOAL_MS {
        "goal met"
    } else {
        "GOAL MISSED"
    }
}

async fn measure(label: &str, url: &str, runs: usize) {
    let store = Store::open(url).await.unwrap();
    let hasher = Argon2Hasher::new(HasherConfig::for_tests());
    let owner = OwnerConfig {
        login_id: LoginId::parse("owner").unwrap(),
        name: DisplayName::parse("Owner").unwrap(),
        password: Some(PlainPassword::new(PASSWORD)),
    };
    ensure_owner(&store, &hasher, &OsTokenGenerator, &SystemClock, owner)
        .await
        .unwrap();
    let config = HttpConfig {
        session: SessionConfig {
            dummy_hash: hasher.dummy_hash(),
            ..SessionConfig::default()
        },
        ..HttpConfig::default()
    };
    let adapters = Adapters::over_store(
        store.clone(),
        Arc::new(hasher),
        Arc::new(OsTokenGenerator),
        Arc::new(SystemClock),
    );
    let client = TestClient::new(routes(Roster::new(adapters, config)).boxed());
    let login = json!({"login_id": "owner", "password": PASSWORD});
    let (_, session) = send(&client, "", "/api/v1/auth/login", &login).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let user = |login: &'static str, status: &'static str| {
        let (client, token) = (&client, token.clone());
        async move {
            let body = json!({"login_id": login, "name": login, "status": status,
                "password": "Bench-User-Pass-42!"});
            let (code, made) = send(client, &token, "/api/v1/users", &body).await;
            assert_eq!(code, 201, "{made}");
            made["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap()
        }
    };
    let source = user("bench-source", "invalid").await;
    let target = user("bench-target", "valid").await;
    let started = Instant::now();
    seed::records(&store, source, SOURCE, 1).await.unwrap();
    seed::records(&store, target, TARGET, 0).await.unwrap();
    println!(
        "== {label}: seeded {} scores, {} badges, {} access-log rows in {:.1} s (not timed)",
        SOURCE.scores + TARGET.scores,
        SOURCE.badges + TARGET.badges,
        SOURCE.logins + TARGET.logins,
        started.elapsed().as_secs_f64()
    );
    let pair = json!({"source_user_id": source, "target_user_id": target});
    for run in 1..=runs {
        // The preview reads both accounts and plans, as the integration does before it
        // writes: the difference is the write.
        let started = Instant::now();
        let (code, _) = send(&client, &token, "/api/v1/integrations/preview", &pair).await;
        let preview_ms = started.elapsed().as_millis();
        assert_eq!(code, 200);
        let started = Instant::now();
        let (code, made) = send(&client, &token, "/api/v1/integrations", &pair).await;
        let integrate_ms = started.elapsed().as_millis();
        assert_eq!(code, 201, "{made}");
        let id = made["id"].as_str().unwrap().to_owned();
        let body = json!({ "ids": [id] });
        let started = Instant::now();
        let (code, result) = send(&client, &token, "/api/v1/integrations/cancel", &body).await;
        let cancel_ms = started.elapsed().as_millis();
        assert_eq!(code, 200);
        assert_eq!(result["items"][0]["status"], "done", "{result}");
        println!(
            "run {run}: preview {preview_ms} ms; integrate {integrate_ms} ms ({}), cancel {cancel_ms} ms ({}); moved {} scores, {} badges ({} merged), {} logins",
            verdict(integrate_ms),
            verdict(cancel_ms),
            made["counts"]["scores_moved"],
            made["counts"]["badges_moved"],
            made["counts"]["badges_merged"],
            made["counts"]["access_log_moved"],
        );
    }
    store.close().await.ok();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs = std::env::var("ROSTER_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let folder = tempfile::Builder::new()
        .prefix("roster_bench_integration")
        .tempdir()
        .unwrap();
    let url = format!(
        "sqlite://{}/roster.sqlite?mode=rwc",
        folder.path().display()
    );
    measure("SQLite", &url, runs).await;
    match backend::postgres().await {
        Some(pg) => {
            measure("PostgreSQL", &pg.url, runs).await;
            pg.drop_database().await;
        }
        None => println!("(PostgreSQL not measured: set ROSTER_TEST_POSTGRES_URL)"),
    }
}
