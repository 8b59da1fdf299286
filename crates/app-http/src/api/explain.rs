//! The explain call (P6): `POST /api/v1/authz/explain` — may this user use this privilege on
//! this target, and through which grant — so a host LMS asks instead of re-implementing the
//! rules.

use super::Tag;
use crate::auth::Session;
use crate::dto::{ExplainBody, ExplanationView};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

#[derive(ApiResponse)]
enum Explained {
    /// The decision and, when allowed, the grant path.
    #[oai(status = 200)]
    Ok(Json<ExplanationView>),
}

/// The explain endpoint.
#[derive(Debug)]
pub struct ExplainApi;

#[OpenApi(prefix_path = "/api/v1/authz", tag = "Tag::Grants")]
impl ExplainApi {
    /// Explain a decision (P6): whether `user_id` may use `privilege` on `target_user_id` or
    /// `target_group_id` (at most one; with neither, a global target only scope `all`
    /// covers), and the grant that allows it. Anyone may ask about themselves; otherwise the
    /// user and the target must be in the caller's `users.view` or `admin.authorization`
    /// scope, else 404 — explain reveals nothing a list would not.
    #[oai(path = "/explain", method = "post", operation_id = "explain")]
    async fn explain(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<ExplainBody>,
    ) -> ApiResult<Explained> {
        let request = body.0.parse()?;
        let answer = roster.grants.explain(&session.0, request).await?;
        Ok(Explained::Ok(Json(answer.into())))
    }
}
