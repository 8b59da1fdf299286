//! O5: one `job_claims` row per job kind; a claim is one conditional write, and only the
//! holder's fencing `claim_id` can complete or release it.

use crate::convert::{micros, stored_instant};
use crate::error::{Violation, unexpected, violation};
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use roster_domain::ports::jobs::{ClaimToken, JobClaimError, JobClaims, JobKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};

mod row {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_claims")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        pub claim_id: Option<Uuid>,
        pub leased_until: Option<i64>,
        pub next_due_at: Option<i64>,
        pub completed_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A fresh token whose lease is what the store keeps (µs), so it compares equal to a read.
fn fresh_token(kind: JobKind, now: DateTime<Utc>, lease: Duration) -> ClaimToken {
    let mut token = ClaimToken::new(kind, now, lease);
    token.leased_until = stored_instant(token.leased_until);
    token
}

/// Clears the claim of `token` with `extra` changes, only while `token` holds it.
async fn clear_claim(
    store: &Store,
    token: &ClaimToken,
    extra: Vec<(row::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<(), JobClaimError> {
    let mut update = row::Entity::update_many()
        .col_expr(row::Column::ClaimId, Expr::val(Option::<uuid::Uuid>::None))
        .col_expr(row::Column::LeasedUntil, Expr::val(Option::<i64>::None));
    for (column, value) in extra {
        update = update.col_expr(column, value);
    }
    let cleared = update
        .filter(row::Column::Kind.eq(token.kind.as_str()))
        .filter(row::Column::ClaimId.eq(token.claim_id))
        .exec(store.db())
        .await
        .map_err(unexpected)?;
    if cleared.rows_affected == 0 {
        return Err(JobClaimError::Lost);
    }
    Ok(())
}

#[async_trait::async_trait]
impl JobClaims for Store {
    async fn claim(
        &self,
        kind: JobKind,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<ClaimToken>, JobClaimError> {
        let token = fresh_token(kind, now, lease);
        // Never run: the first insert wins; a racing one hits the primary key.
        let first = row::ActiveModel {
            kind: Set(kind.as_str().to_owned()),
            claim_id: Set(Some(token.claim_id)),
            leased_until: Set(Some(micros(token.leased_until))),
            next_due_at: Set(None),
            completed_at: Set(None),
        };
        match row::Entity::insert(first)
            .exec_without_returning(self.db())
            .await
        {
            Ok(_) => return Ok(Some(token)),
            Err(e) if matches!(violation(&e), Some(Violation::Unique(_))) => {}
            Err(e) => return Err(unexpected(e).into()),
        }
        // Known job: take it only when due and not held (or its holder's lease passed).
        let at = micros(now);
        let taken = row::Entity::update_many()
            .col_expr(row::Column::ClaimId, Expr::val(Some(token.claim_id)))
            .col_expr(
                row::Column::LeasedUntil,
                Expr::val(Some(micros(token.leased_until))),
            )
            .filter(row::Column::Kind.eq(kind.as_str()))
            .filter(
                Condition::any()
                    .add(row::Column::NextDueAt.is_null())
                    .add(row::Column::NextDueAt.lte(at)),
            )
            .filter(
                Condition::any()
                    .add(row::Column::ClaimId.is_null())
                    .add(row::Column::LeasedUntil.is_null())
                    .add(row::Column::LeasedUntil.lte(at)),
            )
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok((taken.rows_affected == 1).then_some(token))
    }

    async fn complete(
        &self,
        token: &ClaimToken,
        next_due: DateTime<Utc>,
    ) -> Result<(), JobClaimError> {
        let extra = vec![
            (row::Column::NextDueAt, Expr::val(Some(micros(next_due)))),
            (
                row::Column::CompletedAt,
                Expr::val(Some(micros(Utc::now()))),
            ),
        ];
        clear_claim(self, token, extra).await
    }

    async fn release(&self, token: &ClaimToken) -> Result<(), JobClaimError> {
        clear_claim(self, token, Vec::new()).await
    }
}
