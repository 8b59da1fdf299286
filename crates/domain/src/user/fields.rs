//! Custom profile fields (U8): what an administrator defines (key, label, type, required, shown
//! on the self-registration form) and the check of a user's values against those definitions.
//!
//! A field's key is also its CSV column (C1) and its name in the API, so keys are plain
//! identifiers and never collide with a built-in column. The field's type and definition live
//! here, its key and label in [`names`], and the check of a user's values in [`values`]; all
//! are re-exported here.

pub mod names;
pub mod values;

pub use values::{
    AttributeError, AttributeMode, TEXT_VALUE_MAX_CHARS, merge_attributes, validate_attributes,
};

pub use names::{
    FIELD_KEY_MAX_CHARS, FIELD_LABEL_MAX_CHARS, FieldKey, FieldKeyError, FieldLabel,
    FieldLabelError, RESERVED_FIELD_KEYS,
};

use crate::error::ErrorCode;
use crate::text::{TextProblem, bounded_text};
use serde::{Deserialize, Serialize};

/// Most options a select field may have.
pub const SELECT_MAX_OPTIONS: usize = 100;

/// What a field holds. Build a select with [`FieldType::select`]; [`FieldDefinition::new`]
/// checks the options again, so a definition never holds a bad list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldType {
    /// Free text, up to 1,000 characters on one line.
    Text,
    /// One of a fixed list: 1–100 distinct, non-empty options, matched exactly.
    Select {
        /// The options, trimmed, in display order.
        options: Vec<String>,
    },
    /// A calendar date, stored as `YYYY-MM-DD`.
    Date,
}

/// Why a select field's options were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldTypeError {
    /// No option at all.
    #[error("a select field needs at least one option")]
    NoOptions,
    /// Over 100 options.
    #[error("a select field has at most {SELECT_MAX_OPTIONS} options")]
    TooManyOptions,
    /// An option is empty after trimming.
    #[error("a select option is empty")]
    EmptyOption,
    /// An option is over 200 characters.
    #[error("a select option is longer than {FIELD_LABEL_MAX_CHARS} characters")]
    OptionTooLong,
    /// An option contains a control character.
    #[error("a select option contains a control character")]
    OptionControlCharacter,
    /// The same option twice.
    #[error("the select option {0:?} appears twice")]
    DuplicateOption(String),
}

impl ErrorCode for FieldTypeError {
    fn code(&self) -> &'static str {
        match self {
            Self::NoOptions => "select_no_options",
            Self::TooManyOptions => "select_too_many_options",
            Self::EmptyOption => "select_option_empty",
            Self::OptionTooLong => "select_option_too_long",
            Self::OptionControlCharacter => "select_option_control_character",
            Self::DuplicateOption(_) => "select_option_duplicate",
        }
    }
}

impl FieldType {
    /// A select field; options are trimmed (values are trimmed before they are matched, so an
    /// option with surrounding spaces could never be chosen).
    pub fn select<S: AsRef<str>>(
        options: impl IntoIterator<Item = S>,
    ) -> Result<Self, FieldTypeError> {
        let mut checked: Vec<String> = Vec::new();
        for raw in options {
            let option =
                bounded_text(raw.as_ref(), FIELD_LABEL_MAX_CHARS).map_err(|p| match p {
                    TextProblem::Empty => FieldTypeError::EmptyOption,
                    TextProblem::TooLong => FieldTypeError::OptionTooLong,
                    TextProblem::ControlCharacter => FieldTypeError::OptionControlCharacter,
                })?;
            if checked.iter().any(|o| o == option) {
                return Err(FieldTypeError::DuplicateOption(option.to_owned()));
            }
            if checked.len() == SELECT_MAX_OPTIONS {
                return Err(FieldTypeError::TooManyOptions);
            }
            checked.push(option.to_owned());
        }
        if checked.is_empty() {
            return Err(FieldTypeError::NoOptions);
        }
        Ok(Self::Select { options: checked })
    }

    /// Checks a type built directly (the enum's fields are public): a select's options must
    /// be what [`FieldType::select`] would make of them.
    fn checked(self) -> Result<Self, FieldTypeError> {
        match self {
            Self::Text => Ok(Self::Text),
            Self::Date => Ok(Self::Date),
            Self::Select { options } => Self::select(&options),
        }
    }
}

/// One custom profile field. Fields are private: build it with [`FieldDefinition::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawFieldDefinition")]
pub struct FieldDefinition {
    key: FieldKey,
    label: FieldLabel,
    #[serde(flatten)]
    field_type: FieldType,
    required: bool,
    on_registration_form: bool,
}

impl FieldDefinition {
    /// A field definition; a select's options are checked (and trimmed).
    pub fn new(
        key: FieldKey,
        label: FieldLabel,
        field_type: FieldType,
        required: bool,
        on_registration_form: bool,
    ) -> Result<Self, FieldTypeError> {
        Ok(Self {
            key,
            label,
            field_type: field_type.checked()?,
            required,
            on_registration_form,
        })
    }

