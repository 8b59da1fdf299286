//! The bearer session (S1): every protected endpoint takes a [`Session`], which checks the
//! `Authorization: Bearer` token through the session service before the handler runs and
//! carries the acting user's snapshot (its grants) into it.

use crate::problem::ApiError;
use crate::state::Roster;
use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use roster_domain::authz::Actor;

/// A checked session: the acting user, loaded once for this request.
#[derive(Debug, SecurityScheme)]
#[oai(
    rename = "session",
    ty = "bearer",
    bearer_format = "opaque",
    checker = "authenticate"
)]
pub struct Session(pub Actor);

async fn authenticate(req: &Request, bearer: Bearer) -> poem::Result<Actor> {
    let roster = req
        .data::<Roster>()
        .ok_or_else(|| poem::Error::from(ApiError::unexpected()))?;
    roster
        .sessions
        .authenticate(&bearer.token)
        .await
        .map_err(|e| poem::Error::from(ApiError::from(e)))
}

/// The presented token, for logout.
pub fn bearer_token(req: &Request) -> Option<&str> {
    req.headers()
        .get(poem::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}
