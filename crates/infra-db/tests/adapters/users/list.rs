//! Listing users (P4, U1, U10): every filter, visibility, keyset pages, and the lookup by
//! email.

use super::fixtures::{email, group, new_user};
use roster_domain::authz::Visibility;
use roster_domain::ids::GroupId;
use roster_domain::ports::PageRequest;
use roster_domain::ports::users::{NewUser, UserFilter, UserRepository};
use roster_domain::user::{DisplayName, UserStatus};
use roster_infra_db::Store;
use std::collections::BTreeSet;

fn all() -> UserFilter {
    UserFilter {
        q: None,
        in_groups: None,
        status: None,
        visibility: Visibility::All,
    }
}

fn groups(ids: &[GroupId]) -> BTreeSet<GroupId> {
    ids.iter().copied().collect()
}

/// The login IDs of every page of `filter`, pages of `limit`, and how many pages it took.
async fn logins(store: &Store, filter: UserFilter, limit: u32) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut request = PageRequest::first(limit);
    for pages in 1.. {
        let page = store.list(filter.clone(), request.clone()).await.unwrap();
        assert!(page.items.len() <= limit as usize);
        out.extend(page.items.iter().map(|u| u.login_id.as_str().to_owned()));
        match page.next_cursor {
            Some(cursor) => request.cursor = Some(cursor),
            None => return (out, pages),
        }
    }
    unreachable!()
}

async fn add(store: &Store, user: NewUser) {
    store.create(user).await.unwrap();
}

async fn p4_pages_follow_creation_order(store: Store) {
    let names: Vec<String> = (0..7).map(|i| format!("user{i}")).collect();
    for name in &names {
        add(&store, new_user(name)).await;
    }
    let (seen, pages) = logins(&store, all(), 3).await;
    assert_eq!(seen, names);
    assert_eq!(pages, 3);
    let (seen, pages) = logins(&store, all(), 7).await;
    assert_eq!(
        (seen.len(), pages),
        (7, 1),
        "an exact last page has no next cursor"
    );
    let bad = PageRequest::new(Some(3), Some("not-a-cursor".into()));
    assert!(store.list(all(), bad).await.unwrap().items.is_empty());
}

async fn u1_q_matches_login_name_and_email_ignoring_case(store: Store) {
    let mut by_name = new_user("x1");
    by_name.name = DisplayName::parse("Ärzte Öffentlich").unwrap();
    let mut by_email = new_user("x2");
    by_email.email = Some(email("Hidden.Match@Example.org"));
    let mut literal = new_user("fifty%_off!");
    literal.name = DisplayName::parse("Sale").unwrap();
    for user in [
        by_name,
        by_email,
        literal,
        new_user("MatchLogin"),
        new_user("other"),
    ] {
        add(&store, user).await;
    }
    let search = |q: &str| UserFilter {
        q: Some(q.into()),
        ..all()
    };
    assert_eq!(
        logins(&store, search("MATCH"), 10).await.0,
        ["x2", "MatchLogin"]
    );
    assert_eq!(logins(&store, search("ärzte ö"), 10).await.0, ["x1"]);
    assert_eq!(logins(&store, search("@example.ORG"), 10).await.0, ["x2"]);
    // %, _ and the escape character are taken literally.
    assert_eq!(logins(&store, search("%_o"), 10).await.0, ["fifty%_off!"]);
    assert_eq!(logins(&store, search("f!"), 10).await.0, ["fifty%_off!"]);
    assert!(logins(&store, search("_x"), 10).await.0.is_empty());
    // The longest name whose lower-case form is longer than itself still fits its key.
    let mut long = new_user("long");
    long.name = DisplayName::parse(&"İ".repeat(200)).unwrap();
    add(&store, long).await;
    assert_eq!(logins(&store, search("İİ"), 10).await.0, ["long"]);
}

