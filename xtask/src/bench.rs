//! `cargo xtask bench <name>`: runs a benchmark in release mode and prints its figures.
//! Figures and the commands that produced them are recorded in docs/performance.md.

use crate::run::{cargo, status};

/// The benchmarks there are.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Bench {
    /// One authorization decision on a 10,000-group DAG (goal: median ≤ 1 µs).
    Authz,
    /// Storage (issue 3): bulk registration against a raw baseline, integrate and cancel of
    /// 100k score rows, on SQLite and (when its URL is set) PostgreSQL.
    Storage,
    /// HTTP (issue 4), on loopback with the production hasher over 100k users: a bare poem
    /// hello (the baseline); `GET /api/v1/users?limit=50` as the owner (goal ≥ 0.15 × hello's
    /// requests per second); logins with a correct password (goal ≥ 0.9 × the raw argon2 rate
    /// of all cores); the list's p99 while a login storm runs (goal ≤ 50 ms).
    Http,
    /// CSV import (issue 6): 100k rows through the whole import path on SQLite and (when its
    /// URL is set) PostgreSQL beside the storage bench's raw baseline (goals ≥ 50k / 40k
    /// rows/s, ratio ≥ 0.2); peak RSS at 1M rows (goal ≤ 150 MB); 2,000 rows with passwords
    /// against the raw argon2 rate of all cores (goal ≥ 0.9×).
    Import,
    /// Integration (issue 7): integrate and cancel through the API an account with 100k
    /// scores, 1k badges and 50k access-log rows (goal: ≤ 1 s each), on SQLite and (when
    /// `ROSTER_TEST_POSTGRES_URL` is set) PostgreSQL.
    Integration,
}

/// Runs the benchmark.
pub fn run(bench: Bench) -> Result<(), String> {
    match bench {
        Bench::Authz => {
            let mut cmd = cargo();
            cmd.args([
                "bench",
                "-p",
                "roster-domain",
                "--bench",
                "authz",
                "--locked",
            ]);
            status(cmd)
        }
        Bench::Storage => {
            let mut cmd = cargo();
            cmd.args([
                "bench",
                "-p",
                "roster-infra-db",
                "--bench",
                "storage",
                "--locked",
            ]);
            status(cmd)
        }
        Bench::Http => {
            let mut cmd = cargo();
            cmd.args([
                "bench",
                "-p",
                "roster-app-http",
                "--bench",
                "http",
                "--locked",
            ]);
            status(cmd)
        }
        Bench::Import => {
            let mut cmd = cargo();
            cmd.args([
                "bench",
                "-p",
                "roster-app-http",
                "--bench",
                "import",
                "--locked",
            ]);
            status(cmd)
        }
        Bench::Integration => {
            let mut cmd = cargo();
            cmd.args([
                "bench",
                "-p",
                "roster-app-http",
                "--bench",
                "integration",
                "--locked",
            ]);
            status(cmd)
        }
    }
}
