//! The CSV bodies of the API (C1, C2, C7): an upload read as a stream (`text/csv`, with an
//! optional `charset`), and a download streamed page by page.

use poem::{Body, FromRequest, IntoResponse, Request, RequestBody, Response};
use poem_openapi::ApiResponse;
use poem_openapi::payload::{ParsePayload, Payload};
use poem_openapi::registry::{
    MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};
use roster_infra_csv::Encoding;

/// The media type of both directions.
const TEXT_CSV: &str = "text/csv";

fn binary_string() -> MetaSchemaRef {
    MetaSchemaRef::Inline(Box::new(MetaSchema {
        format: Some("binary"),
        ..MetaSchema::new("string")
    }))
}

/// An uploaded CSV file, not read yet.
pub struct CsvUpload {
    /// The body, read by the handler as it spools it.
    pub body: Body,
    /// The `charset` of the `Content-Type`: `Ok(None)` when absent (the encoding is then
    /// detected), `Err` with the name when unknown.
    pub charset: Result<Option<Encoding>, String>,
}

impl std::fmt::Debug for CsvUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvUpload")
            .field("charset", &self.charset)
            .finish_non_exhaustive()
    }
}

impl Payload for CsvUpload {
    const CONTENT_TYPE: &'static str = TEXT_CSV;

    fn check_content_type(content_type: &str) -> bool {
        let media = content_type.split(';').next().unwrap_or_default().trim();
        media.eq_ignore_ascii_case(TEXT_CSV)
    }

    fn schema_ref() -> MetaSchemaRef {
        binary_string()
    }
}

impl ParsePayload for CsvUpload {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let charset = Encoding::from_content_type(request.content_type().unwrap_or_default())
            .map_err(|e| e.0);
        Ok(Self {
            body: Body::from_request(request, body).await?,
            charset,
        })
    }
}

// Imported by name: the macro calls itself unqualified.
use poem_openapi::impl_apirequest_for_payload;
impl_apirequest_for_payload!(CsvUpload);

/// A CSV file answered with 200, as an attachment.
pub struct CsvDownload {
    /// The bytes, usually a stream.
    pub body: Body,
    /// Its encoding, named in the `Content-Type`.
    pub encoding: Encoding,
    /// The file name offered to the browser.
    pub filename: &'static str,
}

impl std::fmt::Debug for CsvDownload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvDownload")
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

impl IntoResponse for CsvDownload {
    fn into_response(self) -> Response {
        let content_type = format!("{TEXT_CSV}; charset={}", self.encoding.charset());
        Response::builder()
            .content_type(content_type)
            .header(
                poem::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", self.filename),
            )
            .body(self.body)
    }
}

impl ApiResponse for CsvDownload {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "The CSV file.",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: TEXT_CSV,
                    schema: binary_string(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}
