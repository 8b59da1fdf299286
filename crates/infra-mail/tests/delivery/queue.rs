//! M1, M4: the durable queue drained by the domain's `MailDispatcher` through a real SMTP
//! server: invitation, activation and approval mail arrive with their links; a server
//! that is down loses nothing; racing dispatchers send each mail once.

use chrono::{Duration, Utc};
use roster_domain::ports::PageRequest;
use roster_domain::ports::delivery::{MailOutbox, MailTransport};
use roster_domain::ports::jobs::MailDispatch;
use roster_domain::ports::mail::MailQueue;
use roster_domain::registration::{MailKind, MailStatus, OutgoingMail, RetryPolicy};
use roster_domain::services::{MailDispatchPorts, MailDispatcher};
use roster_domain::user::Email;
use roster_infra_db::Store;
use roster_infra_mail::testing::{SmtpSink, free_port, mail_tools_present};
use roster_infra_mail::{MiniJinjaRenderer, Sender, SmtpTransport};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

fn mail(kind: MailKind, n: usize) -> OutgoingMail {
    let mut vars: BTreeMap<String, String> = [
        ("site_name", "Roster LMS".to_owned()),
        ("name", format!("User {n}")),
        ("login_id", format!("user{n}")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if kind.allows_variable("link") {
        vars.insert(
            "link".into(),
            format!("https://lms.example.com/{kind}/TOKEN{n}"),
        );
        vars.insert("expires_at".into(), "2026-12-01 09:00 UTC".into());
    }
    if kind.allows_variable("login_url") {
        vars.insert("login_url".into(), "https://lms.example.com/login".into());
    }
    let to = Email::parse(&format!("user{n}@example.com")).unwrap();
    OutgoingMail::new(to, kind, vars).unwrap()
}

fn dispatcher(store: &Store, smtp_url: &str) -> MailDispatcher {
    let sender = Sender::parse("Roster LMS <roster@lms.example.com>").unwrap();
    let transport: Arc<dyn MailTransport> =
        Arc::new(SmtpTransport::from_url(smtp_url, sender).unwrap());
    let shared = Arc::new(store.clone());
    MailDispatcher::new(
        MailDispatchPorts {
            outbox: shared.clone(),
            templates: shared,
            renderer: Arc::new(MiniJinjaRenderer),
            transport,
        },
        RetryPolicy::default(),
    )
}

async fn sqlite() -> Store {
    Store::open("sqlite::memory:").await.unwrap()
}

async fn rows(store: &Store) -> Vec<roster_domain::ports::delivery::QueuedMailView> {
    store
        .list(None, &PageRequest::default())
        .await
        .unwrap()
        .items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m1_invitation_activation_and_approval_arrive_with_their_links() {
    if !mail_tools_present("m1_invitation_activation_and_approval_arrive_with_their_links") {
        return;
    }
    let sink = SmtpSink::start();
    let store = sqlite().await;
    for (n, kind) in [
        MailKind::Invitation,
        MailKind::Activation,
        MailKind::ApplicationApproved,
    ]
    .into_iter()
    .enumerate()
    {
        store.enqueue(&mail(kind, n)).await.unwrap();
    }
    let counts = dispatcher(&store, &sink.url())
        .deliver_due(Utc::now() + Duration::seconds(1), 10)
        .await
        .unwrap();
    assert_eq!((counts.sent, counts.failed), (3, 0));
    let got = sink.wait_for(3, StdDuration::from_secs(10));
    assert_eq!(got.len(), 3);
    let by_to = |to: &str| got.iter().find(|m| m.to == to).unwrap();
    let invitation = by_to("user0@example.com");
    assert_eq!(invitation.subject, "[Roster LMS] You are invited");
    assert_eq!(
        invitation.link(),
        Some("https://lms.example.com/invitation/TOKEN0")
    );
    let activation = by_to("user1@example.com");
    assert_eq!(
        activation.link(),
        Some("https://lms.example.com/activation/TOKEN1")
    );
    let approved = by_to("user2@example.com");
    assert_eq!(approved.link(), Some("https://lms.example.com/login"));
    // Sent rows keep no link token.
    assert!(
        rows(&store)
            .await
            .iter()
            .all(|r| r.status == MailStatus::Sent)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m4_smtp_down_keeps_the_mail_queued_then_it_arrives_once() {
    if !mail_tools_present("m4_smtp_down_keeps_the_mail_queued_then_it_arrives_once") {
        return;
    }
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let store = sqlite().await;
    store.enqueue(&mail(MailKind::Invitation, 7)).await.unwrap();
    let d = dispatcher(&store, &url);
    let now = Utc::now() + Duration::seconds(1);
    let counts = d.deliver_due(now, 10).await.unwrap();
    assert_eq!((counts.sent, counts.failed), (0, 1));
    let row = rows(&store).await.remove(0);
    assert_eq!((row.status, row.attempts), (MailStatus::Queued, 1));
    assert!(
        row.last_error.as_deref().unwrap().starts_with("smtp:"),
        "{row:?}"
    );
    assert!(row.next_attempt_at > now, "retried later, not at once");
    // Not due yet: nothing happens, the server still down or not.
    assert_eq!(d.deliver_due(now, 10).await.unwrap().sent, 0);
    // The server comes up; the next round after the back-off delivers it, once.
    let sink = SmtpSink::start_on(port);
    let later = row.next_attempt_at + Duration::seconds(1);
    assert_eq!(d.deliver_due(later, 10).await.unwrap().sent, 1);
    assert_eq!(
        d.deliver_due(later + Duration::hours(1), 10)
            .await
            .unwrap()
            .sent,
        0
    );
    let got = sink.wait_for(1, StdDuration::from_secs(10));
    std::thread::sleep(StdDuration::from_millis(300));
    assert_eq!(sink.received().len(), 1, "{got:?}");
    assert_eq!(
        got[0].link(),
        Some("https://lms.example.com/invitation/TOKEN7")
    );
    let row = rows(&store).await.remove(0);
    assert_eq!(
        (row.status, row.attempts, row.last_error),
        (MailStatus::Sent, 2, None)
    );
}

/// Four dispatchers drain one queue at once; the server receives each mail once.
async fn racing_dispatchers_send_each_mail_once(store: Store) {
    const MAILS: usize = 24;
    let sink = SmtpSink::start();
    for n in 0..MAILS {
        store.enqueue(&mail(MailKind::Invitation, n)).await.unwrap();
    }
    let now = Utc::now() + Duration::seconds(1);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let d = dispatcher(&store, &sink.url());
        tasks.push(tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let counts = d.deliver_due(now, 3).await.unwrap();
                assert_eq!(counts.failed, 0);
                if counts.sent == 0 {
                    return sent;
                }
                sent += counts.sent;
            }
        }));
    }
    let mut per_dispatcher = Vec::new();
    for t in tasks {
        per_dispatcher.push(t.await.unwrap());
    }
    assert_eq!(per_dispatcher.iter().sum::<u64>(), MAILS as u64);
    assert!(
        per_dispatcher.iter().filter(|n| **n > 0).count() > 1,
        "the dispatchers shared the work: {per_dispatcher:?}"
    );
    let got = sink.wait_for(MAILS, StdDuration::from_secs(20));
    std::thread::sleep(StdDuration::from_millis(300));
    let mut to: Vec<String> = sink.received().into_iter().map(|m| m.to).collect();
    to.sort();
    to.dedup();
    assert_eq!((got.len(), to.len()), (MAILS, MAILS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m4_racing_dispatchers_send_each_mail_once_sqlite() {
    if !mail_tools_present("m4_racing_dispatchers_send_each_mail_once_sqlite") {
        return;
    }
    racing_dispatchers_send_each_mail_once(sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m4_racing_dispatchers_send_each_mail_once_postgres() {
    if !mail_tools_present("m4_racing_dispatchers_send_each_mail_once_postgres") {
        return;
    }
    let Ok(admin) = std::env::var("ROSTER_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("ROSTER_REQUIRE_ALL_BACKENDS").is_none(),
            "ROSTER_TEST_POSTGRES_URL is required"
        );
        eprintln!("ROSTER_TEST_POSTGRES_URL is not set: PostgreSQL is not tested in this run");
        return;
    };
    let name = format!("roster_t_mail_{}", uuid::Uuid::now_v7().simple());
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let admin_store = Store::open(&admin).await.unwrap();
    use sea_orm::ConnectionTrait;
    admin_store
        .connection()
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let store = Store::open(&format!("{base}/{name}")).await.unwrap();
    racing_dispatchers_send_each_mail_once(store.clone()).await;
    store.close().await.unwrap();
    admin_store
        .connection()
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
}
