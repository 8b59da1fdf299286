//! `ImportSink` writes (C1, C3, C5, C8): creates with everything that comes with them, and
//! updates with the user store's side effects (S1, U5, U6, U10, G2).

use super::fixtures::{count, create, created, group, link, new_user, now, session, text};
use chrono::Duration;
use roster_domain::ids::UserId;
use roster_domain::ports::imports::{
    ImportInvitation, ImportLookups, ImportSink, ImportUser, LineWrite, LookupRequest, RowWrite,
    WriteMode,
};
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::users::{UserFields, UserUpdate};
use roster_domain::registration::{
    MailKind, OneTimeToken, OutgoingMail, TokenHash, TokenLifetimes, TokenPurpose,
};
use roster_domain::user::{DisplayName, Email, LoginId, UserStatus};
use roster_infra_db::Store;
use std::collections::{BTreeMap, BTreeSet};

/// A change to a user's fields.
type Change = Box<dyn Fn(&mut UserFields)>;

pub async fn stored(store: &Store, login: &str) -> ImportUser {
    let mut answer = store
        .lookup(&LookupRequest {
            login_ids: vec![LoginId::parse(login).unwrap()],
            group_names: vec![],
        })
        .await
        .unwrap();
    answer.users.pop().expect("the user is stored")
}

pub fn update_of(current: &ImportUser, change: impl FnOnce(&mut UserFields)) -> UserUpdate {
    let mut fields = UserFields::of(&current.user);
    change(&mut fields);
    UserUpdate {
        id: current.user.id,
        expected_updated_at: current.user.updated_at,
        fields,
        updated_at: now() + Duration::seconds(1),
    }
}

pub async fn write(store: &Store, mode: WriteMode, rows: &[LineWrite]) {
    let mut txn = store.begin(mode).await.unwrap();
    txn.write_chunk(rows).await.unwrap();
    txn.commit().await.unwrap();
}

fn invitation(user: UserId, email: &Email) -> ImportInvitation {
    let token = OneTimeToken::invitation(
        user,
        TokenHash::from_bytes([7; 32]),
        &TokenLifetimes::default(),
        now(),
    );
    let variables = BTreeMap::from([
        ("name".to_owned(), "Hanako".to_owned()),
        (
            "link".to_owned(),
            "https://roster.test/invite/secret".to_owned(),
        ),
    ]);
    let mail = OutgoingMail::new(email.clone(), MailKind::Invitation, variables).unwrap();
    ImportInvitation { token, mail }
}

/// C1, C5, C8, U5: users, hashes, memberships, and the invitation's link and mail.
async fn c1_create_writes_users_hashes_memberships_and_invitations(store: Store) {
    let (a, b) = (group(&store, "A").await, group(&store, "B").await);
    let taro = new_user("Taro", &[a, b]);
    let mut hanako = new_user("hanako", &[]);
    hanako.password_hash = None;
    hanako.status = UserStatus::Pending;
    hanako.email = Some(Email::parse("Hanako@Example.ORG").unwrap());
    let invite = invitation(hanako.id, hanako.email.as_ref().unwrap());
    let (taro_id, hanako_id) = (taro.id, hanako.id);
    let rows = [
        create(2, taro.clone()),
        LineWrite {
            line: 3,
            write: RowWrite::Create {
                user: hanako,
                invitation: Some(invite),
            },
        },
    ];
    write(&store, WriteMode::PerChunk, &rows).await;

    let read = stored(&store, "TARO").await;
    assert_eq!(read.user.id, taro_id);
    assert_eq!(
        (read.user.created_at, read.user.updated_at),
        (taro.created_at, taro.created_at)
    );
    assert_eq!(read.direct_groups, BTreeSet::from([a, b]));
    assert!(read.user.has_password);
    let hash = text(
        &store,
        "user_credentials",
        "password_hash",
        "user_id",
        taro_id.as_uuid(),
    )
    .await;
    assert_eq!(
        hash,
        taro.password_hash.unwrap().expose(),
        "C8: the hash as given"
    );

    let pending = stored(&store, "Hanako").await;
    assert_eq!(pending.user.status, UserStatus::Pending);
    assert!(!pending.user.has_password);
    assert_eq!(pending.user.email.unwrap().as_str(), "Hanako@example.org");
    assert_eq!(
        count(&store, "user_credentials", "user_id", hanako_id.as_uuid()).await,
        0
    );
    assert_eq!(
        count(
            &store,
            "one_time_tokens",
            "subject_user_id",
            hanako_id.as_uuid()
        )
        .await,
        1
    );
    let purpose = text(
        &store,
        "one_time_tokens",
        "purpose",
        "subject_user_id",
        hanako_id.as_uuid(),
    )
    .await;
    assert_eq!(purpose, "invitation");
    assert_eq!(
        count(&store, "mail_queue", "recipient", "Hanako@example.org").await,
        1
    );
    assert_eq!(count(&store, "mail_queue", "status", "queued").await, 1);
}

