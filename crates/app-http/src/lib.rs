//! Roster's HTTP API: poem + poem-openapi routes over the domain services. Handlers parse,
//! call one service and map the result; every rule is the domain's. A host LMS builds a
//! [`Roster`] over its adapters and nests [`routes`] under its own prefix; the `roster`
//! binary does the same over the SQLite/PostgreSQL/MySQL store.

// `ApiError` is a whole problem response (about 150 bytes): it is built once per failed
// request and sent, so its size on the error path costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod api;
mod auth;
mod body_limit;
pub mod client;
pub mod clock;
pub mod dto;
mod import_jobs;
mod pages;
pub mod problem;
pub mod request_id;
pub mod state;

pub use client::ClientAddress;
pub use clock::SystemClock;
pub use import_jobs::LiveImportJobs;
pub use state::{Adapters, CsvAdapters, HttpConfig, Readiness, Roster};

use poem::middleware::SetHeader;
use poem::{Endpoint, EndpointExt, Route};

/// Every route: the API under `/api/v1`, `/healthz`, `/readyz`, the OpenAPI document at
/// `/openapi.json`, the interactive page at `/docs`, and the joining pages (A8:
/// `/register`, `/activate/…`, `/invite/…`, `/reset`). A host nests the result under its
/// own prefix (set [`HttpConfig::base_path`] to that prefix so the document points there).
pub fn routes(roster: Roster) -> impl Endpoint<Output = poem::Response> {
    let api = api::service(&roster.config.base_path);
    let spec = api.spec_endpoint();
    let docs = api.swagger_ui();
    let limit = roster.config.body_limit;
    let import_limit = roster.config.import_limit;
    pages::routes(Route::new().nest("/", api))
        .at("/openapi.json", spec)
        .nest("/docs", docs)
        .around(move |next, req| body_limit::within_limit(next, req, limit, import_limit))
        .data(roster)
        .catch_all_error(problem::render_any_error)
        // Answers carry tokens and personal data: no cache may keep them, and no browser
        // may guess a content type other than the one declared.
        .with(
            SetHeader::new()
                .overriding(poem::http::header::CACHE_CONTROL, "no-store")
                .overriding(poem::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        )
        .around(request_id::with_request_id)
}

/// The OpenAPI document as JSON (what `/openapi.json` serves), for `docs/openapi.json`.
pub fn openapi_json() -> String {
    api::service("").spec()
}
