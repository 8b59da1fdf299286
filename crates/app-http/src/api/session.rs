//! Logging in and out (S1–S3): `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`.

use super::Tag;
use crate::auth::{Session, bearer_token};
use crate::client::client_info;
use crate::problem::{ApiError, ApiResult};
use crate::state::Roster;
use chrono::{DateTime, Utc};
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use roster_domain::ports::password::PlainPassword;
use uuid::Uuid;

/// Credentials.
#[derive(Object)]
struct LoginRequest {
    /// The login ID (case-insensitive).
    #[oai(validator(max_length = 1024))]
    login_id: String,
    /// The password.
    #[oai(validator(max_length = 4096))]
    password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").finish_non_exhaustive()
    }
}

/// A new session.
#[derive(Debug, Object)]
struct LoginResponse {
    /// The bearer token: send it as `Authorization: Bearer <token>`. Shown once.
    token: String,
    /// When the session ends at the latest (an idle timeout may end it sooner).
    expires_at: DateTime<Utc>,
    /// Who logged in.
    user_id: Uuid,
}

#[derive(ApiResponse)]
enum LoginAnswer {
    /// Logged in.
    #[oai(status = 200)]
    Ok(Json<LoginResponse>),
}

#[derive(ApiResponse)]
enum LogoutAnswer {
    /// The session is over.
    #[oai(status = 204)]
    Done,
}

/// Session endpoints.
#[derive(Debug)]
pub struct SessionApi;

#[OpenApi(prefix_path = "/api/v1/auth", tag = "Tag::Session")]
impl SessionApi {
    /// Log in (S1). Every failure — unknown login ID, wrong password, disabled, pending or
    /// expired account — answers the same 401 `login_failed` (S2). Repeated failures per
    /// login ID or client address answer 429 with `Retry-After` (S3).
    #[oai(path = "/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        roster: Data<&Roster>,
        req: &Request,
        body: Json<LoginRequest>,
    ) -> ApiResult<LoginAnswer> {
        let client = client_info(req, roster.config.client_address);
        let password = PlainPassword::new(body.0.password);
        let success = roster
            .sessions
            .login(&body.0.login_id, &password, &client)
            .await?;
        Ok(LoginAnswer::Ok(Json(LoginResponse {
            token: success.token.expose().to_owned(),
            expires_at: success.expires_at,
            user_id: success.user_id.as_uuid(),
        })))
    }

    /// Log out: the session's token stops working at once (S1).
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(
        &self,
        roster: Data<&Roster>,
        req: &Request,
        _session: Session,
    ) -> ApiResult<LogoutAnswer> {
        let token = bearer_token(req).ok_or_else(ApiError::unexpected)?;
        roster.sessions.logout(token).await?;
        Ok(LogoutAnswer::Done)
    }
}
