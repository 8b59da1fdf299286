//! A4, A7: the application list (filters, newest first, pages) and the purge.

use super::fixtures::{application, count, group, t0, url};
use super::submissions::{settings, submission, written};
use chrono::Duration;
use roster_domain::ports::PageRequest;
use roster_domain::ports::registration::{
    ApplicationFilter, ApplicationRepository, RegistrationUrlRepository,
};
use roster_domain::registration::{Application, ApplicationStatus};
use roster_infra_db::Store;
use std::collections::BTreeSet;

async fn a4_list_filters_and_pages_newest_first(store: Store) {
    let via = url(group(&store).await, vec![]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let mut apps = Vec::new();
    for i in 0..7 {
        let through = (i % 2 == 0).then_some(&via);
        let app = application(&format!("User_{i}"), through, t0() + Duration::days(i));
        ApplicationRepository::create(&store, &submission(&app, None))
            .await
            .unwrap();
        apps.push(app);
    }
    let activated = apps[3].activate(&settings(false), t0()).unwrap();
    store.transition(&activated, &[]).await.unwrap();
    let ids = |items: &[Application]| items.iter().map(|a| a.id).collect::<Vec<_>>();
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let got = ApplicationRepository::list(&store, &ApplicationFilter::default(), &page)
            .await
            .unwrap();
        seen.extend(ids(&got.items));
        match got.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => break,
        }
    }
    let newest_first: Vec<_> = apps.iter().rev().map(|a| a.id).collect();
    assert_eq!(seen, newest_first);
    let list = |filter: ApplicationFilter| {
        let store = store.clone();
        async move {
            ids(
                &ApplicationRepository::list(&store, &filter, &PageRequest::first(50))
                    .await
                    .unwrap()
                    .items,
            )
        }
    };
    let status = ApplicationFilter {
        status: Some(ApplicationStatus::Unapproved),
        ..Default::default()
    };
    assert_eq!(list(status).await, [apps[3].id]);
    let login = ApplicationFilter {
        login_id: Some("ER_5".into()),
        ..Default::default()
    };
    assert_eq!(list(login).await, [apps[5].id], "contains, any case");
    let wildcard = ApplicationFilter {
        login_id: Some("r%".into()),
        ..Default::default()
    };
    assert!(list(wildcard).await.is_empty(), "LIKE wildcards are text");
    let email = ApplicationFilter {
        email: Some("USER_2@EXAMPLE".into()),
        ..Default::default()
    };
    assert_eq!(list(email).await, [apps[2].id]);
    let dates = ApplicationFilter {
        applied_from: Some(t0() + Duration::days(2)),
        applied_to: Some(t0() + Duration::days(4)),
        ..Default::default()
    };
    assert_eq!(
        list(dates).await,
        [apps[3].id, apps[2].id],
        "from inclusive, to exclusive"
    );
    let groups = ApplicationFilter {
        group_ids: Some(BTreeSet::from([via.group_id])),
        ..Default::default()
    };
    assert_eq!(
        list(groups).await,
        [apps[6].id, apps[4].id, apps[2].id, apps[0].id]
    );
    let none = ApplicationFilter {
        group_ids: Some(BTreeSet::new()),
        ..Default::default()
    };
    assert!(list(none).await.is_empty());
    let bad = PageRequest::new(Some(5), Some("nope".into()));
    assert!(
        ApplicationRepository::list(&store, &ApplicationFilter::default(), &bad)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

async fn a7_purge_deletes_stale_not_activated_with_their_tokens(store: Store) {
    let via = url(group(&store).await, vec![]);
    RegistrationUrlRepository::create(&store, &via)
        .await
        .unwrap();
    let old = application("old", Some(&via), t0());
    let fresh = application("fresh", None, t0() + Duration::days(2));
    let old_activated = application("active", None, t0());
    for app in [&old, &fresh, &old_activated] {
        ApplicationRepository::create(&store, &submission(app, None))
            .await
            .unwrap();
    }
    let update = old_activated.activate(&settings(false), t0()).unwrap();
    store.transition(&update, &[]).await.unwrap();
    let cutoff = t0() + Duration::days(1);
    assert_eq!(store.delete_stale(cutoff).await.unwrap(), 1);
    assert_eq!(
        ApplicationRepository::get(&store, old.id).await.unwrap(),
        None
    );
    let (rows, groups, tokens, _) = written(&store, &old).await;
    assert_eq!(
        (rows, groups, tokens),
        (0, 0, 0),
        "groups and token went with it"
    );
    assert!(
        ApplicationRepository::get(&store, fresh.id)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        ApplicationRepository::get(&store, old_activated.id)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(count(&store, "one_time_tokens", None).await, 2);
    assert_eq!(
        store.delete_stale(t0()).await.unwrap(),
        0,
        "at or before the cutoff only"
    );
    assert_eq!(
        store
            .delete_stale(cutoff + Duration::days(1))
            .await
            .unwrap(),
        1
    );
}

on_every_backend!(
    a4_list_filters_and_pages_newest_first,
    a7_purge_deletes_stale_not_activated_with_their_tokens,
);
