//! P2, G4: storing grants, the holder reads decisions make, `grants_scoped_on`, and lists.

use super::fixtures::{group, user};
use roster_domain::authz::{Grant, NewGrant, Privilege, Scope, Subject, Visibility};
use roster_domain::ids::{GrantId, GroupId, UserId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::grants::{
    CreateGrantError, DeleteGrantError, GrantFilter, GrantRepository,
};
use roster_domain::ports::groups::GroupRepository;
use roster_infra_db::Store;
use std::collections::BTreeSet;

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

fn ids(grants: &[Grant]) -> BTreeSet<GrantId> {
    grants.iter().map(|g| g.id).collect()
}

async fn p2_create_get_and_delete_every_scope_kind(store: Store) {
    let (a, b) = (group(&store, "A", &[]).await, group(&store, "B", &[]).await);
    let alice = user(&store, "alice").await;
    let all = grant(
        &store,
        Subject::User(alice),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    let mine = grant(
        &store,
        Subject::User(alice),
        Privilege::UsersView,
        Scope::MemberGroups,
    )
    .await;
    let two = Scope::groups([a.id, b.id]).unwrap();
    let listed = grant(&store, Subject::Group(a.id), Privilege::UsersEdit, two).await;
    for g in [&all, &mine, &listed] {
        assert_eq!(
            GrantRepository::get(&store, g.id).await.unwrap().as_ref(),
            Some(g)
        );
    }
    GrantRepository::delete(&store, listed.id).await.unwrap();
    assert_eq!(GrantRepository::get(&store, listed.id).await.unwrap(), None);
    let err = GrantRepository::delete(&store, listed.id)
        .await
        .unwrap_err();
    assert!(matches!(err, DeleteGrantError::NotFound), "{err:?}");
    assert_eq!(
        GrantRepository::get(&store, GrantId::new()).await.unwrap(),
        None
    );
}

async fn p2_create_refuses_unknown_subjects_and_groups_and_duplicates(store: Store) {
    let (a, b) = (group(&store, "A", &[]).await, group(&store, "B", &[]).await);
    let alice = Subject::User(user(&store, "alice").await);
    let create = |subject, scope| {
        let new = NewGrant {
            subject,
            privilege: Privilege::UsersEdit,
            scope,
        };
        GrantRepository::create(&store, GrantId::new(), new)
    };
    for ghost in [Subject::User(UserId::new()), Subject::Group(GroupId::new())] {
        let err = create(ghost, Scope::All).await.unwrap_err();
        assert!(matches!(err, CreateGrantError::UnknownSubject), "{err:?}");
    }
    let ghost = GroupId::new();
    let err = create(alice, Scope::groups([a.id, ghost]).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, CreateGrantError::UnknownGroup(g) if g == ghost),
        "{err:?}"
    );
    let filter = GrantFilter {
        subject: Some(alice),
        privilege: None,
        visibility: Visibility::All,
    };
    let page = GrantRepository::list(&store, filter.clone(), PageRequest::first(10));
    assert!(
        page.await.unwrap().items.is_empty(),
        "a refused grant leaves nothing"
    );

    create(alice, Scope::groups([a.id, b.id]).unwrap())
        .await
        .unwrap();
    let err = create(alice, Scope::groups([b.id, a.id]).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, CreateGrantError::Exists), "{err:?}");
    create(alice, Scope::groups([a.id]).unwrap()).await.unwrap();
    create(alice, Scope::All).await.unwrap();
    let err = create(alice, Scope::All).await.unwrap_err();
    assert!(matches!(err, CreateGrantError::Exists), "{err:?}");
    create(alice, Scope::MemberGroups).await.unwrap();
    create(Subject::Group(a.id), Scope::All).await.unwrap();
}

