//! Creating and deleting grants: the row and its scope groups in one transaction; the
//! unique (subject, privilege, scope digest) index settles duplicates.

use super::entity::{ActiveModel, Entity};
use super::key::{scope_key, subject_key};
use crate::error::{is_foreign_key, is_unique_on, unexpected};
use crate::groups::sql::CHUNK;
use crate::tx::begin_write;
use roster_domain::authz::{Grant, NewGrant, Scope, Subject};
use roster_domain::ids::{GrantId, GroupId};
use roster_domain::ports::grants::{CreateGrantError, DeleteGrantError};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

/// Stores the grant and its scope groups.
pub(super) async fn create(
    db: &DatabaseConnection,
    id: GrantId,
    new: NewGrant,
) -> Result<Grant, CreateGrantError> {
    let (user, group) = match new.subject {
        Subject::User(user) => (Some(user.as_uuid()), None),
        Subject::Group(group) => (None, Some(group.as_uuid())),
    };
    let row = ActiveModel {
        id: Set(id.as_uuid()),
        subject_user_id: Set(user),
        subject_group_id: Set(group),
        subject_key: Set(subject_key(new.subject)),
        privilege: Set(new.privilege.as_str().to_owned()),
        scope_kind: Set(new.scope.kind().to_owned()),
        scope_key: Set(scope_key(&new.scope)),
    };
    let scope_groups: Vec<GroupId> = match &new.scope {
        Scope::Groups { group_ids } => group_ids.iter().copied().collect(),
        Scope::All | Scope::MemberGroups => Vec::new(),
    };
    let txn = begin_write(db).await.map_err(unexpected)?;
    Entity::insert(row)
        .exec_without_returning(&txn)
        .await
        .map_err(|e| {
            if is_foreign_key(&e) {
                CreateGrantError::UnknownSubject
            } else if is_unique_on(&e, "privilege") {
                CreateGrantError::Exists
            } else {
                CreateGrantError::Unexpected(unexpected(e))
            }
        })?;
    if let Err(error) = insert_scope(&txn, id, &scope_groups).await {
        txn.rollback().await.map_err(unexpected)?;
        return Err(if is_foreign_key(&error) {
            missing_group(db, &scope_groups).await?
        } else {
            CreateGrantError::Unexpected(unexpected(error))
        });
    }
    txn.commit().await.map_err(unexpected)?;
    Ok(Grant {
        id,
        subject: new.subject,
        privilege: new.privilege,
        scope: new.scope,
    })
}

/// The scope rows, a few thousand per statement.
async fn insert_scope(
    conn: &impl ConnectionTrait,
    grant: GrantId,
    groups: &[GroupId],
) -> Result<(), DbErr> {
    for chunk in groups.chunks(CHUNK / 2) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("grant_scope_groups"))
            .columns([Alias::new("grant_id"), Alias::new("group_id")]);
        for group in chunk {
            insert
                .values([grant.as_uuid().into(), group.as_uuid().into()])
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// After a scope row broke its foreign key: the first scope group that does not exist.
async fn missing_group(
    db: &DatabaseConnection,
    groups: &[GroupId],
) -> Result<CreateGrantError, CreateGrantError> {
    for chunk in groups.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(GroupId::as_uuid).collect();
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("groups"))
            .and_where(Expr::col(Alias::new("id")).is_in(ids))
            .to_owned();
        let mut present = Vec::new();
        for row in db.query_all(&query).await.map_err(unexpected)? {
            present.push(row.try_get::<Uuid>("", "id").map_err(unexpected)?);
        }
        if let Some(gone) = chunk.iter().find(|g| !present.contains(&g.as_uuid())) {
            return Ok(CreateGrantError::UnknownGroup(*gone));
        }
    }
    Err(CreateGrantError::Unexpected(unexpected(DbErr::Custom(
        "a scope group broke its foreign key but every scope group exists".into(),
    ))))
}

/// Deletes the grant with its scope rows.
pub(super) async fn delete(db: &DatabaseConnection, id: GrantId) -> Result<(), DeleteGrantError> {
    let txn = begin_write(db).await.map_err(unexpected)?;
    let scope_rows = Query::delete()
        .from_table(Alias::new("grant_scope_groups"))
        .and_where(Expr::col(Alias::new("grant_id")).eq(id.as_uuid()))
        .to_owned();
    txn.execute(&scope_rows).await.map_err(unexpected)?;
    let deleted = Entity::delete_by_id(id.as_uuid())
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if deleted.rows_affected == 0 {
        return Err(DeleteGrantError::NotFound);
    }
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}
