//! Deleting a user (U7, I8, I9) in one transaction: the row goes, and with it, by foreign-key
//! cascade, its sessions, memberships, grants, password and links; its integrations are
//! frozen (as source) or removed (as target).

use super::row::{Column, Entity};
use crate::error::unexpected;
use crate::integration_links::{mark_source_deleted, remove_for_target};
use crate::tx::{begin_write, finish};
use roster_domain::ids::UserId;
use roster_domain::ports::users::UserWriteError;
use sea_orm::entity::prelude::*;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

pub(super) async fn delete(db: &DatabaseConnection, id: UserId) -> Result<(), UserWriteError> {
    let txn = begin_write(db).await.map_err(unexpected)?;
    let outcome = apply(&txn, id).await;
    finish(txn, outcome).await
}

async fn apply(txn: &DatabaseTransaction, id: UserId) -> Result<(), UserWriteError> {
    let deleted = Entity::delete_many()
        .filter(Column::Id.eq(id.as_uuid()))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    if deleted.rows_affected == 0 {
        return Err(UserWriteError::NotFound);
    }
    mark_source_deleted(txn, id).await.map_err(unexpected)?;
    remove_for_target(txn, id).await.map_err(unexpected)?;
    Ok(())
}
