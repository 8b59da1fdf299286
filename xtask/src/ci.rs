//! The checks CI makes, in the order that fails fastest.

use crate::run::{cargo, output, status, succeeds};

/// Crates that mean IO or an adapter; the domain must never depend on them.
const FORBIDDEN_IN_DOMAIN: &[&str] = &[
    "sea-orm",
    "sqlx",
    "poem",
    "poem-openapi",
    "lettre",
    "argon2",
    "tokio",
];

/// Formatting, clippy, rustdoc, the domain rule, then every test.
pub fn all() -> Result<(), String> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    status(fmt)?;
    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    status(clippy)?;
    // Broken intra-doc links are documentation that lies; fail on them like on clippy.
    let mut doc = cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--locked"])
        .env("RUSTDOCFLAGS", "-D warnings");
    status(doc)?;
    domain_deps()?;
    tests()
}

/// Every test of the workspace: doctests first (nextest does not run them), then nextest
/// when installed (one process per test, a clear summary), otherwise cargo test. The main
/// run goes last so its summary is the closing line a reader sees.
pub fn tests() -> Result<(), String> {
    let mut doc = cargo();
    doc.args(["test", "--workspace", "--locked", "--doc"]);
    status(doc)?;
    let mut probe = cargo();
    probe.args(["nextest", "--version"]);
    let mut run = cargo();
    if succeeds(probe) {
        run.args([
            "nextest",
            "run",
            "--workspace",
            "--locked",
            "--no-fail-fast",
        ]);
    } else {
        run.args([
            "test",
            "--workspace",
            "--locked",
            "--all-targets",
            "--no-fail-fast",
        ]);
    }
    status(run)
}

/// ARCHITECTURE: no sea-orm, sqlx, poem, lettre, argon2 or tokio in `roster-domain`,
/// checked on the real dependency tree rather than by hope.
pub fn domain_deps() -> Result<(), String> {
    let mut tree = cargo();
    tree.args([
        "tree",
        "-p",
        "roster-domain",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--locked",
    ]);
    let listing = output(tree)?;
    let bad: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN_IN_DOMAIN.contains(name))
        .collect();
    if bad.is_empty() {
        eprintln!("roster-domain depends on no IO or adapter crate");
        Ok(())
    } else {
        Err(format!(
            "roster-domain depends on {}: the domain must stay free of IO",
            bad.join(", ")
        ))
    }
}
