//! M4: draining the mail queue — claims, the fence, settling, the admin listing, and several
//! dispatchers racing over one queue.

use super::fixtures::mail;
use chrono::{Duration, Utc};
use roster_domain::ports::PageRequest;
use roster_domain::ports::delivery::{MailOutbox, Settlement};
use roster_domain::ports::mail::MailQueue;
use roster_domain::registration::{MailKind, MailStatus, OutgoingMail};
use roster_domain::user::Email;
use roster_infra_db::Store;
use std::collections::{BTreeMap, HashSet};

fn invitation(n: usize) -> OutgoingMail {
    let to = Email::parse(&format!("user{n}@example.com")).unwrap();
    let vars = BTreeMap::from([
        ("name".to_owned(), format!("User {n}")),
        ("link".to_owned(), format!("https://lms/invite/SECRET{n}")),
    ]);
    OutgoingMail::new(to, MailKind::Invitation, vars).unwrap()
}

async fn m4_claim_settle_and_fence(store: Store) {
    store.enqueue(&invitation(1)).await.unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let lease = Duration::minutes(10);
    let claimed = store.claim_due(now, 10, lease).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let first = claimed[0].clone();
    assert_eq!(first.claim.attempt, 1);
    assert_eq!(first.mail, invitation(1), "the mail comes back as queued");
    // Held: nobody else gets it before the lease ends.
    assert!(store.claim_due(now, 10, lease).await.unwrap().is_empty());
    // A failure: kept with its error, due later.
    let retry_at = now + Duration::minutes(1);
    let retry = Settlement::Retry {
        next_attempt_at: retry_at,
        error: "smtp: connection refused".into(),
    };
    assert!(store.settle(&first.claim, &retry).await.unwrap());
    let page = store.list(None, &PageRequest::default()).await.unwrap();
    let row = &page.items[0];
    assert_eq!((row.status, row.attempts), (MailStatus::Queued, 1));
    assert_eq!(row.last_error.as_deref(), Some("smtp: connection refused"));
    assert!(row.next_attempt_at > now);
    assert!(store.claim_due(now, 10, lease).await.unwrap().is_empty());
    // Due again later: attempt 2; the stale claim of attempt 1 can no longer settle.
    let second = store
        .claim_due(retry_at, 10, lease)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(second.claim.attempt, 2);
    let sent = Settlement::Sent { at: retry_at };
    assert!(!store.settle(&first.claim, &sent).await.unwrap(), "fenced");
    assert!(store.settle(&second.claim, &sent).await.unwrap());
    let row = store
        .list(None, &PageRequest::default())
        .await
        .unwrap()
        .items[0]
        .clone();
    assert_eq!(row.status, MailStatus::Sent);
    assert_eq!(row.last_error, None);
    assert!(row.sent_at.is_some());
    assert_eq!(
        variables_of(&store).await,
        vec!["{}".to_owned()],
        "link dropped once sent"
    );
    assert!(
        !store.settle(&second.claim, &sent).await.unwrap(),
        "settled once"
    );
}

async fn m4_a_crashed_dispatchers_mail_is_taken_over_after_the_lease(store: Store) {
    store.enqueue(&invitation(1)).await.unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let lease = Duration::minutes(10);
    assert_eq!(store.claim_due(now, 10, lease).await.unwrap().len(), 1);
    let later = now + lease + Duration::seconds(1);
    let again = store.claim_due(later, 10, lease).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].claim.attempt, 2);
}

async fn m4_given_up_mail_is_listed_as_failed_without_its_variables(store: Store) {
    for n in 0..3 {
        store.enqueue(&invitation(n)).await.unwrap();
    }
    store
        .enqueue(&mail(
            &Email::parse("a@example.com").unwrap(),
            MailKind::PasswordReset,
        ))
        .await
        .unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let claimed = store.claim_due(now, 2, Duration::minutes(5)).await.unwrap();
    assert_eq!(claimed.len(), 2, "limit respected");
    let give_up = Settlement::GiveUp {
        error: "smtp: 550 no such user".into(),
    };
    assert!(store.settle(&claimed[0].claim, &give_up).await.unwrap());
    let failed = store
        .list(Some(MailStatus::Failed), &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(failed.items.len(), 1);
    assert_eq!(failed.items[0].id, claimed[0].claim.id);
    assert_eq!(
        failed.items[0].last_error.as_deref(),
        Some("smtp: 550 no such user")
    );
    assert!(
        !variables_of(&store)
            .await
            .iter()
            .any(|v| v.contains("SECRET0"))
    );
    // Pages of two, newest first, then the rest.
    let first = store.list(None, &PageRequest::first(2)).await.unwrap();
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.items[0].kind, MailKind::PasswordReset, "newest first");
    let rest = store
        .list(None, &PageRequest::new(Some(2), first.next_cursor.clone()))
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 2);
    assert_eq!(rest.next_cursor, None);
    let bad = store
        .list(None, &PageRequest::new(None, Some("nope".into())))
        .await;
    assert!(bad.is_err());
}

async fn m4_racing_dispatchers_claim_each_mail_once(store: Store) {
    const MAILS: usize = 60;
    for n in 0..MAILS {
        store.enqueue(&invitation(n)).await.unwrap();
    }
    let now = Utc::now() + Duration::seconds(1);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store.claim_due(now, 7, Duration::minutes(5)).await.unwrap();
                if batch.is_empty() {
                    return mine;
                }
                for c in batch {
                    let sent = Settlement::Sent { at: now };
                    assert!(store.settle(&c.claim, &sent).await.unwrap());
                    mine.push(c.claim.id);
                }
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), MAILS, "every mail sent exactly once");
    assert_eq!(unique.len(), MAILS);
}

/// The `variables` column of every queued row.
async fn variables_of(store: &Store) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Query};
    let select = Query::select()
        .column(Alias::new("variables"))
        .from(Alias::new("mail_queue"))
        .to_owned();
    let rows = store.connection().query_all(&select).await.unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "variables").unwrap())
        .collect()
}

on_every_backend!(
    m4_claim_settle_and_fence,
    m4_a_crashed_dispatchers_mail_is_taken_over_after_the_lease,
    m4_given_up_mail_is_listed_as_failed_without_its_variables,
    m4_racing_dispatchers_claim_each_mail_once,
);