async fn p4_status_groups_and_visibility_narrow_the_list(store: Store) {
    let (a, b, c) = (
        group(&store, "A").await,
        group(&store, "B").await,
        group(&store, "C").await,
    );
    let mut in_a = new_user("in_a");
    in_a.group_ids = groups(&[a]);
    let mut in_ab = new_user("in_ab");
    in_ab.group_ids = groups(&[a, b]);
    let mut in_b_pending = new_user("in_b_pending");
    in_b_pending.group_ids = groups(&[b]);
    in_b_pending.status = UserStatus::Pending;
    for user in [in_a, in_ab, in_b_pending, new_user("no_group")] {
        add(&store, user).await;
    }
    let see = |visibility| UserFilter {
        visibility,
        ..all()
    };
    assert_eq!(logins(&store, all(), 10).await.0.len(), 4);
    assert!(
        logins(&store, see(Visibility::Nothing), 10)
            .await
            .0
            .is_empty()
    );
    assert!(
        logins(&store, see(Visibility::Groups(groups(&[]))), 10)
            .await
            .0
            .is_empty()
    );
    assert!(
        logins(&store, see(Visibility::Groups(groups(&[c]))), 10)
            .await
            .0
            .is_empty()
    );
    assert_eq!(
        logins(&store, see(Visibility::Groups(groups(&[b]))), 10)
            .await
            .0,
        ["in_ab", "in_b_pending"]
    );
    // A user in two visible groups is listed once, across pages too.
    let ab = see(Visibility::Groups(groups(&[a, b])));
    assert_eq!(
        logins(&store, ab.clone(), 1).await,
        (
            vec!["in_a".into(), "in_ab".into(), "in_b_pending".into()],
            3
        )
    );
    let in_a_seen_through_b = UserFilter {
        in_groups: Some(groups(&[a])),
        ..see(Visibility::Groups(groups(&[b])))
    };
    assert_eq!(logins(&store, in_a_seen_through_b, 10).await.0, ["in_ab"]);
    let no_groups = UserFilter {
        in_groups: Some(groups(&[])),
        ..all()
    };
    assert!(logins(&store, no_groups, 10).await.0.is_empty());
    let pending = UserFilter {
        status: Some(UserStatus::Pending),
        ..ab
    };
    assert_eq!(logins(&store, pending, 10).await.0, ["in_b_pending"]);
    let valid = UserFilter {
        status: Some(UserStatus::Valid),
        q: Some("no_".into()),
        ..all()
    };
    assert_eq!(logins(&store, valid, 10).await.0, ["no_group"]);
}

async fn u10_find_by_email_ignores_the_case_of_the_local_part(store: Store) {
    for (login, address) in [
        ("first", "Taro.Yamada@Example.jp"),
        ("second", "taro.yamada@example.JP"),
        ("third", "taro.yamada@example.jp"),
        ("other", "taro.yamada2@example.jp"),
    ] {
        let mut user = new_user(login);
        user.email = Some(email(address));
        add(&store, user).await;
    }
    add(&store, new_user("no_email")).await;
    let found = store
        .find_by_email(&email("TARO.yamada@EXAMPLE.jp"), 10)
        .await
        .unwrap();
    let found: Vec<&str> = found.iter().map(|u| u.login_id.as_str()).collect();
    assert_eq!(found, ["first", "second", "third"]);
    let limited = store
        .find_by_email(&email("taro.yamada@example.jp"), 2)
        .await
        .unwrap();
    assert_eq!(limited.len(), 2);
    assert_eq!(
        limited[0].email.as_ref().unwrap().as_str(),
        "Taro.Yamada@example.jp"
    );
    assert!(
        store
            .find_by_email(&email("nobody@example.jp"), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

on_every_backend!(
    p4_pages_follow_creation_order,
    u1_q_matches_login_name_and_email_ignoring_case,
    p4_status_groups_and_visibility_narrow_the_list,
    u10_find_by_email_ignores_the_case_of_the_local_part,
);
