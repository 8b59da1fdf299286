//! The `roster` binary (O1): `serve`, `migrate`, `init`, each explained by `--help`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
