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

mod bulk;
mod fresh;
mod integrate;

use fresh::Target;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let targets = Target::configured();
    for target in &targets {
        println!("== {}", target.label());
        let measured = match bulk::run(target).await {
            Ok(()) => integrate::run(target).await,
            Err(error) => Err(error),
        };
        if let Err(error) = measured {
            eprintln!("storage bench failed on {}: {error}", target.label());
            std::process::exit(1);
        }
    }
}