/// G4: a user's grants are its own and those of every group it is in or below.
async fn g4_grants_for_user_reach_through_three_levels(store: Store) {
    let top = group(&store, "Top", &[]).await;
    let mid = group(&store, "Mid", &[&top]).await;
    let leaf = group(&store, "Leaf", &[&mid]).await;
    let side = group(&store, "Side", &[]).await;
    let alice = user(&store, "alice").await;
    let bob = user(&store, "bob").await;
    store.add_member(leaf.id, alice).await.unwrap();
    store.add_member(mid.id, bob).await.unwrap();
    let own = grant(
        &store,
        Subject::User(alice),
        Privilege::GradesView,
        Scope::All,
    )
    .await;
    let from_top = grant(
        &store,
        Subject::Group(top.id),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    let from_mid = grant(
        &store,
        Subject::Group(mid.id),
        Privilege::UsersEdit,
        Scope::All,
    )
    .await;
    let from_leaf = grant(
        &store,
        Subject::Group(leaf.id),
        Privilege::UsersView,
        Scope::MemberGroups,
    )
    .await;
    grant(
        &store,
        Subject::Group(side.id),
        Privilege::UsersView,
        Scope::All,
    )
    .await;
    grant(&store, Subject::User(bob), Privilege::UsersView, Scope::All).await;

    let got = store.grants_for_user(alice).await.unwrap();
    assert_eq!(
        ids(&got),
        ids(&[own, from_top.clone(), from_mid.clone(), from_leaf.clone()])
    );
    let bobs: BTreeSet<GrantId> = ids(&store.grants_for_user(bob).await.unwrap());
    assert!(bobs.contains(&from_top.id) && bobs.contains(&from_mid.id));
    assert!(
        !bobs.contains(&from_leaf.id),
        "bob is above leaf, not in it"
    );
    assert!(
        store
            .grants_for_user(UserId::new())
            .await
            .unwrap()
            .is_empty()
    );

    let held = store
        .grants_for_groups([mid.id, leaf.id].into())
        .await
        .unwrap();
    assert_eq!(ids(&held), ids(&[from_mid, from_leaf]));
    assert!(
        store
            .grants_for_groups(BTreeSet::new())
            .await
            .unwrap()
            .is_empty()
    );
}

/// G3, G5, P5: which grants change reach when these groups move.
async fn g5_grants_scoped_on_names_groups_scopes_and_members_member_groups(store: Store) {
    let top = group(&store, "Top", &[]).await;
    let target = group(&store, "Target", &[]).await;
    let other = group(&store, "Other", &[]).await;
    let member = user(&store, "member").await;
    let stranger = user(&store, "stranger").await;
    store.add_member(target.id, member).await.unwrap();
    let home = group(&store, "Home", &[&top]).await;
    store.add_member(home.id, member).await.unwrap();
    store.add_member(other.id, stranger).await.unwrap();
    let u = |id| Subject::User(id);
    let g = |group: &roster_domain::group::Group| Subject::Group(group.id);
    let listing = Scope::groups([target.id, other.id]).unwrap();
    let by_list = grant(&store, u(stranger), Privilege::UsersEdit, listing).await;
    let mine = grant(&store, u(member), Privilege::UsersView, Scope::MemberGroups).await;
    // Held by a group above one the member is in: applies to the member (G4).
    let above = grant(&store, g(&top), Privilege::UsersEdit, Scope::MemberGroups).await;
    // Held by the target group itself (the member is in it).
    let own_group = grant(
        &store,
        g(&target),
        Privilege::GradesView,
        Scope::MemberGroups,
    )
    .await;
    // Not returned: scope `all`, a list without the target, a stranger's member_groups.
    grant(&store, u(member), Privilege::UsersEdit, Scope::All).await;
    let elsewhere = Scope::groups([other.id]).unwrap();
    grant(&store, u(member), Privilege::GradesView, elsewhere).await;
    grant(
        &store,
        u(stranger),
        Privilege::UsersView,
        Scope::MemberGroups,
    )
    .await;
    grant(&store, g(&other), Privilege::UsersView, Scope::MemberGroups).await;

    let got = store.grants_scoped_on([target.id].into()).await.unwrap();
    assert_eq!(ids(&got), ids(&[by_list, mine, above, own_group]));
    assert!(
        store
            .grants_scoped_on(BTreeSet::new())
            .await
            .unwrap()
            .is_empty()
    );
}

async fn collect(store: &Store, filter: GrantFilter, limit: u32) -> (Vec<GrantId>, usize) {
    let (mut seen, mut pages, mut cursor) = (Vec::new(), 0, None);
    loop {
        let request = PageRequest::new(Some(limit), cursor);
        let page = GrantRepository::list(store, filter.clone(), request)
            .await
            .unwrap();
        pages += 1;
        seen.extend(page.items.iter().map(|g| g.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (seen, pages),
        }
    }
}

/// P4: grant lists filter by subject, privilege and visibility, in id pages.
async fn p4_grant_list_filters_and_pages(store: Store) {
    let (a, b) = (group(&store, "A", &[]).await, group(&store, "B", &[]).await);
    let (inside, outside) = (user(&store, "in").await, user(&store, "out").await);
    store.add_member(a.id, inside).await.unwrap();
    store.add_member(b.id, outside).await.unwrap();
    let mut made = Vec::new();
    for privilege in [
        Privilege::UsersView,
        Privilege::UsersEdit,
        Privilege::GradesView,
    ] {
        for subject in [
            Subject::User(inside),
            Subject::User(outside),
            Subject::Group(a.id),
        ] {
            made.push(grant(&store, subject, privilege, Scope::All).await);
        }
    }
    let filter = |subject, privilege, visibility| GrantFilter {
        subject,
        privilege,
        visibility,
    };
    let (all, pages) = collect(&store, filter(None, None, Visibility::All), 4).await;
    assert_eq!(all, made.iter().map(|g| g.id).collect::<Vec<_>>());
    assert_eq!(pages, 3);
    let pick = |keep: &dyn Fn(&Grant) -> bool| -> Vec<GrantId> {
        made.iter().filter(|g| keep(g)).map(|g| g.id).collect()
    };
    let f = filter(Some(Subject::User(inside)), None, Visibility::All);
    assert_eq!(
        collect(&store, f, 2).await.0,
        pick(&|g| g.subject == Subject::User(inside))
    );
    let f = filter(None, Some(Privilege::UsersEdit), Visibility::All);
    assert_eq!(
        collect(&store, f, 2).await.0,
        pick(&|g| g.privilege == Privilege::UsersEdit)
    );
    // Visible through A: grants held by A or by a direct member of A.
    let f = filter(None, None, Visibility::Groups([a.id].into()));
    let (visible, pages) = collect(&store, f, 2).await;
    assert_eq!(visible, pick(&|g| g.subject != Subject::User(outside)));
    assert_eq!(pages, 3);
    let f = filter(
        None,
        Some(Privilege::GradesView),
        Visibility::Groups([b.id].into()),
    );
    let expected =
        pick(&|g| g.subject == Subject::User(outside) && g.privilege == Privilege::GradesView);
    assert_eq!(collect(&store, f, 2).await.0, expected);
    let f = filter(None, None, Visibility::Nothing);
    assert!(collect(&store, f, 2).await.0.is_empty());
    let bad = PageRequest::new(Some(2), Some("bad".into()));
    let page = GrantRepository::list(&store, filter(None, None, Visibility::All), bad).await;
    assert!(page.unwrap().items.is_empty());
}

on_every_backend!(
    p2_create_get_and_delete_every_scope_kind,
    p2_create_refuses_unknown_subjects_and_groups_and_duplicates,
    g4_grants_for_user_reach_through_three_levels,
    g5_grants_scoped_on_names_groups_scopes_and_members_member_groups,
    p4_grant_list_filters_and_pages,
);
