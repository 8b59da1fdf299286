//! Building the service from the configuration: the store, the hasher, the services.

use super::config::Config;
use chrono::Duration;
use roster_app_http::{Adapters, ClientAddress, HttpConfig, Roster, SystemClock};
use roster_domain::registration::{SessionPolicy, ThrottlePolicy, TokenLifetimes};
use roster_domain::services::joining::JoiningConfig;
use roster_domain::services::{ImportConfig, SessionConfig};
use roster_infra_crypto::{Argon2Hasher, HasherConfig, OsTokenGenerator};
use roster_infra_db::Store;
use std::sync::Arc;

/// Opens the database and applies pending migrations (O4: migrations on start).
pub async fn open_store(config: &Config) -> Result<Store, String> {
    Store::open(&config.database_url)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

/// `roster migrate`.
pub async fn migrate(config: &Config) -> Result<(), String> {
    let store = open_store(config).await?;
    store.close().await.map_err(|e| e.to_string())?;
    println!("migrations applied");
    Ok(())
}

/// The production hasher (argon2id m=19456, t=2, p=1) with the configured pool size.
pub fn hasher(config: &Config) -> Argon2Hasher {
    let mut hasher = HasherConfig::production();
    if let Some(workers) = config.hash_workers {
        hasher.workers = workers;
    }
    if let Some(queue) = config.hash_queue {
        hasher.queue_capacity = queue;
    }
    Argon2Hasher::new(hasher)
}

/// Every service over `store`.
pub fn roster(config: &Config, store: Store, hasher: Argon2Hasher) -> Result<Roster, String> {
    let policy = SessionPolicy::new(
        Duration::minutes(i64::from(config.session_idle_minutes)),
        Duration::minutes(i64::from(config.session_absolute_minutes)),
    )
    .map_err(|e| format!("session_idle_minutes / session_absolute_minutes: {e}"))?;
    // S2: the default dummy hash (verified for unknown login IDs) is made with the
    // production parameters, which is what `hasher` uses: the costs match.
    let session = SessionConfig {
        policy,
        per_login_id: ThrottlePolicy {
            max_failures: config.login_failures_per_login_id,
            ..ThrottlePolicy::per_login_id()
        },
        per_address: ThrottlePolicy {
            max_failures: config.login_failures_per_address,
            ..ThrottlePolicy::per_address()
        },
        ..SessionConfig::default()
    };
    let imports = import_config(config, &hasher);
    let lifetimes = TokenLifetimes::new(
        Duration::days(i64::from(config.activation_link_days)),
        Duration::days(i64::from(config.invitation_link_days)),
        Duration::minutes(i64::from(config.reset_link_minutes)),
    )
    .map_err(|e| {
        format!("activation_link_days / invitation_link_days / reset_link_minutes: {e}")
    })?;
    // A8: every mailed link, and the registration URLs, under ROSTER_PUBLIC_URL.
    let joining = JoiningConfig {
        lifetimes,
        per_address: session.per_address,
        ..JoiningConfig::new(&config.public_url, "Roster")
    };
    let adapters = Adapters::over_store(
        store,
        Arc::new(hasher),
        Arc::new(OsTokenGenerator),
        Arc::new(SystemClock),
    );
    let client_address = if config.trust_forwarded_for {
        ClientAddress::ForwardedFor
    } else {
        ClientAddress::Peer
    };
    Ok(Roster::new(
        adapters,
        HttpConfig {
            session,
            client_address,
            body_limit: config.body_limit_bytes,
            base_path: String::new(),
            import_limit: config.import_limit_bytes,
            imports,
            joining,
        },
    ))
}

/// How imports run (C5, C9): twice as many passwords in flight as the hasher has threads,
/// so every core stays busy while a batch's last hashes finish, yet the import queues only
/// one batch ahead in the hasher's bounded queue and a login waits behind at most that; and
/// invitation links under the public URL.
pub fn import_config(config: &Config, hasher: &Argon2Hasher) -> ImportConfig {
    ImportConfig {
        hash_concurrency: 2 * hasher.workers(),
        invite_link_base: format!("{}/invite/", config.public_url.trim_end_matches('/')),
        ..ImportConfig::default()
    }
}
