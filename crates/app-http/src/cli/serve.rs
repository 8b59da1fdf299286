//! `roster serve`: migrate, ensure the owner, serve until a shutdown signal, then let
//! requests in flight finish (O4).

use super::config::Config;
use super::{owner, wiring};
use poem::Server;
use poem::listener::TcpListener;
use std::time::Duration;

/// How long requests in flight may take to finish after a shutdown signal.
const GRACE: Duration = Duration::from_secs(30);

/// Runs the service.
pub async fn run(config: Config) -> Result<(), String> {
    let store = wiring::open_store(&config).await?;
    let hasher = wiring::hasher(&config);
    owner::ensure(&config, &store, &hasher).await?;
    let roster = wiring::roster(&config, store, hasher)?;
    let app = roster_app_http::routes(roster);
    tracing::info!(listen = %config.listen, "serving; API docs at /docs");
    Server::new(TcpListener::bind(config.listen.clone()))
        .run_with_graceful_shutdown(app, shutdown_signal(), Some(GRACE))
        .await
        .map_err(|e| format!("cannot serve on {}: {e}", config.listen))
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
