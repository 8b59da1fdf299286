//! G2: memberships and the member list.

use super::fixtures::{group, user};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::groups::{GroupRepository, LinkError};
use roster_domain::user::UserStatus;
use roster_infra_db::Store;

async fn g2_add_member_is_idempotent_and_names_what_is_missing(store: Store) {
    let g = group(&store, "Class", &[]).await;
    let alice = user(&store, "Alice").await;
    store.add_member(g.id, alice).await.unwrap();
    store.add_member(g.id, alice).await.unwrap();
    let ghost_group = GroupId::new();
    let err = store.add_member(ghost_group, alice).await.unwrap_err();
    assert!(
        matches!(err, LinkError::UnknownGroup(x) if x == ghost_group),
        "{err:?}"
    );
    let err = store.add_member(g.id, UserId::new()).await.unwrap_err();
    assert!(matches!(err, LinkError::UnknownUser), "{err:?}");
    let page = store.members(g.id, PageRequest::first(10)).await.unwrap();
    assert_eq!(page.items.len(), 1);
    let member = &page.items[0];
    assert_eq!(member.id, alice);
    assert_eq!(member.login_id.as_str(), "Alice");
    assert_eq!(member.status, UserStatus::Valid);
    assert!(
        !member.has_password && !member.is_owner,
        "the fixture user has no password"
    );

    assert!(store.remove_member(g.id, alice).await.unwrap());
    assert!(!store.remove_member(g.id, alice).await.unwrap());
    let page = store.members(g.id, PageRequest::first(10)).await.unwrap();
    assert!(page.items.is_empty());
}

async fn g2_members_are_direct_members_paged_in_user_id_order(store: Store) {
    let parent = group(&store, "Year", &[]).await;
    let g = group(&store, "Class", &[&parent]).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let id = user(&store, &format!("member{i}")).await;
        store.add_member(g.id, id).await.unwrap();
        ids.push(id);
    }
    let outsider = user(&store, "outsider").await;
    store.add_member(parent.id, outsider).await.unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let page = store
            .members(g.id, PageRequest::new(Some(2), cursor))
            .await
            .unwrap();
        pages += 1;
        seen.extend(page.items.iter().map(|u| u.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids, "direct members only, in id order");
    let bad = PageRequest::new(Some(2), Some("zzz".into()));
    assert!(store.members(g.id, bad).await.unwrap().items.is_empty());
}

on_every_backend!(
    g2_add_member_is_idempotent_and_names_what_is_missing,
    g2_members_are_direct_members_paged_in_user_id_order,
);
