//! Creating and editing groups (G1): the unique indexes settle name and code races.

use super::entity::{ActiveModel, Column, Entity, Model};
use super::graph_lock::lock_graph;
use super::rows::row_of;
use super::sql::insert_row;
use crate::error::{is_foreign_key, is_unique_on, unexpected};
use crate::tx::begin_write;
use roster_domain::group::Group;
use roster_domain::ports::groups::{GroupWriteError, NewGroup};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
};

/// A unique violation as the port's error.
fn write_error(error: DbErr) -> GroupWriteError {
    if is_unique_on(&error, "name_key") {
        GroupWriteError::NameTaken
    } else if is_unique_on(&error, "external_code") {
        GroupWriteError::ExternalCodeTaken
    } else {
        GroupWriteError::Unexpected(unexpected(error))
    }
}

/// Stores the group and its parent edges in one transaction.
pub(super) async fn create(
    db: &DatabaseConnection,
    new: NewGroup,
) -> Result<Group, GroupWriteError> {
    let group = Group {
        id: new.id,
        name: new.name,
        external_code: new.external_code,
        description: new.description,
    };
    let row: Model = row_of(&group);
    let txn = begin_write(db).await.map_err(unexpected)?;
    if !new.parent_ids.is_empty() {
        // Edge writers take the graph lock first (see graph_lock).
        lock_graph(&txn).await.map_err(unexpected)?;
    }
    let active = ActiveModel {
        id: Set(row.id),
        name: Set(row.name),
        name_key: Set(row.name_key),
        external_code: Set(row.external_code),
        description: Set(row.description),
    };
    Entity::insert(active)
        .exec_without_returning(&txn)
        .await
        .map_err(write_error)?;
    for parent in &new.parent_ids {
        let edge = insert_row(
            "group_parents",
            ["child_id", "parent_id"],
            [group.id.as_uuid().into(), parent.as_uuid().into()],
        )
        .map_err(unexpected)?;
        txn.execute(&edge).await.map_err(|e| {
            if is_foreign_key(&e) {
                GroupWriteError::UnknownGroup(*parent)
            } else {
                GroupWriteError::Unexpected(unexpected(e))
            }
        })?;
    }
    txn.commit().await.map_err(unexpected)?;
    Ok(group)
}

/// Writes name, external code and description.
pub(super) async fn update(
    db: &DatabaseConnection,
    group: Group,
) -> Result<Group, GroupWriteError> {
    let row = row_of(&group);
    let result = Entity::update_many()
        .col_expr(Column::Name, Expr::value(row.name))
        .col_expr(Column::NameKey, Expr::value(row.name_key))
        .col_expr(Column::ExternalCode, Expr::value(row.external_code))
        .col_expr(Column::Description, Expr::value(row.description))
        .filter(Column::Id.eq(row.id))
        .exec(db)
        .await
        .map_err(write_error)?;
    if result.rows_affected == 0 {
        return Err(GroupWriteError::NotFound);
    }
    Ok(group)
}
