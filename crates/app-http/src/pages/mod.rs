//! The applicant-facing pages (A8): plain server-rendered HTML forms that work without
//! JavaScript — `/register`, `/register/{registration_token}` (with its confirmation step),
//! `/activate/{token}`, `/invite/{token}`, `/reset` and `/reset/{token}`. They call the same
//! domain services as the API; every POST carries the CSRF token (`csrf.rs`), every value is
//! escaped by the templates (`render.rs`), and every answer carries a restrictive
//! Content-Security-Policy. A host front end can serve these steps instead: the links in
//! mails follow `ROSTER_PUBLIC_URL` (or the host's `PublicLinks`).

mod csrf;
mod links;
mod register;
mod register_form;
mod render;

use crate::state::Roster;
use poem::http::StatusCode;
use poem::web::Form;
use poem::{Request, Response, Route, get, handler};
use serde_json::{Map, Value, json};

/// `route` with the page routes added beside the API (at the root of [`crate::routes`]).
pub fn routes(route: Route) -> Route {
    route
        .at(
            "/register",
            get(register::form_open).post(register::post_open),
        )
        .at(
            "/register/:token",
            get(register::form_via_url).post(register::post_via_url),
        )
        .at(
            "/activate/:token",
            get(links::activate_form).post(links::activate),
        )
        .at(
            "/invite/:token",
            get(links::invite_form).post(links::invite),
        )
        .at(
            "/reset",
            get(links::reset_request_form).post(links::reset_request),
        )
        .at("/reset/:token", get(links::reset_form).post(links::reset))
        .at("/assets/roster.css", get(stylesheet))
}

#[handler]
fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header("Cache-Control", "public, max-age=3600")
        .body(render::STYLESHEET)
}

/// The submitted form fields, in order (a field may repeat; the first counts).
pub(crate) type Fields = Form<Vec<(String, String)>>;

/// The first value of `name`.
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Renders `template` with `context` plus what every page has (site name, asset base,
/// CSRF token), setting the CSRF cookie when the browser has none.
fn render(
    roster: &Roster,
    req: &Request,
    status: StatusCode,
    template: &str,
    title: &str,
    context: Value,
) -> Response {
    let token = csrf::token_for(roster, req);
    let mut map = match context {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    map.insert("title".into(), json!(title));
    map.insert(
        "site_name".into(),
        json!(roster.config.joining.links.site_name),
    );
    map.insert(
        "assets".into(),
        json!(format!("{}/assets", roster.config.base_path)),
    );
    map.insert("csrf".into(), json!(token.value));
    map.entry("general_error").or_insert(json!(""));
    let mut response = render::page(status, template, Value::Object(map));
    if let Some(cookie) = token.set_cookie
        && let Ok(value) = cookie.parse()
    {
        response
            .headers_mut()
            .append(poem::http::header::SET_COOKIE, value);
    }
    response
}

/// A page with one message.
fn message(
    roster: &Roster,
    req: &Request,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    render(
        roster,
        req,
        status,
        "message.html",
        title,
        json!({ "message": text }),
    )
}

/// 403 for a POST without the browser's CSRF token.
fn csrf_refused(roster: &Roster, req: &Request) -> Response {
    message(
        roster,
        req,
        StatusCode::FORBIDDEN,
        "Form expired",
        "This form could not be accepted. Go back, reload the page and send it again.",
    )
}

/// Whether the POST's `csrf` field matches the browser's cookie.
fn csrf_ok(req: &Request, pairs: &[(String, String)]) -> bool {
    csrf::verify(req, field(pairs, "csrf"))
}

/// The mount path of a page (a host may nest the routes under a prefix).
fn path(roster: &Roster, tail: &str) -> String {
    format!("{}{tail}", roster.config.base_path)
}
