//! End to end (O1, O2, U9): the built `roster` binary in an empty temporary folder, on a
//! free port, with nothing configured but the address — it creates its SQLite file, prints
//! the generated owner password once, and serves until stopped. O4: its logs of the whole
//! flow carry a request ID on every request line and none of the passwords or tokens used.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, passed or not.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Waits until the server at `base` answers `/readyz` with 200; fails the test after `limit`.
pub(crate) fn wait_until_ready(agent: &ureq::Agent, base: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !agent
        .get(&format!("{base}/readyz"))
        .call()
        .is_ok_and(|r| r.status() == 200)
    {
        assert!(Instant::now() < deadline, "/readyz never answered 200");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub(crate) fn post(
    agent: &ureq::Agent,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut req = agent.post(url);
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let mut resp = req.send_json(body).unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_json().unwrap_or(Value::Null))
}

#[test]
fn o1_the_binary_serves_on_an_empty_folder_and_users_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log_path = dir.path().join("server.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("ROSTER_LISTEN", format!("127.0.0.1:{port}"))
        // Everything the server logs by default, as JSON, into a file the test reads.
        .env("RUST_LOG", "debug,sqlx=warn,sea_orm=warn")
        .env("ROSTER_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(&log_path).unwrap()))
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);

    // U9: the generated password is printed once, indented on its own line.
    let mut password = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(p) = line.strip_prefix("    ") {
            password = Some(p.trim().to_owned());
            break;
        }
    }
    let password = password.expect("the generated owner password is printed");
    assert!(password.len() >= 32, "a strong generated password");

    let base = format!("http://127.0.0.1:{port}");
    let agent = agent();
    wait_until_ready(&agent, &base, Duration::from_secs(60));
    assert!(
        dir.path().join("roster.db").exists(),
        "the SQLite file is in the working folder"
    );

    let (status, login) = post(
        &agent,
        &format!("{base}/api/v1/auth/login"),
        None,
        &json!({"login_id": "owner", "password": password}),
    );
    assert_eq!(status, 200, "{login}");
    let owner = login["token"].as_str().unwrap().to_owned();

    let (status, group) = post(
        &agent,
        &format!("{base}/api/v1/groups"),
        Some(&owner),
        &json!({"name": "Class 1-A"}),
    );
    assert_eq!(status, 201, "{group}");
    let (status, user) = post(
        &agent,
        &format!("{base}/api/v1/users"),
        Some(&owner),
        &json!({"login_id": "student1", "name": "Student One",
                "password": "Quiet-River-2048", "group_ids": [group["id"]]}),
    );
    assert_eq!(status, 201, "{user}");
    let (status, login) = post(
        &agent,
        &format!("{base}/api/v1/auth/login"),
        None,
        &json!({"login_id": "student1", "password": "Quiet-River-2048"}),
    );
    assert_eq!(status, 200, "{login}");
    let mut me = agent
        .get(&format!("{base}/api/v1/me"))
        .header(
            "Authorization",
            &format!("Bearer {}", login["token"].as_str().unwrap()),
        )
        .call()
        .unwrap();
    let me: Value = me.body_mut().read_json().unwrap();
    assert_eq!(me["user"]["login_id"], "student1");
    assert_eq!(me["group_ids"][0], group["id"]);

    drop(server);
    let secrets = [
        password.as_str(),
        "Quiet-River-2048",
        owner.as_str(),
        login["token"].as_str().unwrap(),
    ];
    assert_logs_are_traced_and_keep_no_secret(
        &std::fs::read_to_string(&log_path).unwrap(),
        &secrets,
    );
}

/// O4: every request line names its request ID; no secret appears anywhere in the logs.
fn assert_logs_are_traced_and_keep_no_secret(logs: &str, secrets: &[&str]) {
    let requests: Vec<Value> = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "request")
        .collect();
    assert!(requests.len() >= 6, "a line per request:\n{logs}");
    for line in &requests {
        let id = line["span"]["request_id"].as_str().unwrap_or_default();
        assert!(!id.is_empty(), "no request ID in {line}");
    }
    for secret in secrets {
        assert!(!logs.contains(secret), "a secret was logged:\n{logs}");
    }
}

fn roster(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

#[test]
fn o1_migrate_and_init_prepare_a_database_before_serve() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = roster(dir.path(), &["migrate"], None);
    assert!(migrated.status.success(), "{migrated:?}");
    assert!(dir.path().join("roster.db").exists());

    // U9: the password from standard input; nothing secret is printed.
    let init = roster(
        dir.path(),
        &["init", "--password-stdin"],
        Some("Chosen-Owner-Pass-9\n"),
    );
    assert!(init.status.success(), "{init:?}");
    let printed = String::from_utf8_lossy(&init.stdout);
    assert!(!printed.contains("Chosen-Owner-Pass-9"), "{printed}");
    // A second init finds the owner and changes nothing.
    let again = roster(dir.path(), &["init"], None);
    assert!(again.status.success(), "{again:?}");
    assert!(
        String::from_utf8_lossy(&again.stdout).trim().is_empty(),
        "no new password printed"
    );

    // A bad setting is a clear error and a non-zero exit.
    let bad = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["migrate"])
        .current_dir(dir.path())
        .env_clear()
        .env("ROSTER_HASH_WORKERS", "many")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ROSTER_HASH_WORKERS"));

    let help = Command::new(env!("CARGO_BIN_EXE_roster"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("migrations"));
}
