//! L1, U6: learning records added, read whole and page by page, purged; the purge marks.

use super::fixtures::*;
use roster_domain::ids::UserId;
use roster_domain::integration::{Certificate, CertificateKey, UserRecords};
use roster_domain::ports::PageRequest;
use roster_domain::ports::jobs::ExpiryPurgeStore;
use roster_domain::ports::records::{AddRecordError, LearningRecords, RecordsError};
use roster_infra_db::Store;

fn certificate(user: UserId, minute: i64) -> Certificate {
    Certificate {
        id: roster_domain::ids::CertificateId::new(),
        user_id: user,
        certificate_key: CertificateKey::parse("course-a").unwrap(),
        material_id: None,
        issued_at: at(minute),
    }
}

async fn l1_records_are_added_read_back_and_refused(store: Store) {
    let user = user(&store, "alice", "valid").await;
    let mut s = completed(user, "quiz-1", 3);
    // Nanoseconds are cut to the stored microsecond; the test keeps what storage keeps.
    s.studied_at += chrono::Duration::microseconds(7);
    let b = badge(user, "gold", 1);
    let c = certificate(user, 2);
    let l = login(user, 4);
    store.add_score(&s).await.unwrap();
    store.add_badge(&b).await.unwrap();
    store.add_certificate(&c).await.unwrap();
    store.add_access_log(&l).await.unwrap();
    let records = store.records_of(user).await.unwrap();
    assert_eq!(
        records,
        UserRecords {
            user_id: user,
            scores: vec![s.clone()],
            badges: vec![b.clone()],
            certificates: vec![c.clone()],
            access_log: vec![l.clone()],
            version: records.version,
        }
    );
    assert!(matches!(
        store.add_score(&s).await,
        Err(AddRecordError::DuplicateId)
    ));
    assert!(matches!(
        store.add_badge(&b).await,
        Err(AddRecordError::DuplicateId)
    ));
    assert!(matches!(
        store.add_certificate(&c).await,
        Err(AddRecordError::DuplicateId)
    ));
    assert!(matches!(
        store.add_access_log(&l).await,
        Err(AddRecordError::DuplicateId)
    ));
    let nobody = UserId::new();
    let orphan = completed(nobody, "quiz-1", 1);
    assert!(matches!(
        store.add_score(&orphan).await,
        Err(AddRecordError::UserNotFound)
    ));
    let orphan = badge(nobody, "gold", 1);
    assert!(matches!(
        store.add_badge(&orphan).await,
        Err(AddRecordError::UserNotFound)
    ));
    let orphan = certificate(nobody, 1);
    assert!(matches!(
        store.add_certificate(&orphan).await,
        Err(AddRecordError::UserNotFound)
    ));
    let orphan = login(nobody, 1);
    assert!(matches!(
        store.add_access_log(&orphan).await,
        Err(AddRecordError::UserNotFound)
    ));
    assert_eq!(
        store.records_of(nobody).await.unwrap(),
        UserRecords::empty(nobody)
    );
}

