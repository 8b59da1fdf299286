//! Request latency while an import runs (C9: hashing never blocks request handling): the
//! real routes over the import's database on this process's runtime, and the HTTP bench's
//! load generator (compiled in as it is) sending `GET /api/v1/users?limit=50` as the owner
//! on four keep-alive connections from its own thread.

#[allow(dead_code)]
#[path = "../http/load.rs"]
mod load;

use hyper::StatusCode;
use load::{Call, Outcome, Shape};
use poem::Server;
use poem::listener::TcpAcceptor;
use roster_app_http::{Adapters, HttpConfig, Roster, SystemClock, routes};
use roster_infra_crypto::{Argon2Hasher, OsTokenGenerator};
use roster_infra_db::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Requests measured while an import runs.
pub struct Probe(JoinHandle<Result<Outcome, String>>);

/// Serves the routes over `store`, logs the owner in, and starts the load: half a second of
/// warm-up, then `measure`.
pub async fn start(
    store: &Store,
    hasher: &Argon2Hasher,
    measure: Duration,
) -> Result<Probe, String> {
    let adapters = Adapters::over_store(
        store.clone(),
        Arc::new(hasher.clone()),
        Arc::new(OsTokenGenerator),
        Arc::new(SystemClock),
    );
    let addr = serve(routes(Roster::new(adapters, HttpConfig::default()))).await?;
    let login = Call::post_json(
        "/api/v1/auth/login",
        r#"{"login_id":"owner","password":"Owner-Pass-1234!"}"#.to_owned(),
    );
    let (status, body) = tokio::task::spawn_blocking(move || load::once(addr, &login))
        .await
        .map_err(|e| e.to_string())??;
    if status != StatusCode::OK {
        return Err(format!("the probe's login answered {status}"));
    }
    let body: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let token = body["token"].as_str().unwrap_or_default().to_owned();
    let call = Call::get("/api/v1/users?limit=50", Some(&token));
    let shape = Shape {
        connections: 4,
        warmup: Duration::from_millis(500),
        measure,
    };
    Ok(Probe(std::thread::spawn(move || {
        load::run(addr, &call, StatusCode::OK, shape)
    })))
}

impl Probe {
    /// Waits for the window to end; "p99 … ms over N requests (goal ≤ 50 ms: …)".
    pub async fn finish(self) -> Result<String, String> {
        let outcome = tokio::task::spawn_blocking(move || self.0.join())
            .await
            .map_err(|e| e.to_string())?
            .map_err(|_| "the probe thread panicked".to_owned())??;
        let p99 = outcome.quantile(0.99);
        Ok(format!(
            "request p99 {:.1} ms over {} requests, {} failed (goal ≤ 50 ms: {})",
            p99.as_secs_f64() * 1000.0,
            outcome.latencies_us.len(),
            outcome.failures,
            crate::verdict(p99 <= Duration::from_millis(50) && outcome.failures == 0),
        ))
    }
}

/// Serves `app` on a free loopback port until the runtime stops.
async fn serve(app: impl poem::Endpoint + 'static) -> Result<SocketAddr, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let acceptor = TcpAcceptor::from_tokio(listener).map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        if let Err(error) = Server::new_with_acceptor(acceptor).run(app).await {
            eprintln!("the probe's server stopped: {error}");
        }
    });
    Ok(addr)
}
