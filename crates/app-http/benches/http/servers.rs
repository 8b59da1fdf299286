//! The two servers under load, both in this process on the same tokio runtime and served the
//! same way (poem `Server` on a free loopback port): Roster's real routes over a SQLite file
//! (WAL) with the production hasher, and a bare poem endpoint answering "hello".

use crate::seed;
use poem::listener::TcpAcceptor;
use poem::{EndpointExt, Route, Server, get, handler};
use roster_app_http::{Adapters, HttpConfig, Roster, SystemClock, routes};
use roster_domain::services::SessionConfig;
use roster_infra_crypto::{Argon2Hasher, HasherConfig, OsTokenGenerator};
use roster_infra_db::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// The running servers and the folder of the database.
#[derive(Debug)]
pub struct Servers {
    /// `GET /hello`.
    pub hello: SocketAddr,
    /// Roster's routes.
    pub roster: SocketAddr,
    /// The hasher's worker threads.
    pub hash_workers: usize,
    /// Holds the database until the benchmark ends.
    _folder: tempfile::TempDir,
}

#[handler]
fn say_hello() -> &'static str {
    "hello"
}

/// Creates and seeds the database, then starts both servers on the current runtime.
pub async fn start() -> Result<Servers, String> {
    let folder = tempfile::Builder::new()
        .prefix("roster_bench_http")
        .tempdir()
        .map_err(|e| format!("cannot create the temporary folder: {e}"))?;
    let url = format!(
        "sqlite://{}/roster.sqlite?mode=rwc",
        folder.path().display()
    );
    let store = Store::open(&url)
        .await
        .map_err(|e| format!("cannot open and migrate the store: {e}"))?;
    let hasher = Argon2Hasher::new(HasherConfig::production());
    let hash_workers = hasher.workers();

    let started = Instant::now();
    seed::seed(&store, &hasher).await?;
    println!(
        "seeded {} users in {:.1} s (not timed)",
        seed::USERS + 2,
        started.elapsed().as_secs_f64()
    );

    // As the `roster` binary wires it: production hasher, default sessions and throttling
    // (whose dummy hash is made at the production cost, which this hasher uses).
    let config = HttpConfig {
        session: SessionConfig::default(),
        ..HttpConfig::default()
    };
    let adapters = Adapters::over_store(
        store,
        Arc::new(hasher),
        Arc::new(OsTokenGenerator),
        Arc::new(SystemClock),
    );
    let roster = serve(routes(Roster::new(adapters, config))).await?;
    let hello = serve(Route::new().at("/hello", get(say_hello)).boxed()).await?;
    Ok(Servers {
        hello,
        roster,
        hash_workers,
        _folder: folder,
    })
}

/// Serves `app` on a free loopback port until the runtime stops.
async fn serve(app: impl poem::Endpoint + 'static) -> Result<SocketAddr, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("no local address: {e}"))?;
    let acceptor =
        TcpAcceptor::from_tokio(listener).map_err(|e| format!("cannot accept on {addr}: {e}"))?;
    tokio::spawn(async move {
        if let Err(error) = Server::new_with_acceptor(acceptor).run(app).await {
            eprintln!("the server on {addr} stopped: {error}");
        }
    });
    Ok(addr)
}
