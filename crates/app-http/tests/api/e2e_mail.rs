//! End to end (M1, M4, O4): the built `roster` binary with the file outbox in a temporary
//! folder and a one-second mail interval. A user is created through the API, an invitation
//! for that user is queued in the database (the invitation route belongs to the joining
//! work; the queue is the contract between both), and the running server's background job
//! writes it to the outbox as a readable `.eml`. SIGTERM then stops the server cleanly.

use crate::e2e::{Server, agent, post, wait_until_ready};
use serde_json::json;
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use roster_domain::ports::mail::MailQueue;
use roster_domain::registration::{MailKind, OutgoingMail};
use roster_domain::user::Email;
use roster_infra_mail::testing::{eml_files, free_port, mail_tools_present, parse_eml};

#[test]
fn m1_the_running_server_delivers_queued_mail_to_the_outbox() {
    if !mail_tools_present("m1_the_running_server_delivers_queued_mail_to_the_outbox") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("mail");
    let port = free_port();
    let database = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("roster.db").display()
    );
    let child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("ROSTER_LISTEN", format!("127.0.0.1:{port}"))
        .env("ROSTER_DATABASE_URL", &database)
        .env("ROSTER_OWNER_PASSWORD", "Owner-Secret-Passphrase-2048")
        .env("ROSTER_MAIL_OUTBOX", &outbox)
        .env("ROSTER_MAIL_FROM", "Example LMS <lms@example.com>")
        .env("ROSTER_MAIL_INTERVAL_SECONDS", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let agent = agent();
    wait_until_ready(&agent, &base, Duration::from_secs(60));
    let (status, login) = post(
        &agent,
        &format!("{base}/api/v1/auth/login"),
        None,
        &json!({"login_id": "owner", "password": "Owner-Secret-Passphrase-2048"}),
    );
    assert_eq!(status, 200, "{login}");
    let owner = login["token"].as_str().unwrap().to_owned();
    let (status, user) = post(
        &agent,
        &format!("{base}/api/v1/users"),
        Some(&owner),
        &json!({"login_id": "hanako", "name": "Hanako Sato", "email": "hanako@example.com"}),
    );
    assert_eq!(status, 201, "{user}");

    // Queued as the invitation flow would, in the server's own database.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = roster_infra_db::Store::open(&database).await.unwrap();
        let vars: BTreeMap<String, String> = [
            ("site_name", "Example LMS"),
            ("name", "Hanako Sato"),
            ("login_id", "hanako"),
            ("link", "https://lms.example.com/invite/E2ETOKEN"),
            ("expires_at", "2026-12-01 09:00 UTC"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let to = Email::parse(user["email"].as_str().unwrap()).unwrap();
        let mail = OutgoingMail::new(to, MailKind::Invitation, vars).unwrap();
        store.enqueue(&mail).await.unwrap();
        store.close().await.unwrap();
    });

    let deadline = Instant::now() + Duration::from_secs(30);
    let files = loop {
        let files = eml_files(&outbox);
        if !files.is_empty() {
            break files;
        }
        assert!(Instant::now() < deadline, "no .eml appeared in the outbox");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(files.len(), 1);
    let mail = parse_eml(&files[0]);
    assert_eq!(mail.to, "hanako@example.com");
    assert_eq!(mail.from, "Example LMS <lms@example.com>");
    assert_eq!(mail.subject, "[Example LMS] You are invited");
    assert_eq!(mail.link(), Some("https://lms.example.com/invite/E2ETOKEN"));

    // O4: SIGTERM stops the server and its job loop promptly.
    let pid = server.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
