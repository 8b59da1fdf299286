//! The command line: parsing (clap), configuration (O2) and the subcommands.

mod config;
mod csv;
mod jobs;
mod logging;
mod owner;
mod serve;
mod wiring;

use clap::{Parser, Subcommand};
use config::{Config, ConfigError, Layer};
use std::path::PathBuf;
use std::process::ExitCode;

/// Roster: user management for an e-learning platform.
///
/// Configuration comes from defaults that need nothing (SQLite file `roster.db` in the
/// working directory, 127.0.0.1:8080, mail to ./outbox), then a TOML file (`--config` or
/// ROSTER_CONFIG), then ROSTER_* environment variables (ROSTER_DATABASE_URL, ROSTER_LISTEN,
/// ROSTER_PUBLIC_URL, ROSTER_OWNER_LOGIN_ID, ROSTER_OWNER_PASSWORD, ROSTER_MAIL_OUTBOX,
/// ROSTER_SMTP_URL, …; docs/operations.md lists them all).
#[derive(Debug, Parser)]
#[command(name = "roster", version)]
struct Cli {
    /// A TOML configuration file (also ROSTER_CONFIG).
    #[arg(long, global = true, env = "ROSTER_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service: applies pending migrations, creates the owner on an empty
    /// database (printing a generated password once when none is configured), then serves
    /// the API, /openapi.json and /docs until SIGINT or SIGTERM, letting requests in flight
    /// finish.
    Serve {
        /// host:port to listen on (overrides ROSTER_LISTEN).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the owner account unless one exists (U9), then exit. The password comes from
    /// ROSTER_OWNER_PASSWORD, from standard input with --password-stdin, or is generated and
    /// printed once.
    Init {
        /// Read the owner's password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print the OpenAPI document of the HTTP API (what /openapi.json serves) and exit.
    Openapi,
    /// Scheduled jobs (O5): expiry purge, stale applications, expired links and sessions,
    /// the mail queue.
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Import users from a CSV file (C1–C6, C8): columns by header (login_id, name, email,
    /// password or password_hash, groups, status, expires_at, custom fields), UTF-8 with or
    /// without BOM or Shift_JIS. Every row is checked first; by default any error means
    /// nothing is written. Prints every problem by line and column; exits 1 on any.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// create (a known login ID is an error), update (an unknown one is) or upsert.
        #[arg(long, value_enum, default_value_t = ModeArg::Create)]
        mode: ModeArg,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even when others have errors.
        #[arg(long)]
        skip_invalid: bool,
        /// Invite created users that have an email and no password (C5).
        #[arg(long)]
        invite: bool,
        /// utf-8 or shift_jis; detected when not given.
        #[arg(long)]
        encoding: Option<String>,
        /// Act as this user (its privileges and scope apply); the owner by default.
        #[arg(long = "as", value_name = "LOGIN_ID")]
        acting_as: Option<String>,
    },
    /// Export users as CSV (C7) to standard output or --output, in the import's format.
    Export {
        /// utf-8-bom (default), utf-8 or shift_jis.
        #[arg(long, default_value = "utf-8-bom")]
        encoding: String,
        /// Only users whose login ID, name or email contains this text.
        #[arg(long)]
        q: Option<String>,
        /// Only members of this group (id) or of a group below it.
        #[arg(long)]
        group_id: Option<uuid::Uuid>,
        /// Only users with this status (valid, invalid, pending).
        #[arg(long)]
        status: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Act as this user (only its scope is exported); the owner by default.
        #[arg(long = "as", value_name = "LOGIN_ID")]
        acting_as: Option<String>,
    },
}

/// What `roster jobs` does.
#[derive(Debug, Subcommand)]
enum JobsAction {
    /// Run every due job once (claimed as `serve` claims them, so a job another instance is
    /// running is skipped), print a line per job, and exit non-zero if any failed.
    Run,
}

/// The import modes on the command line (C3).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ModeArg {
    Create,
    Update,
    Upsert,
}

impl From<ModeArg> for roster_domain::csv::ImportMode {
    fn from(m: ModeArg) -> Self {
        match m {
            ModeArg::Create => Self::Create,
            ModeArg::Update => Self::Update,
            ModeArg::Upsert => Self::Upsert,
        }
    }
}

/// Parses the command line, runs the command, and turns failure into a message and a
/// non-zero exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Openapi) {
        println!("{}", roster_app_http::openapi_json());
        return ExitCode::SUCCESS;
    }
    let config = match load_config(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("roster: {e}");
            return ExitCode::from(2);
        }
    };
    logging::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("roster: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { listen } => {
                let mut config = config;
                if let Some(listen) = listen {
                    config.listen = listen;
                }
                serve::run(config).await
            }
            Command::Migrate => wiring::migrate(&config).await,
            Command::Init { password_stdin } => owner::init(config, password_stdin).await,
            Command::Openapi => Ok(()),
            Command::Jobs {
                action: JobsAction::Run,
            } => jobs::run_once(&config).await,
            Command::Import {
                file,
                mode,
                dry_run,
                skip_invalid,
                invite,
                encoding,
                acting_as,
            } => {
                let encoding = encoding
                    .map(|e| e.parse())
                    .transpose()
                    .map_err(|e: roster_infra_csv::UnknownEncoding| e.to_string())?;
                let args = csv::ImportArgs {
                    file,
                    mode: mode.into(),
                    dry_run,
                    skip_invalid,
                    invite,
                    encoding,
                    acting_as,
                };
                csv::import(&config, args).await
            }
            Command::Export {
                encoding,
                q,
                group_id,
                status,
                output,
                acting_as,
            } => {
                let encoding = encoding
                    .parse()
                    .map_err(|e: roster_infra_csv::UnknownEncoding| e.to_string())?;
                let args = csv::ExportArgs {
                    encoding,
                    q,
                    group_id,
                    status,
                    output,
                    acting_as,
                };
                csv::export(&config, args).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("roster: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(file: Option<&std::path::Path>) -> Result<Config, ConfigError> {
    let file = match file {
        Some(path) => Layer::from_file(path)?,
        None => Layer::default(),
    };
    let env = Layer::from_env(|name| std::env::var(name).ok())?;
    file.under(env).resolve()
}
