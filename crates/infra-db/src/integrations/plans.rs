//! The plan stored with its integration (I5, I6): JSON cut into numbered parts, so a plan of
//! any size fits MySQL's `TEXT` and packet limits (see the migration), written with a few
//! multi-row inserts and read back in order. SQLite and PostgreSQL `TEXT` has no such limit:
//! there the parts are large and few (a 100k-row plan is some 50 MB).

use super::entities::plan_part;
use crate::convert::{from_json, to_json};
use crate::error::unexpected;
use roster_domain::Unexpected;
use roster_domain::ids::IntegrationId;
use roster_domain::integration::IntegrationPlan;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// Bytes per part on MySQL: under its 65,535-byte `TEXT`.
const MYSQL_PART_BYTES: usize = 60_000;
/// Bytes per part elsewhere.
const PART_BYTES: usize = 8 << 20;
/// Bytes per insert on MySQL: about 1 MB, well under every server's default packet size.
const MYSQL_STATEMENT_BYTES: usize = 1 << 20;

/// Part size and parts per insert on `conn`'s backend.
fn layout(conn: &impl ConnectionTrait) -> (usize, usize) {
    match conn.get_database_backend() {
        DbBackend::MySql => (MYSQL_PART_BYTES, MYSQL_STATEMENT_BYTES / MYSQL_PART_BYTES),
        _ => (PART_BYTES, 1),
    }
}

/// `text` cut into pieces of at most `max` bytes, never inside a character.
fn pieces(text: &str, max: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(max);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            // `max` is smaller than this one character: it goes whole.
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let (piece, tail) = rest.split_at(end);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// Stores `plan` as the plan of `id`.
pub(crate) async fn save(
    conn: &impl ConnectionTrait,
    id: IntegrationId,
    plan: &IntegrationPlan,
) -> Result<(), Unexpected> {
    let json = to_json(plan)?;
    let (part_bytes, parts_per_statement) = layout(conn);
    let parts: Vec<(i64, &str)> = (0_i64..).zip(pieces(&json, part_bytes)).collect();
    for chunk in parts.chunks(parts_per_statement.max(1)) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("integration_plan_parts"))
            .columns(["integration_id", "part", "body"].map(Alias::new));
        for (number, body) in chunk {
            let values = [
                Expr::val(id.as_uuid()),
                Expr::val(*number),
                Expr::val(*body),
            ];
            insert
                .values(values)
                .map_err(|e| unexpected(DbErr::Custom(e.to_string())))?;
        }
        conn.execute(&insert).await.map_err(unexpected)?;
    }
    Ok(())
}

/// The plan stored for `id`.
pub(crate) async fn load(
    conn: &impl ConnectionTrait,
    id: IntegrationId,
) -> Result<IntegrationPlan, Unexpected> {
    let parts = plan_part::Entity::find()
        .filter(plan_part::Column::IntegrationId.eq(id.as_uuid()))
        .order_by_asc(plan_part::Column::Part)
        .all(conn)
        .await
        .map_err(unexpected)?;
    let json: String = parts.iter().map(|p| p.body.as_str()).collect();
    from_json("integration plan", &json)
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn pieces_keep_characters_whole_and_join_back() {
        let text = "aé€😀".repeat(50);
        let cut = pieces(&text, 7);
        assert!(cut.iter().all(|p| p.len() <= 7 && !p.is_empty()));
        assert_eq!(cut.concat(), text);
        assert!(pieces("", 7).is_empty());
    }
}
