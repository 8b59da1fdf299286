//! `ExportLookups` (C7): the direct groups of a page of exported users, by name.

use super::sql::{MAX_BINDS, name};
use crate::error::{corrupt, store_error};
use crate::store::Store;
use roster_domain::group::GroupName;
use roster_domain::ids::{GroupId, UserId};
use roster_domain::ports::StoreError;
use roster_domain::ports::imports::ExportLookups;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query};
use std::collections::BTreeMap;
use uuid::Uuid;

#[async_trait::async_trait]
impl ExportLookups for Store {
    async fn group_names(
        &self,
        users: &[UserId],
    ) -> Result<BTreeMap<UserId, Vec<(GroupId, GroupName)>>, StoreError> {
        let ids: Vec<Uuid> = users.iter().map(UserId::as_uuid).collect();
        let mut out: BTreeMap<UserId, Vec<(GroupId, GroupName)>> = BTreeMap::new();
        for part in ids.chunks(MAX_BINDS) {
            let query = Query::select()
                .column((name("m"), name("user_id")))
                .column((name("g"), name("id")))
                .column((name("g"), name("name")))
                .from_as(name("memberships"), name("m"))
                .join_as(
                    JoinType::InnerJoin,
                    name("groups"),
                    name("g"),
                    Expr::col((name("g"), name("id"))).equals((name("m"), name("group_id"))),
                )
                .and_where(Expr::col((name("m"), name("user_id"))).is_in(part.iter().copied()))
                .to_owned();
            for row in self.db().query_all(&query).await.map_err(store_error)? {
                let user: Uuid = row.try_get("", "user_id").map_err(store_error)?;
                let group: Uuid = row.try_get("", "id").map_err(store_error)?;
                let text: String = row.try_get("", "name").map_err(store_error)?;
                let group_name = GroupName::parse(&text).map_err(|e| corrupt("group name", e))?;
                out.entry(UserId::from_uuid(user))
                    .or_default()
                    .push((GroupId::from_uuid(group), group_name));
            }
        }
        // Sorted as a person reads a list: by name without case, then as written.
        for groups in out.values_mut() {
            groups.sort_by(|(_, a), (_, b)| {
                a.key()
                    .cmp(b.key())
                    .then_with(|| a.as_str().cmp(b.as_str()))
            });
        }
        Ok(out)
    }
}
