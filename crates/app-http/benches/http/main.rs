//! `cargo xtask bench http`: the HTTP goals of the users API issue, measured in one run on
//! loopback, every phase bounded in time.
//!
//! - hello: a bare poem endpoint, the baseline;
//! - list: `GET /api/v1/users?limit=50` as the owner, over 100k users (goal: ≥ 0.15 × hello's
//!   requests per second);
//! - login: `POST /api/v1/auth/login` with a correct password (goal: ≥ 0.9 × the raw argon2
//!   rate of all cores, measured next with `argon2_rate`);
//! - list while a login storm runs (goal: list p99 ≤ 50 ms; C9: hashing never blocks request
//!   handling), under the list phase's 32 connections and under a light browse of 4.
//!
//! Server and load generator share this process and the machine's cores; figures go to
//! `docs/performance.md`. `ROSTER_BENCH_SECONDS` sets the measured window of each phase
//! (5 by default; each has a 1 s warm-up before it).

mod load;
mod seed;
mod servers;

use hyper::StatusCode;
use load::{Call, Outcome, Shape};
use roster_infra_crypto::{Argon2Params, argon2_rate};
use std::net::SocketAddr;
use std::time::Duration;

/// Connections of the hello and list loads.
const CONNECTIONS: usize = 32;
/// Login connections per hash worker: enough to keep every worker busy with a job queued.
const LOGINS_PER_WORKER: usize = 4;
/// Connections of the light browse measured alone and during the login storm.
const LIGHT_CONNECTIONS: usize = 4;
const WARMUP: Duration = Duration::from_secs(1);

const LIST_VS_HELLO: f64 = 0.15;
const LOGIN_VS_ARGON2: f64 = 0.9;
const LIST_P99_IN_STORM: Duration = Duration::from_millis(50);

fn main() {
    if let Err(error) = run() {
        eprintln!("http bench failed: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let measure = Duration::from_secs(
        std::env::var("ROSTER_BENCH_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5),
    );
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    // The servers' runtime: tokio's default multi-threaded one, a worker per core.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    let servers = runtime.block_on(servers::start())?;
    println!(
        "{cores} cores; server runtime {cores} workers, {} hash workers; each phase {} s after a {} s warm-up",
        servers.hash_workers,
        measure.as_secs(),
        WARMUP.as_secs()
    );
    let shape = Shape {
        connections: CONNECTIONS,
        warmup: WARMUP,
        measure,
    };
    let login_shape = Shape {
        connections: LOGINS_PER_WORKER * servers.hash_workers,
        ..shape
    };

    let owner = token(servers.roster, seed::OWNER, seed::OWNER_PASSWORD)?;
    let list = Call::get("/api/v1/users?limit=50", Some(&owner));
    let login = login_call(seed::RUNNER, seed::RUNNER_PASSWORD);

    let hello = load::run(
        servers.hello,
        &Call::get("/hello", None),
        StatusCode::OK,
        shape,
    )?;
    report("hello", &hello, shape.connections);
    let listed = load::run(servers.roster, &list, StatusCode::OK, shape)?;
    report("list", &listed, shape.connections);
    goal("list / hello", listed.rps() / hello.rps(), LIST_VS_HELLO);

    let logins = load::run(servers.roster, &login, StatusCode::OK, login_shape)?;
    report("login", &logins, login_shape.connections);
    let argon2 = argon2_rate(Argon2Params::PRODUCTION, cores, measure);
    println!("argon2 raw    {argon2:>8.1} hashes/s on {cores} threads");
    goal("login / argon2", logins.rps() / argon2, LOGIN_VS_ARGON2);

    // The storm twice: under the list phase's 32 connections (closed loop, so its p99 is
    // bound to follow the list's share of the cores), and under a light browse of a few
    // connections, measured quiet first, where the storm's own effect shows.
    let light = Shape {
        connections: LIGHT_CONNECTIONS,
        ..shape
    };
    let quiet = load::run(servers.roster, &list, StatusCode::OK, light)?;
    report("list, light", &quiet, light.connections);
    for list_shape in [shape, light] {
        let (listed, logins) = storm(servers.roster, &list, &login, list_shape, login_shape)?;
        report("storm list", &listed, list_shape.connections);
        report("storm login", &logins, login_shape.connections);
        let p99 = listed.quantile(0.99);
        println!(
            "goal: list p99 during the login storm, {} list connections = {:.1} ms (goal ≤ {} ms): {}",
            list_shape.connections,
            millis(p99),
            LIST_P99_IN_STORM.as_millis(),
            verdict(p99 <= LIST_P99_IN_STORM)
        );
    }

    runtime.shutdown_timeout(Duration::from_secs(1));
    drop(servers);
    Ok(())
}

/// Lists under `list_shape` while logins run under `login_shape` (two generators at once,
/// the logins started a warm-up earlier so the hasher is saturated when the list is measured;
/// both windows coincide).
fn storm(
    addr: SocketAddr,
    list: &Call,
    login: &Call,
    list_shape: Shape,
    login_shape: Shape,
) -> Result<(Outcome, Outcome), String> {
    std::thread::scope(|scope| {
        let logins = scope.spawn(|| {
            load::run(
                addr,
                login,
                StatusCode::OK,
                Shape {
                    warmup: login_shape.warmup + list_shape.warmup,
                    ..login_shape
                },
            )
        });
        std::thread::sleep(login_shape.warmup);
        let listed = load::run(addr, list, StatusCode::OK, list_shape);
        let logins = logins
            .join()
            .map_err(|_| "the login storm panicked".to_owned())
            .and_then(|outcome| outcome);
        Ok((listed?, logins?))
    })
}

fn login_call(login_id: &str, password: &str) -> Call {
    let body = serde_json::json!({ "login_id": login_id, "password": password });
    Call::post_json("/api/v1/auth/login", body.to_string())
}

/// Logs in once: the session token.
fn token(addr: SocketAddr, login_id: &str, password: &str) -> Result<String, String> {
    let (status, body) = load::once(addr, &login_call(login_id, password))?;
    if status != StatusCode::OK {
        return Err(format!(
            "login as {login_id} answered {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    }
    let body: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("login answer: {e}"))?;
    body["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "no token in the login answer".to_owned())
}

fn report(name: &str, outcome: &Outcome, connections: usize) {
    println!(
        "{name:<13} {:>8.1} rps  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  ({connections} connections, {} answers{})",
        outcome.rps(),
        millis(outcome.quantile(0.5)),
        millis(outcome.quantile(0.99)),
        millis(outcome.quantile(1.0)),
        outcome.latencies_us.len(),
        if outcome.failures > 0 {
            format!(", {} UNEXPECTED STATUSES", outcome.failures)
        } else {
            String::new()
        }
    );
}

fn goal(name: &str, ratio: f64, target: f64) {
    println!(
        "goal: {name} = {ratio:.3} (goal ≥ {target}): {}",
        verdict(ratio >= target)
    );
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
