//! `LoginThrottleStore` for the store (S3): one row per failed login, counted per key over
//! the policy's window; shared by every instance through the database.

use crate::Store;
use crate::convert::{instant_opt, micros};
use crate::error::unexpected;
use chrono::{DateTime, Utc};
use roster_domain::ports::sessions::{FailureCount, LoginThrottleStore, ThrottleStoreError};
use roster_domain::registration::ThrottleKey;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Func, Query};
use sea_orm::{ActiveValue::Set, Condition};

/// The `login_failures` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub throttle_key: String,
    pub failed_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[async_trait::async_trait]
impl LoginThrottleStore for Store {
    async fn record_failure(
        &self,
        key: &ThrottleKey,
        at: DateTime<Utc>,
    ) -> Result<(), ThrottleStoreError> {
        let row = ActiveModel {
            id: Set(Uuid::now_v7()),
            throttle_key: Set(key.storage_key()),
            failed_at: Set(micros(at)),
        };
        Entity::insert(row)
            .exec_without_returning(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn failures_since(
        &self,
        key: &ThrottleKey,
        since: DateTime<Utc>,
    ) -> Result<FailureCount, ThrottleStoreError> {
        let query = Query::select()
            .expr_as(Func::count(Expr::col(Column::Id)), "failures")
            .expr_as(Func::max(Expr::col(Column::FailedAt)), "last_at")
            .from(Entity)
            .cond_where(
                Condition::all()
                    .add(Column::ThrottleKey.eq(key.storage_key()))
                    .add(Column::FailedAt.gte(micros(since))),
            )
            .to_owned();
        let Some(row) = self.db().query_one(&query).await.map_err(unexpected)? else {
            return Ok(FailureCount::default());
        };
        let failures: i64 = row.try_get("", "failures").map_err(unexpected)?;
        let last_at: Option<i64> = row.try_get("", "last_at").map_err(unexpected)?;
        Ok(FailureCount {
            count: u32::try_from(failures).unwrap_or(u32::MAX),
            last_at: instant_opt(last_at)?,
        })
    }

    async fn clear(&self, key: &ThrottleKey) -> Result<(), ThrottleStoreError> {
        Entity::delete_many()
            .filter(Column::ThrottleKey.eq(key.storage_key()))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn prune(&self, before: DateTime<Utc>) -> Result<u64, ThrottleStoreError> {
        let deleted = Entity::delete_many()
            .filter(Column::FailedAt.lt(micros(before)))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(deleted.rows_affected)
    }
}
