//! A8 in a real browser: the built `roster` binary serves on a free port (SQLite file and
//! outbox in a temporary folder); headless Chromium, driven over WebDriver, opens
//! `/register/{token}`, fills the form with a code, confirms, follows the activation link,
//! and the new user then logs in through the API. Screenshots of every page go to
//! `target/screenshots/`.

use crate::e2e::{Server, agent, free_port, post, wait_until_ready};
use crate::webdriver::{Browser, chromedriver};
use roster_infra_mail::testing::{eml_files, mail_tools_present, parse_all, skip_or_fail};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OWNER_PASSWORD: &str = "Browser-Owner-Pass-42!";

/// Where screenshots go: `target/screenshots/` (beside `target/tmp`).
fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots")
}

/// The activation link mailed to `email`, as the applicant gets it: the running server's
/// mail job writes the message to the outbox folder (one `.eml` per mail), and the link is
/// read from the parsed message body. Waits up to 30 s for the job's next round.
fn activation_link(outbox: &Path, email: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mails = parse_all(&eml_files(outbox));
        if let Some(mail) = mails
            .iter()
            .find(|m| m.to.contains(email) && m.subject.contains("Confirm your application"))
        {
            assert!(mail.defects.is_empty(), "{:?}", mail.defects);
            return mail
                .link()
                .expect("a link in the activation mail")
                .to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no activation mail in {}",
            outbox.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn call(agent: &ureq::Agent, method: &str, url: &str, token: &str, body: &Value) -> Value {
    let req = match method {
        "PUT" => agent.put(url),
        _ => agent.post(url),
    };
    let mut resp = req
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .unwrap();
    let status = resp.status().as_u16();
    let value: Value = resp.body_mut().read_json().unwrap_or(Value::Null);
    assert!(
        (200..300).contains(&status),
        "{method} {url}: {status} {value}"
    );
    value
}

#[tokio::test]
async fn a8_a_browser_registers_through_a_url_with_a_code_activates_and_logs_in() {
    const TEST: &str = "a8_a_browser_registers_through_a_url_with_a_code_activates_and_logs_in";
    if !mail_tools_present(TEST) {
        return;
    }
    if chromedriver().is_none() {
        skip_or_fail(
            TEST,
            "chromedriver (apt-get install chromium chromium-driver)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_roster"))
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("ROSTER_LISTEN", format!("127.0.0.1:{port}"))
        .env("ROSTER_PUBLIC_URL", &base)
        .env("ROSTER_OWNER_PASSWORD", OWNER_PASSWORD)
        .env("ROSTER_MAIL_OUTBOX", dir.path().join("outbox"))
        .env("ROSTER_MAIL_INTERVAL_SECONDS", "1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let _server = Server(child);
    let http = agent();
    wait_until_ready(&http, &base, Duration::from_secs(60));

    // The administrator opens registration and publishes a URL with a code (A1, A5).
    let (_, login) = post(
        &http,
        &format!("{base}/api/v1/auth/login"),
        None,
        &json!({"login_id": "owner", "password": OWNER_PASSWORD}),
    );
    let owner = login["token"].as_str().unwrap().to_owned();
    let settings = json!({"self_registration": true, "auto_approve": true,
                          "purge_not_activated_after_days": null});
    call(
        &http,
        "PUT",
        &format!("{base}/api/v1/settings/registration"),
        &owner,
        &settings,
    );
    let group = call(
        &http,
        "POST",
        &format!("{base}/api/v1/groups"),
        &owner,
        &json!({"name": "Browser Class"}),
    );
    let published = call(
        &http,
        "POST",
        &format!("{base}/api/v1/registration-urls"),
        &owner,
        &json!({"group_ids": [group["id"]], "codes": [{"code": "CHROME-2026"}]}),
    );
    let url = published["items"][0]["url"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.starts_with(&format!("{base}/register/")), "{url}");

    let shots = screenshots();
    let browser = Browser::start(free_port());
    browser.goto(&url);
    browser.screenshot(&shots, "01-register-form");
    browser.fill("#login_id", "chromium-user");
    browser.fill("#name", "Chromium <User>");
    browser.fill("#email", "chromium-user@example.com");
    browser.fill("#password", "Lilac-Summit-3141!");
    browser.fill("#password_confirm", "Lilac-Summit-3141!");
    browser.fill("#code", "CHROME-2026");
    browser.screenshot(&shots, "02-register-filled");
    browser.click("#review");
    let review = browser.source_once_it_shows("Please check what will be submitted");
    assert!(
        review.contains("Please check what will be submitted"),
        "{review}"
    );
    assert!(
        review.contains("Chromium &lt;User&gt;"),
        "escaped on the review page"
    );
    browser.screenshot(&shots, "03-confirmation");
    browser.click("#submit");
    let sent = browser.source_once_it_shows("We sent a link to");
    assert!(
        sent.contains("We sent a link to chromium-user@example.com"),
        "{sent}"
    );
    browser.screenshot(&shots, "04-check-your-email");

    let link = activation_link(&dir.path().join("outbox"), "chromium-user@example.com");
    assert!(link.starts_with(&format!("{base}/activate/")), "{link}");
    browser.goto(&link);
    browser.screenshot(&shots, "05-activation");
    browser.click("#activate");
    let activated = browser.source_once_it_shows("You can log in now");
    assert!(activated.contains("You can log in now"), "{activated}");
    browser.screenshot(&shots, "06-activated");

    let (status, login) = post(
        &http,
        &format!("{base}/api/v1/auth/login"),
        None,
        &json!({"login_id": "chromium-user", "password": "Lilac-Summit-3141!"}),
    );
    assert_eq!(status, 200, "{login}");
}
