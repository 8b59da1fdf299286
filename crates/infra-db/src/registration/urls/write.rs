//! Writing registration URLs: create with codes, edit keeping stored use counts, bulk status.

use crate::convert::{micros, micros_opt};
use crate::error::{is_foreign_key, is_unique_on, unexpected};
use crate::registration::rows::{code, url};
use roster_domain::ids::RegistrationUrlId;
use roster_domain::ports::registration::UrlRepositoryError;
use roster_domain::registration::{AuthCode, RegistrationUrl, UrlStatus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

/// Ids per statement in bulk status changes (far under every backend's parameter limit).
const CHUNK: usize = 1000;

fn code_row(url_id: Uuid, position: usize, code: &AuthCode) -> code::ActiveModel {
    code::ActiveModel {
        url_id: Set(url_id),
        code: Set(code.code().as_str().to_owned()),
        position: Set(i64::try_from(position).unwrap_or(i64::MAX)),
        expires_at: Set(micros_opt(code.expires_at())),
        max_uses: Set(code.max_uses().map(i64::from)),
        uses: Set(i64::from(code.uses())),
    }
}

/// Inserts the URL and its codes.
pub(super) async fn create(
    txn: &DatabaseTransaction,
    new: &RegistrationUrl,
) -> Result<(), UrlRepositoryError> {
    let id = new.id.as_uuid();
    let row = url::ActiveModel {
        id: Set(id),
        group_id: Set(new.group_id.as_uuid()),
        token: Set(new.token.as_str().to_owned()),
        status: Set(new.status.as_str().to_owned()),
        created_at: Set(micros(new.created_at)),
    };
    url::Entity::insert(row)
        .exec_without_returning(txn)
        .await
        .map_err(|e| {
            if is_unique_on(&e, "group_id") {
                UrlRepositoryError::GroupHasUrl
            } else if is_foreign_key(&e) {
                UrlRepositoryError::UnknownGroup
            } else {
                unexpected(e).into()
            }
        })?;
    let codes = new
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| code_row(id, i, c));
    code::Entity::insert_many(codes)
        .exec_without_returning(txn)
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// Saves status and codes. Kept codes keep the stored `uses`; their new maximum never goes
/// below it (a use counted since the edit was decided wins over the edit, so the row stays
/// valid).
pub(super) async fn update(
    txn: &DatabaseTransaction,
    edited: &RegistrationUrl,
) -> Result<(), UrlRepositoryError> {
    let id = edited.id.as_uuid();
    let found = url::Entity::update_many()
        .col_expr(url::Column::Status, Expr::val(edited.status.as_str()))
        .filter(url::Column::Id.eq(id))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    if found.rows_affected == 0 {
        return Err(UrlRepositoryError::NotFound);
    }
    let stored: Vec<String> = code::Entity::find()
        .select_only()
        .column(code::Column::Code)
        .filter(code::Column::UrlId.eq(id))
        .into_tuple()
        .all(txn)
        .await
        .map_err(unexpected)?;
    let wanted: Vec<&str> = edited.codes.iter().map(|c| c.code().as_str()).collect();
    let dropped: Vec<&String> = stored
        .iter()
        .filter(|c| !wanted.contains(&c.as_str()))
        .collect();
    if !dropped.is_empty() {
        code::Entity::delete_many()
            .filter(code::Column::UrlId.eq(id))
            .filter(code::Column::Code.is_in(dropped))
            .exec(txn)
            .await
            .map_err(unexpected)?;
    }
    for (position, c) in edited.codes.iter().enumerate() {
        if stored.iter().any(|s| s == c.code().as_str()) {
            keep_code(txn, id, position, c).await?;
        } else {
            code::Entity::insert(code_row(id, position, c))
                .exec_without_returning(txn)
                .await
                .map_err(unexpected)?;
        }
    }
    Ok(())
}

async fn keep_code(
    txn: &DatabaseTransaction,
    url_id: Uuid,
    position: usize,
    c: &AuthCode,
) -> Result<(), UrlRepositoryError> {
    let max_uses = match c.max_uses() {
        Some(max) => Expr::case(
            Expr::col(code::Column::Uses).gt(i64::from(max)),
            Expr::col(code::Column::Uses),
        )
        .finally(i64::from(max))
        .into(),
        None => Expr::val(Option::<i64>::None),
    };
    code::Entity::update_many()
        .col_expr(
            code::Column::Position,
            Expr::val(i64::try_from(position).unwrap_or(i64::MAX)),
        )
        .col_expr(
            code::Column::ExpiresAt,
            Expr::val(micros_opt(c.expires_at())),
        )
        .col_expr(code::Column::MaxUses, max_uses)
        .filter(code::Column::UrlId.eq(url_id))
        .filter(code::Column::Code.eq(c.code().as_str()))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// Sets the status of the URLs that exist among `ids`, returning those.
pub(super) async fn set_status(
    conn: &impl ConnectionTrait,
    ids: &[RegistrationUrlId],
    status: UrlStatus,
) -> Result<Vec<RegistrationUrlId>, UrlRepositoryError> {
    let mut existing = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let uuids: Vec<Uuid> = chunk.iter().map(RegistrationUrlId::as_uuid).collect();
        let found: Vec<Uuid> = url::Entity::find()
            .select_only()
            .column(url::Column::Id)
            .filter(url::Column::Id.is_in(uuids.clone()))
            .into_tuple()
            .all(conn)
            .await
            .map_err(unexpected)?;
        url::Entity::update_many()
            .col_expr(url::Column::Status, Expr::val(status.as_str()))
            .filter(url::Column::Id.is_in(uuids))
            .exec(conn)
            .await
            .map_err(unexpected)?;
        existing.extend(
            chunk
                .iter()
                .filter(|id| found.contains(&id.as_uuid()))
                .copied(),
        );
    }
    Ok(existing)
}
