//! A user's custom field values (U8) checked against the field definitions, for the API, the
//! CSV import (C1, C4) and the self-registration form (A-section).
//!
//! Every value is trimmed. An empty value means "no value": on creation an optional field is
//! simply left out; on update it clears the field (the CSV importer turns its clear marker into
//! an empty value, and leaves out the columns of empty cells, C3). Unknown keys are errors,
//! never silently dropped, and all problems are reported at once, one per field.

use super::{FieldDefinition, FieldType};
use crate::error::{ErrorCode, FieldError};
use crate::user::Attributes;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Longest text value, in characters.
pub const TEXT_VALUE_MAX_CHARS: usize = 1000;

/// What the values are for; decides which fields are accepted and which must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeMode {
    /// A new user: every required field must have a value.
    Create,
    /// Changes to an existing user: only the given keys change; a required one may not be
    /// cleared. Merge the result with [`merge_attributes`].
    Update,
    /// The self-registration form: only fields shown on the form are accepted, and the
    /// required ones among them must have a value.
    RegistrationForm,
}

/// Why one value was refused. Reported as a [`FieldError`] whose field is the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeError {
    /// No field has this key.
    #[error("there is no custom field with this key")]
    UnknownField,
    /// The field exists but is not on the self-registration form.
    #[error("this field is not on the registration form")]
    NotOnRegistrationForm,
    /// A required field is missing, empty, or being cleared.
    #[error("this field is required")]
    Required,
    /// A text over 1,000 characters.
    #[error("the value is longer than {TEXT_VALUE_MAX_CHARS} characters")]
    TooLong,
    /// A text with a control character (a newline, a tab…).
    #[error("the value contains a control character")]
    ControlCharacter,
    /// A select value that is not one of the options.
    #[error("the value is not one of: {0}")]
    NotAnOption(String),
    /// Not a date written `YYYY-MM-DD`.
    #[error("the value is not a date written YYYY-MM-DD")]
    InvalidDate,
}

impl ErrorCode for AttributeError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownField => "unknown_field",
            Self::NotOnRegistrationForm => "field_not_on_registration_form",
            Self::Required => "field_required",
            Self::TooLong => "field_too_long",
            Self::ControlCharacter => "field_control_character",
            Self::NotAnOption(_) => "field_invalid_option",
            Self::InvalidDate => "field_invalid_date",
        }
    }
}

/// Checks `values` against `defs` for `mode`. Returns the normalised values (trimmed, dates
/// as `YYYY-MM-DD`; empty optional values left out, except in `Update` where an empty value
/// is kept to mean "clear"), or every problem found, one [`FieldError`] per key, by key order.
/// Were two definitions to share a key, the first one counts.
pub fn validate_attributes(
    defs: &[FieldDefinition],
    values: &BTreeMap<String, String>,
    mode: AttributeMode,
) -> Result<BTreeMap<String, String>, Vec<FieldError>> {
    let find = |key: &str| defs.iter().find(|d| d.key().as_str() == key);
    let mut accepted = BTreeMap::new();
    let mut problems: BTreeMap<String, AttributeError> = BTreeMap::new();
    for (key, raw) in values {
        let checked = match find(key) {
            None => Err(AttributeError::UnknownField),
            Some(def) => check_value(def, raw, mode),
        };
        match checked {
            Ok(Some(value)) => {
                accepted.insert(key.clone(), value);
            }
            Ok(None) => {}
            Err(problem) => {
                problems.insert(key.clone(), problem);
            }
        }
    }
    for def in defs {
        let key = def.key().as_str();
        let asked = match mode {
            AttributeMode::Create => true,
            AttributeMode::RegistrationForm => def.on_registration_form(),
            AttributeMode::Update => false,
        };
        if asked && def.required() && !values.contains_key(key) {
            problems.insert(key.to_owned(), AttributeError::Required);
        }
    }
    if problems.is_empty() {
        Ok(accepted)
    } else {
        Err(problems
            .into_iter()
            .map(|(key, problem)| FieldError::of(key, &problem))
            .collect())
    }
}

/// One value: `Ok(None)` when it is empty and may be left out.
fn check_value(
    def: &FieldDefinition,
    raw: &str,
    mode: AttributeMode,
) -> Result<Option<String>, AttributeError> {
    if mode == AttributeMode::RegistrationForm && !def.on_registration_form() {
        return Err(AttributeError::NotOnRegistrationForm);
    }
    let value = raw.trim();
    if value.is_empty() {
        return match (def.required(), mode) {
            (true, _) => Err(AttributeError::Required),
            (false, AttributeMode::Update) => Ok(Some(String::new())),
            (false, AttributeMode::Create | AttributeMode::RegistrationForm) => Ok(None),
        };
    }
    match def.field_type() {
        FieldType::Text => {
            if value.chars().count() > TEXT_VALUE_MAX_CHARS {
                Err(AttributeError::TooLong)
            } else if value.chars().any(char::is_control) {
                Err(AttributeError::ControlCharacter)
            } else {
                Ok(Some(value.to_owned()))
            }
        }
        FieldType::Select { options } => {
            if options.iter().any(|o| o == value) {
                Ok(Some(value.to_owned()))
            } else {
                Err(AttributeError::NotAnOption(options.join(", ")))
            }
        }
        FieldType::Date => parse_date(value)
            .map(|d| Some(d.format("%Y-%m-%d").to_string()))
            .ok_or(AttributeError::InvalidDate),
    }
}

