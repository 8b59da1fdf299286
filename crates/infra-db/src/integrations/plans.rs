//! The plan stored with its integration (I5, I6): the domain's stored form (each touched
//! row's prior snapshot once, with the conflicts) encoded with postcard — compact binary, a
//! few megabytes for 100k scores where JSON of every before and after was fifty — together
//! with the record versions `apply` left, which let `cancel` skip reading rows nobody
//! touched since. Cut into numbered parts so any size fits MySQL's `BLOB` and packet limits
//! (see the migration); SQLite and PostgreSQL take it in one part.

use crate::error::{corrupt, unexpected};
use roster_domain::Unexpected;
use roster_domain::ids::IntegrationId;
use roster_domain::integration::{IntegrationPlan, RecordsVersion};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use serde::{Deserialize, Serialize};

/// Bytes per part on MySQL: under its 65,535-byte `BLOB`.
const MYSQL_PART_BYTES: usize = 60_000;
/// Bytes per insert on MySQL: about 1 MB, well under every server's default packet size.
const MYSQL_STATEMENT_BYTES: usize = 1 << 20;
/// The encoding below; a different one would need a different number.
const FORMAT: u8 = 1;

/// The record versions of the source and the target as `apply` left them.
pub(crate) type AppliedVersions = (RecordsVersion, RecordsVersion);

#[derive(Serialize)]
struct StoredRef<'a> {
    format: u8,
    applied: AppliedVersions,
    plan: &'a IntegrationPlan,
}

#[derive(Deserialize)]
struct Stored {
    format: u8,
    applied: AppliedVersions,
    plan: IntegrationPlan,
}

/// Part size and parts per insert on `conn`'s backend.
fn layout(conn: &impl ConnectionTrait, bytes: usize) -> (usize, usize) {
    match conn.get_database_backend() {
        DbBackend::MySql => (MYSQL_PART_BYTES, MYSQL_STATEMENT_BYTES / MYSQL_PART_BYTES),
        _ => (bytes.max(1), 1),
    }
}

/// Stores `plan` as the plan of `id`, with the versions `apply` left.
pub(crate) async fn save(
    conn: &impl ConnectionTrait,
    id: IntegrationId,
    plan: &IntegrationPlan,
    applied: AppliedVersions,
) -> Result<(), Unexpected> {
    let stored = StoredRef {
        format: FORMAT,
        applied,
        plan,
    };
    let bytes = postcard::to_allocvec(&stored).map_err(|e| Unexpected::new(e.to_string()))?;
    let (part_bytes, parts_per_statement) = layout(conn, bytes.len());
    let parts: Vec<(i64, &[u8])> = (0_i64..).zip(bytes.chunks(part_bytes)).collect();
    for chunk in parts.chunks(parts_per_statement.max(1)) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("integration_plan_blobs"))
            .columns(["integration_id", "part", "bytes"].map(Alias::new));
        for (number, body) in chunk {
            let values = [
                Expr::val(id.as_uuid()),
                Expr::val(*number),
                Expr::val(body.to_vec()),
            ];
            insert
                .values(values)
                .map_err(|e| unexpected(DbErr::Custom(e.to_string())))?;
        }
        conn.execute(&insert).await.map_err(unexpected)?;
    }
    Ok(())
}

/// The plan stored for `id`, with the versions `apply` left.
pub(crate) async fn load(
    conn: &impl ConnectionTrait,
    id: IntegrationId,
) -> Result<(IntegrationPlan, AppliedVersions), Unexpected> {
    let query = Query::select()
        .column(Alias::new("bytes"))
        .from(Alias::new("integration_plan_blobs"))
        .and_where(Expr::col(Alias::new("integration_id")).eq(id.as_uuid()))
        .order_by(Alias::new("part"), Order::Asc)
        .to_owned();
    let mut bytes = Vec::new();
    for row in conn.query_all(&query).await.map_err(unexpected)? {
        let part: Vec<u8> = row.try_get_by_index(0).map_err(unexpected)?;
        bytes.extend_from_slice(&part);
    }
    let stored: Stored =
        postcard::from_bytes(&bytes).map_err(|e| corrupt("integration plan", e))?;
    if stored.format != FORMAT {
        return Err(corrupt(
            "integration plan",
            format!("format {}", stored.format),
        ));
    }
    Ok((stored.plan, stored.applied))
}
