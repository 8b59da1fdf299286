//! G5: deleting a group removes its memberships, edges, held grants and scope mentions in one
//! transaction, and never a user.

use super::fixtures::{count_where, group, user};
use roster_domain::authz::{Grant, NewGrant, Privilege, Scope, Subject};
use roster_domain::ids::{GrantId, GroupId};
use roster_domain::ports::grants::{CreateGrantError, GrantRepository};
use roster_domain::ports::groups::{GroupRepository, GroupWriteError};
use roster_infra_db::Store;

async fn grant(store: &Store, subject: Subject, privilege: Privilege, scope: Scope) -> Grant {
    let new = NewGrant {
        subject,
        privilege,
        scope,
    };
    GrantRepository::create(store, GrantId::new(), new)
        .await
        .unwrap()
}

async fn g5_delete_removes_memberships_edges_grants_and_scope_mentions(store: Store) {
    let top = group(&store, "Top", &[]).await;
    let doomed = group(&store, "Doomed", &[&top]).await;
    let below = group(&store, "Below", &[&doomed]).await;
    let (u1, u2) = (user(&store, "u1").await, user(&store, "u2").await);
    store.add_member(doomed.id, u1).await.unwrap();
    store.add_member(doomed.id, u2).await.unwrap();
    store.add_member(below.id, u2).await.unwrap();
    let (s1, s2) = (Subject::User(u1), Subject::User(u2));

    let held = grant(
        &store,
        Subject::Group(doomed.id),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    let emptied = grant(
        &store,
        s1,
        Privilege::UsersEdit,
        Scope::groups([doomed.id]).unwrap(),
    )
    .await;
    let shrunk = grant(
        &store,
        s1,
        Privilege::GradesView,
        Scope::groups([doomed.id, top.id]).unwrap(),
    )
    .await;
    // Shrinks to exactly the scope of `twin`: the two become one grant.
    let merged = grant(
        &store,
        s2,
        Privilege::UsersEdit,
        Scope::groups([doomed.id, below.id]).unwrap(),
    )
    .await;
    let twin = grant(
        &store,
        s2,
        Privilege::UsersEdit,
        Scope::groups([below.id]).unwrap(),
    )
    .await;
    let untouched = grant(&store, s2, Privilege::UsersView, Scope::MemberGroups).await;

    GroupRepository::delete(&store, doomed.id).await.unwrap();

    assert_eq!(GroupRepository::get(&store, doomed.id).await.unwrap(), None);
    let graph = store.graph().await.unwrap();
    assert_eq!(graph.len(), 2);
    assert_eq!(graph.parents(below.id).count(), 0, "the edge below is gone");
    assert_eq!(graph.children(top.id).count(), 0, "the edge above is gone");
    assert_eq!(count_where(&store, "users", "id", u1.as_uuid()).await, 1);
    assert_eq!(count_where(&store, "users", "id", u2.as_uuid()).await, 1);
    let doomed_id = doomed.id.as_uuid();
    assert_eq!(
        count_where(&store, "memberships", "group_id", doomed_id).await,
        0
    );
    assert_eq!(
        count_where(&store, "memberships", "user_id", u2.as_uuid()).await,
        1
    );
    assert_eq!(
        count_where(&store, "grant_scope_groups", "group_id", doomed_id).await,
        0
    );

    let get = |id: GrantId| GrantRepository::get(&store, id);
    assert_eq!(
        get(held.id).await.unwrap(),
        None,
        "grants the group held go"
    );
    assert_eq!(
        get(emptied.id).await.unwrap(),
        None,
        "an emptied scope deletes its grant"
    );
    assert_eq!(
        get(merged.id).await.unwrap(),
        None,
        "a duplicate of another grant goes"
    );
    assert_eq!(get(twin.id).await.unwrap(), Some(twin.clone()));
    assert_eq!(get(untouched.id).await.unwrap(), Some(untouched));
    let narrowed = get(shrunk.id).await.unwrap().unwrap();
    assert_eq!(narrowed.scope, Scope::groups([top.id]).unwrap());

    // The shrunk scope's key was recomputed: the same grant again is a duplicate.
    let again = NewGrant {
        subject: s1,
        privilege: Privilege::GradesView,
        scope: Scope::groups([top.id]).unwrap(),
    };
    let err = GrantRepository::create(&store, GrantId::new(), again)
        .await
        .unwrap_err();
    assert!(matches!(err, CreateGrantError::Exists), "{err:?}");
}

async fn g5_deleting_an_unknown_group_is_not_found(store: Store) {
    let err = GroupRepository::delete(&store, GroupId::new())
        .await
        .unwrap_err();
    assert!(matches!(err, GroupWriteError::NotFound), "{err:?}");
    let g = group(&store, "Once", &[]).await;
    GroupRepository::delete(&store, g.id).await.unwrap();
    let err = GroupRepository::delete(&store, g.id).await.unwrap_err();
    assert!(matches!(err, GroupWriteError::NotFound), "{err:?}");
}

on_every_backend!(
    g5_delete_removes_memberships_edges_grants_and_scope_mentions,
    g5_deleting_an_unknown_group_is_not_found,
);
