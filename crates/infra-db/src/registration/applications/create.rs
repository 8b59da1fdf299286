//! A2, A5, A6: storing a new application in one transaction — the login ID check, the code
//! use, the application with its groups, its activation token and its mail.

use crate::convert::{micros, to_json};
use crate::error::{is_foreign_key, is_unique_on, unexpected};
use crate::mail::enqueue_in;
use crate::registration::codes::{consume_in, parse_status};
use crate::registration::rows::{application, application_group, code, url};
use crate::tokens::row::insert_token;
use roster_domain::Unexpected;
use roster_domain::ports::registration::{
    ApplicationSubmission, ConsumeCodeError, CreateApplicationError,
};
use roster_domain::registration::{Application, UrlRefusal, UrlStatus, UsedCode};
use roster_domain::user::login_id::fold;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter,
};

/// Writes the submission inside `txn`; any error leaves the transaction to roll back.
pub(super) async fn create_in(
    txn: &DatabaseTransaction,
    submission: &ApplicationSubmission,
) -> Result<(), CreateApplicationError> {
    let app = &submission.application;
    if user_holds(txn, app.login_id.key()).await? {
        return Err(CreateApplicationError::LoginIdTaken);
    }
    admit(txn, app, &submission.used_code).await?;
    insert_application(txn, app).await?;
    insert_token(txn, &submission.activation)
        .await
        .map_err(unexpected)?;
    if let Some(mail) = &submission.mail {
        enqueue_in(txn, mail, app.applied_at)
            .await
            .map_err(unexpected)?;
    }
    Ok(())
}

/// Whether a user holds the login key (A6). A user created after this read and before the
/// commit is caught when the application is approved (the users' unique login key).
async fn user_holds(txn: &DatabaseTransaction, login_key: &str) -> Result<bool, Unexpected> {
    let query = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("users"))
        .and_where(Expr::col(Alias::new("login_key")).eq(login_key))
        .limit(1)
        .to_owned();
    Ok(txn.query_one(&query).await.map_err(unexpected)?.is_some())
}

/// A5: the URL still admits: the code use is counted, or (no code) the URL is active and
/// asks for none.
async fn admit(
    txn: &DatabaseTransaction,
    app: &Application,
    used: &UsedCode,
) -> Result<(), CreateApplicationError> {
    let Some(url_id) = app.registration_url_id else {
        return Ok(());
    };
    let url_id = url_id.as_uuid();
    match used {
        UsedCode::Code(text) => consume_in(txn, url_id, text, app.applied_at)
            .await
            .map_err(|e| match e {
                ConsumeCodeError::Refused(r) => CreateApplicationError::Url(r),
                ConsumeCodeError::Unexpected(u) => CreateApplicationError::Unexpected(u),
            }),
        UsedCode::NoneRequired => {
            let row = url::Entity::find_by_id(url_id)
                .one(txn)
                .await
                .map_err(unexpected)?;
            let Some(row) = row else {
                return Err(CreateApplicationError::Url(UrlRefusal::NotFound));
            };
            if parse_status(&row.status)? == UrlStatus::Stopped {
                return Err(CreateApplicationError::Url(UrlRefusal::Stopped));
            }
            let codes = code::Entity::find()
                .filter(code::Column::UrlId.eq(url_id))
                .count(txn)
                .await
                .map_err(unexpected)?;
            if codes > 0 {
                return Err(CreateApplicationError::Url(UrlRefusal::CodeRequired));
            }
            Ok(())
        }
    }
}

async fn insert_application(
    txn: &DatabaseTransaction,
    app: &Application,
) -> Result<(), CreateApplicationError> {
    let id = app.id.as_uuid();
    let row = application::ActiveModel {
        id: Set(id),
        login_id: Set(app.login_id.as_str().to_owned()),
        login_key: Set(app.login_id.key().to_owned()),
        open_login_key: Set(app.status.is_open().then(|| app.login_id.key().to_owned())),
        name: Set(app.name.as_str().to_owned()),
        email: Set(app.email.as_str().to_owned()),
        email_key: Set(fold(app.email.as_str())),
        attributes: Set(to_json(&app.attributes)?),
        registration_url_id: Set(app.registration_url_id.map(|u| u.as_uuid())),
        status: Set(app.status.as_str().to_owned()),
        applied_at: Set(micros(app.applied_at)),
        activated_at: Set(app.activated_at.map(micros)),
        decided_at: Set(app.decided_at.map(micros)),
        decided_by: Set(app.decided_by.map(|u| u.as_uuid())),
        password_hash: Set(app.password_hash.expose().to_owned()),
    };
    application::Entity::insert(row)
        .exec_without_returning(txn)
        .await
        .map_err(|e| {
            // A6: another open application holds the login ID (settled by the unique index,
            // so two racing applicants cannot both hold it).
            if is_unique_on(&e, "open_login_key") {
                CreateApplicationError::LoginIdTaken
            } else {
                unexpected(e).into()
            }
        })?;
    let groups = app
        .group_ids
        .iter()
        .map(|g| application_group::ActiveModel {
            application_id: Set(id),
            group_id: Set(g.as_uuid()),
        });
    application_group::Entity::insert_many(groups)
        .exec_without_returning(txn)
        .await
        .map_err(|e| {
            // The group went (and its URL with it) since the URL was read.
            if is_foreign_key(&e) {
                CreateApplicationError::Url(UrlRefusal::NotFound)
            } else {
                unexpected(e).into()
            }
        })?;
    Ok(())
}
