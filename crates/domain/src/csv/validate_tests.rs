//! Tests of `validate_row` (C1, C3, C4, C7, C8).

use super::*;
use crate::csv::testing::{ctx, strings};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;

const HEADER: [&str; 10] = [
    "login_id",
    "name",
    "email",
    "password",
    "password_hash",
    "groups",
    "status",
    "expires_at",
    "dept",
    "grade",
];
const BCRYPT: &str = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";

fn header() -> HeaderMap {
    HeaderMap::parse(&strings(&HEADER), &strings(&["dept", "grade"])).unwrap()
}

/// A row of the full header with the given cells set by column name.
fn row(cells: &[(&str, &str)]) -> Vec<String> {
    HEADER
        .iter()
        .map(|column| {
            cells
                .iter()
                .find(|(c, _)| c == column)
                .map(|(_, v)| (*v).to_owned())
                .unwrap_or_default()
        })
        .collect()
}

fn validate(cells: &[(&str, &str)]) -> Result<UserRow, Vec<RowError>> {
    validate_row(5, &header(), &row(cells), &ctx())
}

fn codes(errors: &[RowError]) -> Vec<(&str, &'static str)> {
    errors.iter().map(|e| (e.column.as_str(), e.code)).collect()
}

#[test]
fn c1_every_column_parses_to_its_type() {
    let r = validate(&[
        ("login_id", " Taro "),
        ("name", "山田 太郎"),
        ("email", "taro@Example.JP"),
        ("password", " s3cret pass "),
        ("groups", " 1-A ; Science;1-a;"),
        ("status", "Pending"),
        ("expires_at", "2030-03-31"),
        ("dept", "数学, \"理科\""),
        ("grade", " 3 "),
    ])
    .unwrap();
    assert_eq!(r.line, 5);
    assert_eq!(r.login_id.as_str(), "Taro");
    assert_eq!(
        r.name,
        FieldChange::Set(DisplayName::parse("山田 太郎").unwrap())
    );
    assert_eq!(r.email.as_set().unwrap().as_str(), "taro@example.jp");
    assert_eq!(r.password.as_ref().unwrap().expose(), " s3cret pass ");
    assert_eq!(r.password_hash, None);
    let groups: Vec<&str> = r
        .groups
        .as_set()
        .unwrap()
        .iter()
        .map(GroupName::as_str)
        .collect();
    assert_eq!(
        groups,
        ["1-A", "Science"],
        "trimmed, repeats dropped case-insensitively"
    );
    assert_eq!(r.status, FieldChange::Set(UserStatus::Pending));
    assert_eq!(
        r.expires_at,
        // A plain date allows the whole day (U6): the expiry is the next day's start.
        FieldChange::Set(Utc.with_ymd_and_hms(2030, 4, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        r.attributes["dept"],
        FieldChange::Set("数学, \"理科\"".into())
    );
    assert_eq!(
        r.attributes["grade"],
        FieldChange::Set("3".into()),
        "the field check normalises"
    );
}

#[test]
fn c3_empty_cells_keep_every_field() {
    let r = validate(&[("login_id", "taro"), ("name", "  ")]).unwrap();
    assert!(r.name.is_keep() && r.email.is_keep() && r.groups.is_keep());
    assert!(r.status.is_keep() && r.expires_at.is_keep());
    assert_eq!((r.password, r.password_hash), (None, None));
    assert!(r.attributes.is_empty(), "kept custom fields are absent");
}

#[test]
fn c3_the_marker_clears_optional_fields() {
    let r = validate(&[
        ("login_id", "taro"),
        ("email", "<clear>"),
        ("groups", " <CLEAR> "),
        ("expires_at", "<clear>"),
        ("dept", "<clear>"),
    ])
    .unwrap();
    assert_eq!(r.email, FieldChange::Clear);
    assert_eq!(r.groups, FieldChange::Clear);
    assert_eq!(r.expires_at, FieldChange::Clear);
    assert_eq!(r.attributes["dept"], FieldChange::Clear);
}

#[test]
fn c3_required_fields_cannot_be_cleared() {
    let errors = validate(&[
        ("login_id", "<clear>"),
        ("name", "<clear>"),
        ("password", "<clear>"),
        ("password_hash", "<clear>"),
        ("status", "<clear>"),
    ])
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            ("login_id", "field_not_clearable"),
            ("name", "field_not_clearable"),
            ("password", "field_not_clearable"),
            ("password_hash", "field_not_clearable"),
            ("status", "field_not_clearable"),
        ]
    );
    assert!(errors.iter().all(|e| e.line == 5));
}

#[test]
fn c1_login_id_is_required_in_every_row() {
    let errors = validate(&[("name", "Taro")]).unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "field_required")]);
}

#[test]
fn c4_every_bad_cell_is_reported_with_line_and_column() {
    let errors = validate(&[
        ("login_id", "taro"),
        ("name", &"x".repeat(201)),
        ("email", "not-an-email"),
        ("password_hash", "$1$md5$hash"),
        ("groups", "A;B\u{7}"),
        ("status", "active"),
        ("expires_at", "31/03/2030"),
        ("grade", "three"),
    ])
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            ("name", "name_too_long"),
            ("email", "invalid_email"),
            ("password_hash", "password_hash_unknown_format"),
            ("groups", "group_name_control_character"),
            ("status", "invalid_status"),
            ("expires_at", "invalid_expiry"),
            ("grade", "field_not_a_number"),
        ]
    );
    assert!(
        errors[3].message.starts_with("group \"B"),
        "names the group: {}",
        errors[3].message
    );
}

