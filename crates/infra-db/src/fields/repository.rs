//! `UserFieldRepository` for `Store`: definitions as JSON, in creation order.

use super::entity::{ActiveModel, Column, Entity, Model};
use super::values::remove_values;
use crate::convert::{from_json, micros, to_json};
use crate::error::{Violation, store_error, unexpected, violation};
use crate::store::Store;
use crate::tx::begin_write;
use roster_domain::ports::StoreError;
use roster_domain::ports::fields::{FieldWriteError, UserFieldRepository};
use roster_domain::user::{FieldDefinition, FieldKey};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn definition_of(row: &Model) -> Result<FieldDefinition, StoreError> {
    Ok(from_json("field definition", &row.definition)?)
}

#[async_trait::async_trait]
impl UserFieldRepository for Store {
    async fn list(&self) -> Result<Vec<FieldDefinition>, StoreError> {
        let rows = Entity::find()
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Key)
            .all(self.db())
            .await
            .map_err(store_error)?;
        rows.iter().map(definition_of).collect()
    }

    async fn get(&self, key: &FieldKey) -> Result<Option<FieldDefinition>, StoreError> {
        let row = Entity::find_by_id(key.as_str().to_owned())
            .one(self.db())
            .await
            .map_err(store_error)?;
        row.as_ref().map(definition_of).transpose()
    }

    /// The primary key on `key` settles racing creations.
    async fn create(&self, definition: &FieldDefinition) -> Result<(), FieldWriteError> {
        let row = ActiveModel {
            key: Set(definition.key().as_str().to_owned()),
            definition: Set(to_json(definition)?),
            created_at: Set(micros(chrono::Utc::now())),
        };
        match Entity::insert(row).exec_without_returning(self.db()).await {
            Ok(_) => Ok(()),
            // The key is the table's only unique constraint.
            Err(e) if matches!(violation(&e), Some(Violation::Unique(_))) => {
                Err(FieldWriteError::KeyTaken)
            }
            Err(e) => Err(FieldWriteError::Unexpected(unexpected(e))),
        }
    }

    /// `created_at` is left alone, so the field keeps its place.
    async fn update(&self, definition: &FieldDefinition) -> Result<(), FieldWriteError> {
        let result = Entity::update_many()
            .col_expr(Column::Definition, Expr::value(to_json(definition)?))
            .filter(Column::Key.eq(definition.key().as_str()))
            .exec(self.db())
            .await
            .map_err(unexpected)?;
        if result.rows_affected == 0 {
            return Err(FieldWriteError::NotFound);
        }
        Ok(())
    }

    async fn delete(&self, key: &FieldKey) -> Result<(), FieldWriteError> {
        let txn = begin_write(self.db()).await.map_err(unexpected)?;
        let deleted = Entity::delete_by_id(key.as_str().to_owned())
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        if deleted.rows_affected == 0 {
            return Err(FieldWriteError::NotFound);
        }
        remove_values(&txn, key).await?;
        txn.commit().await.map_err(unexpected)?;
        Ok(())
    }
}
