//! The A1 registration settings and the U8 user information fields as the API shows and
//! takes them.

use super::Fields;
use crate::problem::ApiError;
use poem_openapi::{Enum, Object};
use roster_domain::registration::{PurgeAfterDays, RegistrationSettings};
use roster_domain::services::FieldPatch;
use roster_domain::user::{FieldDefinition, FieldKey, FieldLabel, FieldType};

/// The registration settings (A1).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct RegistrationSettingsDto {
    /// Whether people may apply at all (through `/register` or a registration URL).
    pub self_registration: bool,
    /// Whether activation creates the user at once (A3).
    pub auto_approve: bool,
    /// Delete `not_activated` applications after this many days, 1–365 (A7); `null`: never.
    #[oai(nullable)]
    pub purge_not_activated_after_days: Option<u16>,
}

impl From<RegistrationSettings> for RegistrationSettingsDto {
    fn from(s: RegistrationSettings) -> Self {
        Self {
            self_registration: s.self_registration,
            auto_approve: s.auto_approve,
            purge_not_activated_after_days: s.purge_not_activated_after.map(PurgeAfterDays::get),
        }
    }
}

impl RegistrationSettingsDto {
    /// The domain settings, or 422 naming the purge days.
    pub fn parse(self) -> Result<RegistrationSettings, ApiError> {
        let mut fields = Fields::new();
        let purge = match self.purge_not_activated_after_days {
            None => Some(None),
            Some(days) => fields
                .check("purge_not_activated_after_days", PurgeAfterDays::new(days))
                .map(Some),
        };
        fields.finish()?;
        Ok(RegistrationSettings {
            self_registration: self.self_registration,
            auto_approve: self.auto_approve,
            purge_not_activated_after: purge.flatten(),
        })
    }
}

/// What a custom field holds (U8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum FieldTypeDto {
    /// Free text on one line.
    Text,
    /// One of `options`.
    Select,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

/// A custom profile field (U8).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct UserFieldView {
    /// The key: the attribute name in the API and the CSV column.
    pub key: String,
    /// The label shown to people.
    pub label: String,
    /// What it holds.
    #[oai(rename = "type")]
    pub field_type: FieldTypeDto,
    /// A select's options, in display order (empty for the other types).
    pub options: Vec<String>,
    /// Whether every user must have a value.
    pub required: bool,
    /// Whether the self-registration form asks for it.
    pub on_registration_form: bool,
}

impl From<FieldDefinition> for UserFieldView {
    fn from(d: FieldDefinition) -> Self {
        let (field_type, options) = match d.field_type() {
            FieldType::Text => (FieldTypeDto::Text, Vec::new()),
            FieldType::Date => (FieldTypeDto::Date, Vec::new()),
            FieldType::Select { options } => (FieldTypeDto::Select, options.clone()),
        };
        Self {
            key: d.key().as_str().to_owned(),
            label: d.label().as_str().to_owned(),
            field_type,
            options,
            required: d.required(),
            on_registration_form: d.on_registration_form(),
        }
    }
}

/// The custom fields, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct UserFieldList {
    /// The fields.
    pub items: Vec<UserFieldView>,
}

/// A new custom field.
#[derive(Debug, Clone, Object)]
pub struct NewUserFieldBody {
    /// A plain identifier (letter first), not a built-in column name.
    #[oai(validator(max_length = 256))]
    pub key: String,
    /// The label.
    #[oai(validator(max_length = 1024))]
    pub label: String,
    /// What it holds.
    #[oai(rename = "type")]
    pub field_type: FieldTypeDto,
    /// A select's options (required for `select`, ignored otherwise).
    #[oai(default, validator(max_items = 100))]
    pub options: Vec<String>,
    /// Whether a value is required (`false` by default).
    #[oai(default)]
    pub required: bool,
    /// Whether the registration form asks for it (`false` by default).
    #[oai(default)]
    pub on_registration_form: bool,
}

fn field_type(
    fields: &mut Fields,
    ty: FieldTypeDto,
    options: Option<Vec<String>>,
) -> Option<FieldType> {
    match ty {
        FieldTypeDto::Text => Some(FieldType::Text),
        FieldTypeDto::Date => Some(FieldType::Date),
        FieldTypeDto::Select => {
            fields.check("options", FieldType::select(options.unwrap_or_default()))
        }
    }
}

impl NewUserFieldBody {
    /// The definition, or 422 with every bad field.
    pub fn parse(self) -> Result<FieldDefinition, ApiError> {
        let mut fields = Fields::new();
        let key = fields.check("key", FieldKey::parse(&self.key));
        let label = fields.check("label", FieldLabel::parse(&self.label));
        let ty = field_type(&mut fields, self.field_type, Some(self.options));
        fields.finish()?;
        let (Some(key), Some(label), Some(ty)) = (key, label, ty) else {
            return Err(ApiError::unexpected());
        };
        let mut fields = Fields::new();
        let definition = fields.check(
            "options",
            FieldDefinition::new(key, label, ty, self.required, self.on_registration_form),
        );
        fields.finish()?;
        definition.ok_or_else(ApiError::unexpected)
    }
}

/// A change to a custom field; absent members stay as they are. The key never changes.
#[derive(Debug, Clone, Object)]
pub struct UserFieldPatchBody {
    /// New label.
    #[oai(validator(max_length = 1024))]
    pub label: Option<String>,
    /// New type; `select` needs `options`.
    #[oai(rename = "type")]
    pub field_type: Option<FieldTypeDto>,
    /// A select's options (with `type: select`).
    #[oai(validator(max_items = 100))]
    pub options: Option<Vec<String>>,
    /// Whether a value is required.
    pub required: Option<bool>,
    /// Whether the registration form asks for it.
    pub on_registration_form: Option<bool>,
}

impl UserFieldPatchBody {
    /// The patch, or 422 with every bad field.
    pub fn parse(self) -> Result<FieldPatch, ApiError> {
        let mut fields = Fields::new();
        let label = match &self.label {
            Some(l) => fields.check("label", FieldLabel::parse(l)).map(Some),
            None => Some(None),
        };
        let ty = match self.field_type {
            Some(t) => field_type(&mut fields, t, self.options).map(Some),
            None if self.options.is_some() => {
                fields.push(
                    "options",
                    "options_need_type",
                    "send `type: select` with the options",
                );
                None
            }
            None => Some(None),
        };
        fields.finish()?;
        Ok(FieldPatch {
            label: label.flatten(),
            field_type: ty.flatten(),
            required: self.required,
            on_registration_form: self.on_registration_form,
        })
    }
}
