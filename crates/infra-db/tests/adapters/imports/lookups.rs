//! `ImportLookups` (C4, P5, I7) and `ExportLookups` (C7).

use super::fixtures::{created, grant, group, live_integration, new_user, parent};
use roster_domain::authz::{Privilege, Scope, Subject};
use roster_domain::group::GroupName;
use roster_domain::ids::UserId;
use roster_domain::ports::imports::{ExportLookups, ImportLookups, LookupRequest};
use roster_domain::user::LoginId;
use roster_infra_db::Store;
use std::collections::BTreeSet;

/// C4, P5, I7: users by folded login ID with their direct groups, every grant reaching them
/// (own, their groups', the groups above), their integration state; groups by folded name
/// with the grants joining them hands over; unknown names simply missing.
async fn c4_lookup_answers_users_groups_and_grants(store: Store) {
    let (top, class, other) = (
        group(&store, "School").await,
        group(&store, "Class A").await,
        group(&store, "Other").await,
    );
    parent(&store, class, top).await;
    let alice = new_user("Alice", &[class]);
    let bob = new_user("bob", &[]);
    let (alice_id, bob_id) = (alice.id, bob.id);
    created(&store, vec![alice, bob]).await;
    let own = grant(
        &store,
        Subject::User(alice_id),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    let on_class = grant(
        &store,
        Subject::Group(class),
        Privilege::GradesView,
        Scope::MemberGroups,
    )
    .await;
    let on_top = grant(
        &store,
        Subject::Group(top),
        Privilege::UsersEdit,
        Scope::groups([class, other]).unwrap(),
    )
    .await;
    let elsewhere = grant(
        &store,
        Subject::Group(other),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    let bobs = grant(
        &store,
        Subject::User(bob_id),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    live_integration(&store, alice_id, bob_id).await;

    let answer = store
        .lookup(&LookupRequest {
            login_ids: ["ALICE", "nobody"]
                .map(|l| LoginId::parse(l).unwrap())
                .to_vec(),
            group_names: ["class a", "missing"]
                .map(|g| GroupName::parse(g).unwrap())
                .to_vec(),
        })
        .await
        .unwrap();

    assert_eq!(
        answer.users.len(),
        1,
        "unknown login IDs are simply missing"
    );
    let found = &answer.users[0];
    assert_eq!(found.user.id, alice_id);
    assert_eq!(found.user.login_id.as_str(), "Alice");
    assert!(found.user.has_password);
    assert_eq!(
        found.user.attributes.get("dept").map(String::as_str),
        Some("sales")
    );
    assert_eq!(found.direct_groups, BTreeSet::from([class]));
    assert!(found.live_integration_source, "I7");
    let ids: BTreeSet<_> = found.grants.iter().map(|g| g.id).collect();
    assert_eq!(
        ids,
        BTreeSet::from([own, on_class, on_top]),
        "not {elsewhere:?}, not {bobs:?}"
    );
    let scoped = found.grants.iter().find(|g| g.id == on_top).unwrap();
    assert_eq!(scoped.scope, Scope::groups([class, other]).unwrap());

    assert_eq!(answer.groups.len(), 1);
    assert_eq!(answer.groups[0].id, class);
    assert_eq!(answer.groups[0].name.as_str(), "Class A");
    let handed: BTreeSet<_> = answer.group_grants.iter().map(|g| g.id).collect();
    assert_eq!(
        handed,
        BTreeSet::from([on_class, on_top]),
        "P5: the group's and those above it"
    );

    let bob_only = store
        .lookup(&LookupRequest {
            login_ids: vec![LoginId::parse("Bob").unwrap()],
            group_names: vec![],
        })
        .await
        .unwrap();
    assert!(
        !bob_only.users[0].live_integration_source,
        "a target is not a source"
    );
    assert!(bob_only.users[0].direct_groups.is_empty());
    assert_eq!(bob_only.users[0].grants.len(), 1);
    assert!(bob_only.groups.is_empty() && bob_only.group_grants.is_empty());
}

/// C7: each user's direct groups with ids, sorted by name without case; users in no group
/// absent.
async fn c7_export_group_names_sorted_per_user(store: Store) {
    let (beta, alpha, gamma) = (
        group(&store, "beta").await,
        group(&store, "Alpha").await,
        group(&store, "Gamma").await,
    );
    let one = new_user("one", &[beta, alpha, gamma]);
    let two = new_user("two", &[beta]);
    let none = new_user("none", &[]);
    let ids = [one.id, two.id, none.id];
    created(&store, vec![one, two, none]).await;
    let names = store.group_names(&ids).await.unwrap();
    let listed = |user: UserId| -> Vec<(String, bool)> {
        names[&user]
            .iter()
            .map(|(id, name)| (name.as_str().to_owned(), [beta, alpha, gamma].contains(id)))
            .collect()
    };
    assert_eq!(
        listed(ids[0]),
        [("Alpha", true), ("beta", true), ("Gamma", true)].map(|(n, k)| (n.to_owned(), k))
    );
    assert_eq!(
        names[&ids[1]],
        vec![(beta, GroupName::parse("beta").unwrap())]
    );
    assert!(!names.contains_key(&ids[2]));
    assert!(store.group_names(&[]).await.unwrap().is_empty());
}

on_every_backend!(
    c4_lookup_answers_users_groups_and_grants,
    c7_export_group_names_sorted_per_user
);
