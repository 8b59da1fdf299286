//! Creating users (U1, U3, G2): round trip, case-insensitive uniqueness settled by the store,
//! the one owner, and memberships with unknown groups.

use super::fixtures::{count_of, email, group, new_user, t0};
use roster_domain::ports::users::{CreateUserError, CredentialStore, UserRepository};
use roster_domain::user::LoginId;
use roster_infra_db::Store;
use std::collections::BTreeSet;

async fn u1_created_user_reads_back_equal(store: Store) {
    let mut new = new_user("Alice");
    new.email = Some(email("Alice.Smith@Example.org"));
    new.expires_at = Some(t0() + chrono::Duration::days(30));
    new.attributes.insert("dept".into(), "Physics 物理".into());
    let hash = new.password_hash.clone().unwrap();
    let created = store.create(new.clone()).await.unwrap();
    assert_eq!(created.created_at.timestamp_subsec_nanos(), 123_456_000);
    assert!(created.has_password && !created.is_owner);
    assert_eq!(store.get(new.id).await.unwrap(), Some(created.clone()));
    // U1: the login ID is found whatever its case, and keeps its spelling.
    let by_login = store
        .get_by_login_id(&LoginId::parse("aLiCe").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_login, created);
    assert_eq!(by_login.login_id.as_str(), "Alice");
    assert_eq!(store.password_hash(new.id).await.unwrap(), Some(hash));
    assert_eq!(
        store.get(roster_domain::ids::UserId::new()).await.unwrap(),
        None
    );
    let unknown = LoginId::parse("nobody").unwrap();
    assert_eq!(store.get_by_login_id(&unknown).await.unwrap(), None);
}

async fn u1_user_without_password_has_no_hash(store: Store) {
    let mut new = new_user("invited");
    new.password_hash = None;
    new.status = roster_domain::user::UserStatus::Pending;
    let created = store.create(new.clone()).await.unwrap();
    assert!(!created.has_password);
    assert_eq!(store.password_hash(new.id).await.unwrap(), None);
    assert_eq!(
        count_of(&store, "user_credentials", "user_id", new.id.as_uuid()).await,
        0
    );
}

async fn u1_login_id_taken_ignores_case(store: Store) {
    store.create(new_user("alice")).await.unwrap();
    let again = store.create(new_user("ALICE")).await;
    assert!(
        matches!(again, Err(CreateUserError::LoginIdTaken)),
        "{again:?}"
    );
    // Nothing of the refused user was written: the one row is the first user's.
    let filter = roster_domain::ports::users::UserFilter {
        q: None,
        in_groups: None,
        status: None,
        visibility: roster_domain::authz::Visibility::All,
    };
    let page = store
        .list(filter, roster_domain::ports::PageRequest::first(10))
        .await
        .unwrap();
    let logins: Vec<&str> = page.items.iter().map(|u| u.login_id.as_str()).collect();
    assert_eq!(logins, ["alice"]);
}

async fn u1_racing_creations_of_one_login_id_have_one_winner(store: Store) {
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let store = store.clone();
            let login = if i % 2 == 0 { "Racer" } else { "rACER" };
            tokio::spawn(async move { store.create(new_user(login)).await })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(CreateUserError::LoginIdTaken) => {}
            Err(other) => panic!("unexpected refusal: {other:?}"),
        }
    }
    assert_eq!(won, 1);
}

async fn u3_a_second_owner_is_refused(store: Store) {
    let mut owner = new_user("owner");
    owner.is_owner = true;
    assert!(store.create(owner).await.unwrap().is_owner);
    // Any number of non-owners: their slot is NULL.
    store.create(new_user("a")).await.unwrap();
    store.create(new_user("b")).await.unwrap();
    let mut second = new_user("owner2");
    second.is_owner = true;
    let refused = store.create(second.clone()).await;
    assert!(
        matches!(refused, Err(CreateUserError::OwnerExists)),
        "{refused:?}"
    );
    assert_eq!(store.get(second.id).await.unwrap(), None);
}

async fn g2_memberships_come_with_the_user(store: Store) {
    let (a, b) = (group(&store, "A").await, group(&store, "B").await);
    let mut new = new_user("member");
    new.group_ids = BTreeSet::from([a, b]);
    store.create(new.clone()).await.unwrap();
    assert_eq!(
        store.direct_groups(new.id).await.unwrap(),
        BTreeSet::from([a, b])
    );
    let nobody = roster_domain::ids::UserId::new();
    assert!(store.direct_groups(nobody).await.unwrap().is_empty());
}

async fn g2_unknown_group_is_named_and_nothing_is_written(store: Store) {
    let known = group(&store, "Known").await;
    let missing = roster_domain::ids::GroupId::new();
    let mut new = new_user("lost");
    new.group_ids = BTreeSet::from([known, missing]);
    let refused = store.create(new.clone()).await;
    assert!(
        matches!(refused, Err(CreateUserError::UnknownGroup(g)) if g == missing),
        "{refused:?}"
    );
    assert_eq!(store.get(new.id).await.unwrap(), None);
    assert_eq!(
        count_of(&store, "memberships", "user_id", new.id.as_uuid()).await,
        0
    );
    assert_eq!(
        count_of(&store, "user_credentials", "user_id", new.id.as_uuid()).await,
        0
    );
}

on_every_backend!(
    u1_created_user_reads_back_equal,
    u1_user_without_password_has_no_hash,
    u1_login_id_taken_ignores_case,
    u1_racing_creations_of_one_login_id_have_one_winner,
    u3_a_second_owner_is_refused,
    g2_memberships_come_with_the_user,
    g2_unknown_group_is_named_and_nothing_is_written,
);
