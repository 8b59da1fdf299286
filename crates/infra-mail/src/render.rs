//! M2: renders email templates with minijinja in a sandbox. Templates are administrator data:
//! the environment has no loader (no includes or imports reach the filesystem), no filters,
//! tests or functions (`Environment::empty`), strict undefined variables (a missing value is
//! an error, never an empty string), and a fuel budget, so a hostile template can neither
//! read the server nor spin it.

use minijinja::{Environment, UndefinedBehavior};
use roster_domain::ports::templates::{RenderedMail, TemplateRenderer};
use roster_domain::registration::{EmailTemplate, TemplateError};
use std::collections::{BTreeMap, BTreeSet};

/// Instructions one render may spend: plenty for a 64 KiB template with a few loops over
/// its variables, far too few for a loop nest meant to stall the worker.
const FUEL: u64 = 200_000;

/// The sandboxed minijinja renderer. Plain-text mail: nothing is HTML-escaped.
#[derive(Debug, Clone, Copy, Default)]
pub struct MiniJinjaRenderer;

impl MiniJinjaRenderer {
    fn environment() -> Environment<'static> {
        let mut env = Environment::empty();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        env
    }

    fn render_one(
        env: &Environment<'_>,
        source: &str,
        variables: &BTreeMap<String, String>,
    ) -> Result<String, TemplateError> {
        let template = env.template_from_str(source).map_err(syntax)?;
        // A variable the template uses without a value is reported by name (M2).
        if let Some(missing) = template
            .undeclared_variables(false)
            .into_iter()
            .find(|name| !variables.contains_key(name))
        {
            return Err(TemplateError::UnknownVariable(missing));
        }
        template.render(variables).map_err(syntax)
    }
}

fn syntax(error: minijinja::Error) -> TemplateError {
    // The kind and line only: the detail would echo template text back into logs.
    let line = error
        .line()
        .map(|l| format!(" on line {l}"))
        .unwrap_or_default();
    TemplateError::Syntax(format!("{}{line}", error.kind()))
}

impl TemplateRenderer for MiniJinjaRenderer {
    fn variables(&self, template: &EmailTemplate) -> Result<BTreeSet<String>, TemplateError> {
        let env = Self::environment();
        let mut names = BTreeSet::new();
        for source in [template.subject(), template.body()] {
            let parsed = env.template_from_str(source).map_err(syntax)?;
            names.extend(parsed.undeclared_variables(false));
        }
        Ok(names)
    }

    fn render(
        &self,
        template: &EmailTemplate,
        variables: &BTreeMap<String, String>,
    ) -> Result<RenderedMail, TemplateError> {
        let env = Self::environment();
        let subject = Self::render_one(&env, template.subject(), variables)?;
        let body = Self::render_one(&env, template.body(), variables)?;
        // A value with a line break must not turn the subject into two header lines.
        let subject = subject.split(['\r', '\n']).collect::<Vec<_>>().join(" ");
        Ok(RenderedMail { subject, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_domain::registration::MailKind;

    fn template(subject: &str, body: &str) -> EmailTemplate {
        EmailTemplate::new(MailKind::Invitation, subject, body).unwrap()
    }

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn m2_every_built_in_template_renders_with_its_sample_variables() {
        for kind in MailKind::ALL {
            let out = MiniJinjaRenderer
                .render(&EmailTemplate::default_for(kind), &kind.sample_variables())
                .unwrap();
            assert!(
                out.subject.contains("Roster LMS"),
                "{kind:?}: {}",
                out.subject
            );
            assert!(!out.body.contains("{{"), "{kind:?} left a placeholder");
        }
    }

    #[test]
    fn m2_variables_lists_the_names_of_subject_and_body() {
        let names = MiniJinjaRenderer
            .variables(&template(
                "Hi {{ name }}",
                "{{ link }} {% if login_id %}x{% endif %}",
            ))
            .unwrap();
        let expected: BTreeSet<String> = ["link", "login_id", "name"].map(String::from).into();
        assert_eq!(names, expected);
    }

    #[test]
    fn m2_a_template_that_does_not_parse_is_a_syntax_error() {
        let err = MiniJinjaRenderer
            .variables(&template("Hi", "{% if name %}unclosed"))
            .unwrap_err();
        assert!(matches!(err, TemplateError::Syntax(_)), "{err:?}");
    }

    #[test]
    fn m2_a_used_variable_without_a_value_is_named_not_rendered_empty() {
        let err = MiniJinjaRenderer
            .render(
                &template("Hi {{ name }}", "{{ link }}"),
                &vars(&[("name", "A")]),
            )
            .unwrap_err();
        assert_eq!(err, TemplateError::UnknownVariable("link".into()));
    }

    #[test]
    fn m2_values_are_substituted_verbatim_in_plain_text() {
        let out = MiniJinjaRenderer
            .render(
                &template("Hi {{ name }}", "<{{ name }}> & {{ link }}"),
                &vars(&[("name", "<b>Sato</b>"), ("link", "https://x/?a=1&b=2")]),
            )
            .unwrap();
        assert_eq!(out.body, "<<b>Sato</b>> & https://x/?a=1&b=2");
    }

    #[test]
    fn m2_sandbox_has_no_includes_functions_or_filters() {
        for body in [
            "{% include '/etc/passwd' %}",
            "{{ range(10) }}",
            "{{ name|upper }}",
            "{% for c in name %}{% for d in name %}{% for e in name %}{% for f in name %}{{ c }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        ] {
            let long_name = "x".repeat(200);
            let result =
                MiniJinjaRenderer.render(&template("s", body), &vars(&[("name", &long_name)]));
            // Refused either way: an unknown name (`range` is no function here) or an error.
            assert!(
                matches!(
                    result,
                    Err(TemplateError::Syntax(_) | TemplateError::UnknownVariable(_))
                ),
                "{body}: {result:?}"
            );
        }
    }

    #[test]
    fn m2_a_line_break_in_a_value_stays_out_of_the_subject_header() {
        let out = MiniJinjaRenderer
            .render(
                &template("Hi {{ name }}", "b"),
                &vars(&[("name", "A\r\nBcc: evil@example.com")]),
            )
            .unwrap();
        assert!(!out.subject.contains(['\r', '\n']), "{:?}", out.subject);
    }
}
