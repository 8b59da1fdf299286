//! The audit log (Z1): `GET /api/v1/audit`, filterable, as JSON pages or (`?format=csv`) one
//! CSV file of every matching entry. Reading it needs `admin.settings` over everything.

use super::Tag;
use crate::auth::Session;
use crate::dto::{
    AUDIT_CSV_HEADER, AuditEntryView, AuditFormat, AuditOutcomeDto, AuditPage, AuditQuery, CsvFile,
    audit_csv_record,
};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::Roster;
use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem::web::Data;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi, ResponseContent};
use roster_domain::authz::Actor;
use roster_domain::ports::PageRequest;
use roster_domain::ports::audit::AuditFilter;
use uuid::Uuid;

/// The most entries one CSV file carries; narrow the filter (`from`, `to`) for more.
const CSV_MAX_ENTRIES: usize = 1_000_000;

/// Entries read per page while writing the CSV file.
const CSV_PAGE: u32 = 500;

#[derive(ResponseContent)]
enum AuditBody {
    Json(Json<AuditPage>),
    Csv(CsvFile),
}

#[derive(ApiResponse)]
enum AuditList {
    /// A page of entries, newest first (JSON), or every matching entry (CSV).
    #[oai(status = 200)]
    Ok(AuditBody),
}

/// Audit endpoints.
#[derive(Debug)]
pub struct AuditApi;

#[OpenApi(prefix_path = "/api/v1/audit", tag = "Tag::Audit")]
impl AuditApi {
    /// The audit log (Z1): every administrator change and refusal, with who, what, target,
    /// when and outcome, newest first. Needs `admin.settings` with scope `all`. With
    /// `format=csv`, every matching entry in one CSV file (UTF-8 with BOM, cells that a
    /// spreadsheet would run as a formula neutralised), at most 1,000,000 entries (422
    /// `too_many_entries` beyond: narrow `from`/`to`).
    #[oai(path = "/", method = "get", operation_id = "list_audit")]
    // Each query parameter is one argument of the handler: the list's filters and paging.
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// Only this actor's entries.
        actor_id: Query<Option<Uuid>>,
        /// Only this action (`user.create`, `grant.revoke`…).
        action: Query<Option<String>>,
        /// Only this kind of target (`user`, `group`…).
        target_kind: Query<Option<String>>,
        /// Only this target id.
        target_id: Query<Option<String>>,
        /// Only successes or only refusals.
        outcome: Query<Option<AuditOutcomeDto>>,
        /// From this instant, inclusive (RFC 3339).
        from: Query<Option<DateTime<Utc>>>,
        /// Before this instant, exclusive (RFC 3339).
        to: Query<Option<DateTime<Utc>>>,
        /// `json` (default) or `csv`.
        format: Query<Option<AuditFormat>>,
        /// Page size, 1–500 (50 by default); JSON only.
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page; JSON only.
        cursor: Query<Option<String>>,
    ) -> ApiResult<AuditList> {
        let filter = AuditQuery {
            actor_id: actor_id.0,
            action: action.0,
            target_kind: target_kind.0,
            target_id: target_id.0,
            outcome: outcome.0,
            from: from.0,
            to: to.0,
        }
        .into_filter()?;
        let body = match format.0.unwrap_or(AuditFormat::Json) {
            AuditFormat::Json => {
                let page = roster
                    .audit
                    .list(&session.0, filter, PageRequest::new(limit.0, cursor.0))
                    .await?;
                AuditBody::Json(Json(page.into()))
            }
            AuditFormat::Csv => AuditBody::Csv(audit_csv(&roster, &session.0, filter).await?),
        };
        Ok(AuditList::Ok(body))
    }
}

/// Every entry `filter` matches, page by page, as one CSV file.
async fn audit_csv(
    roster: &Roster,
    actor: &Actor,
    filter: AuditFilter,
) -> Result<CsvFile, ApiError> {
    // The BOM makes spreadsheet programs read the file as UTF-8.
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(AUDIT_CSV_HEADER).map_err(csv_failed)?;
    let (mut cursor, mut written) = (None, 0usize);
    loop {
        let page = roster
            .audit
            .list(
                actor,
                filter.clone(),
                PageRequest::new(Some(CSV_PAGE), cursor),
            )
            .await?;
        written += page.items.len();
        if written > CSV_MAX_ENTRIES {
            let problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "too_many_entries",
                "more than 1,000,000 entries match: narrow `from` and `to`",
            );
            return Err(ApiError::from_problem(problem, 0));
        }
        for entry in page.items {
            out.write_record(audit_csv_record(&AuditEntryView::from(entry)))
                .map_err(csv_failed)?;
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let bytes = out.into_inner().map_err(|e| csv_failed(e.into_error()))?;
    Ok(CsvFile {
        bytes,
        filename: "audit.csv",
    })
}

fn csv_failed(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "writing the audit CSV failed");
    ApiError::unexpected()
}
