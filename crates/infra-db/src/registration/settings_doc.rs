//! Settings documents: small JSON values in the `settings` table, read and written whole
//! under a fixed key (registration settings A1, notification switches M3).

use super::rows::setting;
use crate::convert::{from_json, micros, to_json};
use crate::error::unexpected;
use chrono::{DateTime, Utc};
use roster_domain::Unexpected;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The document under `key`, or `None` when it was never saved.
pub(crate) async fn read<T: DeserializeOwned>(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<T>, Unexpected> {
    let row = setting::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await
        .map_err(unexpected)?;
    row.map(|row| from_json(key, &row.value)).transpose()
}

/// Replaces the document under `key` (one upsert, so two writers never collide on the
/// insert).
pub(crate) async fn write<T: Serialize>(
    conn: &impl ConnectionTrait,
    key: &str,
    value: &T,
    now: DateTime<Utc>,
) -> Result<(), Unexpected> {
    let row = setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(to_json(value)?),
        updated_at: Set(micros(now)),
    };
    setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map_err(unexpected)?;
    Ok(())
}
