//! `cargo xtask bench import`: the CSV import goals (issue 6), measured in one run.
//!
//! - rows: 100k rows (no passwords, one to three groups each) through the whole import path
//!   — codec, validation pass, write pass, as `POST /imports` runs it — on SQLite and (when
//!   `ROSTER_BENCH_POSTGRES_URL` or `ROSTER_TEST_POSTGRES_URL` is set) PostgreSQL, beside the
//!   storage bench's raw baseline on the same database (goals ≥ 50k rows/s on SQLite, ≥ 40k
//!   on PostgreSQL, baseline time / import time ≥ 0.2);
//! - rss: 1M rows on SQLite, the process's peak RSS during the import (goal ≤ 150 MB; C6);
//! - hash: 2,000 rows with passwords on SQLite with the production hasher, against the raw
//!   argon2 rate of all cores measured in the same run (goal ≥ 0.9×; C9);
//! - during the rss and hash imports: `GET /api/v1/users?limit=50` on four connections to
//!   the real routes over the same database, p99 (goal ≤ 50 ms).
//!
//! `ROSTER_BENCH_ONLY=rows|rss|hash` runs one part. Figures go to `docs/performance.md`.

#[path = "../../../infra-db/benches/storage/fresh.rs"]
mod fresh;
mod probe;
mod raw;
mod setup;

use fresh::{FreshDb, Target};
use roster_domain::csv::{ImportMode, ImportOptions, ImportReport};
use roster_domain::services::ImportRequest;
use roster_infra_crypto::{Argon2Hasher, HasherConfig, argon2_rate};
use roster_infra_csv::{CsvSource, Encoding};
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;
const RSS_ROWS: usize = 1_000_000;
const PASSWORD_ROWS: usize = 2_000;
/// The measured window of the request probe (after half a second of warm-up); both
/// imports it runs beside take longer than that.
const PROBE_WINDOW: Duration = Duration::from_secs(5);

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let only = std::env::var("ROSTER_BENCH_ONLY").unwrap_or_default();
    let hasher = Argon2Hasher::new(HasherConfig::production());
    println!(
        "{} cores, {} hash workers; load average {}",
        std::thread::available_parallelism().map_or(1, usize::from),
        hasher.workers(),
        load_average()
    );
    let mut result = Ok(());
    if only.is_empty() || only == "rows" {
        for target in Target::configured() {
            result = result.and(rows(&target, &hasher).await);
        }
    }
    if result.is_ok() && (only.is_empty() || only == "rss") {
        result = rss(&hasher).await;
    }
    if result.is_ok() && (only.is_empty() || only == "hash") {
        result = hashing(&hasher).await;
    }
    if let Err(error) = result {
        eprintln!("import bench failed: {error}");
        std::process::exit(1);
    }
}

/// Imports `rows` generated rows in create mode into a fresh database; returns the time
/// and, when `probe` names a window, the request latency measured in it meanwhile.
async fn import(
    target: &Target,
    hasher: &Argon2Hasher,
    rows: usize,
    passwords: bool,
    probe: Option<Duration>,
) -> Result<(Duration, Option<String>), String> {
    let ready = setup::ready(target, hasher).await?;
    let probe = match probe {
        Some(window) => Some(probe::start(&ready.db.store, hasher, window).await?),
        None => None,
    };
    let file = setup::csv_file(rows, passwords)?;
    let mut source = CsvSource::open(file, Encoding::Utf8).map_err(|e| e.to_string())?;
    let options = ImportOptions::new(ImportMode::Create);
    let started = Instant::now();
    let job = ready
        .service
        .submit(&ready.owner, options)
        .await
        .map_err(|e| e.to_string())?;
    let report = ready
        .service
        .run(&ready.owner, &ImportRequest { job, options }, &mut source)
        .await
        .map_err(|e| e.to_string());
    let elapsed = started.elapsed();
    let latency = match probe {
        Some(probe) => Some(probe.finish().await?),
        None => None,
    };
    ready.db.remove().await;
    check(&report?, rows)?;
    Ok((elapsed, latency))
}

