//! Tests of the import's validation pass, the C4 policy and the authority per row (C1, C3,
//! C4, C6, P1, P3–P5, U3, Z1).

use super::testing::{ImportMocks, VecSource, group, request, stored_user};
use super::*;
use crate::authz::Scope;
use crate::csv::{ImportMode, ImportReport};
use crate::ports::imports::{ImportOutcome, ImportSource, WriteMode};
use crate::services::testing::{World, admin, grant_to, owner, user};
use std::sync::atomic::Ordering;

fn completed(outcome: &ImportOutcome) -> bool {
    matches!(outcome, ImportOutcome::Completed { .. })
}

fn codes(report: &ImportReport) -> Vec<(u64, &str, &'static str)> {
    report
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.code))
        .collect()
}

const HEADER: &str = "login_id,name,email,groups,status";

#[tokio::test]
async fn c4_all_or_nothing_writes_nothing_on_any_error() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.expect_no_writes();
    i.m.hasher.expect_hash().times(0);
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&[
        HEADER,
        "taro,Taro,taro@example.jp,,",
        "jiro,Jiro,not-an-email,,",
    ]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!(
        (report.processed, report.created, report.invalid_rows),
        (2, 0, 1)
    );
    assert_eq!(codes(&report), [(3, "email", "invalid_email")]);
}

async fn run_clean_file(dry_run: bool) -> ImportReport {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    let known = user("hanako");
    i.with_store(vec![stored_user(&known, &[])], Vec::new());
    if dry_run {
        i.expect_no_writes();
    } else {
        i.expect_writes(WriteMode::AllOrNothing);
    }
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&[HEADER, "taro,Taro,,,", "hanako,Hanako Sato,,,"]);
    let req = request(
        ImportMode::Upsert,
        if dry_run {
            |o| o.dry_run = true
        } else {
            |_| {}
        },
    );
    i.service().run(&owner(), &req, &mut source).await.unwrap()
}

#[tokio::test]
async fn c4_dry_run_writes_nothing_and_reports_the_same() {
    let real = run_clean_file(false).await;
    let dry = run_clean_file(true).await;
    assert_eq!(dry, real);
    assert_eq!((dry.created, dry.updated), (1, 1));
}

#[tokio::test]
async fn c1_bad_header_writes_nothing_and_reads_no_row() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.lookups.expect_lookup().times(0);
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&["login_id,nickname", "taro,T"]);
    let req = request(ImportMode::Create, |o| o.skip_invalid = true);
    let report = i.service().run(&owner(), &req, &mut source).await.unwrap();
    assert_eq!(codes(&report), [(1, "nickname", "column_unknown")]);
    assert_eq!(report.processed, 0);
}

