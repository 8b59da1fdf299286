//! `OneTimeTokenStore` for the store: one live link per purpose and subject, redeemed by a
//! conditional update so a link works once even when opened twice at the same moment.

use super::row::{self, Column, Entity, of_subject, replace_tokens};
use crate::Store;
use crate::convert::micros;
use crate::error::unexpected;
use crate::mail::enqueue_in;
use crate::tx::{begin_write, finish};
use chrono::{DateTime, Utc};
use roster_domain::ports::tokens::{OneTimeTokenStore, RedeemError, TokenStoreError};
use roster_domain::registration::{
    OneTimeToken, OutgoingMail, TokenError, TokenHash, TokenPurpose, TokenSubject, check_redeem,
};
use sea_orm::DatabaseTransaction;
use sea_orm::entity::prelude::*;

#[async_trait::async_trait]
impl OneTimeTokenStore for Store {
    async fn issue(
        &self,
        token: &OneTimeToken,
        outbox: &[OutgoingMail],
    ) -> Result<(), TokenStoreError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        let outcome = issue(&txn, token, outbox).await;
        finish(txn, outcome).await
    }

    async fn find(&self, hash: &TokenHash) -> Result<Option<OneTimeToken>, TokenStoreError> {
        Ok(find(self.db(), hash)
            .await
            .map_err(unexpected)?
            .map(OneTimeToken::try_from)
            .transpose()?)
    }

    async fn redeem(
        &self,
        hash: &TokenHash,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<TokenSubject, RedeemError> {
        let found = self.find(hash).await.map_err(token_store)?;
        let subject = check_redeem(found.as_ref(), purpose, now).map_err(RedeemError::Refused)?;
        let at = micros(now);
        // The check above answers the common case; this WHERE decides between two redeemers
        // of one link: only the first UPDATE still finds it unused.
        let marked = Entity::update_many()
            .col_expr(Column::UsedAt, Expr::value(at))
            .filter(Column::TokenHash.eq(hash.to_hex()))
            .filter(Column::Purpose.eq(purpose.as_str()))
            .filter(Column::UsedAt.is_null())
            .filter(Column::ExpiresAt.gt(at))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        if marked.rows_affected > 0 {
            return Ok(subject);
        }
        // Used or deleted meanwhile: answer for the token as it is now.
        let now_found = self.find(hash).await.map_err(token_store)?;
        Err(RedeemError::Refused(
            check_redeem(now_found.as_ref(), purpose, now)
                .err()
                .unwrap_or(TokenError::Invalid),
        ))
    }

    async fn revoke(
        &self,
        purpose: TokenPurpose,
        subject: TokenSubject,
    ) -> Result<(), TokenStoreError> {
        Entity::delete_many()
            .filter(of_subject(purpose, subject))
            .filter(Column::UsedAt.is_null())
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn delete_expired(&self, before: DateTime<Utc>) -> Result<u64, TokenStoreError> {
        let deleted = Entity::delete_many()
            .filter(Column::ExpiresAt.lt(micros(before)))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(deleted.rows_affected)
    }
}

async fn issue(
    txn: &DatabaseTransaction,
    token: &OneTimeToken,
    outbox: &[OutgoingMail],
) -> Result<(), TokenStoreError> {
    // U5: a re-sent link replaces the earlier ones of its purpose and subject.
    replace_tokens(txn, &[token]).await.map_err(unexpected)?;
    for mail in outbox {
        enqueue_in(txn, mail, token.issued_at)
            .await
            .map_err(unexpected)?;
    }
    Ok(())
}

async fn find(conn: &impl ConnectionTrait, hash: &TokenHash) -> Result<Option<row::Model>, DbErr> {
    Entity::find_by_id(hash.to_hex()).one(conn).await
}

fn token_store(error: TokenStoreError) -> RedeemError {
    match error {
        TokenStoreError::Unexpected(cause) => RedeemError::Unexpected(cause),
    }
}
