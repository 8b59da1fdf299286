//! `grants_scoped_on` (G3, G5, P5): the grants whose reach changes when these groups move.

use super::entity::{COLUMNS, Entity};
use super::rows::grants_of;
use crate::error::store_error;
use crate::groups::chunks::chunks_of;
use crate::groups::sql::{CHUNK, placeholders, statement, uuid_values};
use roster_domain::authz::Grant;
use roster_domain::ids::GroupId;
use roster_domain::ports::StoreError;
use sea_orm::{ConnectionTrait, EntityTrait, Value};
use std::collections::BTreeSet;

/// Every `groups` grant listing one of the groups, and every `member_groups` grant that
/// applies to a direct member of one of them: held by that member, or by a group the
/// member belongs to (directly or below it, G4 — the walk goes up from the member's direct
/// groups). In id order, without duplicates.
pub(super) async fn scoped_on(
    conn: &impl ConnectionTrait,
    groups: BTreeSet<GroupId>,
) -> Result<Vec<Grant>, StoreError> {
    let set = groups.iter().map(GroupId::as_uuid).collect();
    let mut rows = Vec::new();
    // The chunk is bound three times.
    for chunk in chunks_of(&set, CHUNK / 3) {
        let list = placeholders(chunk.len());
        let sql = format!(
            "WITH RECURSIVE above (id) AS ( \
             SELECT m2.group_id FROM memberships m1 \
             INNER JOIN memberships m2 ON m2.user_id = m1.user_id \
             WHERE m1.group_id IN ({list}) \
             UNION \
             SELECT e.parent_id FROM group_parents e INNER JOIN above a ON e.child_id = a.id) \
             SELECT {COLUMNS} FROM grants g \
             WHERE g.id IN (SELECT s.grant_id FROM grant_scope_groups s \
                            WHERE s.group_id IN ({list})) \
             OR (g.scope_kind = ? AND ( \
                 g.subject_user_id IN (SELECT m.user_id FROM memberships m \
                                       WHERE m.group_id IN ({list})) \
                 OR g.subject_group_id IN (SELECT id FROM above))) \
             ORDER BY g.id"
        );
        let values: Vec<Value> = uuid_values(&chunk)
            .chain(uuid_values(&chunk))
            .chain([Value::from("member_groups")])
            .chain(uuid_values(&chunk))
            .collect();
        let found = Entity::find()
            .from_raw_sql(statement(conn.get_database_backend(), &sql, values))
            .all(conn)
            .await
            .map_err(store_error)?;
        rows.extend(found);
    }
    rows.sort_by_key(|r| r.id);
    rows.dedup_by_key(|r| r.id);
    Ok(grants_of(conn, rows).await?)
}
