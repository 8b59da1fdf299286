//! The registration form's parts (A2, U8, A5): what the person typed (never the password),
//! the custom fields as the template draws them, and the form page itself.

use super::{field, path, render};
use crate::state::Roster;
use poem::http::StatusCode;
use poem::{Request, Response};
use roster_domain::services::joining::RegistrationForm;
use roster_domain::user::{FieldDefinition, FieldType};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The page title of every registration step.
pub(super) const TITLE: &str = "Create an account";

/// What the person typed, minus the password.
#[derive(Default)]
pub(super) struct Entered {
    pub(super) values: Map<String, Value>,
    pub(super) attributes: BTreeMap<String, String>,
}

impl Entered {
    pub(super) fn from_pairs(pairs: &[(String, String)], form: &RegistrationForm) -> Self {
        let mut values = Map::new();
        for name in ["login_id", "name", "email", "code"] {
            let v = field(pairs, name).unwrap_or_default();
            values.insert(name.into(), json!(v));
        }
        let mut attributes = BTreeMap::new();
        for def in &form.fields {
            let key = def.key().as_str();
            if let Some(v) = field(pairs, &format!("attr.{key}")) {
                attributes.insert(key.to_owned(), v.to_owned());
            }
        }
        Self { values, attributes }
    }

    pub(super) fn text(&self, name: &str) -> String {
        self.values
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }
}

pub(super) fn action(roster: &Roster, token: Option<&str>) -> String {
    match token {
        Some(t) => path(roster, &format!("/register/{t}")),
        None => path(roster, "/register"),
    }
}

pub(super) fn fields_view(
    defs: &[FieldDefinition],
    values: &BTreeMap<String, String>,
) -> Vec<Value> {
    defs.iter()
        .map(|d| {
            let (ty, options) = match d.field_type() {
                FieldType::Text => ("text", Vec::new()),
                FieldType::Date => ("date", Vec::new()),
                FieldType::Select { options } => ("select", options.clone()),
            };
            let key = d.key().as_str();
            json!({
                "key": key, "label": d.label().as_str(), "type": ty, "options": options,
                "required": d.required(), "value": values.get(key).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

/// The form, with `entered` values and `errors` by field.
#[allow(clippy::too_many_arguments)]
pub(super) fn form_page(
    roster: &Roster,
    req: &Request,
    status: StatusCode,
    token: Option<&str>,
    form: &RegistrationForm,
    entered: &Entered,
    errors: &BTreeMap<String, String>,
    general: &str,
) -> Response {
    let context = json!({
        "action": action(roster, token),
        "values": entered.values,
        "fields": fields_view(&form.fields, &entered.attributes),
        "asks_code": form.asks_code,
        "errors": errors,
        "general_error": general,
    });
    render(roster, req, status, "register.html", TITLE, context)
}
