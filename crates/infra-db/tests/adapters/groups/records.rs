//! G1: creating, reading, editing and listing group records.

use super::fixtures::{coded_group, group, new_group};
use roster_domain::authz::Visibility;
use roster_domain::group::{ExternalCode, GroupDescription, GroupName};
use roster_domain::ids::GroupId;
use roster_domain::ports::PageRequest;
use roster_domain::ports::groups::{GroupFilter, GroupRepository, GroupWriteError};
use roster_infra_db::Store;

async fn g1_create_then_get_by_id_and_by_name_case_insensitively(store: Store) {
    let mut new = new_group("Class 1-A");
    new.external_code = Some(ExternalCode::parse("C1A").unwrap());
    new.description = GroupDescription::parse("first year\n\tmorning").unwrap();
    let created = store.create(new).await.unwrap();
    assert_eq!(store.get(created.id).await.unwrap(), Some(created.clone()));
    let by_name = store
        .get_by_name(&GroupName::parse("CLASS 1-a").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        by_name.name.as_str(),
        "Class 1-A",
        "the original spelling is kept"
    );
    assert_eq!(by_name, created);
    assert_eq!(store.get(GroupId::new()).await.unwrap(), None);
    let other = GroupName::parse("nobody").unwrap();
    assert_eq!(store.get_by_name(&other).await.unwrap(), None);
}

async fn g1_names_are_unique_case_insensitively_and_codes_unique(store: Store) {
    coded_group(&store, "Science", "SCI").await;
    let err = store.create(new_group("SCIENCE")).await.unwrap_err();
    assert!(matches!(err, GroupWriteError::NameTaken), "{err:?}");
    let mut same_code = new_group("Physics");
    same_code.external_code = Some(ExternalCode::parse("SCI").unwrap());
    let err = store.create(same_code).await.unwrap_err();
    assert!(matches!(err, GroupWriteError::ExternalCodeTaken), "{err:?}");
    // Groups without a code never clash on it.
    group(&store, "Art", &[]).await;
    group(&store, "Music", &[]).await;

    let mut music = store
        .get_by_name(&GroupName::parse("music").unwrap())
        .await
        .unwrap()
        .unwrap();
    music.name = GroupName::parse("science").unwrap();
    let err = store.update(music.clone()).await.unwrap_err();
    assert!(matches!(err, GroupWriteError::NameTaken), "{err:?}");
    music.name = GroupName::parse("Music").unwrap();
    music.external_code = Some(ExternalCode::parse("SCI").unwrap());
    let err = store.update(music).await.unwrap_err();
    assert!(matches!(err, GroupWriteError::ExternalCodeTaken), "{err:?}");
}

async fn g1_update_writes_every_field_and_refuses_an_unknown_group(store: Store) {
    let mut g = coded_group(&store, "Drama", "DR").await;
    g.name = GroupName::parse("Theatre").unwrap();
    g.external_code = None;
    g.description = GroupDescription::parse("stage").unwrap();
    assert_eq!(store.update(g.clone()).await.unwrap(), g);
    assert_eq!(store.get(g.id).await.unwrap(), Some(g.clone()));
    // Renaming a group to a new spelling of its own name is no clash.
    g.name = GroupName::parse("THEATRE").unwrap();
    store.update(g.clone()).await.unwrap();
    // Its old code is free again.
    coded_group(&store, "Dance", "DR").await;
    let mut ghost = g.clone();
    ghost.id = GroupId::new();
    ghost.name = GroupName::parse("Ghost").unwrap();
    let err = store.update(ghost).await.unwrap_err();
    assert!(matches!(err, GroupWriteError::NotFound), "{err:?}");
}

fn filter(q: Option<&str>, visibility: Visibility) -> GroupFilter {
    GroupFilter {
        q: q.map(str::to_owned),
        visibility,
    }
}

async fn names(store: &Store, filter: GroupFilter, limit: u32) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list(filter.clone(), PageRequest::new(Some(limit), cursor))
            .await
            .unwrap();
        pages.push(page.items.iter().map(|g| g.name.to_string()).collect());
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return pages,
        }
    }
}

async fn g1_list_pages_in_id_order_and_filters_by_text_and_visibility(store: Store) {
    let mut made = Vec::new();
    for i in 0..7 {
        made.push(coded_group(&store, &format!("Class {i}"), &format!("K-{i}")).await);
    }
    let other = coded_group(&store, "Staff 100%", "ADMIN_1").await;
    let all = names(&store, filter(None, Visibility::All), 3).await;
    assert_eq!(all.len(), 3, "8 groups in pages of 3: {all:?}");
    assert_eq!(all.concat().len(), 8);
    assert_eq!(all[0], ["Class 0", "Class 1", "Class 2"]);
    assert_eq!(all[2], ["Class 6", "Staff 100%"]);

    let by_name = names(&store, filter(Some("cLaSs"), Visibility::All), 5).await;
    assert_eq!(by_name.concat().len(), 7);
    let by_code = names(&store, filter(Some("admin"), Visibility::All), 5).await;
    assert_eq!(by_code, [["Staff 100%"]]);
    // `%` and `_` are literal characters, not wildcards.
    let literal = names(&store, filter(Some("0%"), Visibility::All), 5).await;
    assert_eq!(literal, [["Staff 100%"]]);
    let underscore = names(&store, filter(Some("n_1"), Visibility::All), 5).await;
    assert_eq!(underscore, [["Staff 100%"]]);
    assert_eq!(
        names(&store, filter(Some("s_1"), Visibility::All), 5).await,
        [Vec::<String>::new()]
    );

    // P4: exactly the visible groups, still paged.
    let visible = [made[1].id, made[4].id, made[5].id, other.id].into();
    let seen = names(&store, filter(None, Visibility::Groups(visible)), 2).await;
    assert_eq!(
        seen,
        [["Class 1", "Class 4"], ["Class 5", "Staff 100%"]],
        "two full pages"
    );
    let visible = [made[1].id, made[4].id, other.id].into();
    let seen = names(
        &store,
        filter(Some("class"), Visibility::Groups(visible)),
        5,
    )
    .await;
    assert_eq!(seen, [["Class 1", "Class 4"]]);
    let none = names(&store, filter(None, Visibility::Nothing), 5).await;
    assert_eq!(none, [Vec::<String>::new()]);

    let bad = PageRequest::new(Some(5), Some("not-a-cursor".into()));
    let page = store
        .list(filter(None, Visibility::All), bad)
        .await
        .unwrap();
    assert!(page.items.is_empty() && page.next_cursor.is_none());
}

on_every_backend!(
    g1_create_then_get_by_id_and_by_name_case_insensitively,
    g1_names_are_unique_case_insensitively_and_codes_unique,
    g1_update_writes_every_field_and_refuses_an_unknown_group,
    g1_list_pages_in_id_order_and_filters_by_text_and_visibility,
);