    /// The key: the attribute name and CSV column.
    pub fn key(&self) -> &FieldKey {
        &self.key
    }
    /// The label shown to people.
    pub fn label(&self) -> &FieldLabel {
        &self.label
    }
    /// What it holds.
    pub fn field_type(&self) -> &FieldType {
        &self.field_type
    }
    /// Whether every user must have a value (on creation, and it may not be cleared).
    pub fn required(&self) -> bool {
        self.required
    }
    /// Whether the self-registration form asks for it (A-section).
    pub fn on_registration_form(&self) -> bool {
        self.on_registration_form
    }
}

/// The wire shape, checked into a [`FieldDefinition`] on deserialisation.
#[derive(Deserialize)]
struct RawFieldDefinition {
    key: FieldKey,
    label: FieldLabel,
    #[serde(flatten)]
    field_type: FieldType,
    required: bool,
    on_registration_form: bool,
}

impl TryFrom<RawFieldDefinition> for FieldDefinition {
    type Error = FieldTypeError;
    fn try_from(raw: RawFieldDefinition) -> Result<Self, Self::Error> {
        Self::new(
            raw.key,
            raw.label,
            raw.field_type,
            raw.required,
            raw.on_registration_form,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn u8_select_options_rules() {
        assert_eq!(
            FieldType::select([" A ", "B"]).unwrap(),
            FieldType::Select {
                options: vec!["A".into(), "B".into()]
            }
        );
        let none: [&str; 0] = [];
        assert_eq!(FieldType::select(none), Err(FieldTypeError::NoOptions));
        assert_eq!(
            FieldType::select(["A", " "]),
            Err(FieldTypeError::EmptyOption)
        );
        assert_eq!(
            FieldType::select(["A", "B", "A "]),
            Err(FieldTypeError::DuplicateOption("A".into()))
        );
        assert_eq!(
            FieldType::select(["a\tb"]),
            Err(FieldTypeError::OptionControlCharacter)
        );
        assert_eq!(
            FieldType::select(["x".repeat(201)]),
            Err(FieldTypeError::OptionTooLong)
        );
        let hundred: Vec<String> = (0..100).map(|i| format!("o{i}")).collect();
        assert!(FieldType::select(&hundred).is_ok());
        let over: Vec<String> = (0..101).map(|i| format!("o{i}")).collect();
        assert_eq!(
            FieldType::select(&over),
            Err(FieldTypeError::TooManyOptions)
        );
        assert_eq!(
            FieldType::select(["A", "A"]).unwrap_err().code(),
            "select_option_duplicate"
        );
    }

    fn key(k: &str) -> FieldKey {
        FieldKey::parse(k).unwrap()
    }
    fn label(l: &str) -> FieldLabel {
        FieldLabel::parse(l).unwrap()
    }

    #[test]
    fn u8_definition_checks_a_select_built_directly() {
        let bad = FieldType::Select {
            options: vec!["A".into(), "A".into()],
        };
        assert_eq!(
            FieldDefinition::new(key("grade"), label("Grade"), bad, true, false),
            Err(FieldTypeError::DuplicateOption("A".into()))
        );
        let spaced = FieldType::Select {
            options: vec![" A".into()],
        };
        let def = FieldDefinition::new(key("grade"), label("Grade"), spaced, true, true).unwrap();
        assert_eq!(
            def.field_type(),
            &FieldType::Select {
                options: vec!["A".into()]
            }
        );
        assert_eq!(def.key().as_str(), "grade");
        assert_eq!(def.label().as_str(), "Grade");
        assert!(def.required() && def.on_registration_form());
    }

    #[test]
    fn u8_definition_serde_round_trip_and_checks() {
        let def = FieldDefinition::new(
            key("course"),
            label("Course"),
            FieldType::select(["Math", "Art"]).unwrap(),
            false,
            true,
        )
        .unwrap();
        let json = serde_json::to_value(&def).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"key": "course", "label": "Course", "type": "select",
                "options": ["Math", "Art"], "required": false, "on_registration_form": true})
        );
        let back: FieldDefinition = serde_json::from_value(json).unwrap();
        assert_eq!(back, def);
        let bad_key = serde_json::json!({"key": "email", "label": "E", "type": "text",
            "required": false, "on_registration_form": false});
        assert!(serde_json::from_value::<FieldDefinition>(bad_key).is_err());
        let bad_options = serde_json::json!({"key": "k", "label": "K", "type": "select",
            "options": [], "required": false, "on_registration_form": false});
        assert!(serde_json::from_value::<FieldDefinition>(bad_options).is_err());
    }

    proptest! {

        #[test]
        fn u8_select_never_panics(options in proptest::collection::vec(any::<String>(), 0..8)) {
            if let Ok(FieldType::Select { options: kept }) = FieldType::select(&options) {
                prop_assert_eq!(FieldType::select(&kept).unwrap(), FieldType::Select { options: kept.clone() });
            }
        }
    }
}
