//! The pages behind mailed links: `/activate/{token}` (A2, A3), `/invite/{token}` (U5),
//! `/reset/{token}` (U10), and `/reset`, where a reset is asked for. Opening a link only
//! shows a form; the token is spent by the POST that form sends, so a mail scanner that
//! fetches links does not use them up.

use super::{Fields, csrf_ok, csrf_refused, field, message, path, render};
use crate::api::password_reset::{RESET_ACCEPTED, start_reset};
use crate::client::client_info;
use crate::state::Roster;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use roster_domain::ports::password::PlainPassword;
use roster_domain::registration::{ApplicationStatus, TokenError};
use roster_domain::services::JoiningError;
use serde_json::json;
use std::collections::BTreeMap;

#[handler]
pub fn activate_form(req: &Request, roster: Data<&Roster>, Path(token): Path<String>) -> Response {
    let action = path(&roster, &format!("/activate/{token}"));
    let context = json!({ "action": action });
    render(
        &roster,
        req,
        StatusCode::OK,
        "activate.html",
        "Activate",
        context,
    )
}

#[handler]
pub async fn activate(
    req: &Request,
    roster: Data<&Roster>,
    Path(token): Path<String>,
    form: Fields,
) -> Response {
    if !csrf_ok(req, &form.0) {
        return csrf_refused(&roster, req);
    }
    match roster.applications.activate(&token).await {
        Ok(done) => {
            let text = if done.status == ApplicationStatus::Approved {
                "Your account is ready. You can log in now."
            } else {
                "Your email address is confirmed. An administrator will review your \
                 application; you will be told by email."
            };
            message(&roster, req, StatusCode::OK, "Activated", text)
        }
        Err(e) => link_refused(&roster, req, "Activate", e),
    }
}

/// The answer for a link that cannot be used, or a failure.
fn link_refused(roster: &Roster, req: &Request, title: &str, e: JoiningError) -> Response {
    let (status, text) = match &e {
        JoiningError::Token(TokenError::Expired) => (
            StatusCode::GONE,
            "This link has expired. Ask for a new one.",
        ),
        JoiningError::Token(_) => (
            StatusCode::NOT_FOUND,
            "This link is not valid: it may have been used already, or replaced by a newer one.",
        ),
        JoiningError::Application(_) | JoiningError::StatusChanged(_) => (
            StatusCode::CONFLICT,
            "This application was activated already, or can no longer be activated.",
        ),
        JoiningError::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is busy. Please try again in a moment.",
        ),
        other => {
            tracing::error!(error = %other, "link page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again later.",
            )
        }
    };
    message(roster, req, status, title, text)
}

/// Which password page.
#[derive(Clone, Copy)]
enum Purpose {
    Invitation,
    Reset,
}

impl Purpose {
    fn title(self) -> &'static str {
        match self {
            Self::Invitation => "Welcome",
            Self::Reset => "Set a new password",
        }
    }
    fn intro(self) -> &'static str {
        match self {
            Self::Invitation => "Choose a password to finish setting up your account.",
            Self::Reset => "Choose a new password for your account.",
        }
    }
    fn base(self) -> &'static str {
        match self {
            Self::Invitation => "/invite",
            Self::Reset => "/reset",
        }
    }
}

fn password_page(
    roster: &Roster,
    req: &Request,
    purpose: Purpose,
    token: &str,
    status: StatusCode,
    errors: &BTreeMap<String, String>,
) -> Response {
    let action = path(roster, &format!("{}/{token}", purpose.base()));
    let context = json!({ "action": action, "intro": purpose.intro(), "errors": errors });
    render(
        roster,
        req,
        status,
        "password.html",
        purpose.title(),
        context,
    )
}

#[handler]
pub fn invite_form(req: &Request, roster: Data<&Roster>, Path(token): Path<String>) -> Response {
    password_page(
        &roster,
        req,
        Purpose::Invitation,
        &token,
        StatusCode::OK,
        &BTreeMap::new(),
    )
}

#[handler]
pub fn reset_form(req: &Request, roster: Data<&Roster>, Path(token): Path<String>) -> Response {
    password_page(
        &roster,
        req,
        Purpose::Reset,
        &token,
        StatusCode::OK,
        &BTreeMap::new(),
    )
}

#[handler]
pub async fn invite(
    req: &Request,
    roster: Data<&Roster>,
    Path(token): Path<String>,
    form: Fields,
) -> Response {
    set_password(&roster, req, Purpose::Invitation, &token, &form.0).await
}

#[handler]
pub async fn reset(
    req: &Request,
    roster: Data<&Roster>,
    Path(token): Path<String>,
    form: Fields,
) -> Response {
    set_password(&roster, req, Purpose::Reset, &token, &form.0).await
}

async fn set_password(
    roster: &Roster,
    req: &Request,
    purpose: Purpose,
    token: &str,
    pairs: &[(String, String)],
) -> Response {
    if !csrf_ok(req, pairs) {
        return csrf_refused(roster, req);
    }
    let password = field(pairs, "password").unwrap_or_default();
    if field(pairs, "password_confirm") != Some(password) {
        let errors = BTreeMap::from([(
            "password_confirm".to_owned(),
            "The two passwords differ.".to_owned(),
        )]);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return password_page(roster, req, purpose, token, status, &errors);
    }
    let plain = PlainPassword::new(password);
    let result = match purpose {
        Purpose::Invitation => roster.invitations.accept_invitation(token, plain).await,
        Purpose::Reset => roster.resets.confirm_reset(token, plain).await,
    };
    match result {
        Ok(()) => message(
            roster,
            req,
            StatusCode::OK,
            "Password set",
            "Your password is set. You can log in now.",
        ),
        Err(JoiningError::Invalid(fields)) => {
            let errors = fields.into_iter().map(|f| (f.field, f.message)).collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            password_page(roster, req, purpose, token, status, &errors)
        }
        Err(e) => link_refused(roster, req, purpose.title(), e),
    }
}

#[handler]
pub fn reset_request_form(req: &Request, roster: Data<&Roster>) -> Response {
    let context = json!({ "action": path(&roster, "/reset"), "value": "" });
    let title = "Forgot your password?";
    render(
        &roster,
        req,
        StatusCode::OK,
        "reset_request.html",
        title,
        context,
    )
}

/// U10: the same answer whatever was typed; the request runs after it (see the API).
#[handler]
pub async fn reset_request(req: &Request, roster: Data<&Roster>, form: Fields) -> Response {
    if !csrf_ok(req, &form.0) {
        return csrf_refused(&roster, req);
    }
    let client = client_info(req, roster.config.client_address);
    match roster.resets.admit_request(&client).await {
        Ok(()) => {}
        Err(JoiningError::Throttled(t)) => {
            let text = format!(
                "Too many requests from your network. Try again in {} minutes.",
                t.0.seconds().div_ceil(60)
            );
            let status = StatusCode::TOO_MANY_REQUESTS;
            return message(&roster, req, status, "Forgot your password?", &text);
        }
        Err(e) => return link_refused(&roster, req, "Forgot your password?", e),
    }
    let input = field(&form.0, "login_id_or_email")
        .unwrap_or_default()
        .trim();
    if !input.is_empty() {
        start_reset(&roster, input.to_owned());
    }
    message(
        &roster,
        req,
        StatusCode::OK,
        "Check your email",
        RESET_ACCEPTED,
    )
}
