//! A `text/csv` request body. poem-openapi's content-type match on a request enum is
//! exact, so `text/csv; charset=utf-8` would be refused; this payload accepts any
//! parameters after the media type.

use poem::{Request, RequestBody, Result};
use poem_openapi::error::ContentTypeError;
use poem_openapi::payload::{ParsePayload, Payload};
use poem_openapi::registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};

/// The raw bytes of a CSV upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvBody(pub Vec<u8>);

impl Payload for CsvBody {
    const CONTENT_TYPE: &'static str = "text/csv";

    fn check_content_type(content_type: &str) -> bool {
        content_type
            .split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/csv"))
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            format: Some("binary"),
            ..MetaSchema::new("string")
        }))
    }
}

impl ParsePayload for CsvBody {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> Result<Self> {
        Ok(Self(
            <Vec<u8> as poem::FromRequest>::from_request(request, body).await?,
        ))
    }
}

/// As poem-openapi does for its own payloads (its macro for that is private).
impl<'a> ApiExtractor<'a> for CsvBody {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];

    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <Self as Payload>::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: Self::CONTENT_TYPE,
                schema: Self::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> Result<Self> {
        match request.content_type() {
            Some(content_type) if Self::check_content_type(content_type) => {
                <Self as ParsePayload>::from_request(request, body).await
            }
            Some(content_type) => Err(ContentTypeError::NotSupported {
                content_type: content_type.to_owned(),
            }
            .into()),
            None => Err(ContentTypeError::ExpectContentType.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i12_csv_media_type_with_or_without_charset() {
        assert!(CsvBody::check_content_type("text/csv"));
        assert!(CsvBody::check_content_type("text/csv; charset=utf-8"));
        assert!(CsvBody::check_content_type("Text/CSV;charset=shift_jis"));
        assert!(!CsvBody::check_content_type("application/json"));
        assert!(!CsvBody::check_content_type("text/csvx"));
    }
}
