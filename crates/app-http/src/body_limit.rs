//! The request body limit (413 above it). poem's own `SizeLimit` refuses every request
//! without `Content-Length` (411) — a GET, or a chunked upload — so this one checks the
//! declared length when there is one and otherwise reads at most the limit.
//!
//! A CSV upload (`POST …/imports`) has its own, larger limit and is never read here: only a
//! declared length is checked, and the handler counts the bytes as it spools them to disk.

use poem::error::ReadBodyError;
use poem::http::StatusCode;
use poem::web::headers::{ContentLength, HeaderMapExt};
use poem::{Body, Endpoint, IntoResponse, Request, Response, Result};

/// Calls `next` with `req` if its body fits in `limit` bytes (`import_limit` for a CSV
/// upload), else answers 413.
pub async fn within_limit<E: Endpoint>(
    next: E,
    mut req: Request,
    limit: usize,
    import_limit: usize,
) -> Result<Response> {
    let upload = req.method() == poem::http::Method::POST
        && req
            .uri()
            .path()
            .trim_end_matches('/')
            .ends_with("/api/v1/imports");
    let limit = if upload { import_limit } else { limit };
    match req.headers().typed_get::<ContentLength>() {
        Some(ContentLength(length)) if length > limit as u64 => {
            return Err(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE));
        }
        Some(_) => {}
        None if upload => {}
        None => {
            let body = req.take_body();
            match body.into_bytes_limit(limit).await {
                Ok(bytes) => req.set_body(Body::from(bytes)),
                Err(ReadBodyError::PayloadTooLarge) => {
                    return Err(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE));
                }
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(next.call(req).await?.into_response())
}
