//! Queuing mail in bulk (M4): the rows `MailQueue::enqueue` would write, in the caller's
//! transaction. Kept apart so the mail queue's own shared function can take its place.

use super::sql::insert_rows;
use crate::convert::{micros, to_json};
use chrono::{DateTime, Utc};
use roster_domain::registration::OutgoingMail;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

const MAIL_COLUMNS: [&str; 10] = [
    "id",
    "recipient",
    "kind",
    "variables",
    "status",
    "attempts",
    "queued_at",
    "next_attempt_at",
    "sent_at",
    "last_error",
];

/// Queues the mails, due at once.
pub(super) async fn enqueue_mail_rows(
    conn: &impl ConnectionTrait,
    mails: &[&OutgoingMail],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut rows = Vec::with_capacity(mails.len());
    for mail in mails {
        let variables = to_json(mail.variables()).map_err(|e| DbErr::Custom(e.to_string()))?;
        rows.push(vec![
            Expr::val(Uuid::now_v7()),
            Expr::val(mail.to().as_str()),
            Expr::val(mail.kind().as_str()),
            Expr::val(variables),
            Expr::val("queued"),
            Expr::val(0_i64),
            Expr::val(micros(now)),
            Expr::val(micros(now)),
            Expr::val(Option::<i64>::None),
            Expr::val(Option::<String>::None),
        ]);
    }
    insert_rows(conn, "mail_queue", &MAIL_COLUMNS, rows).await
}