#[tokio::test]
async fn c6_lookups_are_batched_one_call_per_chunk() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.config.chunk_size = 2;
    i.m.with_graph(&w.graph);
    let calls = i.with_store(Vec::new(), vec![group(w.class_a, "1-A")]);
    let written = i.expect_writes(WriteMode::AllOrNothing);
    // C6: once at the start, then once per chunk in each pass.
    i.jobs
        .expect_update_progress()
        .times(1 + 3 + 3)
        .returning(|_, _| Ok(()));
    i.jobs.expect_finish().times(1).returning(|_, _| Ok(()));
    i.expect_audit(Ok(()));
    let rows: Vec<String> = (0..5).map(|n| format!("user{n},User {n},,1-A,")).collect();
    let mut lines = vec![HEADER];
    lines.extend(rows.iter().map(String::as_str));
    let mut source = VecSource::csv(&lines);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!(report.created, 5);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        6,
        "three chunks of at most 2 rows, in each of the two passes"
    );
    assert_eq!(written.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn p1_without_users_edit_refused_before_reading_any_row() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.lookups.expect_lookup().times(0);
    i.expect_no_writes();
    i.jobs.expect_update_progress().times(0);
    i.jobs
        .expect_finish()
        .times(1)
        .withf(|_, o| matches!(o, ImportOutcome::Failed { code } if code == "forbidden"))
        .returning(|_, _| Ok(()));
    i.expect_audit(Err("forbidden"));
    let mut source = VecSource::csv(&[HEADER, "taro,Taro,,,"]);
    let reads = source.reads.clone();
    let viewer = admin(Privilege::UsersView, Scope::All);
    let err = i
        .service()
        .run(&viewer, &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert_eq!(reads.load(Ordering::SeqCst), 0);
}

/// Runs an all-or-nothing `mode` import of `lines` by a manager of class A (scope `groups`)
/// against a store holding `store`; nothing may be written.
async fn scoped_run(
    w: &World,
    mode: ImportMode,
    store: Vec<crate::ports::imports::ImportUser>,
    lines: &[&str],
) -> ImportReport {
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(
        store,
        vec![group(w.class_a, "1-A"), group(w.other, "Other")],
    );
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let manager = admin(Privilege::UsersEdit, Scope::groups([w.class_a]).unwrap());
    let mut source = VecSource::csv(lines);
    i.service()
        .run(&manager, &request(mode, |_| {}), &mut source)
        .await
        .unwrap()
}

#[tokio::test]
async fn p3_scoped_manager_row_outside_its_scope_is_refused_and_nothing_written() {
    let w = World::new();
    let report = scoped_run(
        &w,
        ImportMode::Create,
        Vec::new(),
        &[
            HEADER,
            "taro,Taro,,1-A,",
            "jiro,Jiro,,Other,",
            "saburo,Saburo,,,",
        ],
    )
    .await;
    assert_eq!(
        codes(&report),
        [
            (3, "groups", "group_unknown"),
            (4, "login_id", "group_required")
        ]
    );
    assert_eq!(report.created, 0);
}

#[tokio::test]
async fn p4_user_outside_the_managers_scope_reads_as_unknown() {
    let w = World::new();
    let outsider = user("hanako");
    let store = vec![stored_user(&outsider, &[w.other])];
    let report = scoped_run(&w, ImportMode::Update, store, &[HEADER, "hanako,Hanako,,,"]).await;
    assert_eq!(codes(&report), [(2, "login_id", "login_id_unknown")]);
}

#[tokio::test]
async fn p3_moving_a_user_out_of_scope_is_refused() {
    let w = World::new();
    let member = user("hanako");
    let store = vec![stored_user(&member, &[w.class_a])];
    let report = scoped_run(
        &w,
        ImportMode::Update,
        store,
        &[HEADER, "hanako,,,<clear>,"],
    )
    .await;
    assert_eq!(codes(&report), [(2, "login_id", "group_required")]);
}

#[tokio::test]
async fn p5_user_holding_more_than_the_manager_is_refused() {
    let w = World::new();
    let boss = user("boss");
    let mut stored = stored_user(&boss, &[w.class_a]);
    stored.grants = vec![grant_to(boss.id, Privilege::AdminAuthorization, Scope::All)];
    let report = scoped_run(
        &w,
        ImportMode::Update,
        vec![stored],
        &[HEADER, "boss,Big Boss,,,"],
    )
    .await;
    assert_eq!(codes(&report), [(2, "login_id", "target_holds_more")]);
}

#[tokio::test]
async fn u3_only_the_owner_edits_the_owner() {
    let w = World::new();
    let mut root = user("root");
    root.is_owner = true;
    let report = scoped_run(
        &w,
        ImportMode::Update,
        vec![stored_user(&root, &[w.class_a])],
        &[HEADER, "root,Root,,,"],
    )
    .await;
    assert_eq!(codes(&report), [(2, "login_id", "owner_protected")]);
}

#[tokio::test]
async fn p3_nobody_changes_their_own_status_through_a_file() {
    let w = World::new();
    let me = user("me");
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(vec![stored_user(&me, &[])], Vec::new());
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut actor = crate::services::testing::actor_of(&me, [].into());
    actor.grants = vec![grant_to(me.id, Privilege::UsersEdit, Scope::All)];
    let mut source = VecSource::csv(&[HEADER, "me,,,,invalid"]);
    let report = i
        .service()
        .run(&actor, &request(ImportMode::Update, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!(codes(&report), [(2, "status", "self_change_forbidden")]);
}

#[tokio::test]
async fn u1_weak_password_in_a_row_is_reported_without_hashing() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.m.hasher.expect_hash().times(0);
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&["login_id,name,password", "taro,Taro,taro1234"]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!(codes(&report), [(2, "password", "password_too_common")]);
}

#[tokio::test]
async fn c6_submit_records_a_queued_job_and_status_is_the_starters_only() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    let stored = std::sync::Arc::new(std::sync::Mutex::new(None));
    let keep = stored.clone();
    i.jobs.expect_create().times(1).returning(move |job| {
        *keep.lock().unwrap() = Some(job.clone());
        Ok(())
    });
    let read = stored.clone();
    i.jobs
        .expect_get()
        .returning(move |_| Ok(read.lock().unwrap().clone()));
    let service = i.service();
    let a = admin(Privilege::UsersEdit, Scope::groups([w.class_a]).unwrap());
    let id = service
        .submit(&a, ImportOptions::new(ImportMode::Upsert))
        .await
        .unwrap();
    let job = service.status(&a, id).await.unwrap();
    assert_eq!((job.id, job.started_by), (id, a.user_id));
    assert_eq!(
        job.progress.phase,
        crate::ports::imports::ImportPhase::Queued
    );
    assert!(service.status(&owner(), id).await.is_ok());
    let other = admin(Privilege::UsersEdit, Scope::All);
    assert_eq!(
        service.status(&other, id).await.unwrap_err().code(),
        "not_found"
    );
}

#[tokio::test]
async fn z1_submit_without_users_edit_is_refused_and_audited() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.jobs.expect_create().times(0);
    i.expect_audit(Err("forbidden"));
    let viewer = admin(Privilege::UsersView, Scope::All);
    let err = i
        .service()
        .submit(&viewer, ImportOptions::new(ImportMode::Create))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
}