async fn l1_lists_page_newest_first_and_hide_superseded(store: Store) {
    let user = user(&store, "bob", "valid").await;
    let other = user_other(&store).await;
    // Two share an instant: the id settles their order.
    let minutes = [5, 9, 9, 1, 7];
    let mut scores = Vec::new();
    for (i, minute) in minutes.into_iter().enumerate() {
        let mut s = completed(user, "quiz", minute);
        s.superseded = i == 4;
        store.add_score(&s).await.unwrap();
        scores.push(s);
    }
    store
        .add_score(&completed(other, "quiz", 100))
        .await
        .unwrap();
    let mut newest = scores.clone();
    newest.sort_by_key(|s| std::cmp::Reverse((s.studied_at, s.id)));
    let mut seen = Vec::new();
    let mut page = PageRequest::first(2);
    loop {
        let got = store.list_scores(user, true, &page).await.unwrap();
        assert!(got.items.len() <= 2);
        seen.extend(got.items);
        match got.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen, newest, "three pages, newest first, every score once");
    let visible = store
        .list_scores(user, false, &PageRequest::first(50))
        .await
        .unwrap();
    let expected: Vec<_> = newest.iter().filter(|s| !s.superseded).cloned().collect();
    assert_eq!(visible.items, expected);
    let bad = PageRequest::new(Some(2), Some("garbage".into()));
    assert!(matches!(
        store.list_scores(user, true, &bad).await,
        Err(RecordsError::InvalidCursor)
    ));
    assert!(matches!(
        store.list_badges(user, &bad).await,
        Err(RecordsError::InvalidCursor)
    ));
    assert!(matches!(
        store.list_certificates(user, &bad).await,
        Err(RecordsError::InvalidCursor)
    ));
    assert!(matches!(
        store.list_access_log(user, &bad).await,
        Err(RecordsError::InvalidCursor)
    ));

    let (old, new) = (badge(user, "gold", 1), badge(user, "silver", 2));
    store.add_badge(&old).await.unwrap();
    store.add_badge(&new).await.unwrap();
    let first = store
        .list_badges(user, &PageRequest::first(1))
        .await
        .unwrap();
    assert_eq!(first.items, vec![new.clone()]);
    let next = PageRequest::new(Some(1), first.next_cursor);
    let second = store.list_badges(user, &next).await.unwrap();
    assert_eq!((second.items, second.next_cursor), (vec![old], None));
    let (c1, c2) = (certificate(user, 1), certificate(user, 2));
    store.add_certificate(&c1).await.unwrap();
    store.add_certificate(&c2).await.unwrap();
    let certs = store
        .list_certificates(user, &PageRequest::first(5))
        .await
        .unwrap();
    assert_eq!(certs.items, vec![c2, c1]);
    let (l1, l2) = (login(user, 1), login(user, 2));
    store.add_access_log(&l1).await.unwrap();
    store.add_access_log(&l2).await.unwrap();
    store.add_access_log(&login(other, 3)).await.unwrap();
    let log = store
        .list_access_log(user, &PageRequest::first(5))
        .await
        .unwrap();
    assert_eq!(log.items, vec![l2, l1]);
}

async fn user_other(store: &Store) -> UserId {
    user(store, "someone-else", "valid").await
}

async fn u6_scores_are_purged_once_per_expiry(store: Store) {
    let expired = user(&store, "gone", "valid").await;
    let later = user(&store, "later", "valid").await;
    let fresh = user(&store, "fresh", "valid").await;
    set_expiry(&store, expired, Some(at(10))).await;
    set_expiry(&store, later, Some(at(20))).await;
    set_expiry(&store, fresh, Some(at(1000))).await;
    for u in [expired, later, fresh] {
        store.add_score(&completed(u, "quiz", 1)).await.unwrap();
        store.add_score(&completed(u, "quiz", 2)).await.unwrap();
    }
    let due = store.users_due_for_grade_purge(at(30), 10).await.unwrap();
    let due: Vec<_> = due.iter().map(|d| (d.user_id, d.expired_at)).collect();
    assert_eq!(
        due,
        vec![(expired, at(10)), (later, at(20))],
        "oldest expiry first"
    );
    let one = store.users_due_for_grade_purge(at(30), 1).await.unwrap();
    assert_eq!(one.len(), 1, "the limit holds");
    assert_eq!(store.delete_scores_of(expired).await.unwrap(), 2);
    assert_eq!(store.delete_scores_of(expired).await.unwrap(), 0);
    assert_eq!(store.records_of(fresh).await.unwrap().scores.len(), 2);
    store.mark_grades_purged(expired, at(10)).await.unwrap();
    store.mark_grades_purged(expired, at(10)).await.unwrap();
    let due = store.users_due_for_grade_purge(at(30), 10).await.unwrap();
    assert_eq!(
        due.iter().map(|d| d.user_id).collect::<Vec<_>>(),
        vec![later]
    );
    // Extended, then expired again: due again for the new expiry.
    set_expiry(&store, expired, Some(at(25))).await;
    let due = store.users_due_for_grade_purge(at(30), 10).await.unwrap();
    let due: Vec<_> = due.iter().map(|d| (d.user_id, d.expired_at)).collect();
    assert_eq!(due, vec![(later, at(20)), (expired, at(25))]);
    store.mark_grades_purged(expired, at(25)).await.unwrap();
    // A deleted user is not an error.
    store
        .mark_grades_purged(UserId::new(), at(25))
        .await
        .unwrap();
}

on_every_backend!(
    l1_records_are_added_read_back_and_refused,
    l1_lists_page_newest_first_and_hide_superseded,
    u6_scores_are_purged_once_per_expiry,
);