/// `YYYY-MM-DD`, a four-digit year; a one-digit month or day (`2027-4-1`) is accepted and
/// padded when the value is normalised. `YYYY/M/D`, as Excel writes dates in Japan, is
/// accepted too (one separator throughout).
fn parse_date(value: &str) -> Option<NaiveDate> {
    let separator = if value.contains('/') { '/' } else { '-' };
    let mut parts = value.split(separator);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some()
        || !digits(year, 4..=4)
        || !digits(month, 1..=2)
        || !digits(day, 1..=2)
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Applies checked `Update` changes to a user's current values: an empty value removes the
/// field, any other replaces it, keys not in `changes` stay as they are.
pub fn merge_attributes(current: &Attributes, changes: &BTreeMap<String, String>) -> Attributes {
    let mut merged = current.clone();
    for (key, value) in changes {
        if value.is_empty() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::fields::{FieldKey, FieldLabel};
    use AttributeMode::{Create, RegistrationForm, Update};
    use proptest::prelude::*;

    fn def(key: &str, field_type: FieldType, required: bool, on_form: bool) -> FieldDefinition {
        let label = FieldLabel::parse(key).unwrap();
        FieldDefinition::new(
            FieldKey::parse(key).unwrap(),
            label,
            field_type,
            required,
            on_form,
        )
        .unwrap()
    }

    /// `student_no` required text on the form, `course` optional select on the form,
    /// `enrolled` required date off the form, `note` optional text off the form.
    fn defs() -> Vec<FieldDefinition> {
        vec![
            def("student_no", FieldType::Text, true, true),
            def(
                "course",
                FieldType::select(["Math", "Art"]).unwrap(),
                false,
                true,
            ),
            def("enrolled", FieldType::Date, true, false),
            def("note", FieldType::Text, false, false),
        ]
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn codes(
        result: Result<BTreeMap<String, String>, Vec<FieldError>>,
    ) -> Vec<(String, &'static str)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn pairs(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        list.iter().map(|(k, c)| (k.to_string(), *c)).collect()
    }

    #[test]
    fn u8_create_trims_normalises_and_drops_empty_optionals() {
        let got = validate_attributes(
            &defs(),
            &map(&[
                ("student_no", " S-001 "),
                ("course", "Art"),
                ("enrolled", "2027-4-1"),
                ("note", "  "),
            ]),
            Create,
        )
        .unwrap();
        assert_eq!(
            got,
            map(&[
                ("student_no", "S-001"),
                ("course", "Art"),
                ("enrolled", "2027-04-01")
            ])
        );
    }

    #[test]
    fn u8_create_requires_required_fields_and_reports_all_problems() {
        let result = validate_attributes(
            &defs(),
            &map(&[("student_no", " "), ("course", "math"), ("colour", "red")]),
            Create,
        );
        assert_eq!(
            codes(result),
            pairs(&[
                ("colour", "unknown_field"),
                ("course", "field_invalid_option"),
                ("enrolled", "field_required"),
                ("student_no", "field_required"),
            ])
        );
    }

    #[test]
    fn u8_c1_unknown_keys_are_errors_in_every_mode() {
        for mode in [Create, Update, RegistrationForm] {
            let result = validate_attributes(&defs(), &map(&[("Course", "Art")]), mode);
            assert!(
                codes(result).contains(&("Course".to_string(), "unknown_field")),
                "{mode:?}"
            );
        }
    }

    #[test]
    fn u8_update_changes_only_given_keys_and_never_clears_a_required_one() {
        let changes =
            validate_attributes(&defs(), &map(&[("note", ""), ("course", " Math ")]), Update)
                .unwrap();
        assert_eq!(changes, map(&[("note", ""), ("course", "Math")]));
        assert_eq!(
            codes(validate_attributes(
                &defs(),
                &map(&[("enrolled", "  ")]),
                Update
            )),
            pairs(&[("enrolled", "field_required")])
        );
        assert_eq!(
            validate_attributes(&defs(), &BTreeMap::new(), Update),
            Ok(BTreeMap::new())
        );
    }

    #[test]
    fn u8_merge_applies_update_semantics() {
        let current = map(&[("student_no", "S-1"), ("note", "old"), ("course", "Art")]);
        let changes = map(&[("note", ""), ("course", "Math")]);
        assert_eq!(
            merge_attributes(&current, &changes),
            map(&[("student_no", "S-1"), ("course", "Math")])
        );
        assert_eq!(merge_attributes(&current, &BTreeMap::new()), current);
    }

    #[test]
    fn u8_registration_form_accepts_only_form_fields_and_requires_its_required_ones() {
        let ok =
            validate_attributes(&defs(), &map(&[("student_no", "S-2")]), RegistrationForm).unwrap();
        assert_eq!(
            ok,
            map(&[("student_no", "S-2")]),
            "enrolled is required but not on the form"
        );
        assert_eq!(
            codes(validate_attributes(
                &defs(),
                &map(&[("note", "hi"), ("course", "Art")]),
                RegistrationForm
            )),
            pairs(&[
                ("note", "field_not_on_registration_form"),
                ("student_no", "field_required")
            ])
        );
    }

    #[test]
    fn u8_text_bounds_and_control_characters() {
        let text = |v: &str| validate_attributes(&defs(), &map(&[("note", v)]), Update);
        assert!(text(&"字".repeat(1000)).is_ok());
        assert_eq!(
            codes(text(&"字".repeat(1001))),
            pairs(&[("note", "field_too_long")])
        );
        for bad in ["a\nb", "a\tb", "a\u{7f}b", "a\u{0}b"] {
            assert_eq!(
                codes(text(bad)),
                pairs(&[("note", "field_control_character")]),
                "{bad:?}"
            );
        }
        assert_eq!(text(" a b ").unwrap()["note"], "a b");
    }

    #[test]
    fn u8_select_matches_options_exactly() {
        let select = |v: &str| validate_attributes(&defs(), &map(&[("course", v)]), Update);
        assert_eq!(select("Art").unwrap()["course"], "Art");
        for bad in ["art", "ART", "Ar", "Math,Art"] {
            assert_eq!(
                codes(select(bad)),
                pairs(&[("course", "field_invalid_option")]),
                "{bad}"
            );
        }
        let err = select("Music").unwrap_err();
        assert!(err[0].message.contains("Math, Art"));
    }

    #[test]
    fn u8_c2_excel_slash_dates_are_accepted_and_normalised() {
        assert_eq!(
            parse_date("2027/3/31"),
            NaiveDate::from_ymd_opt(2027, 3, 31)
        );
        assert_eq!(
            parse_date("2027/03/31"),
            NaiveDate::from_ymd_opt(2027, 3, 31)
        );
        assert_eq!(parse_date("2027/3-31"), None);
    }

    #[test]
    fn u8_dates_are_yyyy_mm_dd_and_normalised() {
        let date = |v: &str| validate_attributes(&defs(), &map(&[("enrolled", v)]), Update);
        assert_eq!(date("2027-03-31").unwrap()["enrolled"], "2027-03-31");
        assert_eq!(date(" 2028-2-29 ").unwrap()["enrolled"], "2028-02-29");
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "27-03-31",
            "31/03/2027",
            "31-03-2027",
            "2027-03-31T00:00:00",
            "+2027-03-31",
            "2027-003-01",
            "２０２７-03-31",
            "2027-03-",
        ] {
            assert_eq!(
                codes(date(bad)),
                pairs(&[("enrolled", "field_invalid_date")]),
                "{bad}"
            );
        }
    }

    fn arb_defs() -> impl Strategy<Value = Vec<FieldDefinition>> {
        let field_type = prop_oneof![
            Just(FieldType::Text),
            Just(FieldType::Date),
            Just(FieldType::select(["a", "b", "c d"]).unwrap()),
        ];
        proptest::collection::vec((field_type, any::<bool>(), any::<bool>()), 0..4).prop_map(
            |specs| {
                specs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (t, required, on_form))| def(&format!("f{i}"), t, required, on_form))
                    .collect()
            },
        )
    }

    fn arb_values() -> impl Strategy<Value = BTreeMap<String, String>> {
        let key = prop_oneof!["f[0-4]", any::<String>()];
        let value = prop_oneof![
            "[ ]?(a|b|c d|x)[ ]?",
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
            any::<String>(),
            Just(String::new()),
        ];
        proptest::collection::btree_map(key, value, 0..5)
    }

    fn arb_mode() -> impl Strategy<Value = AttributeMode> {
        prop_oneof![Just(Create), Just(Update), Just(RegistrationForm)]
    }

    proptest! {
        #[test]
        fn u8_validation_never_panics_and_accepted_values_revalidate_unchanged(
            defs in arb_defs(), values in arb_values(), mode in arb_mode(),
        ) {
            match validate_attributes(&defs, &values, mode) {
                Ok(accepted) => {
                    prop_assert!(accepted.keys().all(|k| values.contains_key(k)));
                    prop_assert_eq!(validate_attributes(&defs, &accepted, mode), Ok(accepted.clone()));
                }
                Err(problems) => {
                    prop_assert!(!problems.is_empty());
                    let mut fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
                    fields.dedup();
                    prop_assert_eq!(fields.len(), problems.len(), "one error per field");
                }
            }
        }
    }
}
