//! A2, A5: `/register` and `/register/{registration_token}` — the form (with the custom
//! fields marked for it, U8, and the code field when the URL has codes), the confirmation
//! step (what will be submitted), then the application. Errors come back on the form with
//! the entered values kept — never the password.

use super::register_form::{Entered, TITLE, action, fields_view, form_page};
use super::{Fields, csrf_ok, csrf_refused, field, message, render};
use crate::client::client_info;
use crate::state::Roster;
use poem::http::StatusCode;
use poem::web::{Data, Path};
use poem::{Request, Response, handler};
use roster_domain::registration::{ApplicationError, ApplicationForm, RawPassword, UrlRefusal};
use roster_domain::services::JoiningError;
use roster_domain::services::joining::RegistrationForm;
use serde_json::json;
use std::collections::BTreeMap;

#[handler]
pub async fn form_open(req: &Request, roster: Data<&Roster>) -> Response {
    show(&roster, req, None).await
}

#[handler]
pub async fn form_via_url(
    req: &Request,
    roster: Data<&Roster>,
    Path(token): Path<String>,
) -> Response {
    show(&roster, req, Some(token)).await
}

#[handler]
pub async fn post_open(req: &Request, roster: Data<&Roster>, form: Fields) -> Response {
    post(&roster, req, None, &form.0).await
}

#[handler]
pub async fn post_via_url(
    req: &Request,
    roster: Data<&Roster>,
    Path(token): Path<String>,
    form: Fields,
) -> Response {
    post(&roster, req, Some(token), &form.0).await
}

async fn show(roster: &Roster, req: &Request, token: Option<String>) -> Response {
    match roster
        .applications
        .registration_form(token.as_deref())
        .await
    {
        Ok(form) => form_page(
            roster,
            req,
            StatusCode::OK,
            token.as_deref(),
            &form,
            &Entered::default(),
            &BTreeMap::new(),
            "",
        ),
        Err(e) => closed(roster, req, &e),
    }
}

/// The pages for a form that cannot be used at all.
fn closed(roster: &Roster, req: &Request, e: &JoiningError) -> Response {
    let (status, text) = match e {
        JoiningError::Application(ApplicationError::RegistrationClosed) => (
            StatusCode::CONFLICT,
            "Registration is closed at the moment.",
        ),
        JoiningError::Url(UrlRefusal::NotFound) => (
            StatusCode::NOT_FOUND,
            "This registration link does not exist. Check the address you were given.",
        ),
        JoiningError::Url(UrlRefusal::Stopped) => (
            StatusCode::CONFLICT,
            "This registration link no longer accepts applications.",
        ),
        other => {
            tracing::error!(error = %other, "registration page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again later.",
            )
        }
    };
    message(roster, req, status, TITLE, text)
}

async fn post(
    roster: &Roster,
    req: &Request,
    token: Option<String>,
    pairs: &[(String, String)],
) -> Response {
    if !csrf_ok(req, pairs) {
        return csrf_refused(roster, req);
    }
    let form = match roster
        .applications
        .registration_form(token.as_deref())
        .await
    {
        Ok(form) => form,
        Err(e) => return closed(roster, req, &e),
    };
    let entered = Entered::from_pairs(pairs, &form);
    let token = token.as_deref();
    if field(pairs, "back").is_some() {
        let none = BTreeMap::new();
        return form_page(
            roster,
            req,
            StatusCode::OK,
            token,
            &form,
            &entered,
            &none,
            "",
        );
    }
    let password = field(pairs, "password").unwrap_or_default().to_owned();
    let mut errors = BTreeMap::new();
    if field(pairs, "password_confirm") != Some(password.as_str()) {
        errors.insert(
            "password_confirm".to_owned(),
            "The two passwords differ.".to_owned(),
        );
    }
    let application = ApplicationForm {
        login_id: entered.text("login_id"),
        name: entered.text("name"),
        email: entered.text("email"),
        password: RawPassword::new(password.clone()),
        attributes: entered.attributes.clone(),
        registration_token: token.map(str::to_owned),
        code: form.asks_code.then(|| entered.text("code")),
    };
    let submitting = field(pairs, "step") == Some("submit");
    let result = if !errors.is_empty() {
        // Still check the rest, so every problem shows at once.
        roster.applications.review(application).await.map(|_| None)
    } else if submitting {
        let client = client_info(req, roster.config.client_address);
        roster
            .applications
            .submit(application, &client)
            .await
            .map(Some)
    } else {
        roster.applications.review(application).await.map(|_| None)
    };
    match result {
        Ok(_) if !errors.is_empty() => {
            let s = StatusCode::UNPROCESSABLE_ENTITY;
            form_page(roster, req, s, token, &form, &entered, &errors, "")
        }
        Ok(Some(submitted)) => {
            let text = format!(
                "We sent a link to {}. Follow it by {} to activate your application.",
                entered.text("email"),
                submitted.activation_expires_at.format("%Y-%m-%d %H:%M UTC"),
            );
            message(roster, req, StatusCode::OK, "Check your email", &text)
        }
        Ok(None) => {
            let context = json!({
                "action": action(roster, token),
                "values": entered.values,
                "fields": fields_view(&form.fields, &entered.attributes),
                "asks_code": form.asks_code,
                "password": password,
            });
            render(
                roster,
                req,
                StatusCode::OK,
                "review.html",
                "Confirm",
                context,
            )
        }
        Err(e) => refused(roster, req, token, &form, &entered, errors, e),
    }
}

/// The form again with the refusal shown where it belongs.
fn refused(
    roster: &Roster,
    req: &Request,
    token: Option<&str>,
    form: &RegistrationForm,
    entered: &Entered,
    mut errors: BTreeMap<String, String>,
    e: JoiningError,
) -> Response {
    let mut general = String::new();
    let status = match e {
        JoiningError::Invalid(fields) => {
            for f in fields {
                errors.entry(f.field).or_insert(f.message);
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        JoiningError::Url(
            r @ (UrlRefusal::CodeRequired
            | UrlRefusal::CodeInvalid
            | UrlRefusal::CodeExpired
            | UrlRefusal::CodeUsedUp),
        ) => {
            let text = match r {
                UrlRefusal::CodeRequired => "Enter the authentication code you were given.",
                UrlRefusal::CodeExpired => "This authentication code has expired.",
                UrlRefusal::CodeUsedUp => "This authentication code has been used up.",
                _ => "This authentication code is not valid.",
            };
            errors.insert("code".into(), text.into());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        JoiningError::Application(ApplicationError::LoginIdTaken) => {
            errors.insert(
                "login_id".into(),
                "This login ID is not available; choose another.".into(),
            );
            StatusCode::CONFLICT
        }
        JoiningError::Throttled(t) => {
            general = format!(
                "Too many attempts from your network. Try again in {} minutes.",
                t.0.seconds().div_ceil(60)
            );
            StatusCode::TOO_MANY_REQUESTS
        }
        JoiningError::Busy => {
            general = "The service is busy. Please send the form again in a moment.".into();
            StatusCode::SERVICE_UNAVAILABLE
        }
        other @ (JoiningError::Application(ApplicationError::RegistrationClosed)
        | JoiningError::Url(_)) => return closed(roster, req, &other),
        other => {
            tracing::error!(error = %other, "application from the page failed");
            general = "Something went wrong on our side. Please try again later.".into();
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    form_page(roster, req, status, token, form, entered, &errors, &general)
}
