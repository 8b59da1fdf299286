//! A minimal W3C WebDriver client over the blocking HTTP client the end-to-end tests already
//! use (ureq): start chromedriver on a free port, open one headless Chromium session, find
//! elements, type, click, read the page, save screenshots. Enough for the A8 browser test,
//! without an async WebDriver crate and its TLS stack.

use base64ct::{Base64, Encoding};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The key under which WebDriver names an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver, found on PATH or at the Debian location. The browser test skips without it
/// only when `ROSTER_REQUIRE_ALL_BACKENDS` is unset; CI sets it and installs chromedriver.
pub fn chromedriver() -> Option<PathBuf> {
    let candidates: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("chromedriver"))
                .collect()
        })
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain([PathBuf::from("/usr/bin/chromedriver")])
        .find(|p| p.exists())
}

/// A running chromedriver and one browser session; both end on drop.
pub struct Browser {
    driver: Child,
    base: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver on `port` and a headless Chromium with a fresh profile.
    pub fn start(port: u16) -> Self {
        let driver = Command::new(chromedriver().expect("chromedriver is installed"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while agent.get(&format!("{root}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1000,1100",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
        }}});
        let mut resp = agent
            .post(&format!("{root}/session"))
            .send_json(&caps)
            .unwrap();
        let body: Value = resp.body_mut().read_json().unwrap();
        let id = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {body}"))
            .to_owned();
        Self {
            driver,
            base: format!("{root}/session/{id}"),
            agent,
            _profile: profile,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call().unwrap(),
            (_, body) => self
                .agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({})))
                .unwrap(),
        };
        let status = resp.status().as_u16();
        let value: Value = resp.body_mut().read_json().unwrap();
        assert_eq!(status, 200, "WebDriver {method} {path}: {value}");
        value["value"].clone()
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The element matching the CSS `selector`.
    pub fn find(&self, selector: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": selector})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {selector}: {v}\n{}", self.source()))
            .to_owned()
    }

    /// Types `text` into the element matching `selector`.
    pub fn fill(&self, selector: &str, text: &str) {
        let id = self.find(selector);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Clicks the element matching `selector`.
    pub fn click(&self, selector: &str) {
        let id = self.find(selector);
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    /// The current page's HTML.
    pub fn source(&self) -> String {
        self.call("GET", "/source", None)
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The page's HTML once it contains `text` — a click's navigation may still be under way
    /// when the click returns — or, after 15 s, as it is (the caller's assertion then fails
    /// with the page in its message).
    pub fn source_once_it_shows(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let html = self.source();
            if html.contains(text) || Instant::now() > deadline {
                return html;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG of the viewport as `dir/name.png`.
    pub fn screenshot(&self, dir: &Path, name: &str) {
        let data = self.call("GET", "/screenshot", None);
        let png = Base64::decode_vec(data.as_str().unwrap()).unwrap();
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}
