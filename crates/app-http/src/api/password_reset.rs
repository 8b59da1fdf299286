//! U10: `POST /api/v1/auth/password-reset` answers 202 whatever the input names, and
//! `POST /api/v1/auth/password-reset/confirm` sets the new password with the mailed token.
//!
//! The request runs after the answer (a spawned task): looking an account up and writing
//! its link takes time only found accounts cost, so answering first keeps one timing for
//! every input (S2). Its failures go to the logs only.

use super::Tag;
use crate::client::client_info;
use crate::dto::{ResetAccepted, ResetRequestBody, TokenPasswordBody};
use crate::problem::ApiResult;
use crate::state::Roster;
use poem::Request;
use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use roster_domain::ports::password::PlainPassword;

/// The one answer to every reset request.
pub const RESET_ACCEPTED: &str =
    "If an account with a registered email matches, a reset link has been sent to it.";

#[derive(ApiResponse)]
enum Requested {
    /// Accepted — the same answer whether or not an account exists.
    #[oai(status = 202)]
    Accepted(Json<ResetAccepted>),
}

#[derive(ApiResponse)]
enum Confirmed {
    /// The password is set; every session of the user has ended.
    #[oai(status = 204)]
    Done,
}

/// Starts a reset request in the background (U10); shared with the reset page.
pub fn start_reset(roster: &Roster, login_id_or_email: String) {
    let resets = roster.resets.clone();
    tokio::spawn(async move {
        let outcome = resets.request_reset(&login_id_or_email).await;
        for failure in outcome.failures() {
            tracing::error!(error = %failure, "password reset request failed");
        }
    });
}

/// Password reset endpoints.
#[derive(Debug)]
pub struct PasswordResetApi;

#[OpenApi(prefix_path = "/api/v1/auth/password-reset", tag = "Tag::Session")]
impl PasswordResetApi {
    /// "Forgot password" (U10, public): give the login ID or the email. Always 202: the
    /// answer never tells whether an account exists. Every request counts against the
    /// client address (S3): too many answer 429 `too_many_attempts`, whatever they named. Each matching `valid` account with an
    /// email gets a single-use link that lives 30 minutes (by default).
    #[oai(path = "/", method = "post", operation_id = "request_password_reset")]
    async fn request(
        &self,
        roster: Data<&Roster>,
        req: &Request,
        body: Json<ResetRequestBody>,
    ) -> ApiResult<Requested> {
        let client = client_info(req, roster.config.client_address);
        roster.resets.admit_request(&client).await?;
        let ResetRequestBody { login_id, email } = body.0;
        let input = login_id
            .filter(|s| !s.trim().is_empty())
            .or(email)
            .unwrap_or_default();
        if !input.trim().is_empty() {
            start_reset(&roster, input);
        }
        Ok(Requested::Accepted(Json(ResetAccepted {
            message: RESET_ACCEPTED.to_owned(),
        })))
    }

    /// Set a new password with the mailed token (U10, public). Every session of the user
    /// ends. Refusals: `token_invalid`, `token_expired`, `validation_failed`.
    #[oai(
        path = "/confirm",
        method = "post",
        operation_id = "confirm_password_reset"
    )]
    async fn confirm(
        &self,
        roster: Data<&Roster>,
        body: Json<TokenPasswordBody>,
    ) -> ApiResult<Confirmed> {
        let TokenPasswordBody { token, password } = body.0;
        roster
            .resets
            .confirm_reset(&token, PlainPassword::new(password))
            .await?;
        Ok(Confirmed::Done)
    }
}
