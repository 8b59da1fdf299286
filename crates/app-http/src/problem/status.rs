//! The HTTP status of every stable error code (SPEC: 401 no or bad session, 403 not
//! allowed, 404 absent or out of scope, 409 state conflict, 422 validation, 429
//! throttled). Codes not listed are field validation codes (`login_id_too_long`,
//! `password_too_common`…): 422.

use poem::http::StatusCode;

/// The status for a domain error code.
pub fn status_of(code: &str) -> StatusCode {
    match code {
        "bad_request" | "invalid_cursor" => StatusCode::BAD_REQUEST,
        "unauthenticated" | "login_failed" | "session_invalid" | "session_expired"
        | "session_revoked" | "user_cannot_log_in" => StatusCode::UNAUTHORIZED,
        "forbidden"
        | "privilege_not_held"
        | "scope_exceeds_own"
        | "target_holds_more"
        | "owner_protected"
        | "self_change_forbidden" => StatusCode::FORBIDDEN,
        "not_found" | "user_not_found" | "registration_url_not_found" => StatusCode::NOT_FOUND,
        "conflict"
        | "login_id_taken"
        | "group_name_taken"
        | "external_code_taken"
        | "grant_exists"
        | "group_cycle"
        | "group_self_parent"
        | "owner_exists"
        | "owner_cannot_be_disabled"
        | "owner_cannot_expire"
        | "owner_cannot_be_deleted"
        | "owner_cannot_be_integrated"
        | "integration_active"
        | "invalid_status_transition"
        | "field_key_taken"
        | "registration_url_exists"
        | "registration_url_stopped"
        | "registration_closed"
        | "not_pending"
        | "job_claim_lost" => StatusCode::CONFLICT,
        c if c.starts_with("integration_") || c.starts_with("application_") => StatusCode::CONFLICT,
        "payload_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_attempts" => StatusCode::TOO_MANY_REQUESTS,
        "busy" => StatusCode::SERVICE_UNAVAILABLE,
        "unexpected" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o3_codes_map_to_the_statuses_spec_names() {
        assert_eq!(status_of("session_expired"), StatusCode::UNAUTHORIZED);
        assert_eq!(status_of("target_holds_more"), StatusCode::FORBIDDEN);
        assert_eq!(status_of("not_found"), StatusCode::NOT_FOUND);
        assert_eq!(status_of("login_id_taken"), StatusCode::CONFLICT);
        assert_eq!(
            status_of("integration_source_not_invalid"),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status_of("password_too_short"),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_of("too_many_attempts"),
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(status_of("busy"), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status_of("unexpected"), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
