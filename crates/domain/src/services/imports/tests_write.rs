//! Tests of the import's write pass (C4, C5, C7, C8, C9, U2).

use super::testing::{ImportMocks, VecSource, created_groups, group, request, stored_user};
use crate::csv::{ImportMode, ImportReport, RowError};
use crate::error::ErrorCode;
use crate::ports::imports::{
    ImportOutcome, ImportWriteError, LineWrite, MockImportTxn, RowWrite, WriteMode,
};
use crate::ports::password::PasswordHash;
use crate::services::testing::{World, now, owner, user};
use crate::user::UserStatus;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn completed(outcome: &ImportOutcome) -> bool {
    matches!(outcome, ImportOutcome::Completed { .. })
}

fn lines(writes: &[LineWrite]) -> Vec<u64> {
    writes.iter().map(|w| w.line).collect()
}

#[tokio::test]
async fn c4_skip_invalid_writes_only_the_valid_rows_chunk_by_chunk() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), vec![group(w.class_a, "1-A")]);
    let written = i.expect_writes(WriteMode::PerChunk);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&[
        "login_id,name,groups",
        "taro,Taro,1-A",
        "jiro,Jiro,Nope",
        "hanako,Hanako,",
    ]);
    let req = request(ImportMode::Create, |o| o.skip_invalid = true);
    let report = i.service().run(&owner(), &req, &mut source).await.unwrap();
    let written = written.lock().unwrap();
    assert_eq!(lines(&written), [2, 4]);
    assert_eq!(created_groups(&written[0]), Some([w.class_a].into()));
    assert_eq!((report.created, report.invalid_rows), (2, 1));
    assert_eq!(report.errors[0].code, "group_unknown");
}

#[tokio::test]
async fn c9_passwords_are_hashed_and_c8_legacy_hashes_stored_as_given() {
    const BCRYPT: &str = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";
    let w = World::new();
    let mut i = ImportMocks::new();
    i.config.hash_concurrency = 2;
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    let hashed = Arc::new(AtomicUsize::new(0));
    let count = hashed.clone();
    i.m.hasher.expect_hash().returning(move |p| {
        count.fetch_add(1, Ordering::SeqCst);
        Ok(PasswordHash::new(format!("hash:{}", p.expose())))
    });
    let written = i.expect_writes(WriteMode::AllOrNothing);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let legacy_row = format!("moodle,Moodle User,,{BCRYPT}");
    let mut source = VecSource::csv(&[
        "login_id,name,password,password_hash",
        "a,A,maple-syrup-lantern-1,",
        "b,B,maple-syrup-lantern-2,",
        &legacy_row,
        "c,C,maple-syrup-lantern-3,",
    ]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!(report.created, 4);
    assert_eq!(
        hashed.load(Ordering::SeqCst),
        3,
        "the legacy hash is not rehashed"
    );
    let hashes: Vec<(u64, String, UserStatus)> = written
        .lock()
        .unwrap()
        .iter()
        .map(|w| match &w.write {
            RowWrite::Create { user, .. } => (
                w.line,
                user.password_hash.as_ref().unwrap().expose().to_owned(),
                user.status,
            ),
            RowWrite::Update { .. } => panic!("only creates"),
        })
        .collect();
    assert_eq!(
        hashes,
        [
            (2, "hash:maple-syrup-lantern-1".into(), UserStatus::Valid),
            (3, "hash:maple-syrup-lantern-2".into(), UserStatus::Valid),
            (4, BCRYPT.into(), UserStatus::Valid),
            (5, "hash:maple-syrup-lantern-3".into(), UserStatus::Valid),
        ]
    );
}

#[tokio::test]
async fn c5_invitations_only_for_invitable_created_rows() {
    let w = World::new();
    let known = user("known");
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(vec![stored_user(&known, &[])], Vec::new());
    i.hashing();
    i.inviting();
    let written = i.expect_writes(WriteMode::AllOrNothing);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&[
        "login_id,name,email,password,status",
        "invitee,Invitee,invitee@example.jp,,",
        "haspw,Has Pw,haspw@example.jp,maple-syrup-lantern,",
        "nomail,No Mail,,,",
        "known,,known@example.jp,,",
        "off,Off,off@example.jp,,invalid",
    ]);
    let req = request(ImportMode::Upsert, |o| o.invite = true);
    let report = i.service().run(&owner(), &req, &mut source).await.unwrap();
    assert_eq!((report.created, report.updated), (4, 1));
    let written = written.lock().unwrap();
    let invited: Vec<u64> = written
        .iter()
        .filter(|w| {
            matches!(
                &w.write,
                RowWrite::Create {
                    invitation: Some(_),
                    ..
                }
            )
        })
        .map(|w| w.line)
        .collect();
    assert_eq!(invited, [2]);
    let RowWrite::Create {
        user,
        invitation: Some(invitation),
    } = &written[0].write
    else {
        panic!("line 2 is an invited create");
    };
    assert_eq!(user.status, UserStatus::Pending);
    assert_eq!(
        invitation.token.expires_at,
        now() + chrono::Duration::days(7)
    );
    let mail = &invitation.mail;
    assert_eq!(mail.to().as_str(), "invitee@example.jp");
    assert_eq!(
        mail.variables()["link"],
        "http://127.0.0.1:8080/invite/secret-0"
    );
}

