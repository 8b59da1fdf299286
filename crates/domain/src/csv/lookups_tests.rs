//! Tests of `check_row` (C3, C4, C5, P4, U3).

use super::*;
use crate::csv::header::HeaderMap;
use crate::csv::testing::{FakeLookups, ctx, strings};
use crate::csv::validate::validate_row;

const HEADER: [&str; 6] = [
    "login_id",
    "name",
    "email",
    "groups",
    "status",
    "expires_at",
];

fn row(cells: [&str; 6]) -> UserRow {
    let header = HeaderMap::parse(&strings(&HEADER), &[]).unwrap();
    validate_row(3, &header, &strings(&cells), &ctx()).unwrap()
}

fn options(mode: ImportMode) -> ImportOptions {
    ImportOptions::new(mode)
}

fn codes(errors: &[RowError]) -> Vec<(&str, &'static str)> {
    errors.iter().map(|e| (e.column.as_str(), e.code)).collect()
}

#[test]
fn c3_create_refuses_a_known_login_id() {
    let mut lookups = FakeLookups::new();
    lookups.add_user("Taro", false);
    let errors = check_row(
        row(["taro", "T", "", "", "", ""]),
        &options(ImportMode::Create),
        &lookups,
    )
    .unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "login_id_exists")]);
    assert_eq!(errors[0].line, 3);
}

#[test]
fn c3_update_refuses_an_unknown_login_id() {
    let lookups = FakeLookups::new();
    let errors = check_row(
        row(["taro", "", "", "", "", ""]),
        &options(ImportMode::Update),
        &lookups,
    )
    .unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "login_id_unknown")]);
}

#[test]
fn c3_upsert_creates_or_updates() {
    let mut lookups = FakeLookups::new();
    let facts = lookups.add_user("hanako", false);
    let upsert = options(ImportMode::Upsert);
    let new = check_row(row(["taro", "Taro", "", "", "", ""]), &upsert, &lookups).unwrap();
    assert_eq!(new.action, RowAction::Create);
    let known = check_row(row(["HANAKO", "", "", "", "", ""]), &upsert, &lookups).unwrap();
    assert_eq!(known.action, RowAction::Update(facts.clone()));
    let update = check_row(
        row(["hanako", "", "", "", "", ""]),
        &options(ImportMode::Update),
        &lookups,
    )
    .unwrap();
    assert_eq!(update.action, RowAction::Update(facts));
}

#[test]
fn c1_a_new_user_needs_a_name() {
    let lookups = FakeLookups::new();
    for mode in [ImportMode::Create, ImportMode::Upsert] {
        let errors =
            check_row(row(["taro", "", "", "", "", ""]), &options(mode), &lookups).unwrap_err();
        assert_eq!(codes(&errors), [("name", "name_required")], "{mode}");
    }
}

#[test]
fn c4_groups_must_exist_and_resolve_in_order() {
    let mut lookups = FakeLookups::new();
    let a = lookups.add_group("1-A");
    let b = lookups.add_group("Science");
    let create = options(ImportMode::Create);
    let checked = check_row(
        row(["taro", "T", "", "science;1-a", "", ""]),
        &create,
        &lookups,
    )
    .unwrap();
    assert_eq!(checked.group_ids, FieldChange::Set(vec![b, a]));
    let errors = check_row(
        row(["taro", "T", "", "1-A;Art;Music", "", ""]),
        &create,
        &lookups,
    )
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [("groups", "group_unknown"), ("groups", "group_unknown")]
    );
    assert!(errors[0].message.contains("Art") && errors[1].message.contains("Music"));
    assert_eq!(
        lookups.calls.borrow().len(),
        1,
        "no authority check on unresolved groups"
    );
}

#[test]
fn c4_all_store_problems_of_a_row_are_reported_together() {
    let mut lookups = FakeLookups::new();
    lookups.add_user("taro", false);
    let errors = check_row(
        row(["taro", "", "", "Nope", "", ""]),
        &options(ImportMode::Create),
        &lookups,
    )
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [("login_id", "login_id_exists"), ("groups", "group_unknown")]
    );
}

#[test]
fn c4_authority_is_checked_per_row_with_the_row_groups() {
    let mut lookups = FakeLookups::new();
    let facts = lookups.add_user("taro", false);
    let a = lookups.add_group("A");
    lookups.policy = |existing, _| match existing {
        Some(_) => Err(WriteDenial::Forbidden("target_holds_more")),
        None => Err(WriteDenial::Forbidden("forbidden")),
    };
    let upsert = options(ImportMode::Upsert);
    let errors = check_row(row(["taro", "", "", "A", "", ""]), &upsert, &lookups).unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "target_holds_more")]);
    let errors =
        check_row(row(["jiro", "J", "", "<clear>", "", ""]), &upsert, &lookups).unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "forbidden")]);
    assert_eq!(
        *lookups.calls.borrow(),
        [
            (Some(facts.id), FieldChange::Set(vec![a])),
            (None, FieldChange::Clear)
        ]
    );
}

#[test]
fn p4_users_out_of_sight_are_reported_as_unknown_on_update() {
    let mut lookups = FakeLookups::new();
    lookups.add_user("taro", false);
    lookups.policy = |existing, _| match existing {
        Some(_) => Err(WriteDenial::NotVisible),
        None => Ok(()),
    };
    let blank = ["taro", "", "", "", "", ""];
    let errors = check_row(row(blank), &options(ImportMode::Update), &lookups).unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "login_id_unknown")]);
    let errors = check_row(row(blank), &options(ImportMode::Upsert), &lookups).unwrap_err();
    assert_eq!(codes(&errors), [("login_id", "login_id_exists")]);
}

#[test]
fn u3_the_owner_cannot_be_disabled_or_expired_by_import() {
    let mut lookups = FakeLookups::new();
    lookups.add_user("owner", true);
    let update = options(ImportMode::Update);
    let errors = check_row(
        row(["owner", "", "", "", "invalid", "2030-01-01"]),
        &update,
        &lookups,
    )
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        [
            ("status", "owner_protected"),
            ("expires_at", "owner_protected")
        ]
    );
    assert!(
        check_row(
            row(["owner", "Boss", "", "", "valid", "<clear>"]),
            &update,
            &lookups
        )
        .is_ok()
    );
}

#[test]
fn c5_invitations_only_for_created_users_when_asked() {
    let mut lookups = FakeLookups::new();
    lookups.add_user("known", false);
    let with_email = |login| row([login, "N", "n@example.com", "", "", ""]);
    let mut invite = options(ImportMode::Upsert);
    invite.invite = true;
    assert!(
        check_row(with_email("new"), &invite, &lookups)
            .unwrap()
            .wants_invitation
    );
    assert!(
        !check_row(with_email("known"), &invite, &lookups)
            .unwrap()
            .wants_invitation
    );
    let no_email = row(["new", "N", "", "", "", ""]);
    assert!(
        !check_row(no_email, &invite, &lookups)
            .unwrap()
            .wants_invitation
    );
    invite.invite = false;
    assert!(
        !check_row(with_email("new"), &invite, &lookups)
            .unwrap()
            .wants_invitation
    );
}
