//! A5: registration URLs — one per group, codes with their use counts, bulk status, and
//! the conditional code use.

use super::fixtures::{group, spec, t0, url};
use chrono::Duration;
use roster_domain::ids::{GroupId, RegistrationUrlId};
use roster_domain::ports::PageRequest;
use roster_domain::ports::registration::{
    ConsumeCodeError, RegistrationUrlRepository, UrlFilter, UrlRepositoryError,
};
use roster_domain::registration::{CodeText, UrlRefusal, UrlStatus};
use roster_infra_db::Store;
use std::collections::BTreeSet;

fn text(code: &str) -> CodeText {
    CodeText::parse(code).unwrap()
}

async fn a5_url_is_found_by_id_token_and_group(store: Store) {
    let g = group(&store).await;
    let limits = spec("Spring2026", Some(t0() + Duration::days(30)), Some(40));
    let new = url(g, vec![spec("zz-first", None, None), limits]);
    store.create(&new).await.unwrap();
    assert_eq!(store.get(new.id).await.unwrap().as_ref(), Some(&new));
    assert_eq!(
        store.find_by_token(&new.token).await.unwrap().as_ref(),
        Some(&new)
    );
    assert_eq!(store.find_by_group(g).await.unwrap().as_ref(), Some(&new));
    let codes: Vec<_> = new.codes.iter().map(|c| c.code().as_str()).collect();
    assert_eq!(
        codes,
        ["zz-first", "Spring2026"],
        "the administrator's order"
    );
    assert_eq!(store.get(RegistrationUrlId::new()).await.unwrap(), None);
    assert_eq!(store.find_by_group(GroupId::new()).await.unwrap(), None);
    let other = url(g, vec![]);
    assert_eq!(store.find_by_token(&other.token).await.unwrap(), None);
}

async fn a5_one_url_per_group_and_the_group_must_exist(store: Store) {
    let g = group(&store).await;
    store.create(&url(g, vec![])).await.unwrap();
    let second = url(g, vec![spec("abcdef", None, None)]);
    assert!(matches!(
        store.create(&second).await,
        Err(UrlRepositoryError::GroupHasUrl)
    ));
    let orphan = url(GroupId::new(), vec![spec("abcdef", None, None)]);
    assert!(matches!(
        store.create(&orphan).await,
        Err(UrlRepositoryError::UnknownGroup)
    ));
    assert_eq!(store.get(second.id).await.unwrap(), None, "nothing written");
    assert_eq!(store.get(orphan.id).await.unwrap(), None);
}

