//! The `sessions` row (S1): a session under the hash of its bearer token, and ending every
//! session of a user, which the user stores do inside their own transactions.

use crate::convert::{instant, micros};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::ids::{SessionId, UserId};
use roster_domain::registration::{Session, TokenHash};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};

/// The `sessions` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub token_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl TryFrom<Model> for Session {
    type Error = Unexpected;

    fn try_from(row: Model) -> Result<Self, Self::Error> {
        Ok(Session {
            id: SessionId::from_uuid(row.id),
            user_id: UserId::from_uuid(row.user_id),
            token_hash: TokenHash::from_hex(&row.token_hash)
                .map_err(|e| corrupt("session token hash", e))?,
            created_at: instant(row.created_at)?,
            last_seen_at: instant(row.last_seen_at)?,
            expires_at: instant(row.expires_at)?,
        })
    }
}

/// The row of `session`.
pub(crate) fn row_of(session: &Session) -> ActiveModel {
    ActiveModel {
        id: Set(session.id.as_uuid()),
        user_id: Set(session.user_id.as_uuid()),
        token_hash: Set(session.token_hash.to_hex()),
        created_at: Set(micros(session.created_at)),
        last_seen_at: Set(micros(session.last_seen_at)),
        expires_at: Set(micros(session.expires_at)),
    }
}

/// S1: ends every session of `user` on `conn` (the pool or a writer's transaction); returns
/// how many.
pub(crate) async fn end_all_for_user(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<u64, DbErr> {
    let result = Entity::delete_many()
        .filter(Column::UserId.eq(user.as_uuid()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