#[test]
fn c1_a_row_with_the_wrong_number_of_cells_is_one_error() {
    let mut cells = row(&[("login_id", "taro")]);
    cells.pop();
    let errors = validate_row(9, &header(), &cells, &ctx()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].line, errors[0].column.as_str(), errors[0].code),
        (9, "", "cell_count")
    );
    cells.extend(["".into(), "".into()]);
    assert!(validate_row(9, &header(), &cells, &ctx()).is_err());
}

#[test]
fn c8_password_and_hash_are_not_both_given_in_one_row() {
    let errors = validate(&[
        ("login_id", "taro"),
        ("password", "pw"),
        ("password_hash", BCRYPT),
    ])
    .unwrap_err();
    assert_eq!(codes(&errors), [("password_hash", "password_and_hash")]);
    let r = validate(&[("login_id", "taro"), ("password_hash", BCRYPT)]).unwrap();
    assert_eq!(
        r.password_hash.unwrap().scheme(),
        crate::csv::LegacyScheme::Bcrypt
    );
}

#[test]
fn c8_hash_cost_errors_are_row_errors() {
    let heavy = BCRYPT.replace("$10$", "$31$");
    let errors = validate(&[("login_id", "taro"), ("password_hash", &heavy)]).unwrap_err();
    assert_eq!(
        codes(&errors),
        [("password_hash", "password_hash_cost_too_high")]
    );
    assert!(
        !errors[0].message.contains("vGA1O9"),
        "never echoes the hash"
    );
}

#[test]
fn c7_import_reverses_neutralisation_in_every_column() {
    let r = validate(&[
        ("login_id", "'=cmd"),
        ("name", "'+81 太郎"),
        ("email", "'-x@example.com"),
        ("password", "'@secret"),
        ("groups", "'=A;B"),
        ("dept", "''quoted"),
    ])
    .unwrap();
    assert_eq!(r.login_id.as_str(), "=cmd");
    assert_eq!(r.name.as_set().unwrap().as_str(), "+81 太郎");
    assert_eq!(r.email.as_set().unwrap().as_str(), "-x@example.com");
    assert_eq!(r.password.unwrap().expose(), "@secret");
    assert_eq!(r.groups.as_set().unwrap()[0].as_str(), "=A");
    assert_eq!(r.attributes["dept"], FieldChange::Set("'quoted".into()));
    let r = validate(&[("login_id", "taro"), ("dept", "'<clear>")]).unwrap();
    assert_eq!(r.attributes["dept"], FieldChange::Set("<clear>".into()));
}

#[test]
fn c1_a_groups_cell_of_separators_only_is_an_error() {
    let errors = validate(&[("login_id", "taro"), ("groups", " ; ;")]).unwrap_err();
    assert_eq!(codes(&errors), [("groups", "groups_empty")]);
}

#[test]
fn c5_rows_with_email_and_no_password_are_invitable() {
    let invitable = |cells: &[(&str, &str)]| validate(cells).unwrap().is_invitable();
    assert!(invitable(&[("login_id", "a"), ("email", "a@example.com")]));
    assert!(!invitable(&[("login_id", "a")]));
    assert!(!invitable(&[("login_id", "a"), ("email", "<clear>")]));
    assert!(!invitable(&[
        ("login_id", "a"),
        ("email", "a@example.com"),
        ("password", "pw")
    ]));
    assert!(!invitable(&[
        ("login_id", "a"),
        ("email", "a@example.com"),
        ("password_hash", BCRYPT)
    ]));
}

#[test]
fn c1_row_debug_never_shows_secrets() {
    let r = validate(&[("login_id", "a"), ("password", "hunter2")]).unwrap();
    assert!(!format!("{r:?}").contains("hunter2"));
    let r = validate(&[("login_id", "a"), ("password_hash", BCRYPT)]).unwrap();
    assert!(!format!("{r:?}").contains("vGA1O9"));
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        Just("<clear>".to_owned()),
        "['=+@\\-]?[a-z@.;]{0,12}",
        Just(BCRYPT.to_owned()),
        Just("2030-01-01".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn c1_c4_validate_row_never_panics(
        order in Just(HEADER.to_vec()).prop_shuffle(),
        cells in proptest::collection::vec(cell(), 9..=11),
        line in 2u64..1_000_000,
    ) {
        let header = HeaderMap::parse(&strings(&order), &strings(&["dept", "grade"])).unwrap();
        match validate_row(line, &header, &cells, &ctx()) {
            Ok(row) => {
                prop_assert_eq!(cells.len(), header.len());
                prop_assert_eq!(row.line, line);
                prop_assert!(row.password.is_none() || row.password_hash.is_none());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                prop_assert!(errors.iter().all(|e| e.line == line));
            }
        }
    }
}
