//! `cargo xtask bench storage`: the storage goals of the storage issue, measured in one run.
//!
//! - bulk: 100k users + 200k memberships through the adapter's bulk path (the CSV import
//!   sink) and the same rows through a raw baseline, with the ratio (baseline time / adapter
//!   time; goals ≥ 0.2 on SQLite, ≥ 0.3 on PostgreSQL);
//! - integrate / cancel of an integration moving 100k score rows (goal ≤ 1 s each).
//!
//! SQLite always runs (a file in a temporary folder); PostgreSQL runs when
//! `ROSTER_BENCH_POSTGRES_URL` (or else `ROSTER_TEST_POSTGRES_URL`) is set. Each part gets a
//! fresh database. Figures go to `docs/performance.md`.
//!
//! `ROSTER_BENCH_ONLY=bulk` or `ROSTER_BENCH_ONLY=integrate` runs only that part (for
//! iterating); unset, everything runs.

mod bulk;
mod fresh;
mod integrate;

use fresh::Target;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let targets = Target::configured();
    let only = std::env::var("ROSTER_BENCH_ONLY").unwrap_or_default();
    let (bulk, integrate) = match only.as_str() {
        "bulk" => (true, false),
        "integrate" => (false, true),
        _ => (true, true),
    };
    for target in &targets {
        println!("== {}", target.label());
        let mut measured = Ok(());
        if bulk {
            measured = bulk::run(target).await;
        }
        if integrate && measured.is_ok() {
            measured = integrate::run(target).await;
        }
        if let Err(error) = measured {
            eprintln!("storage bench failed on {}: {error}", target.label());
            std::process::exit(1);
        }
    }
}
