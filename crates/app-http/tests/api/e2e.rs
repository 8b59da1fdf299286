//! End to end (O1, O2, U9): the built `roster` binary in an empty temporary folder, on a
//! free port, with nothing configured but the address — it creates its SQLite file, prints
//! the generated owner password once, and serves until stopped.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn post(agent: &ureq::Agent, url: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("ROSTER_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);

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
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(resp) = agent.get(&format!("{base}/readyz")).call()
            && resp.status() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "/readyz never answered 200");
        std::thread::sleep(Duration::from_millis(100));
    }
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
}
