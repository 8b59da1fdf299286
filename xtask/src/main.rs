//! `cargo xtask`: the project's chores in Rust, so they run the same on a developer machine
//! and in CI with nothing but cargo installed.

mod bench;
mod ci;
mod run;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Roster's project chores")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every check CI makes: formatting, clippy, the domain's dependency rule, all tests.
    Ci,
    /// Only the tests (nextest when installed, otherwise cargo test; doctests too).
    Test,
    /// Fails when roster-domain depends on an IO or adapter crate.
    DomainDeps,
    /// Writes docs/openapi.json from the code (the document /openapi.json serves).
    Openapi,
    /// Runs a benchmark and prints its figures (see docs/performance.md).
    Bench {
        /// Which benchmark.
        #[arg(value_enum)]
        name: bench::Bench,
    },
}

/// Regenerates `docs/openapi.json` through `roster openapi`; a test fails when it drifts.
fn openapi() -> Result<(), String> {
    let mut cmd = run::cargo();
    cmd.args([
        "run",
        "-q",
        "--locked",
        "-p",
        "roster-app-http",
        "--bin",
        "roster",
        "--",
        "openapi",
    ]);
    let document = run::output(cmd)?;
    let path = run::root().join("docs/openapi.json");
    std::fs::write(&path, document).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ci => ci::all(),
        Command::Test => ci::tests(),
        Command::DomainDeps => ci::domain_deps(),
        Command::Openapi => openapi(),
        Command::Bench { name } => bench::run(name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
