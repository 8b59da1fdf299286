//! The load generator: N keep-alive HTTP/1.1 connections on loopback, each sending one
//! request after another (closed loop) on one single-threaded tokio runtime, so the generator
//! takes as little of the two cores from the server as it can. Every request's latency is
//! kept; the phase is bounded in time (a warm-up, then the measured window).

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::{Method, Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// One kind of request, sent again and again.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    /// `Authorization: Bearer …` when set.
    pub bearer: Option<String>,
    /// A JSON body when set.
    pub json: Option<Bytes>,
}

impl Call {
    /// `GET path`.
    pub fn get(path: &str, bearer: Option<&str>) -> Self {
        Self {
            method: Method::GET,
            path: path.to_owned(),
            bearer: bearer.map(str::to_owned),
            json: None,
        }
    }

    /// `POST path` with a JSON body.
    pub fn post_json(path: &str, json: String) -> Self {
        Self {
            method: Method::POST,
            path: path.to_owned(),
            bearer: None,
            json: Some(Bytes::from(json)),
        }
    }

    fn request(&self, host: &str) -> Result<Request<Full<Bytes>>, String> {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(self.path.as_str())
            .header(header::HOST, host);
        if let Some(token) = &self.bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match &self.json {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                json.clone()
            }
            None => Bytes::new(),
        };
        builder.body(Full::new(body)).map_err(|e| e.to_string())
    }
}

/// How a phase runs.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub connections: usize,
    pub warmup: Duration,
    pub measure: Duration,
}

/// What a phase measured.
#[derive(Debug)]
pub struct Outcome {
    /// Latencies of the answers with the expected status completed inside the window, in
    /// microseconds, sorted.
    pub latencies_us: Vec<u32>,
    /// Answers with another status inside the window.
    pub failures: usize,
    pub window: Duration,
}

impl Outcome {
    /// Expected answers per second.
    pub fn rps(&self) -> f64 {
        self.latencies_us.len() as f64 / self.window.as_secs_f64()
    }

    /// The `q` quantile (0–1) of the latencies.
    pub fn quantile(&self, q: f64) -> Duration {
        let n = self.latencies_us.len();
        if n == 0 {
            return Duration::ZERO;
        }
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        Duration::from_micros(self.latencies_us.get(rank - 1).copied().unwrap_or(0).into())
    }
}

/// Sends `call` to `addr` on `shape.connections` connections for the warm-up and the window,
/// on a runtime of its own (call it from its own thread to run two loads at once).
pub fn run(
    addr: SocketAddr,
    call: &Call,
    expect: StatusCode,
    shape: Shape,
) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the generator's runtime: {e}"))?;
    let call = Arc::new(call.clone());
    runtime.block_on(async move {
        let start = Instant::now() + shape.warmup;
        let end = start + shape.measure;
        let tasks: Vec<_> = (0..shape.connections)
            .map(|_| tokio::spawn(connection(addr, call.clone(), expect, start, end)))
            .collect();
        let mut latencies_us = Vec::new();
        let mut failures = 0;
        for task in tasks {
            let (mut latencies, failed) = task
                .await
                .map_err(|e| format!("a connection task failed: {e}"))??;
            latencies_us.append(&mut latencies);
            failures += failed;
        }
        latencies_us.sort_unstable();
        Ok(Outcome {
            latencies_us,
            failures,
            window: shape.measure,
        })
    })
}

/// Sends `call` once on a fresh connection: the status and the body.
pub fn once(addr: SocketAddr, call: &Call) -> Result<(StatusCode, Bytes), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    runtime.block_on(async {
        let mut sender = connect(addr).await?;
        send(&mut sender, call, &addr.to_string()).await
    })
}

async fn connection(
    addr: SocketAddr,
    call: Arc<Call>,
    expect: StatusCode,
    start: Instant,
    end: Instant,
) -> Result<(Vec<u32>, usize), String> {
    let host = addr.to_string();
    let mut sender = connect(addr).await?;
    let mut latencies = Vec::new();
    let mut failures = 0;
    loop {
        let sent = Instant::now();
        if sent >= end {
            break;
        }
        let (status, _) = send(&mut sender, &call, &host).await?;
        let done = Instant::now();
        // Only requests sent and answered inside the window count.
        if sent < start || done > end {
            continue;
        }
        if status == expect {
            let micros = done.duration_since(sent).as_micros();
            latencies.push(u32::try_from(micros).unwrap_or(u32::MAX));
        } else {
            failures += 1;
        }
    }
    Ok((latencies, failures))
}

async fn connect(addr: SocketAddr) -> Result<http1::SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_nodelay(true)
        .map_err(|e| format!("TCP_NODELAY: {e}"))?;
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake with {addr}: {e}"))?;
    tokio::spawn(async move {
        // Ends when the sender is dropped, or with the error the next request reports.
        let _ = connection.await;
    });
    Ok(sender)
}

async fn send(
    sender: &mut http1::SendRequest<Full<Bytes>>,
    call: &Call,
    host: &str,
) -> Result<(StatusCode, Bytes), String> {
    sender
        .ready()
        .await
        .map_err(|e| format!("connection lost: {e}"))?;
    let response = sender
        .send_request(call.request(host)?)
        .await
        .map_err(|e| format!("{} {}: {e}", call.method, call.path))?;
    let status = response.status();
    // The whole body is read, so the connection can carry the next request.
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("reading the answer to {}: {e}", call.path))?
        .to_bytes();
    Ok((status, body))
}
