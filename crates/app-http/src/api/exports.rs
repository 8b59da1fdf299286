//! CSV export (C7): `GET /api/v1/users/export` streams the users in the caller's scope,
//! filtered like the user list, in the import's format (no password), page by page — the
//! whole file is never held in memory. The first page is read before answering, so a refusal
//! is a problem response; a failure after that aborts the transfer (the client sees an
//! incomplete body, never a short file that looks whole).

use super::Tag;
use super::csv_payload::CsvDownload;
use crate::auth::Session;
use crate::dto::{ExportEncodingDto, UserStatusDto};
use crate::problem::{ApiError, ApiResult};
use crate::state::Roster;
use futures_util::stream;
use poem::Body;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use roster_domain::authz::Actor;
use roster_domain::ids::GroupId;
use roster_domain::ports::{Page, PageRequest};
use roster_domain::services::{ExportError, ExportService, UserQuery};
use roster_infra_csv::{CsvWriter, Encoding};
use uuid::Uuid;

/// Users per page read from the store (the list's largest page).
const PAGE: u32 = 500;

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Unexpected(cause) => Self::log_unexpected(&cause),
            other => Self::coded(&other),
        }
    }
}

/// Export endpoints.
#[derive(Debug)]
pub struct ExportsApi;

#[OpenApi(prefix_path = "/api/v1/users", tag = "Tag::Imports")]
impl ExportsApi {
    /// Export users as CSV (C7): the import's columns (`login_id, name, email, groups,
    /// status, expires_at`, then the custom fields), never a password, every cell
    /// neutralised against spreadsheet formulas (import reverses it). Needs `users.edit`;
    /// only users in the caller's scope, narrowed by the user list's filters.
    #[oai(path = "/export", method = "get", operation_id = "export_users")]
    async fn export(
        &self,
        roster: Data<&Roster>,
        session: Session,
        /// utf-8-bom (default, what Excel reads as UTF-8), utf-8, or shift_jis.
        encoding: Query<Option<ExportEncodingDto>>,
        /// Text in the login ID, name or email (case-insensitive).
        q: Query<Option<String>>,
        /// Members of this group or of any group below it (G4).
        group_id: Query<Option<Uuid>>,
        /// Only users with this status.
        status: Query<Option<UserStatusDto>>,
    ) -> ApiResult<CsvDownload> {
        let encoding: Encoding = encoding.0.map_or(Encoding::Utf8Bom, Into::into);
        let query = UserQuery {
            q: q.0,
            group_id: group_id.0.map(GroupId::from_uuid),
            status: status.0.map(Into::into),
        };
        let fields = roster
            .csv
            .fields
            .list()
            .await
            .map_err(|e| ApiError::log_unexpected(&roster_domain::Unexpected::from(e)))?;
        let keys: Vec<String> = fields.iter().map(|d| d.key().as_str().to_owned()).collect();
        let service = roster.csv.exports.clone();
        let first = service
            .page(
                &session.0,
                &query,
                &keys,
                PageRequest::new(Some(PAGE), None),
            )
            .await?;
        let mut writer = CsvWriter::new(encoding);
        let mut head = Vec::new();
        writer.record(&service.header(&keys), &mut head);
        let state = Export {
            service,
            actor: session.0,
            query,
            keys,
            writer,
            pending: Some((head, first)),
            cursor: None,
            done: false,
        };
        Ok(CsvDownload {
            body: Body::from_bytes_stream(stream::unfold(state, Export::next)),
            encoding,
            filename: "users.csv",
        })
    }
}

/// The state of one export stream.
struct Export {
    service: ExportService,
    actor: Actor,
    query: UserQuery,
    keys: Vec<String>,
    writer: CsvWriter,
    /// The header's bytes and the first page, read before answering.
    pending: Option<(Vec<u8>, Page<Vec<String>>)>,
    cursor: Option<String>,
    done: bool,
}

impl Export {
    /// The next piece of the file: one page of rows.
    async fn next(mut self) -> Option<(Result<Vec<u8>, std::io::Error>, Self)> {
        if self.done {
            return None;
        }
        let (mut out, page) = match self.pending.take() {
            Some(first) => first,
            None => {
                let request = PageRequest::new(Some(PAGE), self.cursor.take());
                match self
                    .service
                    .page(&self.actor, &self.query, &self.keys, request)
                    .await
                {
                    Ok(page) => (Vec::new(), page),
                    Err(e) => {
                        tracing::error!(error = %e, "export stopped");
                        self.done = true;
                        return Some((Err(std::io::Error::other("the export failed")), self));
                    }
                }
            }
        };
        for row in &page.items {
            self.writer.record(row, &mut out);
        }
        self.cursor = page.next_cursor;
        if self.cursor.is_none() {
            self.done = true;
            if self.writer.unmappable() > 0 {
                tracing::warn!(
                    characters = self.writer.unmappable(),
                    "Shift_JIS export: characters it cannot encode were written as `?`"
                );
            }
        }
        Some((Ok(out), self))
    }
}
