//! The template renderer port (M2): the mail adapter's sandboxed template engine, asked at
//! save time whether a template renders and which variables it uses, and for previews.
//! Synchronous: rendering a template of at most 64 KiB is pure CPU work with no IO.

use crate::registration::{EmailTemplate, TemplateError};
use std::collections::{BTreeMap, BTreeSet};

/// A rendered mail: what the recipient would read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    /// The subject, one line.
    pub subject: String,
    /// The body, plain text.
    pub body: String,
}

/// Renders email templates in a sandbox: templates are data, nothing in them reaches the
/// server (no includes, no filesystem, no functions beyond plain substitution and escaping).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TemplateRenderer: Send + Sync {
    /// The names of the variables the subject and body use. Errors: `Syntax` when the
    /// template does not parse.
    fn variables(&self, template: &EmailTemplate) -> Result<BTreeSet<String>, TemplateError>;

    /// Renders subject and body with these values. A variable the template uses without a
    /// value is an error, never an empty string. Errors: `Syntax`; `UnknownVariable`.
    fn render(
        &self,
        template: &EmailTemplate,
        variables: &BTreeMap<String, String>,
    ) -> Result<RenderedMail, TemplateError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::MailKind;

    #[test]
    fn m2_renderer_can_be_mocked_synchronously() {
        let mut renderer = MockTemplateRenderer::new();
        renderer.expect_render().returning(|t, vars| {
            Ok(RenderedMail {
                subject: t.subject().replace("{{ site_name }}", &vars["site_name"]),
                body: t.body().to_owned(),
            })
        });
        let kind = MailKind::Invitation;
        let out = renderer
            .render(&EmailTemplate::default_for(kind), &kind.sample_variables())
            .unwrap();
        assert_eq!(out.subject, "[Roster LMS] You are invited");
    }
}
