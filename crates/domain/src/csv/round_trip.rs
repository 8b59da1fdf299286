//! C7: export → (codec as identity) → import in update mode changes nothing, for users whose
//! values are full of commas, quotes, newlines, Japanese text, formula triggers, apostrophes
//! and look-alikes of the clear marker.

use super::export::{export_header, export_record};
use super::header::HeaderMap;
use super::lookups::{RowAction, check_row};
use super::mode::{FieldChange, ImportMode};
use super::report::ImportOptions;
use super::testing::{FakeLookups, ctx};
use super::validate::validate_row;
use crate::group::GroupName;
use crate::user::user::fixtures;
use crate::user::{DisplayName, Email, LoginId, User, UserStatus};
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

const GROUPS: [&str; 7] = [
    "=Math",
    "'Quote",
    "1-A, 2",
    "東京 \"本社\"",
    "<clear>",
    "+x",
    "@here",
];

fn keys() -> Vec<String> {
    vec!["dept".into(), "備考".into()]
}

fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        select(vec![
            "山田", "太郎", ",", "\"", " ", "=", "+", "-", "@", "'", "<clear>", "x", "1", "\t",
        ]),
        1..6,
    )
    .prop_map(|parts| parts.concat())
}

fn attribute_value() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        tricky_text(),
        any::<String>(),
        Just("line 1\r\nline 2".to_owned()),
        Just("\n=lead".to_owned()),
        Just(String::new()),
    ])
}

prop_compose! {
    fn arb_user()(
        login in tricky_text().prop_filter_map("login ID", |s| LoginId::parse(&s).ok()),
        name in tricky_text().prop_filter_map("name", |s| DisplayName::parse(&s).ok()),
        email in proptest::option::of(
            (select(vec!["", "=", "+", "-", "'"]), "[a-z0-9]{1,8}", "[a-z]{1,8}\\.(jp|com)")
                .prop_map(|(p, l, d)| Email::parse(&format!("{p}{l}@{d}")).ok()),
        ),
        status in select(UserStatus::ALL.to_vec()),
        expires in proptest::option::of(0i64..4_000_000_000),
        dept in attribute_value(),
        note in attribute_value(),
    ) -> User {
        let mut user = fixtures::user("placeholder");
        user.login_id = login;
        user.name = name;
        user.email = email.flatten();
        user.status = status;
        user.expires_at = expires.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0));
        for (key, value) in keys().into_iter().zip([dept, note]) {
            if let Some(value) = value {
                user.attributes.insert(key, value);
            }
        }
        user
    }
}

/// Keep, or Set to exactly the current value — never Clear.
fn unchanged<T: PartialEq>(change: &FieldChange<T>, current: Option<&T>) -> bool {
    match change {
        FieldChange::Keep => true,
        FieldChange::Set(value) => current == Some(value),
        FieldChange::Clear => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn c7_export_then_import_in_update_mode_changes_nothing(
        user in arb_user(),
        group_names in subsequence(GROUPS.to_vec(), 0..=GROUPS.len()),
    ) {
        let keys = keys();
        let groups: Vec<GroupName> =
            group_names.iter().map(|g| GroupName::parse(g).unwrap()).collect();
        let mut lookups = FakeLookups::new();
        let facts = lookups.add_user(user.login_id.as_str(), false);
        let ids: Vec<_> = GROUPS.iter().map(|g| (*g, lookups.add_group(g))).collect();

        let header = HeaderMap::parse(&export_header(&keys), &keys).unwrap();
        let cells = export_record(&user, &groups, &keys);
        let row = validate_row(2, &header, &cells, &ctx())
            .unwrap_or_else(|e| panic!("{cells:?}: {e:?}"));
        let checked = check_row(row, &ImportOptions::new(ImportMode::Update), &lookups).unwrap();
        let row = &checked.row;

        prop_assert_eq!(&checked.action, &RowAction::Update(facts));
        prop_assert_eq!(row.login_id.as_str(), user.login_id.as_str());
        prop_assert!(unchanged(&row.name, Some(&user.name)), "{:?}", row.name);
        prop_assert!(unchanged(&row.email, user.email.as_ref()), "{:?}", row.email);
        prop_assert!(unchanged(&row.status, Some(&user.status)));
        prop_assert!(unchanged(&row.expires_at, user.expires_at.as_ref()));
        let current_groups = (!groups.is_empty()).then_some(&groups);
        prop_assert!(unchanged(&row.groups, current_groups), "{:?}", row.groups);
        let group_ids: Vec<_> = group_names
            .iter()
            .filter_map(|g| ids.iter().find(|(n, _)| n == g).map(|(_, id)| *id))
            .collect();
        let current_ids = (!group_ids.is_empty()).then_some(&group_ids);
        prop_assert!(unchanged(&checked.group_ids, current_ids));
        for key in &keys {
            if let Some(change) = row.attributes.get(key) {
                prop_assert!(
                    unchanged(change, user.attributes.get(key)),
                    "{}: {:?} vs {:?}", key, change, user.attributes.get(key)
                );
            }
        }
        prop_assert!(row.password.is_none() && row.password_hash.is_none());
        prop_assert!(!checked.wants_invitation);
    }
}
