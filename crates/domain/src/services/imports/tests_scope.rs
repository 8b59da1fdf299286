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
