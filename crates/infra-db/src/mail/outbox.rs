//! M4: draining `mail_queue`. A claim is one conditional `UPDATE` per row — it counts the
//! attempt and pushes `next_attempt_at` out by the lease, only if the row still has the
//! attempt count and due time just read — so of several dispatchers reading the same due
//! row, exactly one takes it (on every backend: the losers' `UPDATE` matches no row once
//! the winner's is committed). Settling checks the attempt count again (the fence).

use super::queue::row;
use crate::convert::{from_json, instant, instant_opt, micros};
use crate::error::{corrupt, unexpected};
use crate::page::{after, fetch_limit, page_of};
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use roster_domain::Unexpected;
use roster_domain::ports::delivery::{
    ClaimedMail, MailClaim, MailListError, MailOutbox, QueuedMailView, Settlement,
};
use roster_domain::ports::mail::MailStoreError;
use roster_domain::ports::{Page, PageRequest};
use roster_domain::registration::{MailKind, MailStatus, OutgoingMail};
use roster_domain::user::Email;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;

/// What a sent or given-up row keeps of its variables: nothing (they may hold a link).
const NO_VARIABLES: &str = "{}";

fn mail_of(saved: &row::Model) -> Result<OutgoingMail, Unexpected> {
    let to = Email::parse(&saved.recipient).map_err(|e| corrupt("mail recipient", e))?;
    let kind = MailKind::parse(&saved.kind).ok_or_else(|| corrupt("mail kind", &saved.kind))?;
    let variables: BTreeMap<String, String> = from_json("mail variables", &saved.variables)?;
    OutgoingMail::new(to, kind, variables).map_err(|e| corrupt("mail variables", e))
}

fn attempt_of(saved: &row::Model) -> u32 {
    u32::try_from(saved.attempts.saturating_add(1)).unwrap_or(u32::MAX)
}

/// Takes `saved` if no other dispatcher did since it was read.
async fn take(
    store: &Store,
    saved: &row::Model,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<bool, MailStoreError> {
    let taken = row::Entity::update_many()
        .col_expr(row::Column::Attempts, Expr::val(saved.attempts + 1))
        .col_expr(row::Column::NextAttemptAt, Expr::val(micros(now + lease)))
        .filter(row::Column::Id.eq(saved.id))
        .filter(row::Column::Status.eq(MailStatus::Queued.as_str()))
        .filter(row::Column::Attempts.eq(saved.attempts))
        .filter(row::Column::NextAttemptAt.eq(saved.next_attempt_at))
        .exec(store.db())
        .await
        .map_err(unexpected)?;
    Ok(taken.rows_affected == 1)
}

/// Up to `limit` queued rows due at `now`, oldest due first.
async fn due_rows(
    store: &Store,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<row::Model>, MailStoreError> {
    row::Entity::find()
        .filter(row::Column::Status.eq(MailStatus::Queued.as_str()))
        .filter(row::Column::NextAttemptAt.lte(micros(now)))
        .order_by_asc(row::Column::NextAttemptAt)
        .order_by_asc(row::Column::Id)
        .limit(u64::from(limit))
        .all(store.db())
        .await
        .map_err(|e| unexpected(e).into())
}

/// The column changes that record `settlement`.
fn changes(settlement: &Settlement) -> Vec<(row::Column, SimpleExpr)> {
    match settlement {
        Settlement::Sent { at } => vec![
            (row::Column::Status, Expr::val(MailStatus::Sent.as_str())),
            (row::Column::SentAt, Expr::val(Some(micros(*at)))),
            (row::Column::Variables, Expr::val(NO_VARIABLES)),
            (row::Column::LastError, Expr::val(Option::<String>::None)),
        ],
        Settlement::Retry {
            next_attempt_at,
            error,
        } => vec![
            (
                row::Column::NextAttemptAt,
                Expr::val(micros(*next_attempt_at)),
            ),
            (row::Column::LastError, Expr::val(Some(error.clone()))),
        ],
        Settlement::GiveUp { error } => vec![
            (row::Column::Status, Expr::val(MailStatus::Failed.as_str())),
            (row::Column::Variables, Expr::val(NO_VARIABLES)),
            (row::Column::LastError, Expr::val(Some(error.clone()))),
        ],
    }
}

fn view_of(saved: row::Model) -> Result<QueuedMailView, Unexpected> {
    Ok(QueuedMailView {
        id: saved.id,
        kind: MailKind::parse(&saved.kind).ok_or_else(|| corrupt("mail kind", &saved.kind))?,
        status: MailStatus::parse(&saved.status)
            .ok_or_else(|| corrupt("mail status", &saved.status))?,
        attempts: u32::try_from(saved.attempts).unwrap_or(u32::MAX),
        queued_at: instant(saved.queued_at)?,
        next_attempt_at: instant(saved.next_attempt_at)?,
        sent_at: instant_opt(saved.sent_at)?,
        last_error: saved.last_error,
        recipient: saved.recipient,
    })
}

#[async_trait::async_trait]
impl MailOutbox for Store {
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<ClaimedMail>, MailStoreError> {
        let mut claimed = Vec::new();
        // Rows another dispatcher took between our read and our write are skipped; read
        // again (they are no longer due) until the batch is full or nothing is due.
        loop {
            let wanted = limit.saturating_sub(u32::try_from(claimed.len()).unwrap_or(u32::MAX));
            if wanted == 0 {
                break;
            }
            let due = due_rows(self, now, wanted).await?;
            let read = due.len();
            let mut lost = 0;
            for saved in due {
                if !take(self, &saved, now, lease).await? {
                    lost += 1;
                    continue;
                }
                let claim = MailClaim {
                    id: saved.id,
                    attempt: attempt_of(&saved),
                };
                match mail_of(&saved) {
                    Ok(mail) => claimed.push(ClaimedMail { claim, mail }),
                    // A row no dispatcher could ever send: failed, visible, not retried.
                    Err(e) => {
                        let error = format!("the queued mail is unreadable: {e}");
                        self.settle(&claim, &Settlement::GiveUp { error }).await?;
                    }
                }
            }
            if lost == 0 || read == 0 {
                break;
            }
        }
        Ok(claimed)
    }

    async fn settle(
        &self,
        claim: &MailClaim,
        settlement: &Settlement,
    ) -> Result<bool, MailStoreError> {
        let mut update = row::Entity::update_many();
        for (column, value) in changes(settlement) {
            update = update.col_expr(column, value);
        }
        let settled = update
            .filter(row::Column::Id.eq(claim.id))
            .filter(row::Column::Status.eq(MailStatus::Queued.as_str()))
            .filter(row::Column::Attempts.eq(i64::from(claim.attempt)))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(settled.rows_affected == 1)
    }

    async fn list(
        &self,
        status: Option<MailStatus>,
        page: &PageRequest,
    ) -> Result<Page<QueuedMailView>, MailListError> {
        let before = after(page.cursor.as_deref()).map_err(|_| MailListError::InvalidCursor)?;
        let mut query = row::Entity::find();
        if let Some(status) = status {
            query = query.filter(row::Column::Status.eq(status.as_str()));
        }
        if let Some(before) = before {
            query = query.filter(row::Column::Id.lt(before));
        }
        let rows = query
            .order_by_desc(row::Column::Id)
            .limit(fetch_limit(page.limit))
            .all(self.db())
            .await
            .map_err(unexpected)?;
        let views = rows
            .into_iter()
            .map(view_of)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page_of(views, page.limit, |v| v.id))
    }
}
