//! I5: the integration list — newest first, paged, and every filter of the search.

use super::fixtures::*;
use roster_domain::ids::{GroupId, UserId};
use roster_domain::integration::Integration;
use roster_domain::ports::PageRequest;
use roster_domain::ports::integrations::{
    IntegrationFilter, IntegrationRepository, IntegrationStoreError,
};
use roster_domain::ports::records::LearningRecords;
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Query};

async fn group_with(store: &Store, name: &str, member: UserId) -> GroupId {
    let group = GroupId::new();
    let insert = Query::insert()
        .into_table(Alias::new("groups"))
        .columns(["id", "name", "name_key", "description"].map(Alias::new))
        .values_panic([group.as_uuid().into(), name.into(), name.into(), "".into()])
        .to_owned();
    store.connection().execute(&insert).await.unwrap();
    let insert = Query::insert()
        .into_table(Alias::new("memberships"))
        .columns(["user_id", "group_id"].map(Alias::new))
        .values_panic([member.as_uuid().into(), group.as_uuid().into()])
        .to_owned();
    store.connection().execute(&insert).await.unwrap();
    group
}

async fn ids(store: &Store, filter: IntegrationFilter) -> Vec<Integration> {
    store
        .list(&filter, &PageRequest::first(100))
        .await
        .unwrap()
        .items
}

async fn i5_list_pages_newest_first_and_filters(store: Store) {
    let t1 = user(&store, "Teacher_One", "valid").await;
    let t2 = user(&store, "other", "valid").await;
    let mut made = Vec::new();
    for (n, (login, target, target_login, minute)) in [
        ("Alpha%1", t1, "Teacher_One", 10),
        ("beta", t1, "Teacher_One", 20),
        ("GAMMA", t2, "other", 20),
        ("delta", t2, "other", 40),
    ]
    .into_iter()
    .enumerate()
    {
        let source = user(&store, login, "invalid").await;
        store
            .add_score(&completed(source, "q", n as i64))
            .await
            .unwrap();
        made.push(integrate(&store, (source, login), (target, target_login), minute).await);
    }
    let mut newest = made.clone();
    newest.sort_by_key(|i| std::cmp::Reverse((i.integrated_at, i.id)));
    let mut seen = Vec::new();
    let mut page = PageRequest::first(1);
    loop {
        let got = store
            .list(&IntegrationFilter::default(), &page)
            .await
            .unwrap();
        seen.extend(got.items);
        match got.next_cursor {
            Some(next) => page.cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        seen, newest,
        "four pages of one, newest first, two sharing an instant"
    );
    let bad = PageRequest::new(Some(1), Some("nope".into()));
    let err = store.list(&IntegrationFilter::default(), &bad).await;
    assert!(
        matches!(err, Err(IntegrationStoreError::InvalidCursor)),
        "{err:?}"
    );

    let only = |f: IntegrationFilter| {
        let store = store.clone();
        async move {
            ids(&store, f)
                .await
                .into_iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        }
    };
    let from = IntegrationFilter {
        integrated_from: Some(at(20)),
        ..Default::default()
    };
    assert_eq!(only(from).await.len(), 3, "from is inclusive");
    let to = IntegrationFilter {
        integrated_to: Some(at(20)),
        ..Default::default()
    };
    assert_eq!(only(to).await, vec![made[0].id], "to is exclusive");
    let by_source = IntegrationFilter {
        source_user_id: Some(made[2].source_user_id),
        ..Default::default()
    };
    assert_eq!(only(by_source).await, vec![made[2].id]);
    let by_target = IntegrationFilter {
        target_user_id: Some(t2),
        ..Default::default()
    };
    assert_eq!(only(by_target).await, vec![made[3].id, made[2].id]);
    let by_login = IntegrationFilter {
        source_login_contains: Some("Amm".into()),
        ..Default::default()
    };
    assert_eq!(only(by_login).await, vec![made[2].id], "ignoring case");
    let literal = IntegrationFilter {
        source_login_contains: Some("a%".into()),
        ..Default::default()
    };
    assert_eq!(
        only(literal).await,
        vec![made[0].id],
        "% is a character, not a wildcard"
    );
    let underscore = IntegrationFilter {
        target_login_contains: Some("r_o".into()),
        ..Default::default()
    };
    assert_eq!(only(underscore).await, vec![made[1].id, made[0].id]);
    let nothing = IntegrationFilter {
        target_login_contains: Some("r_x".into()),
        ..Default::default()
    };
    assert!(only(nothing).await.is_empty());
    let group = group_with(&store, "school", t1).await;
    let in_groups = IntegrationFilter {
        target_in_groups: Some([group].into()),
        ..Default::default()
    };
    assert_eq!(only(in_groups).await, vec![made[1].id, made[0].id]);
    let no_groups = IntegrationFilter {
        target_in_groups: Some([].into()),
        ..Default::default()
    };
    assert!(only(no_groups).await.is_empty());
    let combined = IntegrationFilter {
        target_user_id: Some(t1),
        integrated_from: Some(at(15)),
        ..Default::default()
    };
    assert_eq!(only(combined).await, vec![made[1].id]);
}

on_every_backend!(i5_list_pages_newest_first_and_filters);