async fn a5_list_filters_by_group_and_status_over_pages(store: Store) {
    let mut all = Vec::new();
    for _ in 0..7 {
        let u = url(group(&store).await, vec![spec("abcdef", None, Some(3))]);
        store.create(&u).await.unwrap();
        all.push(u);
    }
    let stopped = [all[1].id, all[4].id];
    store
        .set_status(&stopped, UrlStatus::Stopped)
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let got = store.list(&UrlFilter::default(), &page).await.unwrap();
        assert!(got.items.len() <= 3);
        seen.extend(got.items.iter().map(|u| u.id));
        match got.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(
        seen,
        all.iter().map(|u| u.id).collect::<Vec<_>>(),
        "creation order"
    );
    let only_stopped = UrlFilter {
        status: Some(UrlStatus::Stopped),
        ..UrlFilter::default()
    };
    let got = store
        .list(&only_stopped, &PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(got.items.iter().map(|u| u.id).collect::<Vec<_>>(), stopped);
    let groups = UrlFilter {
        group_ids: Some(BTreeSet::from([
            all[0].group_id,
            all[1].group_id,
            all[6].group_id,
        ])),
        status: Some(UrlStatus::Active),
    };
    let got = store.list(&groups, &PageRequest::first(10)).await.unwrap();
    assert_eq!(
        got.items.iter().map(|u| u.id).collect::<Vec<_>>(),
        [all[0].id, all[6].id]
    );
    assert_eq!(got.items[0].codes.len(), 1, "codes come with the page");
    let bad = PageRequest::new(Some(10), Some("not-a-cursor".into()));
    assert!(
        store
            .list(&UrlFilter::default(), &bad)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

async fn a5_edit_keeps_stored_uses_drops_removed_codes(store: Store) {
    let new = url(
        group(&store).await,
        vec![spec("keep01", None, Some(5)), spec("drop01", None, None)],
    );
    store.create(&new).await.unwrap();
    // Two uses counted after the administrator opened the form.
    for _ in 0..2 {
        store
            .consume_code(new.id, &text("keep01"), t0())
            .await
            .unwrap();
    }
    let mut edited = new.clone();
    edited
        .edit_codes(vec![
            spec("new001", None, Some(2)),
            spec("keep01", Some(t0() + Duration::days(1)), Some(9)),
        ])
        .unwrap();
    edited.stop();
    store.update(&edited).await.unwrap();
    let read = store.get(new.id).await.unwrap().unwrap();
    assert_eq!(read.status, UrlStatus::Stopped);
    let codes: Vec<_> = read
        .codes
        .iter()
        .map(|c| (c.code().as_str(), c.uses(), c.max_uses()))
        .collect();
    assert_eq!(codes, [("new001", 0, Some(2)), ("keep01", 2, Some(9))]);
    assert_eq!(
        read.codes.iter().nth(1).unwrap().expires_at(),
        Some(t0() + Duration::days(1))
    );
    // A maximum below the uses counted meanwhile keeps the row valid.
    let mut lowered = new.clone();
    lowered
        .edit_codes(vec![spec("keep01", None, Some(1))])
        .unwrap();
    store.update(&lowered).await.unwrap();
    let read = store.get(new.id).await.unwrap().unwrap();
    let keep = read.codes.get(&text("keep01")).unwrap();
    assert_eq!(
        (keep.uses(), keep.max_uses(), read.status),
        (2, Some(2), UrlStatus::Active)
    );
    let mut missing = url(group(&store).await, vec![]);
    missing.stop();
    assert!(matches!(
        store.update(&missing).await,
        Err(UrlRepositoryError::NotFound)
    ));
}

async fn a5_bulk_status_returns_the_ids_that_exist(store: Store) {
    let a = url(group(&store).await, vec![]);
    let b = url(group(&store).await, vec![]);
    store.create(&a).await.unwrap();
    store.create(&b).await.unwrap();
    let ghost = RegistrationUrlId::new();
    let done = store
        .set_status(&[a.id, ghost, b.id], UrlStatus::Stopped)
        .await
        .unwrap();
    assert_eq!(done, [a.id, b.id]);
    assert_eq!(
        store.get(b.id).await.unwrap().unwrap().status,
        UrlStatus::Stopped
    );
    let done = store.set_status(&[b.id], UrlStatus::Active).await.unwrap();
    assert_eq!(done, [b.id]);
    assert_eq!(
        store.get(a.id).await.unwrap().unwrap().status,
        UrlStatus::Stopped
    );
    assert_eq!(
        store.get(b.id).await.unwrap().unwrap().status,
        UrlStatus::Active
    );
    assert!(
        store
            .set_status(&[], UrlStatus::Active)
            .await
            .unwrap()
            .is_empty()
    );
}

fn refusal(result: Result<(), ConsumeCodeError>) -> UrlRefusal {
    match result {
        Err(ConsumeCodeError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a5_consume_code_counts_uses_and_says_why_it_refuses(store: Store) {
    let expiry = t0() + Duration::days(1);
    let new = url(
        group(&store).await,
        vec![
            spec("twice1", None, Some(2)),
            spec("dated1", Some(expiry), None),
        ],
    );
    store.create(&new).await.unwrap();
    store
        .consume_code(new.id, &text("twice1"), t0())
        .await
        .unwrap();
    store
        .consume_code(new.id, &text("twice1"), t0())
        .await
        .unwrap();
    let used_up = store.consume_code(new.id, &text("twice1"), t0()).await;
    assert_eq!(refusal(used_up), UrlRefusal::CodeUsedUp);
    let uses = store
        .get(new.id)
        .await
        .unwrap()
        .unwrap()
        .codes
        .get(&text("twice1"))
        .unwrap()
        .uses();
    assert_eq!(uses, 2, "never past the maximum");
    store
        .consume_code(new.id, &text("dated1"), expiry - Duration::microseconds(1))
        .await
        .unwrap();
    assert_eq!(
        refusal(store.consume_code(new.id, &text("dated1"), expiry).await),
        UrlRefusal::CodeExpired
    );
    assert_eq!(
        refusal(store.consume_code(new.id, &text("DATED1"), t0()).await),
        UrlRefusal::CodeInvalid
    );
    assert_eq!(
        refusal(
            store
                .consume_code(RegistrationUrlId::new(), &text("dated1"), t0())
                .await
        ),
        UrlRefusal::NotFound
    );
    store
        .set_status(&[new.id], UrlStatus::Stopped)
        .await
        .unwrap();
    assert_eq!(
        refusal(store.consume_code(new.id, &text("dated1"), t0()).await),
        UrlRefusal::Stopped
    );
}

async fn a5_twenty_racing_applicants_get_exactly_five_uses(store: Store) {
    let new = url(group(&store).await, vec![spec("last-five", None, Some(5))]);
    store.create(&new).await.unwrap();
    let racers: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            let id = new.id;
            tokio::spawn(async move { store.consume_code(id, &text("last-five"), t0()).await })
        })
        .collect();
    let (mut admitted, mut used_up) = (0, 0);
    for racer in racers {
        match racer.await.unwrap() {
            Ok(()) => admitted += 1,
            Err(ConsumeCodeError::Refused(UrlRefusal::CodeUsedUp)) => used_up += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((admitted, used_up), (5, 15));
    let code = store.get(new.id).await.unwrap().unwrap();
    assert_eq!(code.codes.get(&text("last-five")).unwrap().uses(), 5);
}

on_every_backend!(
    a5_url_is_found_by_id_token_and_group,
    a5_one_url_per_group_and_the_group_must_exist,
    a5_list_filters_by_group_and_status_over_pages,
    a5_edit_keeps_stored_uses_drops_removed_codes,
    a5_bulk_status_returns_the_ids_that_exist,
    a5_consume_code_counts_uses_and_says_why_it_refuses,
    a5_twenty_racing_applicants_get_exactly_five_uses,
);
