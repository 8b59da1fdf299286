//! U9: the owner account at first start, for `roster init` and `roster serve`.

use super::config::Config;
use super::wiring;
use roster_app_http::SystemClock;
use roster_domain::ports::password::PlainPassword;
use roster_domain::services::{BootstrapOutcome, OwnerConfig, ensure_owner};
use roster_domain::user::{DisplayName, LoginId};
use roster_infra_crypto::{Argon2Hasher, OsTokenGenerator};
use roster_infra_db::Store;
use std::io::BufRead;

/// `roster init`: creates the owner unless one exists.
pub async fn init(mut config: Config, password_stdin: bool) -> Result<(), String> {
    if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            return Err("standard input held no password".to_owned());
        }
        config.owner_password = Some(password);
    }
    let store = wiring::open_store(&config).await?;
    let hasher = wiring::hasher(&config);
    ensure(&config, &store, &hasher).await
}

/// Creates the owner unless one exists; prints a generated password once, on standard
/// output (never to the logs).
pub async fn ensure(config: &Config, store: &Store, hasher: &Argon2Hasher) -> Result<(), String> {
    let login_id = LoginId::parse(&config.owner_login_id)
        .map_err(|e| format!("ROSTER_OWNER_LOGIN_ID: {e}"))?;
    let name = DisplayName::parse("Owner").map_err(|e| e.to_string())?;
    let owner = OwnerConfig {
        login_id,
        name,
        password: config.owner_password.clone().map(PlainPassword::new),
    };
    let outcome = ensure_owner(store, hasher, &OsTokenGenerator, &SystemClock, owner)
        .await
        .map_err(|e| format!("cannot create the owner: {e}"))?;
    match outcome {
        BootstrapOutcome::AlreadyExists => {}
        BootstrapOutcome::Created {
            owner,
            generated_password,
        } => {
            tracing::info!(login_id = owner.login_id.as_str(), "owner account created");
            if let Some(password) = generated_password {
                println!(
                    "Created the owner account `{}` with the password below. It is shown only \
                     this once; log in and change it.\n\n    {}\n",
                    owner.login_id.as_str(),
                    password.expose()
                );
            }
        }
    }
    Ok(())
}
