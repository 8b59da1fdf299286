//! Errors as RFC 9457 problem details (O3), in one place: every domain error becomes an
//! [`ApiError`] here, its HTTP status chosen from its stable `code` by [`status_of`], and
//! every error poem itself raises (a malformed body, a missing token, an unknown path) is
//! rewritten into the same shape by [`render_any_error`].

mod from_domain;
mod status;

pub use status::status_of;

use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};
use roster_domain::{ErrorCode, FieldError, Unexpected};

/// The content type of every error body (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Seconds a client waits after `busy` (the hasher queue drains in well under that).
const BUSY_RETRY_SECONDS: u64 = 1;

/// One field that failed validation (422).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct FieldProblem {
    /// The field (`login_id`, `password`, a custom field key).
    pub field: String,
    /// Its stable code (`password_too_short`…).
    pub code: String,
    /// A human message.
    pub message: String,
}

impl From<FieldError> for FieldProblem {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field,
            code: e.code.to_owned(),
            message: e.message,
        }
    }
}

/// An RFC 9457 problem: `type`, `title`, `status`, `detail`, plus Roster's stable `code`
/// and, for validation failures, the per-field `errors`.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct Problem {
    /// A URI naming the problem kind: `urn:roster:problem:<code>`.
    #[oai(rename = "type")]
    pub kind: String,
    /// The HTTP reason phrase.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// The stable machine code clients match on (`login_id_taken`, `integration_active`…).
    pub code: String,
    /// The fields that failed, for `validation_failed` (absent otherwise).
    #[oai(skip_serializing_if_is_none)]
    pub errors: Option<Vec<FieldProblem>>,
}

impl Problem {
    /// A problem with this status, code and detail.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:roster:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            errors: None,
        }
    }
}

/// Every error an endpoint may answer, documented once for all endpoints.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// Malformed request: unreadable body, bad parameter (`bad_request`).
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Problem>),
    /// No session, or the session is no longer valid (`unauthenticated`, `session_expired`…),
    /// or the login failed (`login_failed`).
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Problem>),
    /// Not allowed (`forbidden`, `privilege_not_held`, `target_holds_more`…).
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Problem>),
    /// Absent or out of the caller's scope (`not_found`).
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Problem>),
    /// State conflict (`login_id_taken`, `group_cycle`, `conflict`…).
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Problem>),
    /// The body is larger than allowed (`payload_too_large`).
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Problem>),
    /// The body is not JSON (`unsupported_media_type`).
    #[oai(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Json<Problem>),
    /// Validation failed; `errors` lists the fields (`validation_failed` and field codes).
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Problem>),
    /// Too many attempts (`too_many_attempts`); retry after the given seconds.
    #[oai(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Json<Problem>, #[oai(header = "Retry-After")] u64),
    /// Something failed that the client cannot act on (`unexpected`).
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Problem>),
    /// Temporarily overloaded (`busy`); retry after the given seconds.
    #[oai(status = 503, content_type = "application/problem+json")]
    Unavailable(Json<Problem>, #[oai(header = "Retry-After")] u64),
}

impl ApiError {
    /// The error for a problem, by its status. `retry_after` is used by 429 and 503.
    pub fn from_problem(problem: Problem, retry_after: u64) -> Self {
        let body = Json(problem);
        match body.0.status {
            400 => Self::BadRequest(body),
            401 => Self::Unauthorized(body),
            403 => Self::Forbidden(body),
            404 => Self::NotFound(body),
            409 => Self::Conflict(body),
            413 => Self::PayloadTooLarge(body),
            415 => Self::UnsupportedMediaType(body),
            422 => Self::Unprocessable(body),
            429 => Self::TooManyRequests(body, retry_after),
            503 => Self::Unavailable(body, retry_after),
            _ => Self::Internal(body),
        }
    }

    /// The error for a coded domain error: status from the code, detail from its message.
    /// `unexpected` is logged here with its cause and answered without it.
    pub fn coded(error: &(impl ErrorCode + std::fmt::Display)) -> Self {
        let code = error.code();
        if code == "unexpected" {
            tracing::error!(error = %error, "unexpected failure");
            return Self::unexpected();
        }
        if code == "busy" {
            let problem = Problem::new(StatusCode::SERVICE_UNAVAILABLE, code, error.to_string());
            return Self::from_problem(problem, BUSY_RETRY_SECONDS);
        }
        Self::from_problem(Problem::new(status_of(code), code, error.to_string()), 0)
    }

    /// `unexpected`, with nothing of the cause.
    pub fn unexpected() -> Self {
        let problem = Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "unexpected",
            "something went wrong on our side; it has been logged",
        );
        Self::from_problem(problem, 0)
    }

    /// A cause nobody can act on: logged, answered as `unexpected`.
    pub fn log_unexpected(cause: &Unexpected) -> Self {
        tracing::error!(error = %cause, "unexpected failure");
        Self::unexpected()
    }

    /// 422 `validation_failed` listing every field.
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let mut problem = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            format!("{} field(s) are invalid", fields.len()),
        );
        problem.errors = Some(fields.into_iter().map(FieldProblem::from).collect());
        Self::from_problem(problem, 0)
    }

    /// 429 `too_many_attempts`, retry after `seconds`.
    pub fn throttled(detail: impl Into<String>, seconds: u64) -> Self {
        let problem = Problem::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", detail);
        Self::from_problem(problem, seconds.max(1))
    }

    /// 400 `bad_request` (a request the API cannot read).
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::from_problem(
            Problem::new(StatusCode::BAD_REQUEST, "bad_request", detail),
            0,
        )
    }

    /// The problem body, for tests and logs.
    pub fn problem(&self) -> &Problem {
        match self {
            Self::BadRequest(p)
            | Self::Unauthorized(p)
            | Self::Forbidden(p)
            | Self::NotFound(p)
            | Self::Conflict(p)
            | Self::PayloadTooLarge(p)
            | Self::UnsupportedMediaType(p)
            | Self::Unprocessable(p)
            | Self::Internal(p)
            | Self::TooManyRequests(p, _)
            | Self::Unavailable(p, _) => &p.0,
        }
    }
}

/// The result of every endpoint.
pub type ApiResult<T> = Result<T, ApiError>;

/// Rewrites any error that is not already a problem response (poem's own: a malformed
/// body, a missing bearer token, an unknown route, a body over the size limit) into
/// problem details, so every error a client sees has the same shape and a `code`.
pub async fn render_any_error(error: poem::Error) -> poem::Response {
    use poem::IntoResponse;
    if error.is_from_response() {
        return error.into_response();
    }
    let status = error.status();
    let (code, detail) = match status {
        StatusCode::UNAUTHORIZED => (
            "unauthenticated",
            "log in and send the session token as `Authorization: Bearer <token>`".to_owned(),
        ),
        StatusCode::NOT_FOUND => ("not_found", "no such resource".to_owned()),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this method is not allowed here".to_owned(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is too large".to_owned(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", error.to_string()),
        s if s.is_server_error() => {
            tracing::error!(error = %error, "request failed");
            (
                "unexpected",
                "something went wrong on our side; it has been logged".to_owned(),
            )
        }
        _ => ("bad_request", error.to_string()),
    };
    let mut response = Json(Problem::new(status, code, detail)).into_response();
    response.set_status(status);
    response.headers_mut().insert(
        poem::http::header::CONTENT_TYPE,
        poem::http::HeaderValue::from_static(PROBLEM_JSON),
    );
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            poem::http::header::WWW_AUTHENTICATE,
            poem::http::HeaderValue::from_static("Bearer"),
        );
    }
    response
}