#[tokio::test]
async fn c5_m3_with_invitation_mail_off_no_token_is_issued_and_the_report_counts_it() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.tokens.expect_generate().times(0);
    i.notifications.expect_get().returning(|| {
        let mut settings = crate::registration::NotificationSettings::default();
        settings.set(crate::registration::MailKind::Invitation, false);
        Ok(settings)
    });
    let written = i.expect_writes(WriteMode::AllOrNothing);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&[
        "login_id,name,email,password,status",
        "invitee,Invitee,invitee@example.jp,,",
        "other,Other,other@example.jp,,",
        "nomail,No Mail,,,",
    ]);
    let req = request(ImportMode::Create, |o| o.invite = true);
    let report = i.service().run(&owner(), &req, &mut source).await.unwrap();
    assert_eq!((report.created, report.invitations_not_sent), (3, 2));
    assert!(report.errors.is_empty());
    let written = written.lock().unwrap();
    assert!(written.iter().all(|w| matches!(
        &w.write,
        RowWrite::Create {
            invitation: None,
            ..
        }
    )));
}

#[tokio::test]
async fn c7_a_row_that_changes_nothing_writes_nothing() {
    let w = World::new();
    let mut known = user("hanako");
    known.email = Some(crate::user::Email::parse("hanako@example.jp").unwrap());
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(
        vec![stored_user(&known, &[w.class_a])],
        vec![group(w.class_a, "1-A")],
    );
    let written = i.expect_writes(WriteMode::AllOrNothing);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&[
        "login_id,name,email,groups,status,expires_at",
        "hanako,hanako,hanako@example.jp,1-A,valid,",
    ]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Update, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!(report.updated, 1);
    assert!(written.lock().unwrap().is_empty());
}

#[tokio::test]
async fn u2_password_in_an_update_activates_a_pending_user() {
    let w = World::new();
    let mut invited = user("invited");
    invited.status = UserStatus::Pending;
    invited.has_password = false;
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(vec![stored_user(&invited, &[])], Vec::new());
    i.hashing();
    let written = i.expect_writes(WriteMode::AllOrNothing);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&["login_id,password", "invited,maple-syrup-lantern"]);
    i.service()
        .run(&owner(), &request(ImportMode::Update, |_| {}), &mut source)
        .await
        .unwrap();
    let written = written.lock().unwrap();
    let RowWrite::Update {
        update,
        password_hash,
        group_ids,
    } = &written[0].write
    else {
        panic!("an update");
    };
    assert_eq!(update.fields.status, UserStatus::Valid);
    assert_eq!(update.expected_updated_at, invited.updated_at);
    assert_eq!(
        password_hash.as_ref().map(PasswordHash::expose),
        Some("hash:maple-syrup-lantern")
    );
    assert_eq!(group_ids, &None);
}

