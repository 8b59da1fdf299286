//! Tests of the authority order and group visibility of the import (C7, P4, P5, U3): rows
//! that change nothing need no write authority; the groups cell speaks only about groups
//! the actor can see; a groups change is checked against the user's groups after the row.

use super::testing::{ImportMocks, VecSource, group, request, stored_user};
use crate::authz::{Actor, Privilege, Scope};
use crate::csv::{ImportMode, ImportReport};
use crate::ports::imports::{ImportOutcome, ImportUser, RowWrite, WriteMode};
use crate::services::testing::{World, admin, grant_to, user};
use std::collections::BTreeSet;

const HEADER: &str = "login_id,name,email,groups,status";

fn completed(outcome: &ImportOutcome) -> bool {
    matches!(outcome, ImportOutcome::Completed { .. })
}

fn codes(report: &ImportReport) -> Vec<(u64, String, &'static str)> {
    report
        .errors
        .iter()
        .map(|e| (e.line, e.column.clone(), e.code))
        .collect()
}

/// Users' editor over the whole school (not `other`), nothing else.
fn school_editor(w: &World) -> Actor {
    admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap())
}

async fn run(
    w: &World,
    actor: &Actor,
    store: Vec<ImportUser>,
    lines: &[&str],
    writes: bool,
) -> (ImportReport, Vec<crate::ports::imports::LineWrite>) {
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(
        store,
        vec![
            group(w.class_a, "1-A"),
            group(w.class_b, "1-B"),
            group(w.other, "Other"),
        ],
    );
    let written = if writes {
        Some(i.expect_writes(WriteMode::AllOrNothing))
    } else {
        i.expect_no_writes();
        None
    };
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(lines);
    let report = i
        .service()
        .run(actor, &request(ImportMode::Update, |_| {}), &mut source)
        .await
        .unwrap();
    let rows = written.map_or_else(Vec::new, |w| w.lock().unwrap().clone());
    (report, rows)
}

#[tokio::test]
async fn c7_u3_p5_unchanged_rows_of_the_owner_and_a_stronger_user_need_no_write_authority() {
    let w = World::new();
    let mut root = user("root");
    root.is_owner = true;
    let boss = user("boss");
    let mut strong = stored_user(&boss, &[w.class_a]);
    strong.grants = vec![grant_to(boss.id, Privilege::AdminAuthorization, Scope::All)];
    let store = vec![stored_user(&root, &[w.class_a]), strong];
    // Exactly what an export by this editor writes for them.
    let lines = [HEADER, "root,root,,1-A,valid", "boss,boss,,1-A,valid"];
    let (report, rows) = run(&w, &school_editor(&w), store, &lines, true).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!((report.invalid_rows, report.updated), (0, 2));
    assert!(rows.is_empty(), "nothing changes, nothing is written");
}

#[tokio::test]
async fn c7_u3_p5_a_real_change_still_needs_write_authority() {
    let w = World::new();
    let mut root = user("root");
    root.is_owner = true;
    let boss = user("boss");
    let mut strong = stored_user(&boss, &[w.class_a]);
    strong.grants = vec![grant_to(boss.id, Privilege::AdminAuthorization, Scope::All)];
    let store = vec![stored_user(&root, &[w.class_a]), strong];
    let lines = [HEADER, "root,Root,,1-A,valid", "boss,Boss,,1-A,valid"];
    let (report, _) = run(&w, &school_editor(&w), store, &lines, false).await;
    assert_eq!(
        codes(&report),
        [
            (2, "login_id".into(), "owner_protected"),
            (3, "login_id".into(), "target_holds_more")
        ]
    );
}

#[tokio::test]
async fn c7_p4_the_groups_cell_keeps_groups_the_actor_cannot_see() {
    let w = World::new();
    let hanako = user("hanako");
    let store = vec![stored_user(&hanako, &[w.class_a, w.other])];
    // The editor's export shows `1-A` only; importing it back changes nothing.
    let (report, rows) = run(
        &w,
        &school_editor(&w),
        store.clone(),
        &[HEADER, "hanako,hanako,,1-A,valid"],
        true,
    )
    .await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(rows.is_empty());
    // Moving to 1-B keeps `Other`, which the cell cannot name.
    let (report, rows) = run(
        &w,
        &school_editor(&w),
        store,
        &[HEADER, "hanako,hanako,,1-B,valid"],
        true,
    )
    .await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let groups = match &rows[0].write {
        RowWrite::Update { group_ids, .. } => group_ids.clone(),
        RowWrite::Create { .. } => None,
    };
    assert_eq!(groups, Some(BTreeSet::from([w.class_b, w.other])));
}

