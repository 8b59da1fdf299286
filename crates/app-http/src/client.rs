//! Who is calling, as far as HTTP can tell (S3 throttling per address, L1 access log).

use poem::Request;
use poem::web::RemoteAddr;
use roster_domain::services::ClientInfo;
use std::net::IpAddr;

/// Where to read the client address from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientAddress {
    /// The TCP peer: right when clients connect directly.
    #[default]
    Peer,
    /// The left-most `X-Forwarded-For` entry: only behind a proxy that sets it, since a
    /// client could otherwise pick its own address and dodge the per-address throttle.
    ForwardedFor,
}

/// The client's address and user agent.
pub fn client_info(req: &Request, source: ClientAddress) -> ClientInfo {
    let peer = || match req.remote_addr() {
        RemoteAddr(poem::Addr::SocketAddr(addr)) => Some(addr.ip()),
        _ => None,
    };
    let ip = match source {
        ClientAddress::Peer => peer(),
        ClientAddress::ForwardedFor => req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
            .or_else(peer),
    };
    let user_agent = req
        .headers()
        .get(poem::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(512).collect());
    ClientInfo { ip, user_agent }
}
