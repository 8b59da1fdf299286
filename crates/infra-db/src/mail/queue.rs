//! M1, M4: queueing mail. `enqueue_in` is the one insert into `mail_queue`, shared by every
//! write that sends mail in its own transaction.

use crate::convert::{micros, to_json};
use crate::error::unexpected;
use crate::store::Store;
use chrono::{DateTime, Utc};
use roster_domain::ports::mail::{MailQueue, MailStoreError};
use roster_domain::registration::OutgoingMail;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr};

/// `mail_queue`: one row per mail until the dispatcher is done with it.
pub(crate) mod row {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mail_queue")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub recipient: String,
        pub kind: String,
        pub variables: String,
        pub status: String,
        pub attempts: i64,
        pub queued_at: i64,
        pub next_attempt_at: i64,
        pub sent_at: Option<i64>,
        pub last_error: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The status of a mail waiting for its first (or next) attempt.
const QUEUED: &str = "queued";

/// How many mails one multi-row `INSERT` carries: 10 parameters each, well under every
/// backend's bind limit.
const MAILS_PER_STATEMENT: usize = 2_000;

/// Queues `mail` on `conn` (a transaction when it goes with a state change, M4), due at
/// once.
pub(crate) async fn enqueue_in(
    conn: &impl ConnectionTrait,
    mail: &OutgoingMail,
    queued_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    enqueue_all_in(conn, &[mail], queued_at).await
}

/// Queues `mails` on `conn` in multi-row statements (the CSV import's invitations), due at
/// once: the one writer of `mail_queue` rows.
pub(crate) async fn enqueue_all_in(
    conn: &impl ConnectionTrait,
    mails: &[&OutgoingMail],
    queued_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    for part in mails.chunks(MAILS_PER_STATEMENT) {
        let rows = part
            .iter()
            .map(|mail| queued_row(mail, queued_at))
            .collect::<Result<Vec<_>, _>>()?;
        row::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

fn queued_row(mail: &OutgoingMail, queued_at: DateTime<Utc>) -> Result<row::ActiveModel, DbErr> {
    let variables = to_json(mail.variables()).map_err(|e| DbErr::Custom(e.to_string()))?;
    let at = micros(queued_at);
    Ok(row::ActiveModel {
        id: Set(Uuid::now_v7()),
        recipient: Set(mail.to().as_str().to_owned()),
        kind: Set(mail.kind().as_str().to_owned()),
        variables: Set(variables),
        status: Set(QUEUED.to_owned()),
        attempts: Set(0),
        queued_at: Set(at),
        next_attempt_at: Set(at),
        sent_at: Set(None),
        last_error: Set(None),
    })
}

#[async_trait::async_trait]
impl MailQueue for Store {
    async fn enqueue(&self, mail: &OutgoingMail) -> Result<(), MailStoreError> {
        enqueue_in(self.db(), mail, Utc::now())
            .await
            .map_err(unexpected)?;
        Ok(())
    }
}