#[tokio::test]
async fn p5_csv_a_new_group_widening_the_users_member_groups_grant_is_refused() {
    let w = World::new();
    let b = user("b");
    let mut stored = stored_user(&b, &[w.class_a]);
    stored.grants = vec![grant_to(
        b.id,
        Privilege::AdminAuthorization,
        Scope::MemberGroups,
    )];
    // The editor holds admin.authorization over class A only: as much as B holds today,
    // less than B would hold in class B too.
    let mut actor = school_editor(&w);
    actor.grants.push(grant_to(
        actor.user_id,
        Privilege::AdminAuthorization,
        Scope::groups([w.class_a]).unwrap(),
    ));
    let (report, _) = run(
        &w,
        &actor,
        vec![stored],
        &[HEADER, "b,b,,1-A;1-B,valid"],
        false,
    )
    .await;
    assert_eq!(
        codes(&report),
        [(2, "login_id".into(), "target_holds_more")]
    );
}

mod round_trip {
    //! C7 with scope: an export by a scoped editor, imported back in update mode, plans no
    //! change and needs no write authority — whatever groups (visible or not) the user is
    //! in, and whether it is the owner or holds more than the editor.

    use super::super::check::{RunContext, check_and_plan};
    use super::super::lookups::ChunkLookups;
    use super::super::plan::{Change, PlanContext};
    use crate::authz::{Privilege, Scope};
    use crate::csv::testing::ctx;
    use crate::csv::{
        HeaderMap, ImportMode, ImportOptions, export_header, export_record, validate_row,
    };
    use crate::group::GroupName;
    use crate::ports::imports::{ImportUser, LookupAnswer};
    use crate::services::exports::visible_group_names;
    use crate::services::imports::testing::group;
    use crate::services::testing::{World, admin, grant_to, now, user};
    use crate::user::UserStatus;
    use proptest::prelude::*;
    use proptest::sample::{select, subsequence};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn c7_p4_scoped_export_imported_back_changes_nothing(
            in_groups in subsequence(vec![0usize, 1, 2, 3], 1..=4),
            is_owner in any::<bool>(),
            holds_more in any::<bool>(),
            status in select(vec![UserStatus::Valid, UserStatus::Invalid, UserStatus::Pending]),
        ) {
            let w = World::new();
            let all = [
                (w.school, "School"),
                (w.class_a, "1-A"),
                (w.class_b, "1-B"),
                (w.other, "Other"),
            ];
            let mut u = user("hanako");
            u.is_owner = is_owner;
            u.status = if is_owner { UserStatus::Valid } else { status };
            u.has_password = u.status != UserStatus::Pending;
            let direct: Vec<_> = in_groups.iter().map(|i| all[*i]).collect();
            let mut stored = ImportUser {
                user: u.clone(),
                direct_groups: direct.iter().map(|(g, _)| *g).collect(),
                grants: Vec::new(),
                live_integration_source: false,
            };
            if holds_more {
                stored.grants = vec![grant_to(u.id, Privilege::AdminAuthorization, Scope::All)];
            }
            // The editor sees the school and its classes, not `Other`.
            let editor = admin(Privilege::UsersEdit, Scope::groups([w.school]).unwrap());
            let pairs: Vec<_> = direct
                .iter()
                .map(|(g, n)| (*g, GroupName::parse(n).unwrap()))
                .collect();
            let names = visible_group_names(&editor, &w.graph, &pairs);
            let keys: Vec<String> = Vec::new();
            let header = HeaderMap::parse(&export_header(&keys), &keys).unwrap();
            let cells = export_record(&u, &names, &keys);
            let row = validate_row(2, &header, &cells, &ctx()).unwrap();
            let answer = LookupAnswer {
                users: vec![stored],
                groups: all.iter().map(|(g, n)| group(*g, n)).collect(),
                group_grants: Vec::new(),
            };
            let lookups = ChunkLookups::new(&editor, &w.graph, answer);
            let run = RunContext {
                actor: &editor,
                graph: w.graph.clone(),
                options: ImportOptions::new(ImportMode::Update),
                plan: PlanContext { actor: editor.user_id, fields: &[], now: now() },
            };
            let planned = check_and_plan(row, &run, &lookups);
            // Hidden from the editor entirely (only in `Other`): reads as unknown (P4).
            let only_hidden = in_groups == [3];
            match planned {
                Ok(p) => {
                    prop_assert!(!only_hidden);
                    prop_assert!(matches!(p.change, Change::Unchanged), "{:?}", p.change);
                }
                Err(errors) => {
                    prop_assert!(only_hidden, "{:?}", errors);
                    prop_assert_eq!(errors[0].code, "login_id_unknown");
                }
            }
        }
    }
}
