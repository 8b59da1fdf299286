//! CSV import (C1–C6, C8, C9): `POST /api/v1/imports` spools the upload to a temporary file
//! (never holding it in memory), records a job and answers 202 with its id; the job runs in
//! the background of this process (passwords hashed on the hasher's own threads, C9) and
//! `GET /api/v1/imports/{id}` shows its progress and report. Every rule — authority per row,
//! validation, modes, all-or-nothing — is the import service's.

use super::Tag;
use super::csv_payload::CsvUpload;
use crate::auth::Session;
use crate::dto::{ImportAccepted, ImportJobView, ImportModeDto};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::Roster;
use poem::Body;
use poem::http::StatusCode;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::authz::Actor;
use roster_domain::csv::{ImportMode, ImportOptions};
use roster_domain::ids::ImportJobId;
use roster_domain::services::{ImportError, ImportRequest, ImportService};
use roster_infra_csv::{CsvSource, Encoding};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

#[derive(ApiResponse)]
enum ImportSubmitted {
    /// Accepted: the job runs; follow it at `Location`.
    #[oai(status = 202)]
    Accepted(Json<ImportAccepted>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum ImportFound {
    /// The job.
    #[oai(status = 200)]
    Ok(Json<ImportJobView>),
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

/// Import endpoints.
#[derive(Debug)]
pub struct ImportsApi;

#[OpenApi(prefix_path = "/api/v1/imports", tag = "Tag::Imports")]
impl ImportsApi {
    /// Start a CSV import (C1–C6). The body is the file (`text/csv`; UTF-8 with or without
    /// BOM, or Shift_JIS — named by `charset` or detected). Needs `users.edit`; each row
    /// must be within the caller's scope and can grant nothing. Answers 202 with the job;
    /// rows are checked first and, by default, nothing is written if any row is wrong.
    #[oai(path = "/", method = "post", operation_id = "start_import")]
    // poem-openapi takes each query parameter as its own argument.
    #[allow(clippy::too_many_arguments)]
    async fn start(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// create (default), update or upsert (C3).
        mode: Query<Option<ImportModeDto>>,
        /// Check and report only; write nothing.
        dry_run: Query<Option<bool>>,
        /// Write the valid rows even when others have errors.
        skip_invalid: Query<Option<bool>>,
        /// Invite created users that have an email and no password (C5).
        invite: Query<Option<bool>>,
        body: CsvUpload,
    ) -> ApiResult<ImportSubmitted> {
        let charset = body
            .charset
            .map_err(|name| ApiError::bad_request(format!("unknown charset {name:?}")))?;
        let file = spool(body.body, roster.config.import_limit).await?;
        let source = open_source(file, charset).await?;
        let options = ImportOptions {
            mode: mode.0.map_or(ImportMode::Create, Into::into),
            dry_run: dry_run.0.unwrap_or(false),
            skip_invalid: skip_invalid.0.unwrap_or(false),
            invite: invite.0.unwrap_or(false),
        };
        let job = roster.csv.imports.submit(&session.0, options).await?;
        run_in_background(
            roster.csv.imports.clone(),
            session.0,
            ImportRequest { job, options },
            source,
        );
        let id = job.as_uuid();
        let location = format!("{}/api/v1/imports/{id}", roster.config.base_path);
        Ok(ImportSubmitted::Accepted(
            Json(ImportAccepted { id }),
            location,
        ))
    }

    /// An import's progress and, once ended, its report with every problem by line and
    /// column (C4, C6). Only whoever started it, and the owner, can read it.
    #[oai(path = "/:id", method = "get", operation_id = "get_import")]
    async fn get(
        &self,
        roster: Data<&Roster>,
        session: Session,
        id: Path<Uuid>,
    ) -> ApiResult<ImportFound> {
        let job = roster
            .csv
            .imports
            .status(&session.0, ImportJobId::from_uuid(id.0))
            .await?;
        Ok(ImportFound::Ok(Json(job.into())))
    }
}

/// Copies the upload to an unnamed temporary file (gone when closed), refusing it with 413
/// past `limit` bytes.
async fn spool(body: Body, limit: usize) -> Result<std::fs::File, ApiError> {
    let file = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(|e| ApiError::log_unexpected(&roster_domain::Unexpected::new(e)))?
        .map_err(|e| ApiError::log_unexpected(&roster_domain::Unexpected::new(e)))?;
    let mut file = tokio::fs::File::from_std(file);
    let mut reader = tokio::io::AsyncReadExt::take(body.into_async_read(), limit as u64 + 1);
    let copied = tokio::io::copy(&mut reader, &mut file)
        .await
        .map_err(|e| ApiError::bad_request(format!("cannot read the upload: {e}")))?;
    if copied > limit as u64 {
        return Err(too_large(limit));
    }
    file.flush()
        .await
        .map_err(|e| ApiError::log_unexpected(&roster_domain::Unexpected::new(e)))?;
    Ok(file.into_std().await)
}

fn too_large(limit: usize) -> ApiError {
    let problem = Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("the file is larger than the import limit of {limit} bytes"),
    );
    ApiError::from_problem(problem, 0)
}

/// The records of the spooled file, in the `charset` named or the one detected (a read of
/// the whole file, off the async threads).
async fn open_source(
    file: std::fs::File,
    charset: Option<Encoding>,
) -> Result<CsvSource, ApiError> {
    tokio::task::spawn_blocking(move || match charset {
        Some(encoding) => CsvSource::open(file, encoding),
        None => CsvSource::detect(file),
    })
    .await
    .map_err(|e| ApiError::log_unexpected(&roster_domain::Unexpected::new(e)))?
    .map_err(|e| ApiError::log_unexpected(&roster_domain::Unexpected::new(e)))
}

/// Runs the job on its own task; its outcome is recorded with the job (and audited) by the
/// service, so only a failure to record it is left to log.
fn run_in_background(
    service: ImportService,
    actor: Actor,
    request: ImportRequest,
    mut source: CsvSource,
) {
    tokio::spawn(async move {
        if let Err(e) = service.run(&actor, &request, &mut source).await {
            tracing::warn!(job = %request.job.as_uuid(), code = %roster_domain::ErrorCode::code(&e), "import ended with an error");
        }
    });
}
