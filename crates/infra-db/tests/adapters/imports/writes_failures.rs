//! `ImportSink` refusals (C4): a taken login ID, a changed or deleted user, a deleted group —
//! each names its row and leaves nothing of the chunk; a pass dropped without commit leaves
//! nothing at all.

use super::fixtures::{count, create, created, group, new_user, session};
use super::writes::{stored, update_of};
use roster_domain::ids::GroupId;
use roster_domain::ports::imports::{ImportSink, ImportWriteError, LineWrite, RowWrite, WriteMode};
use roster_domain::user::{DisplayName, UserStatus};
use roster_infra_db::Store;

fn refused(result: Result<(), ImportWriteError>) -> (u64, &'static str) {
    match result {
        Err(ImportWriteError::Row(row)) => (row.line, row.code),
        other => panic!("expected a refused row, got {other:?}"),
    }
}

/// C4: a login ID held by a stored user (case-insensitively) or by an earlier row of the
/// chunk is `login_id_taken` on its line; nothing of the chunk is written.
async fn c4_taken_login_id_names_its_row(store: Store) {
    created(&store, vec![new_user("alice", &[])]).await;
    let mut txn = store.begin(WriteMode::PerChunk).await.unwrap();
    let rows = [
        create(2, new_user("bob", &[])),
        create(3, new_user("ALICE", &[])),
    ];
    assert_eq!(refused(txn.write_chunk(&rows).await), (3, "login_id_taken"));
    let twice = [
        create(2, new_user("carol", &[])),
        create(5, new_user("Carol", &[])),
    ];
    assert_eq!(
        refused(txn.write_chunk(&twice).await),
        (5, "login_id_taken")
    );
    txn.commit().await.unwrap();
    assert_eq!(
        count(&store, "users", "", 0).await,
        1,
        "nothing of either chunk"
    );
}

/// C4: joining a group that no longer exists is `unknown_group` on the row.
async fn c4_deleted_group_names_its_row(store: Store) {
    let a = group(&store, "A").await;
    let mut txn = store.begin(WriteMode::AllOrNothing).await.unwrap();
    let rows = [
        create(2, new_user("bob", &[a])),
        create(3, new_user("carol", &[a, GroupId::new()])),
    ];
    assert_eq!(refused(txn.write_chunk(&rows).await), (3, "unknown_group"));
    txn.commit().await.unwrap();
    assert_eq!(count(&store, "users", "", 0).await, 0);
    assert_eq!(count(&store, "memberships", "", 0).await, 0);
}

/// C4 (optimistic concurrency, as `UserRepository::update`): a user changed since the
/// lookup, or deleted, is `conflict`; the chunk's other rows are not written.
async fn c4_changed_user_is_a_conflict(store: Store) {
    created(&store, vec![new_user("alice", &[]), new_user("bob", &[])]).await;
    let (alice, bob) = (stored(&store, "alice").await, stored(&store, "bob").await);
    session(&store, bob.user.id).await;
    let rename = |current, line| LineWrite {
        line,
        write: RowWrite::Update {
            update: update_of(current, |f| f.name = DisplayName::parse("Changed").unwrap()),
            group_ids: None,
            password_hash: None,
        },
    };
    write_ok(&store, &[rename(&alice, 2)]).await;
    let disable_bob = LineWrite {
        line: 2,
        write: RowWrite::Update {
            update: update_of(&bob, |f| f.status = UserStatus::Invalid),
            group_ids: None,
            password_hash: None,
        },
    };
    let mut txn = store.begin(WriteMode::PerChunk).await.unwrap();
    let stale = [disable_bob, rename(&alice, 3)];
    assert_eq!(refused(txn.write_chunk(&stale).await), (3, "conflict"));
    assert_eq!(
        stored(&store, "bob").await.user.status,
        UserStatus::Valid,
        "nothing written"
    );
    assert_eq!(
        count(&store, "sessions", "user_id", bob.user.id.as_uuid()).await,
        1
    );

    let mut gone = stored(&store, "bob").await;
    gone.user.id = roster_domain::ids::UserId::new();
    assert_eq!(
        refused(txn.write_chunk(&[rename(&gone, 4)]).await),
        (4, "conflict")
    );
}

async fn write_ok(store: &Store, rows: &[LineWrite]) {
    let mut txn = store.begin(WriteMode::PerChunk).await.unwrap();
    txn.write_chunk(rows).await.unwrap();
    txn.commit().await.unwrap();
}

/// C4: all-or-nothing — a later chunk refused and the pass dropped without commit leaves
/// nothing of the earlier chunks; per chunk, earlier chunks stay written.
async fn c4_dropped_pass_leaves_nothing(store: Store) {
    created(&store, vec![new_user("taken", &[])]).await;
    let first = [
        create(2, new_user("one", &[])),
        create(3, new_user("two", &[])),
    ];
    let second = [
        create(4, new_user("three", &[])),
        create(5, new_user("TAKEN", &[])),
    ];

    let mut txn = store.begin(WriteMode::AllOrNothing).await.unwrap();
    txn.write_chunk(&first).await.unwrap();
    assert_eq!(
        refused(txn.write_chunk(&second).await),
        (5, "login_id_taken")
    );
    drop(txn);
    assert_eq!(
        count(&store, "users", "", 0).await,
        1,
        "only the user from before"
    );

    let mut txn = store.begin(WriteMode::PerChunk).await.unwrap();
    txn.write_chunk(&first).await.unwrap();
    assert_eq!(
        refused(txn.write_chunk(&second).await),
        (5, "login_id_taken")
    );
    drop(txn);
    assert_eq!(
        count(&store, "users", "", 0).await,
        3,
        "the first chunk was committed"
    );
}

on_every_backend!(
    c4_taken_login_id_names_its_row,
    c4_deleted_group_names_its_row,
    c4_changed_user_is_a_conflict,
    c4_dropped_pass_leaves_nothing
);
