//! A3, A4: applying a decided change in one transaction — conditional on the status it was
//! decided on, creating the user when approved, queueing the notices.

use super::new_user::insert_user_rows;
use super::read::{parse_status, with_groups};
use crate::error::{is_unique_on, unexpected};
use crate::mail::enqueue_in;
use crate::registration::rows::application;
use chrono::Utc;
use roster_domain::ports::registration::TransitionError;
use roster_domain::registration::{ApplicationStatus, ApplicationUpdate, OutgoingMail};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// Writes `update` inside `txn`; any error leaves the transaction to roll back.
pub(super) async fn transition_in(
    txn: &DatabaseTransaction,
    update: &ApplicationUpdate,
    outbox: &[OutgoingMail],
) -> Result<(), TransitionError> {
    let id = update.id.as_uuid();
    // Read before the change: the password hash is erased by it.
    let Some(row) = application::Entity::find_by_id(id)
        .one(txn)
        .await
        .map_err(unexpected)?
    else {
        return Err(TransitionError::NotFound);
    };
    let decided = matches!(
        update.status,
        ApplicationStatus::Approved | ApplicationStatus::NotApproved
    );
    let mut change = application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::val(update.status.as_str()),
        )
        .col_expr(
            application::Column::ActivatedAt,
            Expr::val(update.activated_at.map(crate::convert::micros)),
        )
        .col_expr(
            application::Column::DecidedAt,
            Expr::val(update.decided_at.map(crate::convert::micros)),
        )
        .col_expr(
            application::Column::DecidedBy,
            Expr::val(update.decided_by.map(|u| u.as_uuid())),
        );
    if !update.status.is_open() {
        // A6: a decided application no longer holds the login ID.
        change = change.col_expr(
            application::Column::OpenLoginKey,
            Expr::val(Option::<String>::None),
        );
    }
    if decided {
        // The user has it now, or it will never be used.
        change = change.col_expr(application::Column::PasswordHash, Expr::val(""));
    }
    let changed = change
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(update.expected.as_str()))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    if changed.rows_affected == 0 {
        return Err(TransitionError::StatusChanged {
            current: parse_status(&row.status)?,
        });
    }
    let now = update
        .decided_at
        .or(update.activated_at)
        .unwrap_or_else(Utc::now);
    if let Some(user) = update.create_user {
        let mut apps = with_groups(txn, vec![row]).await?;
        if let Some(app) = apps.pop() {
            insert_user_rows(txn, user, &app, now).await.map_err(|e| {
                if is_unique_on(&e, "login_key") {
                    TransitionError::LoginIdTaken
                } else {
                    unexpected(e).into()
                }
            })?;
        }
    }
    for mail in outbox {
        enqueue_in(txn, mail, now).await.map_err(unexpected)?;
    }
    Ok(())
}
