//! Creating a user (U1, U3, G2): the row, its first password and its memberships in one
//! transaction; the unique indexes settle racing creations.

use super::{credential_row, membership_row, row};
use crate::convert::{micros, stored_instant};
use crate::error::{is_foreign_key, is_unique_on, unexpected};
use crate::tx::begin_write;
use roster_domain::ports::users::{CreateUserError, NewUser};
use roster_domain::user::User;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait};

pub(super) async fn create(
    db: &DatabaseConnection,
    user: NewUser,
) -> Result<User, CreateUserError> {
    let row = row::new_row(&user)?;
    let txn = begin_write(db).await.map_err(unexpected)?;
    // Named before writing, so the common case says which group is gone; a group deleted
    // after this check still fails the insert by its foreign key (handled below).
    let missing = membership_row::first_missing_group(&txn, &user.group_ids).await;
    let outcome = match missing {
        Ok(Some(group)) => Err(Refusal::Refused(CreateUserError::UnknownGroup(group))),
        Ok(None) => write_rows(&txn, &user, row).await.map_err(Refusal::Db),
        Err(error) => Err(Refusal::Db(error)),
    };
    match outcome {
        Ok(()) => {
            txn.commit().await.map_err(unexpected)?;
            Ok(created(user))
        }
        Err(refusal) => {
            // Ignored on purpose: a failed rollback discards the transaction all the same.
            let _rolled_back = txn.rollback().await;
            match refusal {
                Refusal::Refused(error) => Err(error),
                Refusal::Db(error) => Err(refused_by_database(db, &user, error).await),
            }
        }
    }
}

enum Refusal {
    Refused(CreateUserError),
    Db(DbErr),
}

/// Writes a new user's rows (the user, its first password, its memberships) on `conn`, a
/// transaction the caller owns: the one way a user row is made, so every writer (this store,
/// an approved application) fills the folded keys alike. A taken login ID fails on
/// `ux_users_login_key`, a missing group on a foreign key.
pub(crate) async fn insert_user(conn: &impl ConnectionTrait, user: &NewUser) -> Result<(), DbErr> {
    let row = row::new_row(user).map_err(|e| DbErr::Custom(e.to_string()))?;
    write_rows(conn, user, row).await
}

async fn write_rows(
    txn: &impl ConnectionTrait,
    user: &NewUser,
    row: row::ActiveModel,
) -> Result<(), DbErr> {
    row::Entity::insert(row).exec_without_returning(txn).await?;
    if let Some(hash) = &user.password_hash {
        let credential = credential_row::ActiveModel {
            user_id: Set(user.id.as_uuid()),
            password_hash: Set(hash.expose().to_owned()),
            updated_at: Set(micros(user.created_at)),
        };
        credential_row::Entity::insert(credential)
            .exec_without_returning(txn)
            .await?;
    }
    membership_row::insert(txn, user.id, &user.group_ids).await
}

/// The port's error for a write the database refused (after the rollback, so the pool is
/// free again: SQLite in memory has one connection).
async fn refused_by_database(
    db: &DatabaseConnection,
    user: &NewUser,
    error: DbErr,
) -> CreateUserError {
    if is_unique_on(&error, "login_key") {
        return CreateUserError::LoginIdTaken;
    }
    if is_unique_on(&error, "owner_slot") {
        return CreateUserError::OwnerExists;
    }
    if is_foreign_key(&error) {
        // A group went between the check and the insert: name it now.
        if let Ok(Some(group)) = membership_row::first_missing_group(db, &user.group_ids).await {
            return CreateUserError::UnknownGroup(group);
        }
    }
    CreateUserError::Unexpected(unexpected(error))
}

/// The user as stored (instants cut to what the store keeps, so a later read compares
/// equal).
fn created(user: NewUser) -> User {
    let created_at = stored_instant(user.created_at);
    User {
        id: user.id,
        login_id: user.login_id,
        name: user.name,
        email: user.email,
        has_password: user.password_hash.is_some(),
        status: user.status,
        expires_at: user.expires_at.map(stored_instant),
        attributes: user.attributes,
        is_owner: user.is_owner,
        created_at,
        updated_at: created_at,
    }
}
