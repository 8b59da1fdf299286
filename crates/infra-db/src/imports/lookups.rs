//! `ImportLookups` (C4, P3–P5): what validating a chunk of rows needs, in a few batched
//! queries — never one per row.

use super::grant_rows::{Ancestry, grants_of};
use super::sql::{MAX_BINDS, name};
use crate::error::{corrupt, store_error, unexpected};
use crate::store::Store;
use crate::users::row as user_row;
use roster_domain::Unexpected;
use roster_domain::authz::{Grant, Subject};
use roster_domain::group::{ExternalCode, Group, GroupDescription, GroupName};
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::StoreError;
use roster_domain::ports::imports::{ImportLookups, ImportUser, LookupAnswer, LookupRequest};
use roster_domain::user::User;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[async_trait::async_trait]
impl ImportLookups for Store {
    async fn lookup(&self, request: &LookupRequest) -> Result<LookupAnswer, StoreError> {
        let db = self.db();
        let users = users_by_login(db, request).await?;
        let ids: Vec<Uuid> = users.iter().map(|u| u.id.as_uuid()).collect();
        let direct = direct_groups(db, &ids).await.map_err(store_error)?;
        let groups = groups_by_name(db, &request.group_names).await?;
        let mut start: BTreeSet<Uuid> = direct.values().flatten().copied().collect();
        start.extend(groups.iter().map(|g| g.id.as_uuid()));
        let ancestry = Ancestry::above(db, &start).await.map_err(store_error)?;
        let above_all = ancestry.closure(start.iter().copied());
        let above_all: Vec<Uuid> = above_all.into_iter().collect();
        let grants = grants_of(db, &ids, &above_all).await?;
        let live = live_sources(db, &ids).await.map_err(store_error)?;
        let requested = ancestry.closure(groups.iter().map(|g| g.id.as_uuid()));
        let group_grants = grants
            .iter()
            .filter(
                |g| matches!(g.subject, Subject::Group(id) if requested.contains(&id.as_uuid())),
            )
            .cloned()
            .collect();
        let users = users
            .into_iter()
            .map(|user| {
                let mine = direct.get(&user.id.as_uuid()).cloned().unwrap_or_default();
                let reach = ancestry.closure(mine.iter().copied());
                ImportUser {
                    grants: grants_reaching(&grants, user.id, &reach),
                    direct_groups: mine.into_iter().map(GroupId::from_uuid).collect(),
                    live_integration_source: live.contains(&user.id.as_uuid()),
                    user,
                }
            })
            .collect();
        Ok(LookupAnswer {
            users,
            groups,
            group_grants,
        })
    }
}

/// P5: the user's own grants and those of every group it reaches upwards (G4).
fn grants_reaching(grants: &[Grant], user: UserId, reach: &BTreeSet<Uuid>) -> Vec<Grant> {
    grants
        .iter()
        .filter(|g| match g.subject {
            Subject::User(id) => id == user,
            Subject::Group(id) => reach.contains(&id.as_uuid()),
        })
        .cloned()
        .collect()
}

async fn users_by_login(
    db: &impl ConnectionTrait,
    request: &LookupRequest,
) -> Result<Vec<User>, StoreError> {
    let keys: Vec<&str> = request.login_ids.iter().map(|l| l.key()).collect();
    let mut users = Vec::with_capacity(keys.len());
    for part in keys.chunks(MAX_BINDS) {
        let rows = user_row::Entity::find()
            .filter(user_row::Column::LoginKey.is_in(part.iter().copied()))
            .all(db)
            .await
            .map_err(store_error)?;
        for row in rows {
            users.push(User::try_from(row)?);
        }
    }
    Ok(users)
}

/// Each user's direct groups.
pub(super) async fn direct_groups(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<BTreeMap<Uuid, BTreeSet<Uuid>>, sea_orm::DbErr> {
    let mut out: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for part in users.chunks(MAX_BINDS) {
        let query = Query::select()
            .columns([name("user_id"), name("group_id")])
            .from(name("memberships"))
            .and_where(Expr::col(name("user_id")).is_in(part.iter().copied()))
            .to_owned();
        for row in db.query_all(&query).await? {
            out.entry(row.try_get("", "user_id")?)
                .or_default()
                .insert(row.try_get("", "group_id")?);
        }
    }
    Ok(out)
}

async fn groups_by_name(
    db: &impl ConnectionTrait,
    names: &[GroupName],
) -> Result<Vec<Group>, StoreError> {
    let keys: Vec<&str> = names.iter().map(GroupName::key).collect();
    let mut groups = Vec::with_capacity(keys.len());
    for part in keys.chunks(MAX_BINDS) {
        let query = Query::select()
            .columns(["id", "name", "external_code", "description"].map(name))
            .from(name("groups"))
            .and_where(Expr::col(name("name_key")).is_in(part.iter().copied()))
            .to_owned();
        for row in db.query_all(&query).await.map_err(store_error)? {
            groups.push(group_of(&row)?);
        }
    }
    Ok(groups)
}

fn group_of(row: &sea_orm::QueryResult) -> Result<Group, Unexpected> {
    let id: Uuid = row.try_get("", "id").map_err(unexpected)?;
    let name: String = row.try_get("", "name").map_err(unexpected)?;
    let code: Option<String> = row.try_get("", "external_code").map_err(unexpected)?;
    let description: String = row.try_get("", "description").map_err(unexpected)?;
    Ok(Group {
        id: GroupId::from_uuid(id),
        name: GroupName::parse(&name).map_err(|e| corrupt("group name", e))?,
        external_code: code
            .as_deref()
            .map(ExternalCode::parse)
            .transpose()
            .map_err(|e| corrupt("external code", e))?,
        description: GroupDescription::parse(&description)
            .map_err(|e| corrupt("group description", e))?,
    })
}

/// I7: which of the users are the source of a live integration.
async fn live_sources(
    db: &impl ConnectionTrait,
    users: &[Uuid],
) -> Result<BTreeSet<Uuid>, sea_orm::DbErr> {
    let mut out = BTreeSet::new();
    for part in users.chunks(MAX_BINDS) {
        let query = Query::select()
            .column(name("live_source_id"))
            .from(name("integrations"))
            .and_where(Expr::col(name("live_source_id")).is_in(part.iter().copied()))
            .to_owned();
        for row in db.query_all(&query).await? {
            out.insert(row.try_get("", "live_source_id")?);
        }
    }
    Ok(out)
}
