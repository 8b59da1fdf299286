//! `SessionStore` for the store (S1): sessions by the hash of their token.

use super::row::{self, Column, Entity, end_all_for_user};
use crate::Store;
use crate::convert::micros;
use crate::error::unexpected;
use chrono::{DateTime, Utc};
use roster_domain::ids::{SessionId, UserId};
use roster_domain::ports::sessions::{SessionStore, SessionStoreError};
use roster_domain::registration::{Session, TokenHash};
use sea_orm::entity::prelude::*;

#[async_trait::async_trait]
impl SessionStore for Store {
    async fn create(&self, session: &Session) -> Result<(), SessionStoreError> {
        Entity::insert(row::row_of(session))
            .exec_without_returning(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn find_by_token(&self, hash: &TokenHash) -> Result<Option<Session>, SessionStoreError> {
        let found = Entity::find()
            .filter(Column::TokenHash.eq(hash.to_hex()))
            .one(self.db())
            .await
            .map_err(unexpected)?;
        Ok(found.map(Session::try_from).transpose()?)
    }

    async fn touch(
        &self,
        id: SessionId,
        last_seen_at: DateTime<Utc>,
    ) -> Result<(), SessionStoreError> {
        let at = micros(last_seen_at);
        // Only forwards: of two requests touching at once, the later instant stays.
        Entity::update_many()
            .col_expr(Column::LastSeenAt, Expr::value(at))
            .filter(Column::Id.eq(id.as_uuid()))
            .filter(Column::LastSeenAt.lt(at))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(())
    }

    async fn revoke(&self, id: SessionId) -> Result<bool, SessionStoreError> {
        let deleted = Entity::delete_by_id(id.as_uuid())
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn revoke_all_for_user(&self, user_id: UserId) -> Result<u64, SessionStoreError> {
        Ok(end_all_for_user(self.db(), user_id)
            .await
            .map_err(unexpected)?)
    }

    async fn delete_expired(&self, now: DateTime<Utc>) -> Result<u64, SessionStoreError> {
        // Expired once `now` reaches `expires_at`, as `check_session` decides.
        let deleted = Entity::delete_many()
            .filter(Column::ExpiresAt.lte(micros(now)))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        Ok(deleted.rows_affected)
    }
}
