//! O4: a request ID on every answer (`x-request-id`) and on every log line written while the
//! request runs (a tracing span), and one log line per request. A client's own ID is kept
//! when it is short and plain; otherwise a new UUIDv7 is made. Paths are logged with the
//! secret parts of the page links (activation, invitation, reset, registration tokens)
//! replaced, and never with the query string.

use poem::http::HeaderValue;
use poem::{Endpoint, IntoResponse, Request, Response};
use std::time::Instant;
use tracing::Instrument;

/// The header carrying the ID, both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// Path segments after which the next segment is a bearer secret.
const SECRET_AFTER: [&str; 4] = ["activate", "invite", "reset", "register"];

/// Runs `next` inside the request's span and stamps its ID on the answer.
pub async fn with_request_id<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_plain_id(v))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    let span = tracing::info_span!("request", request_id = %id);
    let method = req.method().clone();
    let path = loggable_path(req.uri().path());
    async move {
        let started = Instant::now();
        let mut resp = match next.call(req).await {
            Ok(resp) => resp.into_response(),
            Err(err) => err.into_response(),
        };
        tracing::info!(
            %method,
            path,
            status = resp.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request"
        );
        if let Ok(value) = HeaderValue::from_str(&id) {
            resp.headers_mut().insert(REQUEST_ID, value);
        }
        Ok(resp)
    }
    .instrument(span)
    .await
}

/// At most 64 characters of letters, digits, `-`, `_` and `.`: nothing that could forge a
/// log line or carry a secret of any size.
fn is_plain_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// `path` with each segment that follows a token-bearing page name replaced by `…`.
fn loggable_path(path: &str) -> String {
    let mut out = Vec::new();
    let mut secret_next = false;
    for segment in path.split('/') {
        if secret_next && !segment.is_empty() {
            out.push("…");
        } else {
            out.push(segment);
        }
        secret_next = SECRET_AFTER.contains(&segment);
    }
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o4_token_segments_of_page_links_are_not_logged() {
        assert_eq!(loggable_path("/activate/SECRET"), "/activate/…");
        assert_eq!(loggable_path("/invite/SECRET"), "/invite/…");
        assert_eq!(loggable_path("/reset/SECRET"), "/reset/…");
        assert_eq!(
            loggable_path("/register/SECRET/confirm"),
            "/register/…/confirm"
        );
        assert_eq!(loggable_path("/register"), "/register");
        assert_eq!(loggable_path("/api/v1/users/42"), "/api/v1/users/42");
    }

    #[test]
    fn o4_only_short_plain_client_ids_are_kept() {
        assert!(is_plain_id("abc-123_X.y"));
        assert!(!is_plain_id(""));
        assert!(!is_plain_id(&"a".repeat(65)));
        assert!(!is_plain_id("a b"));
        assert!(!is_plain_id("a\nb"));
    }
}