fn check(report: &ImportReport, rows: usize) -> Result<(), String> {
    if report.created != rows as u64 || report.invalid_rows != 0 {
        return Err(format!(
            "expected {rows} created, got {} created and {} invalid: {:?}",
            report.created,
            report.invalid_rows,
            report.errors.first()
        ));
    }
    Ok(())
}

async fn rows(target: &Target, hasher: &Argon2Hasher) -> Result<(), String> {
    let (import, _) = import(target, hasher, ROWS, false, None).await?;
    let people = raw::people(ROWS, setup::GROUPS);
    let db = FreshDb::create(target).await?;
    let groups = setup::create_groups(&db.store).await?;
    let now = chrono::Utc::now();
    let baseline = raw::baseline::run(target, &db.url, &people, &groups, now).await;
    db.remove().await;
    let baseline = baseline?;
    let rate = ROWS as f64 / import.as_secs_f64();
    let ratio = baseline.as_secs_f64() / import.as_secs_f64();
    let goal = match target {
        Target::Sqlite => 50_000.0,
        Target::Postgres(_) => 40_000.0,
    };
    println!(
        "{}: {ROWS} rows imported in {:.2} s = {rate:.0} rows/s (goal ≥ {goal:.0}: {}); raw baseline {:.2} s, ratio {ratio:.2} (goal ≥ 0.2: {})",
        target.label(),
        import.as_secs_f64(),
        verdict(rate >= goal),
        baseline.as_secs_f64(),
        verdict(ratio >= 0.2),
    );
    Ok(())
}

async fn rss(hasher: &Argon2Hasher) -> Result<(), String> {
    // Linux: writing 5 to clear_refs resets the peak RSS the kernel reports (VmHWM), so the
    // figure is the import's, not an earlier part's.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = vm_kib("VmHWM");
    let (time, latency) =
        import(&Target::Sqlite, hasher, RSS_ROWS, false, Some(PROBE_WINDOW)).await?;
    let peak = vm_kib("VmHWM");
    println!(
        "SQLite: {RSS_ROWS} rows imported in {:.1} s ({:.0} rows/s); peak RSS {:.0} MB (before {:.0} MB{}; goal ≤ 150 MB: {})",
        time.as_secs_f64(),
        RSS_ROWS as f64 / time.as_secs_f64(),
        peak as f64 / 1024.0,
        before as f64 / 1024.0,
        if reset {
            ", peak reset"
        } else {
            ", peak NOT reset"
        },
        verdict(peak <= 150 * 1024),
    );
    println!("  meanwhile: {}", latency.unwrap_or_default());
    Ok(())
}

async fn hashing(hasher: &Argon2Hasher) -> Result<(), String> {
    // The rate alone first: the probe's requests take CPU from the hashing too.
    let (time, _) = import(&Target::Sqlite, hasher, PASSWORD_ROWS, true, None).await?;
    let rate = PASSWORD_ROWS as f64 / time.as_secs_f64();
    let workers = hasher.workers();
    let params = hasher.params();
    let raw =
        tokio::task::spawn_blocking(move || argon2_rate(params, workers, Duration::from_secs(5)))
            .await
            .map_err(|e| e.to_string())?;
    let ratio = rate / raw;
    println!(
        "SQLite: {PASSWORD_ROWS} rows with passwords in {:.2} s = {rate:.1} hashes/s; raw argon2 on {workers} threads {raw:.1}/s; ratio {ratio:.2} (goal ≥ 0.9: {})",
        time.as_secs_f64(),
        verdict(ratio >= 0.9),
    );
    let (time, latency) = import(
        &Target::Sqlite,
        hasher,
        PASSWORD_ROWS,
        true,
        Some(PROBE_WINDOW),
    )
    .await?;
    println!(
        "  again with requests: {:.2} s; {}",
        time.as_secs_f64(),
        latency.unwrap_or_default()
    );
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "goal met" } else { "GOAL MISSED" }
}

/// A `Vm*` line of /proc/self/status, in KiB (0 where there is none).
fn vm_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
