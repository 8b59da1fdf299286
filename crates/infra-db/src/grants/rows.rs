//! Grant rows at the seam: a row with its scope groups becomes a `Grant`, or the row is
//! reported corrupt.

use super::entity::Model;
use crate::error::{corrupt, unexpected};
use crate::groups::sql::CHUNK;
use roster_domain::Unexpected;
use roster_domain::authz::{Grant, Privilege, Scope, Subject};
use roster_domain::ids::{GrantId, GroupId, UserId};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The grants of `rows`, in the rows' order, with the scope groups read in one query per
/// chunk of `groups` grants.
pub(super) async fn grants_of(
    conn: &impl ConnectionTrait,
    rows: Vec<Model>,
) -> Result<Vec<Grant>, Unexpected> {
    let scoped: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.scope_kind == "groups")
        .map(|r| r.id)
        .collect();
    let mut scopes: BTreeMap<Uuid, BTreeSet<GroupId>> = BTreeMap::new();
    for chunk in scoped.chunks(CHUNK) {
        let query = Query::select()
            .columns([Alias::new("grant_id"), Alias::new("group_id")])
            .from(Alias::new("grant_scope_groups"))
            .and_where(Expr::col(Alias::new("grant_id")).is_in(chunk.iter().copied()))
            .to_owned();
        for row in conn.query_all(&query).await.map_err(unexpected)? {
            let grant: Uuid = row.try_get("", "grant_id").map_err(unexpected)?;
            let group: Uuid = row.try_get("", "group_id").map_err(unexpected)?;
            scopes
                .entry(grant)
                .or_default()
                .insert(GroupId::from_uuid(group));
        }
    }
    rows.into_iter()
        .map(|row| {
            let groups = scopes.remove(&row.id).unwrap_or_default();
            grant_of(row, groups)
        })
        .collect()
}

pub(super) fn grant_of(row: Model, groups: BTreeSet<GroupId>) -> Result<Grant, Unexpected> {
    let subject = match (row.subject_user_id, row.subject_group_id) {
        (Some(user), None) => Subject::User(UserId::from_uuid(user)),
        (None, Some(group)) => Subject::Group(GroupId::from_uuid(group)),
        _ => return Err(corrupt("grant subject", format!("grant {}", row.id))),
    };
    let scope = match row.scope_kind.as_str() {
        "all" => Scope::All,
        "member_groups" => Scope::MemberGroups,
        "groups" => Scope::groups(groups).map_err(|e| corrupt("grant scope", e))?,
        other => return Err(corrupt("grant scope kind", other)),
    };
    Ok(Grant {
        id: GrantId::from_uuid(row.id),
        subject,
        privilege: Privilege::parse(&row.privilege).map_err(|e| corrupt("privilege", e))?,
        scope,
    })
}
