//! Test support (feature `test-support`): [`SmtpSink`], a real SMTP server process
//! (aiosmtpd, `tests/smtp_sink.py`) on a free local port that keeps what it receives, and
//! [`parse_eml`], which reads a message back the way a mail client would (Python's
//! `email` package). Used by this crate's tests and by app-http's.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The script that runs the server and parses messages.
pub fn sink_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A message as a mail client reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The `From` header.
    pub from: String,
    /// The `To` header.
    pub to: String,
    /// The decoded subject.
    pub subject: String,
    /// The `Message-ID` header.
    pub message_id: String,
    /// The MIME type of the body part.
    pub content_type: String,
    /// The decoded text body.
    pub body: String,
    /// What Python's parser found wrong (empty for a well-formed message).
    pub defects: Vec<String>,
}

impl ReceivedMail {
    /// The first `http(s)://…` link in the body.
    pub fn link(&self) -> Option<&str> {
        let start = self.body.find("http")?;
        let rest = &self.body[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(&rest[..end])
    }
}

/// Parses an `.eml` file with Python's `email` package.
pub fn parse_eml(path: &Path) -> ReceivedMail {
    parse_all(&[path.to_path_buf()]).remove(0)
}

/// Parses several `.eml` files in one Python run (its start-up dominates).
pub fn parse_all(paths: &[PathBuf]) -> Vec<ReceivedMail> {
    if paths.is_empty() {
        return Vec::new();
    }
    let out = Command::new("python3")
        .arg(sink_script())
        .arg("parse")
        .args(paths)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "parsing {paths:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("parser's JSON");
    list.iter().map(received).collect()
}

fn received(v: &serde_json::Value) -> ReceivedMail {
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    ReceivedMail {
        from: text("from"),
        to: text("to"),
        subject: text("subject"),
        message_id: text("message_id"),
        content_type: text("content_type"),
        body: text("body"),
        defects: v["defects"]
            .as_array()
            .map(|d| d.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default(),
    }
}

/// The `.eml` files in `dir`, oldest name first (hidden temporary files are not mail).
pub fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
}

/// An aiosmtpd server process on 127.0.0.1; killed when dropped.
#[derive(Debug)]
pub struct SmtpSink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl SmtpSink {
    /// A server on a free port.
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    /// A server on `port` (to bring a "down" server up where the queue expects it).
    pub fn start_on(port: u16) -> Self {
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "roster-smtp-sink-{}-{port}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("sink folder");
        let child = Command::new("python3")
            .arg(sink_script())
            .arg("serve")
            .arg(port.to_string())
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd)");
        let sink = Self { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP sink did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        sink
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, in arrival order.
    pub fn received(&self) -> Vec<ReceivedMail> {
        let mut files = eml_files(&self.dir);
        // `<n>.eml`: numeric order is arrival order.
        files.sort_by_key(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(u64::MAX)
        });
        parse_all(&files)
    }

    /// Waits up to `timeout` for at least `n` messages.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            if eml_files(&self.dir).len() >= n || Instant::now() >= deadline {
                return self.received();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether the external tools of the mail tests are here: Python 3 with aiosmtpd (the SMTP
/// server) and its `email` package (the mail client's parser). Without them a test is
/// skipped with a message on standard error, so `cargo xtask ci` works on a machine with
/// only Rust — unless `ROSTER_REQUIRE_ALL_BACKENDS` is set (`.ci/run` sets it), where a
/// missing tool fails the test: CI never skips it.
pub fn mail_tools_present(test: &str) -> bool {
    let present = Command::new("python3")
        .args(["-c", "import aiosmtpd, email"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    present || skip_or_fail(test, "python3 with aiosmtpd (pip install aiosmtpd)")
}

/// `false` after a loud skip message; a panic instead under `ROSTER_REQUIRE_ALL_BACKENDS`.
pub fn skip_or_fail(test: &str, missing: &str) -> bool {
    assert!(
        std::env::var_os("ROSTER_REQUIRE_ALL_BACKENDS").is_none(),
        "{test}: {missing} is missing but ROSTER_REQUIRE_ALL_BACKENDS is set: CI must run it"
    );
    eprintln!("SKIPPED {test}: {missing} is not installed");
    false
}
