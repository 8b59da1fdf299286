//! The page templates (minijinja, HTML autoescape for every `.html` template: every value a
//! page shows — including what a person typed — is escaped), and the headers every page
//! answers with.

use minijinja::Environment;
use poem::Response;
use poem::http::StatusCode;
use serde::Serialize;
use std::sync::LazyLock;

/// No script, no frame, no foreign origin: the pages are plain forms and one stylesheet.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The one stylesheet, served at `/assets/roster.css`.
pub const STYLESHEET: &str = include_str!("templates/roster.css");

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    // Autoescape is on for `.html` names (minijinja's default); a missing value (no error
    // for a field) renders as nothing.
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("templates/base.html")),
        ("register.html", include_str!("templates/register.html")),
        ("review.html", include_str!("templates/review.html")),
        ("message.html", include_str!("templates/message.html")),
        ("activate.html", include_str!("templates/activate.html")),
        ("password.html", include_str!("templates/password.html")),
        (
            "reset_request.html",
            include_str!("templates/reset_request.html"),
        ),
    ] {
        if let Err(e) = env.add_template(name, source) {
            // The templates are compiled in: a broken one is a build defect, caught by the
            // page tests, never by a visitor.
            tracing::error!(template = name, error = %e, "page template does not parse");
        }
    }
    env
});

/// `template` rendered with `context`, answered with `status` and the page headers.
pub fn page(status: StatusCode, template: &str, context: impl Serialize) -> Response {
    let rendered = TEMPLATES
        .get_template(template)
        .and_then(|t| t.render(minijinja::value::Serde(&context)));
    match rendered {
        Ok(html) => html_response(status, html),
        Err(e) => {
            tracing::error!(template, error = %e, "page did not render");
            html_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><title>Error</title><p>Something went wrong on our side.</p>"
                    .to_owned(),
            )
        }
    }
}

fn html_response(status: StatusCode, html: String) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        .body(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a8_every_template_parses() {
        for name in [
            "register.html",
            "review.html",
            "message.html",
            "activate.html",
            "password.html",
            "reset_request.html",
        ] {
            assert!(TEMPLATES.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn a8_values_are_escaped() {
        let html = TEMPLATES
            .get_template("message.html")
            .unwrap()
            .render(minijinja::context! {
                title => "<b>t</b>", site_name => "S", assets => "/assets",
                general_error => "", message => "<script>alert(1)</script>",
            })
            .unwrap();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
    }
}
