//! `cargo xtask bench <name>`: runs a benchmark in release mode and prints its figures.
//! Figures and the commands that produced them are recorded in docs/performance.md.

use crate::run::{cargo, status};

/// The benchmarks there are.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Bench {
    /// One authorization decision on a 10,000-group DAG (goal: median ≤ 1 µs).
    Authz,
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
    }
}
