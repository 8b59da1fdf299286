//! `roster serve`: migrate, ensure the owner, run the background jobs (mail delivery M4,
//! clean-ups), serve until a shutdown signal, then let requests in flight and the job round
//! in progress finish (O4).

use super::config::Config;
use super::{jobs, owner, wiring};
use poem::Server;
use poem::listener::TcpListener;
use std::time::Duration;
use tokio::sync::watch;

/// How long requests in flight may take to finish after a shutdown signal.
const GRACE: Duration = Duration::from_secs(30);

/// Runs the service.
pub async fn run(config: Config) -> Result<(), String> {
    let store = wiring::open_store(&config).await?;
    let hasher = wiring::hasher(&config);
    owner::ensure(&config, &store, &hasher).await?;
    let runner = jobs::runner(&config, &store)?;
    let roster = wiring::roster(&config, store, hasher)?;
    let app = roster_app_http::routes(roster);
    let (stop, stopped) = watch::channel(false);
    let tick = Duration::from_secs(u64::from(config.mail_interval_seconds));
    let worker = jobs::spawn(runner, tick, stopped);
    tracing::info!(listen = %config.listen, "serving; API docs at /docs");
    let served = Server::new(TcpListener::bind(config.listen.clone()))
        .run_with_graceful_shutdown(app, shutdown_signal(), Some(GRACE))
        .await
        .map_err(|e| format!("cannot serve on {}: {e}", config.listen));
    // The jobs stop after the requests: a round in progress finishes (its mails settle).
    let _ = stop.send(true);
    let _ = worker.await;
    served
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down; letting requests in flight finish");
}