fn assert_send<T: Send>(_: &T) {}

#[test]
fn c6_import_futures_are_send() {
    let service = ImportMocks::new().service();
    let a = owner();
    let req = request(ImportMode::Create, |_| {});
    let mut source = VecSource::csv(&[HEADER]);
    let source: &mut dyn ImportSource = &mut source;
    assert_send(&service.run(&a, &req, source));
    assert_send(&service.submit(&a, ImportOptions::new(ImportMode::Create)));
}

#[tokio::test]
async fn c2_undecodable_record_is_an_invalid_row_and_an_unreadable_rest_writes_nothing() {
    use super::testing::Item;
    use crate::csv::RowError;
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&[HEADER, "taro,Taro,,,"]);
    let bad = RowError::new(3, "", "encoding_invalid", "not valid Shift_JIS");
    let open = RowError::new(4, "", "quote_unclosed", "a quoted field never ends");
    source.items.push(Item::BadRecord(bad));
    source.items.push(Item::Malformed(open));
    let req = request(ImportMode::Create, |o| o.skip_invalid = true);
    let report = i.service().run(&owner(), &req, &mut source).await.unwrap();
    assert_eq!(
        codes(&report),
        [(3, "", "encoding_invalid"), (4, "", "quote_unclosed")]
    );
    assert_eq!(
        (report.processed, report.invalid_rows, report.created),
        (2, 1, 0)
    );
}

#[tokio::test]
async fn u8_c1_custom_field_columns_come_from_the_field_definitions() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.fields.checkpoint();
    i.m.with_fields(vec![crate::services::testing::field(
        "dept",
        crate::user::FieldType::Text,
        true,
        false,
    )]);
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&["login_id,name,dept,shoe_size", "taro,Taro,,42"]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    // `dept` is a known column (from the port); `shoe_size` is not, and nothing is written.
    assert_eq!(codes(&report), [(1, "shoe_size", "column_unknown")]);
}

#[tokio::test]
async fn u8_c4_a_required_custom_field_left_empty_on_create_is_reported() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.fields.checkpoint();
    i.m.with_fields(vec![crate::services::testing::field(
        "dept",
        crate::user::FieldType::Text,
        true,
        false,
    )]);
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.expect_no_writes();
    i.expect_finish(completed);
    i.expect_audit(Ok(()));
    let mut source = VecSource::csv(&["login_id,name,dept", "taro,Taro,", "jiro,Jiro,Science"]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    let found = codes(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (2, "dept"));
}
