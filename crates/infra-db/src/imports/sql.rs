//! Small SQL builders the import adapter shares: names spelled once, and multi-row
//! statements cut so no statement carries more bind parameters than every backend accepts.

use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};

/// The most bind parameters one statement carries: SQLite accepts 32,766, PostgreSQL and
/// MySQL 65,535; staying under 30,000 leaves room on all three.
pub(super) const MAX_BINDS: usize = 29_000;

/// A table or column name.
pub(super) fn name(text: &'static str) -> Alias {
    Alias::new(text)
}

/// How many rows of `columns` values fit in one statement.
pub(super) fn rows_per_statement(columns: usize) -> usize {
    (MAX_BINDS / columns.max(1)).max(1)
}

/// A sea-query refusal (a row of the wrong width) as a database error.
pub(super) fn query_error(error: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(error.to_string())
}

/// Inserts `rows` (each one value per column, in order) with as few multi-row `INSERT`s as
/// the bind limit allows.
pub(super) async fn insert_rows(
    conn: &impl ConnectionTrait,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Vec<Expr>>,
) -> Result<(), DbErr> {
    let per_statement = rows_per_statement(columns.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert
            .into_table(name(table))
            .columns(columns.iter().map(|c| name(c)));
        for row in rows.by_ref().take(per_statement) {
            insert.values(row).map_err(query_error)?;
        }
        conn.execute(&insert).await?;
    }
    Ok(())
}

/// Deletes the rows of `table` whose `column` is one of `values`, a bounded list at a time.
pub(super) async fn delete_where_in<V>(
    conn: &impl ConnectionTrait,
    table: &'static str,
    column: &'static str,
    values: &[V],
    extra: Option<Condition>,
) -> Result<u64, DbErr>
where
    V: Clone + Into<sea_orm::Value>,
{
    let mut deleted = 0;
    for part in values.chunks(MAX_BINDS / 2) {
        let mut delete = Query::delete();
        delete
            .from_table(name(table))
            .and_where(Expr::col(name(column)).is_in(part.iter().cloned().map(Into::into)));
        if let Some(condition) = extra.clone() {
            delete.cond_where(condition);
        }
        deleted += conn.execute(&delete).await?.rows_affected();
    }
    Ok(deleted)
}
