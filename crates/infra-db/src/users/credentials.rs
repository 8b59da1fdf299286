//! `CredentialStore` for the store (U1, U2, U5, U10, C8, S1): password hashes apart from the
//! user row; setting one ends the user's sessions and links in the same transaction.

use super::credential_row::{self, Column, Entity as Credentials};
use super::row::{self, Column as UserColumn, Entity as Users};
use crate::Store;
use crate::convert::micros;
use crate::error::{store_error, unexpected};
use crate::sessions::row::end_all_for_user;
use crate::tokens::row::delete_credential_links;
use crate::tx::{begin_write, finish};
use chrono::Utc;
use roster_domain::ids::UserId;
use roster_domain::ports::StoreError;
use roster_domain::ports::password::PasswordHash;
use roster_domain::ports::users::{CredentialError, CredentialStore};
use roster_domain::user::UserStatus;
use sea_orm::ExprTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseTransaction};

#[async_trait::async_trait]
impl CredentialStore for Store {
    async fn password_hash(&self, user: UserId) -> Result<Option<PasswordHash>, StoreError> {
        let found = Credentials::find_by_id(user.as_uuid())
            .one(self.db())
            .await
            .map_err(store_error)?;
        Ok(found.map(|row| PasswordHash::new(row.password_hash)))
    }

    async fn set_password_hash(
        &self,
        user: UserId,
        hash: PasswordHash,
        activate_pending: bool,
    ) -> Result<(), CredentialError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        let outcome = set_password(&txn, user, hash, activate_pending).await;
        finish(txn, outcome).await
    }

    async fn upgrade_hash(
        &self,
        user: UserId,
        old: PasswordHash,
        new: PasswordHash,
    ) -> Result<bool, CredentialError> {
        // Conditional on the old hash: a password changed since the login wins over the
        // upgrade of the one it replaced.
        let replaced = Credentials::update_many()
            .col_expr(Column::PasswordHash, Expr::value(new.expose()))
            .col_expr(Column::UpdatedAt, Expr::value(micros(Utc::now())))
            .filter(Column::UserId.eq(user.as_uuid()))
            .filter(Column::PasswordHash.eq(old.expose()))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        if replaced.rows_affected > 0 {
            return Ok(true);
        }
        match row::find(self.db(), user).await.map_err(unexpected)? {
            Some(_) => Ok(false),
            None => Err(CredentialError::NotFound),
        }
    }
}

async fn set_password(
    txn: &DatabaseTransaction,
    user: UserId,
    hash: PasswordHash,
    activate_pending: bool,
) -> Result<(), CredentialError> {
    let now = micros(Utc::now());
    // has_password changes, so updated_at moves on: an update decided on the row as it was
    // (say, still pending) then conflicts instead of writing the old status back. Never
    // backwards, whatever the clock the row was written with.
    let bumped = Expr::case(Expr::col(UserColumn::UpdatedAt).lt(now), now)
        .finally(Expr::col(UserColumn::UpdatedAt).add(1));
    let mut marked = Users::update_many()
        .col_expr(UserColumn::HasPassword, Expr::value(true))
        .col_expr(UserColumn::UpdatedAt, bumped.into());
    if activate_pending {
        // U2, U5: pending becomes valid; any other status stays.
        let activated = Expr::case(
            Expr::col(UserColumn::Status).eq(UserStatus::Pending.as_str()),
            UserStatus::Valid.as_str(),
        )
        .finally(Expr::col(UserColumn::Status));
        marked = marked.col_expr(UserColumn::Status, activated.into());
    }
    let marked = marked
        .filter(UserColumn::Id.eq(user.as_uuid()))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    if marked.rows_affected == 0 {
        return Err(CredentialError::NotFound);
    }
    let credential = credential_row::ActiveModel {
        user_id: Set(user.as_uuid()),
        password_hash: Set(hash.expose().to_owned()),
        updated_at: Set(now),
    };
    Credentials::insert(credential)
        .on_conflict(
            OnConflict::column(Column::UserId)
                .update_columns([Column::PasswordHash, Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await
        .map_err(unexpected)?;
    // S1: a changed password ends every session; U5, U10: and every reset or invitation
    // link, which no longer applies.
    end_all_for_user(txn, user).await.map_err(unexpected)?;
    delete_credential_links(txn, user)
        .await
        .map_err(unexpected)?;
    Ok(())
}
