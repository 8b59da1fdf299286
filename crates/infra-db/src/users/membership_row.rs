//! The `memberships` rows the user store writes and reads (the groups store owns the table):
//! a user's direct groups (G2), written with a new user.

use roster_domain::ids::{GroupId, UserId};
use sea_orm::ExprTrait;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QuerySelect};
use std::collections::BTreeSet;

/// The `memberships` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub(crate) struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub group_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub(crate) enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Rows per INSERT: two parameters each, far under every backend's bind limit.
const ROWS_PER_INSERT: usize = 1_000;

/// Makes `user` a direct member of every group of `groups`.
pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    user: UserId,
    groups: &BTreeSet<GroupId>,
) -> Result<(), DbErr> {
    let rows: Vec<ActiveModel> = groups
        .iter()
        .map(|group| ActiveModel {
            user_id: Set(user.as_uuid()),
            group_id: Set(group.as_uuid()),
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// The first group of `groups` that does not exist, to name it in `UnknownGroup`.
pub(crate) async fn first_missing_group(
    conn: &impl ConnectionTrait,
    groups: &BTreeSet<GroupId>,
) -> Result<Option<GroupId>, DbErr> {
    let ids: Vec<Uuid> = groups.iter().map(GroupId::as_uuid).collect();
    let mut found = BTreeSet::new();
    for chunk in ids.chunks(ROWS_PER_INSERT) {
        let query = Query::select()
            .column("id")
            .from("groups")
            .and_where(Expr::col("id").is_in(chunk.iter().copied()))
            .to_owned();
        for row in conn.query_all(&query).await? {
            found.insert(row.try_get::<Uuid>("", "id")?);
        }
    }
    Ok(groups
        .iter()
        .copied()
        .find(|group| !found.contains(&group.as_uuid())))
}

/// The groups `user` is a direct member of.
pub(crate) async fn groups_of(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<BTreeSet<GroupId>, DbErr> {
    let ids: Vec<Uuid> = Entity::find()
        .select_only()
        .column(Column::GroupId)
        .filter(Column::UserId.eq(user.as_uuid()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids.into_iter().map(GroupId::from_uuid).collect())
}