/// U10, S1, G2, C8: a new email, new groups and a new hash — sessions end, reset and
/// invitation links die, memberships are replaced, the hash is stored.
async fn u10_update_replaces_groups_and_revokes_with_new_credentials(store: Store) {
    let (a, b, c) = (
        group(&store, "A").await,
        group(&store, "B").await,
        group(&store, "C").await,
    );
    created(&store, vec![new_user("alice", &[a, b])]).await;
    let current = stored(&store, "alice").await;
    let id = current.user.id;
    session(&store, id).await;
    link(&store, id, TokenPurpose::PasswordReset).await;
    link(&store, id, TokenPurpose::Invitation).await;
    let update = update_of(&current, |f| {
        f.name = DisplayName::parse("Alice B").unwrap();
        f.email = Some(Email::parse("alice@example.org").unwrap());
        f.attributes.insert("dept".into(), "=1+2".into());
        f.expires_at = Some(now() + Duration::days(30));
    });
    let rows = [LineWrite {
        line: 2,
        write: RowWrite::Update {
            update: update.clone(),
            group_ids: Some(BTreeSet::from([b, c])),
            password_hash: Some(PasswordHash::new("$6$salt$new")),
        },
    }];
    write(&store, WriteMode::AllOrNothing, &rows).await;

    let after = stored(&store, "alice").await;
    assert_eq!(UserFields::of(&after.user), update.fields);
    assert_eq!(after.user.updated_at, update.updated_at);
    assert_eq!(after.direct_groups, BTreeSet::from([b, c]));
    assert!(after.user.has_password);
    assert_eq!(
        count(&store, "sessions", "user_id", id.as_uuid()).await,
        0,
        "S1"
    );
    assert_eq!(
        count(&store, "one_time_tokens", "subject_user_id", id.as_uuid()).await,
        0,
        "U10"
    );
    let hash = text(
        &store,
        "user_credentials",
        "password_hash",
        "user_id",
        id.as_uuid(),
    )
    .await;
    assert_eq!(hash, "$6$salt$new");
}

/// S1, U6, U10: disabling ends sessions but keeps links while the email stays; a passed
/// expiry ends sessions; a name change alone touches neither; `None` groups keep them.
async fn s1_status_and_expiry_end_sessions_links_stay_with_the_email(store: Store) {
    let a = group(&store, "A").await;
    let users: Vec<_> = ["disabled", "expired", "renamed"]
        .iter()
        .map(|l| new_user(l, &[a]))
        .collect();
    created(&store, users).await;
    let mut rows = Vec::new();
    let changes: [(&str, Change); 3] = [
        ("disabled", Box::new(|f| f.status = UserStatus::Invalid)),
        (
            "expired",
            Box::new(|f| f.expires_at = Some(now() - Duration::seconds(5))),
        ),
        (
            "renamed",
            Box::new(|f| f.name = DisplayName::parse("Renamed").unwrap()),
        ),
    ];
    let mut user_ids = Vec::new();
    for (i, (login, change)) in changes.iter().enumerate() {
        let current = stored(&store, login).await;
        session(&store, current.user.id).await;
        link(&store, current.user.id, TokenPurpose::PasswordReset).await;
        user_ids.push(current.user.id);
        rows.push(LineWrite {
            line: i as u64 + 2,
            write: RowWrite::Update {
                update: update_of(&current, change),
                group_ids: None,
                password_hash: None,
            },
        });
    }
    write(&store, WriteMode::PerChunk, &rows).await;
    let sessions = |i: usize| count(&store, "sessions", "user_id", user_ids[i].as_uuid());
    assert_eq!(sessions(0).await, 0, "S1: not valid");
    assert_eq!(sessions(1).await, 0, "U6: expired");
    assert_eq!(sessions(2).await, 1, "a rename keeps sessions");
    for user in &user_ids {
        assert_eq!(
            count(&store, "one_time_tokens", "subject_user_id", user.as_uuid()).await,
            1
        );
    }
    assert_eq!(
        stored(&store, "renamed").await.direct_groups,
        BTreeSet::from([a])
    );
    assert_eq!(
        stored(&store, "disabled").await.user.status,
        UserStatus::Invalid
    );
}

/// C6: chunks larger than one statement's bind limit, and more updates than one batched
/// `UPDATE` holds, are written whole.
async fn c6_large_chunks_span_several_statements(store: Store) {
    let (a, b) = (group(&store, "A").await, group(&store, "B").await);
    let users: Vec<_> = (0..2_500)
        .map(|i| new_user(&format!("user{i:05}"), &[a, b]))
        .collect();
    created(&store, users).await;
    assert_eq!(count(&store, "users", "", 0).await, 2_500);
    assert_eq!(count(&store, "memberships", "", 0).await, 5_000);
    let logins: Vec<_> = (0..250)
        .map(|i| LoginId::parse(&format!("USER{i:05}")).unwrap())
        .collect();
    let answer = store
        .lookup(&LookupRequest {
            login_ids: logins,
            group_names: vec![],
        })
        .await
        .unwrap();
    assert_eq!(answer.users.len(), 250);
    let rows: Vec<_> = answer
        .users
        .iter()
        .enumerate()
        .map(|(i, current)| LineWrite {
            line: i as u64 + 2,
            write: RowWrite::Update {
                update: update_of(current, |f| f.status = UserStatus::Invalid),
                group_ids: Some(BTreeSet::from([b])),
                password_hash: None,
            },
        })
        .collect();
    write(&store, WriteMode::AllOrNothing, &rows).await;
    assert_eq!(count(&store, "users", "status", "invalid").await, 250);
    assert_eq!(count(&store, "memberships", "", 0).await, 5_000 - 250);
}

on_every_backend!(
    c1_create_writes_users_hashes_memberships_and_invitations,
    u10_update_replaces_groups_and_revokes_with_new_credentials,
    s1_status_and_expiry_end_sessions_links_stay_with_the_email,
    c6_large_chunks_span_several_statements
);
