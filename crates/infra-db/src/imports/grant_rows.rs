//! Grants as the import's lookups read them (P5): the groups above a set of groups, walked
//! one level per query, and the grants of some users and groups with their scope groups.

use super::sql::{MAX_BINDS, name};
use crate::error::corrupt;
use roster_domain::Unexpected;
use roster_domain::authz::{Grant, Privilege, Scope, Subject};
use roster_domain::ids::{GrantId, GroupId, UserId};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The parent edges reachable upwards from some groups: child → its parents.
#[derive(Debug, Default)]
pub(super) struct Ancestry {
    parents: BTreeMap<Uuid, BTreeSet<Uuid>>,
}

impl Ancestry {
    /// Walks up from `start`, one query per level of the graph (G3: a DAG, so it ends).
    pub async fn above(conn: &impl ConnectionTrait, start: &BTreeSet<Uuid>) -> Result<Self, DbErr> {
        let mut ancestry = Self::default();
        let mut seen: BTreeSet<Uuid> = start.clone();
        let mut frontier: Vec<Uuid> = start.iter().copied().collect();
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for part in frontier.chunks(MAX_BINDS) {
                let query = Query::select()
                    .columns([name("child_id"), name("parent_id")])
                    .from(name("group_parents"))
                    .and_where(Expr::col(name("child_id")).is_in(part.iter().copied()))
                    .to_owned();
                for row in conn.query_all(&query).await? {
                    let child: Uuid = row.try_get("", "child_id")?;
                    let parent: Uuid = row.try_get("", "parent_id")?;
                    ancestry.parents.entry(child).or_default().insert(parent);
                    if seen.insert(parent) {
                        next.push(parent);
                    }
                }
            }
            frontier = next;
        }
        Ok(ancestry)
    }

    /// The groups and every group above them.
    pub fn closure(&self, groups: impl IntoIterator<Item = Uuid>) -> BTreeSet<Uuid> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<Uuid> = groups.into_iter().collect();
        while let Some(group) = stack.pop() {
            if out.insert(group) {
                stack.extend(self.parents.get(&group).into_iter().flatten().copied());
            }
        }
        out
    }
}

/// Every grant whose subject is one of `users` or one of `groups`.
pub(super) async fn grants_of(
    conn: &impl ConnectionTrait,
    users: &[Uuid],
    groups: &[Uuid],
) -> Result<Vec<Grant>, Unexpected> {
    let mut rows = Vec::new();
    let half = MAX_BINDS / 2;
    let (mut users, mut groups) = (users, groups);
    while !users.is_empty() || !groups.is_empty() {
        let (user_part, user_rest) = users.split_at(users.len().min(half));
        let (group_part, group_rest) = groups.split_at(groups.len().min(half));
        (users, groups) = (user_rest, group_rest);
        let query = Query::select()
            .columns(
                [
                    "id",
                    "subject_user_id",
                    "subject_group_id",
                    "privilege",
                    "scope_kind",
                ]
                .map(name),
            )
            .from(name("grants"))
            .cond_where(
                Condition::any()
                    .add(Expr::col(name("subject_user_id")).is_in(user_part.iter().copied()))
                    .add(Expr::col(name("subject_group_id")).is_in(group_part.iter().copied())),
            )
            .to_owned();
        for row in conn
            .query_all(&query)
            .await
            .map_err(crate::error::unexpected)?
        {
            rows.push(GrantRow {
                id: get(&row, "id")?,
                subject_user: get(&row, "subject_user_id")?,
                subject_group: get(&row, "subject_group_id")?,
                privilege: get(&row, "privilege")?,
                scope_kind: get(&row, "scope_kind")?,
            });
        }
    }
    let scope_groups = scope_groups_of(conn, &rows).await?;
    rows.into_iter()
        .map(|row| row.into_grant(&scope_groups))
        .collect()
}

fn get<T: sea_orm::TryGetable>(row: &sea_orm::QueryResult, column: &str) -> Result<T, Unexpected> {
    row.try_get("", column).map_err(crate::error::unexpected)
}

struct GrantRow {
    id: Uuid,
    subject_user: Option<Uuid>,
    subject_group: Option<Uuid>,
    privilege: String,
    scope_kind: String,
}

impl GrantRow {
    fn into_grant(
        self,
        scope_groups: &BTreeMap<Uuid, BTreeSet<GroupId>>,
    ) -> Result<Grant, Unexpected> {
        let subject = match (self.subject_user, self.subject_group) {
            (Some(user), None) => Subject::User(UserId::from_uuid(user)),
            (None, Some(group)) => Subject::Group(GroupId::from_uuid(group)),
            _ => return Err(corrupt("grant subject", "not exactly one subject")),
        };
        let scope = match self.scope_kind.as_str() {
            "all" => Scope::All,
            "member_groups" => Scope::MemberGroups,
            "groups" => Scope::groups(scope_groups.get(&self.id).into_iter().flatten().copied())
                .map_err(|e| corrupt("grant scope", e))?,
            other => return Err(corrupt("grant scope", other)),
        };
        Ok(Grant {
            id: GrantId::from_uuid(self.id),
            subject,
            privilege: Privilege::parse(&self.privilege).map_err(|e| corrupt("privilege", e))?,
            scope,
        })
    }
}

async fn scope_groups_of(
    conn: &impl ConnectionTrait,
    rows: &[GrantRow],
) -> Result<BTreeMap<Uuid, BTreeSet<GroupId>>, Unexpected> {
    let ids: Vec<Uuid> = rows
        .iter()
        .filter(|r| r.scope_kind == "groups")
        .map(|r| r.id)
        .collect();
    let mut out: BTreeMap<Uuid, BTreeSet<GroupId>> = BTreeMap::new();
    for part in ids.chunks(MAX_BINDS) {
        let query = Query::select()
            .columns([name("grant_id"), name("group_id")])
            .from(name("grant_scope_groups"))
            .and_where(Expr::col(name("grant_id")).is_in(part.iter().copied()))
            .to_owned();
        for row in conn
            .query_all(&query)
            .await
            .map_err(crate::error::unexpected)?
        {
            let grant: Uuid = get(&row, "grant_id")?;
            out.entry(grant)
                .or_default()
                .insert(GroupId::from_uuid(get(&row, "group_id")?));
        }
    }
    Ok(out)
}
