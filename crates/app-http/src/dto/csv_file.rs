//! A CSV answer (`text/csv`) as an OpenAPI payload, so one operation can answer JSON or CSV
//! (`?format=csv`) and the document says both.

use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::payload::Payload;
use poem_openapi::registry::{
    MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef, Registry,
};

/// A whole CSV file, already encoded, offered as a download named `filename`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    /// The download's file name (ASCII, no quotes).
    pub filename: &'static str,
}

impl Payload for CsvFile {
    const CONTENT_TYPE: &'static str = "text/csv; charset=utf-8";

    fn check_content_type(content_type: &str) -> bool {
        content_type.starts_with("text/csv")
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "binary")))
    }
}

impl IntoResponse for CsvFile {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(Self::CONTENT_TYPE)
            .header(
                "content-disposition",
                format!("attachment; filename=\"{}\"", self.filename),
            )
            .body(self.bytes)
    }
}

impl ApiResponse for CsvFile {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "A CSV file",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: Self::CONTENT_TYPE,
                    schema: Self::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(_registry: &mut Registry) {}
}
