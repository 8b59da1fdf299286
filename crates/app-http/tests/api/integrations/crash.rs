//! I10 crash: the real `roster` binary is killed (SIGKILL) while it integrates an account
//! with 100k scores; after a restart the data is either fully integrated or untouched — the
//! record sets of both accounts are compared with those before — and a full integration
//! still cancels back to exactly the original. On SQLite (a file) and PostgreSQL.
//!
//! The kill lands inside the integration's write transaction: a probe connection watches
//! the database (PostgreSQL: a server backend holding a transaction id; SQLite: the write
//! lock, tried with `BEGIN IMMEDIATE` and no busy wait) and the server is killed once the
//! same writer has held on for 100 ms — longer than any write a login or a session makes.

use super::backend;
use super::seed::{self, Volume};
use crate::e2e::wait_until_ready;
use roster_domain::ids::UserId;
use roster_domain::integration::UserRecords;
use roster_domain::ports::records::LearningRecords;
use roster_infra_db::Store;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const OWNER_PASSWORD: &str = "Crash-Test-Owner-99!";
const SOURCE: Volume = Volume {
    scores: 100_000,
    badges: 50,
    logins: 500,
};
const TARGET: Volume = Volume {
    scores: 1_000,
    badges: 20,
    logins: 100,
};

/// The server process; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, database_url: &str) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("serve")
        .current_dir(dir)
        .env_clear()
        .env("ROSTER_LISTEN", format!("127.0.0.1:{port}"))
        .env("ROSTER_DATABASE_URL", database_url)
        .env("ROSTER_OWNER_PASSWORD", OWNER_PASSWORD)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    wait_until_ready(&agent(), &server.base, Duration::from_secs(120));
    server
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into()
}

fn post(base: &str, path: &str, token: Option<&str>, body: &Value) -> Result<(u16, Value), String> {
    let mut req = agent().post(format!("{base}{path}"));
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let mut resp = req.send_json(body).map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    Ok((status, resp.body_mut().read_json().unwrap_or(Value::Null)))
}

