//! M2, M4: the mail queue and the saved templates.

use super::fixtures::{count, mail};
use roster_domain::ports::mail::{MailQueue, TemplateStore};
use roster_domain::registration::{EmailTemplate, MailKind};
use roster_domain::user::Email;
use roster_infra_db::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

async fn m4_enqueue_queues_a_mail_due_at_once(store: Store) {
    let to = Email::parse("hanako@example.com").unwrap();
    store
        .enqueue(&mail(&to, MailKind::Invitation))
        .await
        .unwrap();
    store
        .enqueue(&mail(&to, MailKind::PasswordReset))
        .await
        .unwrap();
    assert_eq!(count(&store, "mail_queue", None).await, 2);
    let select = Query::select()
        .columns(
            [
                "recipient",
                "kind",
                "variables",
                "status",
                "attempts",
                "queued_at",
                "next_attempt_at",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("mail_queue"))
        .and_where(Expr::col(Alias::new("kind")).eq("invitation"))
        .to_owned();
    let row = store
        .connection()
        .query_one(&select)
        .await
        .unwrap()
        .unwrap();
    let recipient: String = row.try_get("", "recipient").unwrap();
    let variables: String = row.try_get("", "variables").unwrap();
    let status: String = row.try_get("", "status").unwrap();
    let attempts: i64 = row.try_get("", "attempts").unwrap();
    let queued: i64 = row.try_get("", "queued_at").unwrap();
    let next: i64 = row.try_get("", "next_attempt_at").unwrap();
    assert_eq!(recipient, "hanako@example.com");
    assert_eq!(variables, r#"{"name":"Hanako"}"#);
    assert_eq!((status.as_str(), attempts), ("queued", 0));
    assert_eq!(queued, next, "due at once");
}

async fn m2_templates_saved_replaced_and_reset(store: Store) {
    let kind = MailKind::Activation;
    assert_eq!(
        store.get(kind).await.unwrap(),
        None,
        "never saved: built-in applies"
    );
    let first = EmailTemplate::new(kind, "Welcome {{ name }}", "Open {{ link }}").unwrap();
    store.put(&first).await.unwrap();
    assert_eq!(store.get(kind).await.unwrap(), Some(first));
    // The largest body the domain allows, in four-byte characters (more than MySQL's TEXT).
    let body = "🎓".repeat(65_536);
    let second = EmailTemplate::new(kind, "Hello {{ name }}", &body).unwrap();
    store.put(&second).await.unwrap();
    assert_eq!(store.get(kind).await.unwrap(), Some(second));
    assert_eq!(
        store.get(MailKind::Invitation).await.unwrap(),
        None,
        "kinds are apart"
    );
    store.reset(kind).await.unwrap();
    assert_eq!(store.get(kind).await.unwrap(), None);
    store.reset(kind).await.unwrap();
}

on_every_backend!(
    m4_enqueue_queues_a_mail_due_at_once,
    m2_templates_saved_replaced_and_reset,
);
