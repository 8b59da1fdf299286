//! `ExpiryPurgeStore` for the store (U6): which expired users' scores are still to purge, and
//! the mark that says a user's scores were purged for one particular expiry.

use crate::convert::{instant, micros};
use crate::error::{is_foreign_key, store_error};
use crate::store::Store;
use chrono::{DateTime, Utc};
use roster_domain::ids::UserId;
use roster_domain::ports::StoreError;
use roster_domain::ports::jobs::{DueGradePurge, ExpiryPurgeStore};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, OnConflict, Order, Query};

fn users(column: &'static str) -> (Alias, Alias) {
    (Alias::new("users"), Alias::new(column))
}

fn purges(column: &'static str) -> (Alias, Alias) {
    (Alias::new("grade_purges"), Alias::new(column))
}

#[async_trait::async_trait]
impl ExpiryPurgeStore for Store {
    async fn users_due_for_grade_purge(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DueGradePurge>, StoreError> {
        // A mark for an older expiry does not count: an extended user that expired again is
        // due again.
        let not_purged_for_this_expiry = Expr::col(purges("user_id"))
            .is_null()
            .or(Expr::col(purges("expired_at")).ne(Expr::col(users("expires_at"))));
        let query = Query::select()
            .column(users("id"))
            .column(users("expires_at"))
            .from(Alias::new("users"))
            .join(
                JoinType::LeftJoin,
                Alias::new("grade_purges"),
                Expr::col(purges("user_id")).equals(users("id")),
            )
            .and_where(Expr::col(users("expires_at")).is_not_null())
            .and_where(Expr::col(users("expires_at")).lte(micros(now)))
            // U3: the owner never expires; guarded here too, whatever its row says.
            .and_where(Expr::col(users("owner_slot")).is_null())
            .and_where(not_purged_for_this_expiry)
            .order_by(users("expires_at"), Order::Asc)
            .order_by(users("id"), Order::Asc)
            .limit(u64::from(limit))
            .to_owned();
        let rows = self.db().query_all(&query).await.map_err(store_error)?;
        rows.iter()
            .map(|row| {
                let id: uuid::Uuid = row.try_get("", "id").map_err(store_error)?;
                let expired: i64 = row.try_get("", "expires_at").map_err(store_error)?;
                Ok(DueGradePurge {
                    user_id: UserId::from_uuid(id),
                    expired_at: instant(expired)?,
                })
            })
            .collect()
    }

    async fn mark_grades_purged(
        &self,
        user: UserId,
        expired_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut upsert = Query::insert();
        upsert
            .into_table(Alias::new("grade_purges"))
            .columns(["user_id", "expired_at", "purged_at"].map(Alias::new))
            .values([
                user.as_uuid().into(),
                micros(expired_at).into(),
                micros(Utc::now()).into(),
            ])
            .map_err(|e| store_error(sea_orm::DbErr::Custom(e.to_string())))?
            .on_conflict(
                OnConflict::column(Alias::new("user_id"))
                    .update_columns(["expired_at", "purged_at"].map(Alias::new))
                    .to_owned(),
            );
        match self.db().execute(&upsert).await {
            Ok(_) => Ok(()),
            // The user was deleted meanwhile: nothing left to mark.
            Err(e) if is_foreign_key(&e) => Ok(()),
            Err(e) => Err(store_error(e)),
        }
    }
}