/// An all-or-nothing import whose second lookup finds `taro` created meanwhile.
#[tokio::test]
async fn c4_row_taken_between_the_passes_aborts_all_or_nothing() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    let taro = user("taro");
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    i.lookups.expect_lookup().returning(move |_| {
        let pass = counter.fetch_add(1, Ordering::SeqCst);
        let users = if pass == 0 {
            Vec::new()
        } else {
            vec![stored_user(&taro, &[])]
        };
        Ok(crate::ports::imports::LookupAnswer {
            users,
            ..Default::default()
        })
    });
    let mut txn = MockImportTxn::new();
    txn.expect_write_chunk().times(0);
    txn.expect_commit().times(0);
    i.expect_txn(WriteMode::AllOrNothing, txn);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&["login_id,name", "jiro,Jiro", "taro,Taro"]);
    let report = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap();
    assert_eq!((report.created, report.invalid_rows), (0, 1));
    assert_eq!(report.errors[0].code, "login_id_exists");
}

#[tokio::test]
async fn c4_skip_invalid_rewrites_a_chunk_without_the_row_the_store_refused() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    let attempts: Arc<Mutex<Vec<Vec<u64>>>> = Arc::default();
    let log = attempts.clone();
    let mut txn = MockImportTxn::new();
    txn.expect_write_chunk().times(2).returning(move |rows| {
        let mut log = log.lock().unwrap();
        log.push(lines(rows));
        if log.len() == 1 {
            let taken = RowError::new(2, "login_id", "login_id_taken", "taken meanwhile");
            Err(ImportWriteError::Row(taken))
        } else {
            Ok(())
        }
    });
    txn.expect_commit().times(1).returning(|| Ok(()));
    i.expect_txn(WriteMode::PerChunk, txn);
    i.expect_finish(completed);
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Ok(()));
    let mut source = VecSource::csv(&["login_id,name", "taro,Taro", "jiro,Jiro"]);
    let req = request(ImportMode::Create, |o| o.skip_invalid = true);
    let report: ImportReport = i.service().run(&owner(), &req, &mut source).await.unwrap();
    assert_eq!(*attempts.lock().unwrap(), [vec![2, 3], vec![3]]);
    assert_eq!((report.created, report.invalid_rows), (1, 1));
    assert_eq!(report.errors[0].code(), "login_id_taken");
}

#[tokio::test]
async fn c9_busy_hasher_fails_the_job_and_commits_nothing() {
    let w = World::new();
    let mut i = ImportMocks::new();
    i.m.with_graph(&w.graph);
    i.with_store(Vec::new(), Vec::new());
    i.m.hasher
        .expect_hash()
        .returning(|_| Err(crate::ports::password::HashError::Busy));
    let mut txn = MockImportTxn::new();
    txn.expect_write_chunk().times(0);
    txn.expect_commit().times(0);
    i.expect_txn(WriteMode::AllOrNothing, txn);
    i.jobs.expect_update_progress().returning(|_, _| Ok(()));
    i.jobs
        .expect_finish()
        .times(1)
        .withf(|_, o| matches!(o, ImportOutcome::Failed { code } if code == "busy"))
        .returning(|_, _| Ok(()));
    i.m.expect_audit(crate::ports::audit::AuditAction::ImportRun, Err("busy"));
    let mut source = VecSource::csv(&["login_id,name,password", "taro,Taro,maple-syrup-lantern"]);
    let err = i
        .service()
        .run(&owner(), &request(ImportMode::Create, |_| {}), &mut source)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "busy");
}
