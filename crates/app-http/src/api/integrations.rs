//! User integration (I1–I12): `POST /api/v1/integrations/preview`, `POST
//! /api/v1/integrations`, `POST /api/v1/integrations/bulk` (text/csv), `GET
//! /api/v1/integrations`, `GET /api/v1/integrations/{id}`, `POST
//! /api/v1/integrations/cancel`. Preview, integrate and cancel need `users.edit` over both
//! users; the list and details `users.view` over the target. Refusals are 409 with an
//! `integration_*` code.

use super::Tag;
use crate::auth::Session;
use crate::dto::{
    BulkResultView, CancelBody, CancelResultsView, CsvBody, IntegrationDetailsView,
    IntegrationItemView, IntegrationPage, PairBody, PreviewView, pairs_of_csv, parse_bound,
};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ids::{IntegrationId, UserId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::integrations::IntegrationFilter;
use uuid::Uuid;

#[derive(ApiResponse)]
enum Preview {
    /// What the integration would move and resolve; nothing was written.
    #[oai(status = 200)]
    Ok(Json<PreviewView>),
}

#[derive(ApiResponse)]
enum Integrated {
    /// Integrated: the target now holds the source's scores, badges and login history.
    #[oai(status = 201)]
    Created(Json<IntegrationItemView>),
}

#[derive(ApiResponse)]
enum Bulk {
    /// Every pair's outcome, in file order (each pair is atomic on its own).
    #[oai(status = 200)]
    Ok(Json<BulkResultView>),
}

#[derive(ApiResponse)]
enum List {
    /// One page of the integrations in view, newest first.
    #[oai(status = 200)]
    Ok(Json<IntegrationPage>),
}

#[derive(ApiResponse)]
enum Details {
    /// The integration with its integrated scores, badges and logins.
    #[oai(status = 200)]
    Ok(Json<IntegrationDetailsView>),
}

#[derive(ApiResponse)]
enum Cancelled {
    /// Every id's outcome (each cancel is atomic on its own).
    #[oai(status = 200)]
    Ok(Json<CancelResultsView>),
}

/// Integration endpoints.
#[derive(Debug)]
pub struct IntegrationsApi;

#[OpenApi(prefix_path = "/api/v1/integrations", tag = "Tag::Integrations")]
impl IntegrationsApi {
    /// I11: what integrating the source into the target would move, and the conflicts it
    /// would resolve (badges both hold, quizzes paused or in master mode in both). Writes
    /// nothing. The same checks as integrating.
    #[oai(
        path = "/preview",
        method = "post",
        operation_id = "preview_integration"
    )]
    async fn preview(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<PairBody>,
    ) -> ApiResult<Preview> {
        let (source, target) = ids(&body.0);
        let preview = roster
            .integrations
            .preview(&session.0, source, target)
            .await?;
        Ok(Preview::Ok(Json(preview.into())))
    }

    /// I1: integrate the `invalid` source into the `valid` target, all or nothing (I10).
    /// Needs `users.edit` over both. Certificates stay with the source (I2).
    #[oai(path = "/", method = "post", operation_id = "integrate")]
    async fn integrate(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<PairBody>,
    ) -> ApiResult<Integrated> {
        let (source, target) = ids(&body.0);
        let made = roster
            .integrations
            .integrate(&session.0, source, target)
            .await?;
        Ok(Integrated::Created(Json(made.into())))
    }

    /// I12: integrate many pairs from a CSV file with the header
    /// `source_login_id,target_login_id` (UTF-8 or Shift_JIS, at most 1,000 pairs). A file
    /// of the wrong shape is refused whole (422, every line named); otherwise each pair is
    /// integrated on its own and gets its status.
    #[oai(path = "/bulk", method = "post", operation_id = "integrate_bulk")]
    async fn bulk(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: CsvBody,
    ) -> ApiResult<Bulk> {
        let pairs = pairs_of_csv(&body.0)?;
        let outcomes = roster
            .integrations
            .integrate_bulk(&session.0, pairs)
            .await?;
        Ok(Bulk::Ok(Json(outcomes.into())))
    }

    /// I5: integrations whose target is in the caller's `users.view` scope, newest first.
    #[oai(path = "/", method = "get", operation_id = "list_integrations")]
    // poem-openapi takes each query parameter as its own argument.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Integrated at or after: a date-time, or a date (from its start, UTC).
        from: Query<Option<String>>,
        /// Integrated before: a date-time, or a date (through its end, UTC).
        to: Query<Option<String>>,
        /// The source: a user id, or text in its login ID (case-insensitive).
        source: Query<Option<String>>,
        /// The target: a user id, or text in its login ID (case-insensitive).
        target: Query<Option<String>>,
        /// Page size, 1–500 (50 by default).
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> ApiResult<List> {
        let mut filter = IntegrationFilter::default();
        if let Some(raw) = from.0.as_deref() {
            filter.integrated_from = Some(parse_bound("from", raw, false)?);
        }
        if let Some(raw) = to.0.as_deref() {
            filter.integrated_to = Some(parse_bound("to", raw, true)?);
        }
        let (source_id, source_text) = user_or_text(source.0);
        let (target_id, target_text) = user_or_text(target.0);
        filter.source_user_id = source_id;
        filter.source_login_contains = source_text;
        filter.target_user_id = target_id;
        filter.target_login_contains = target_text;
        let page = roster
            .integrations
            .list(&session.0, filter, PageRequest::new(limit.0, cursor.0))
            .await?;
        Ok(List::Ok(Json(page.into())))
    }

    /// I5: one integration with its integrated scores (L2: only with `grades.view` over the
    /// target), badges and login history.
    #[oai(path = "/:id", method = "get", operation_id = "get_integration")]
    async fn get(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<Details> {
        let view = roster
            .integrations
            .details(&session.0, IntegrationId::from_uuid(id.0))
            .await?;
        Ok(Details::Ok(Json(view.into())))
    }

    /// I6: cancel integrations, one or many: both accounts end exactly as they were before.
    /// Each id is cancelled on its own (newest integration first) and gets its outcome.
    #[oai(
        path = "/cancel",
        method = "post",
        operation_id = "cancel_integrations"
    )]
    async fn cancel(
        &self,
        roster: Data<&Roster>,
        session: Session,
        body: Json<CancelBody>,
    ) -> ApiResult<Cancelled> {
        let ids = body
            .0
            .ids
            .into_iter()
            .map(IntegrationId::from_uuid)
            .collect();
        let outcomes = roster.integrations.cancel(&session.0, ids).await?;
        let items = outcomes.into_iter().map(Into::into).collect();
        Ok(Cancelled::Ok(Json(CancelResultsView { items })))
    }
}

fn ids(body: &PairBody) -> (UserId, UserId) {
    (
        UserId::from_uuid(body.source_user_id),
        UserId::from_uuid(body.target_user_id),
    )
}

/// A `source`/`target` search: a user id when it is one, else login-ID text; blank is none.
fn user_or_text(raw: Option<String>) -> (Option<UserId>, Option<String>) {
    let Some(raw) = raw.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()) else {
        return (None, None);
    };
    match Uuid::parse_str(&raw) {
        Ok(id) => (Some(UserId::from_uuid(id)), None),
        Err(_) => (None, Some(raw)),
    }
}
