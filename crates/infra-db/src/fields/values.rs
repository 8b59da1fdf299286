//! U8: a deleted field's values leave every user and every open application, in the
//! deleting transaction (see the port's module documentation).

use crate::convert::{from_json, micros, to_json};
use crate::error::unexpected;
use roster_domain::Unexpected;
use roster_domain::registration::ApplicationStatus;
use roster_domain::user::FieldKey;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LockType, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Rows read and rewritten per round, so memory stays flat however many users there are.
const BATCH: u64 = 500;

/// Removes `key` from the attributes of every user and every open application.
pub(super) async fn remove_values(
    txn: &DatabaseTransaction,
    key: &FieldKey,
) -> Result<(), Unexpected> {
    strip(txn, "users", key, &[]).await?;
    let open: Vec<&str> = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(ApplicationStatus::as_str)
        .collect();
    strip(txn, "applications", key, &open).await
}

/// Rewrites the rows of `table` (narrowed to `statuses` when given) whose attributes hold
/// `key`. Rows are locked as they are read, so no concurrent write slips in between.
async fn strip(
    txn: &DatabaseTransaction,
    table: &'static str,
    key: &FieldKey,
    statuses: &[&str],
) -> Result<(), Unexpected> {
    // A JSON object's key appears quoted; `_` matching any character only widens the
    // candidates, each of which is parsed and checked.
    let pattern = format!("%\"{}\"%", key.as_str());
    let mut last: Option<Uuid> = None;
    loop {
        let mut query = Query::select();
        query
            .columns([Alias::new("id"), Alias::new("attributes")])
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("attributes")).like(pattern.as_str()))
            .order_by(Alias::new("id"), Order::Asc)
            .limit(BATCH)
            .lock(LockType::Update);
        if !statuses.is_empty() {
            query.and_where(Expr::col(Alias::new("status")).is_in(statuses.iter().copied()));
        }
        if let Some(last) = last {
            query.and_where(Expr::col(Alias::new("id")).gt(last));
        }
        let rows = txn.query_all(&query).await.map_err(unexpected)?;
        for row in &rows {
            let id: Uuid = row.try_get("", "id").map_err(unexpected)?;
            let text: String = row.try_get("", "attributes").map_err(unexpected)?;
            let mut attributes: Map<String, Value> = from_json("attributes", &text)?;
            if attributes.remove(key.as_str()).is_some() {
                rewrite(txn, table, id, &attributes).await?;
            }
            last = Some(id);
        }
        if (rows.len() as u64) < BATCH {
            return Ok(());
        }
    }
}

async fn rewrite(
    txn: &DatabaseTransaction,
    table: &'static str,
    id: Uuid,
    attributes: &Map<String, Value>,
) -> Result<(), Unexpected> {
    let mut update = Query::update();
    update
        .table(Alias::new(table))
        .value(Alias::new("attributes"), to_json(attributes)?)
        .and_where(Expr::col(Alias::new("id")).eq(id));
    if table == "users" {
        // The row changed: a concurrent edit checking `updated_at` sees it.
        update.value(Alias::new("updated_at"), micros(chrono::Utc::now()));
    }
    txn.execute(&update).await.map_err(unexpected)?;
    Ok(())
}
