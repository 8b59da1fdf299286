//! Updating a user (U4–U6, U10) under optimistic concurrency, with the sessions and links the
//! change ends, in one transaction.

use super::row::{self, Column, Entity, email_key, name_key};
use crate::convert::{micros, micros_opt, stored_instant, to_json};
use crate::error::unexpected;
use crate::sessions::row::end_all_for_user;
use crate::tokens::row::delete_credential_links;
use crate::tx::{begin_write, finish};
use roster_domain::ports::users::{UserUpdate, UserWriteError};
use roster_domain::user::{User, UserStatus};
use sea_orm::entity::prelude::*;
use sea_orm::{DatabaseConnection, DatabaseTransaction};

pub(super) async fn update(
    db: &DatabaseConnection,
    update: UserUpdate,
) -> Result<User, UserWriteError> {
    let txn = begin_write(db).await.map_err(unexpected)?;
    let outcome = apply(&txn, update).await;
    finish(txn, outcome).await
}

async fn apply(txn: &DatabaseTransaction, update: UserUpdate) -> Result<User, UserWriteError> {
    let stored = row::find(txn, update.id)
        .await
        .map_err(unexpected)?
        .ok_or(UserWriteError::NotFound)?;
    let stored = User::try_from(stored)?;
    if micros(stored.updated_at) != micros(update.expected_updated_at) {
        return Err(UserWriteError::Conflict);
    }
    let fields = &update.fields;
    // The WHERE on updated_at settles a race the read above cannot see: of two writers that
    // read the same row, only the first UPDATE matches.
    let written = Entity::update_many()
        .col_expr(Column::Name, Expr::value(fields.name.as_str()))
        .col_expr(Column::NameKey, Expr::value(name_key(&fields.name)))
        .col_expr(
            Column::Email,
            Expr::value(fields.email.as_ref().map(|e| e.as_str().to_owned())),
        )
        .col_expr(
            Column::EmailKey,
            Expr::value(fields.email.as_ref().map(email_key)),
        )
        .col_expr(Column::Status, Expr::value(fields.status.as_str()))
        .col_expr(
            Column::ExpiresAt,
            Expr::value(micros_opt(fields.expires_at)),
        )
        .col_expr(
            Column::Attributes,
            Expr::value(to_json(&fields.attributes)?),
        )
        .col_expr(Column::UpdatedAt, Expr::value(micros(update.updated_at)))
        .filter(Column::Id.eq(update.id.as_uuid()))
        .filter(Column::UpdatedAt.eq(micros(update.expected_updated_at)))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    if written.rows_affected == 0 {
        let still_there = row::find(txn, update.id).await.map_err(unexpected)?;
        return Err(match still_there {
            Some(_) => UserWriteError::Conflict,
            None => UserWriteError::NotFound,
        });
    }
    let now = update.updated_at;
    let expired = fields.expires_at.is_some_and(|at| now >= at);
    if fields.status != UserStatus::Valid || expired {
        // S1, U6: a user who can no longer log in keeps no session.
        end_all_for_user(txn, update.id).await.map_err(unexpected)?;
    }
    if update.revokes_links(&stored) {
        // U5, U10: a link mailed to the old address must not outlive it.
        delete_credential_links(txn, update.id)
            .await
            .map_err(unexpected)?;
    }
    Ok(updated(stored, update))
}

/// The user as now stored.
fn updated(stored: User, update: UserUpdate) -> User {
    let fields = update.fields;
    User {
        name: fields.name,
        email: fields.email,
        status: fields.status,
        expires_at: fields.expires_at.map(stored_instant),
        attributes: fields.attributes,
        updated_at: stored_instant(update.updated_at),
        ..stored
    }
}
