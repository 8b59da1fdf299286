//! Queueing the mail that carries a link in the transaction that issues it (M4): written
//! together or not at all.

use crate::convert::{micros, to_json};
use chrono::{DateTime, Utc};
use roster_domain::Unexpected;
use roster_domain::registration::OutgoingMail;
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, DbErr};

/// Why a mail could not be queued.
pub(crate) enum QueueError {
    /// Its variables could not be written as JSON.
    Encode(Unexpected),
    /// The database refused the row.
    Db(DbErr),
}

/// Queues `mail` on `conn`, due at once.
pub(crate) async fn queue_mail(
    conn: &impl ConnectionTrait,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<(), QueueError> {
    let variables = to_json(mail.variables()).map_err(QueueError::Encode)?;
    let at = micros(now);
    let insert = Query::insert()
        .into_table("mail_queue")
        .columns([
            "id",
            "recipient",
            "kind",
            "variables",
            "status",
            "attempts",
            "queued_at",
            "next_attempt_at",
        ])
        .values_panic([
            uuid::Uuid::now_v7().into(),
            mail.to().as_str().into(),
            mail.kind().as_str().into(),
            variables.into(),
            "queued".into(),
            0_i64.into(),
            at.into(),
            at.into(),
        ])
        .to_owned();
    conn.execute(&insert).await.map_err(QueueError::Db)?;
    Ok(())
}