fn get(base: &str, path: &str, token: &str) -> Value {
    let mut resp = agent()
        .get(format!("{base}{path}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.body_mut().read_json().unwrap()
}

fn login(base: &str) -> String {
    let body = json!({"login_id": "owner", "password": OWNER_PASSWORD});
    let (status, session) = post(base, "/api/v1/auth/login", None, &body).unwrap();
    assert_eq!(status, 200, "{session}");
    session["token"].as_str().unwrap().to_owned()
}

fn user(base: &str, token: &str, login_id: &str, status: &str) -> UserId {
    let body = json!({"login_id": login_id, "name": login_id, "status": status,
        "password": "Crash-User-Pass-77!"});
    let (code, user) = post(base, "/api/v1/users", Some(token), &body).unwrap();
    assert_eq!(code, 201, "{user}");
    UserId::from_uuid(user["id"].as_str().unwrap().parse().unwrap())
}

async fn both(store: &Store, source: UserId, target: UserId) -> (UserRecords, UserRecords) {
    (
        store.records_of(source).await.unwrap(),
        store.records_of(target).await.unwrap(),
    )
}

/// A connection of its own to watch for the server's writer (on SQLite: no busy wait, so
/// a held write lock answers at once).
async fn probe_connection(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let probe = Database::connect(options).await.unwrap();
    if probe.get_database_backend() == DbBackend::Sqlite {
        probe
            .execute_unprepared("PRAGMA busy_timeout = 0")
            .await
            .unwrap();
    }
    probe
}

/// Who holds a write transaction open now, if anyone.
async fn writer(probe: &DatabaseConnection) -> Option<String> {
    if probe.get_database_backend() == DbBackend::Sqlite {
        return match probe.execute_unprepared("BEGIN IMMEDIATE").await {
            Ok(_) => {
                probe.execute_unprepared("ROLLBACK").await.unwrap();
                None
            }
            Err(_) => Some("the write lock".to_owned()),
        };
    }
    let sql = "SELECT backend_xid::text AS xid FROM pg_stat_activity \
        WHERE datname = current_database() AND backend_xid IS NOT NULL \
        AND pid <> pg_backend_pid() LIMIT 1";
    let statement = sea_orm::Statement::from_string(DbBackend::Postgres, sql);
    let row = probe.query_one_raw(statement).await.unwrap();
    row.map(|row| row.try_get::<String>("", "xid").unwrap())
}

/// Waits until one writer has held its transaction for 100 ms; `false` when the request
/// ended first.
async fn wait_for_writer<T>(
    probe: &DatabaseConnection,
    request: &std::thread::JoinHandle<T>,
) -> bool {
    let mut since: Option<(String, Instant)> = None;
    while !request.is_finished() {
        match (writer(probe).await, &since) {
            (Some(now), Some((seen, at))) if now == *seen => {
                if at.elapsed() >= Duration::from_millis(100) {
                    return true;
                }
            }
            (Some(now), _) => since = Some((now, Instant::now())),
            (None, _) => since = None,
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

/// Integrates with a kill -9 in flight, restarts, and checks all or nothing.
fn crash_during_integration(dir: &std::path::Path, database_url: &str) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = start(dir, database_url);
    let token = login(&server.base);
    let source = user(&server.base, &token, "crash-source", "invalid");
    let target = user(&server.base, &token, "crash-target", "valid");
    let store = runtime.block_on(Store::open(database_url)).unwrap();
    let before = runtime.block_on(async {
        seed::records(&store, source.as_uuid(), SOURCE, 1)
            .await
            .unwrap();
        seed::records(&store, target.as_uuid(), TARGET, 0)
            .await
            .unwrap();
        both(&store, source, target).await
    });
    assert_eq!(before.0.scores.len(), SOURCE.scores);

    // A preview reads and plans as the integration does before it writes: its time says
    // when the integration's transaction will be under way.
    let pair = json!({"source_user_id": source.as_uuid(), "target_user_id": target.as_uuid()});
    let started = Instant::now();
    let (status, _) = post(
        &server.base,
        "/api/v1/integrations/preview",
        Some(&token),
        &pair,
    )
    .unwrap();
    assert_eq!(status, 200);
    let reading = started.elapsed();
    eprintln!("the preview (read and plan) took {reading:?}");
    let probe = runtime.block_on(probe_connection(database_url));
    let base = server.base.clone();
    let request =
        std::thread::spawn(move || post(&base, "/api/v1/integrations", Some(&token), &pair));
    let held = runtime.block_on(wait_for_writer(&probe, &request));
    assert!(
        held,
        "the integration answered before its write transaction was seen"
    );
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no rollback by the process
    server.child.wait().unwrap();
    let answer = request.join().unwrap();
    assert!(answer.is_err(), "killed before answering, got {answer:?}");
    drop(server);
    runtime.block_on(probe.close()).ok();

    let server = start(dir, database_url);
    let token = login(&server.base);
    let list = get(&server.base, "/api/v1/integrations", &token);
    let entries = list["items"].as_array().unwrap();
    let after = runtime.block_on(both(&store, source, target));
    match entries.len() {
        0 => {
            eprintln!("crash left nothing: untouched");
            assert!(after == before, "no integration, yet records changed");
        }
        1 => {
            eprintln!("crash after commit: fully integrated");
            assert_eq!(entries[0]["state"], "live");
            assert!(after.0.scores.is_empty() && after.0.badges.is_empty());
            assert_eq!(after.1.scores.len(), SOURCE.scores + TARGET.scores);
            assert_eq!(after.0.certificates, before.0.certificates);
            let id = entries[0]["id"].as_str().unwrap();
            let (status, result) = post(
                &server.base,
                "/api/v1/integrations/cancel",
                Some(&token),
                &json!({ "ids": [id] }),
            )
            .unwrap();
            assert_eq!(status, 200, "{result}");
            assert_eq!(result["items"][0]["status"], "done", "{result}");
            let restored = runtime.block_on(both(&store, source, target));
            assert!(
                restored == before,
                "cancel after the crash restores exactly"
            );
        }
        n => panic!("{n} integrations after one request"),
    }
    runtime.block_on(store.close()).ok();
}

#[test]
fn i10_kill_during_a_100k_integration_on_sqlite_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/roster.db?mode=rwc", dir.path().display());
    crash_during_integration(dir.path(), &url);
}

#[test]
fn i10_kill_during_a_100k_integration_on_postgres_is_all_or_nothing() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(pg) = runtime.block_on(backend::postgres()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crash_during_integration(dir.path(), &pg.url);
    runtime.block_on(pg.drop_database());
}
