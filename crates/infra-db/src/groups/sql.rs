//! Raw SQL where sea-query has no portable builder (recursive walks of `group_parents`):
//! statements are written with `?` and numbered for PostgreSQL, and id lists are cut into
//! chunks that keep every statement far below the backends' bind-parameter limits.

use sea_orm::sea_query::{Alias, InsertStatement, Query};
use sea_orm::{DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

/// An INSERT of one row into `table`; the values line up with `columns`.
pub(crate) fn insert_row<const N: usize>(
    table: &'static str,
    columns: [&'static str; N],
    values: [Value; N],
) -> Result<InsertStatement, DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(columns.map(Alias::new))
        .values(values.map(Into::into))
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    Ok(insert)
}

/// Ids per statement: well under SQLite's 32,766 and the other backends' 65,535 parameters.
pub(crate) const CHUNK: usize = 10_000;

/// A statement from SQL written with `?` placeholders, numbered `$1…` on PostgreSQL.
pub(crate) fn statement(
    backend: DbBackend,
    sql: &str,
    values: impl IntoIterator<Item = Value>,
) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        numbered(sql)
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// `?, ?, …` for `n` values (an IN list).
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Ids as bind values.
pub(crate) fn uuid_values(ids: &[Uuid]) -> impl Iterator<Item = Value> + '_ {
    ids.iter().map(|id| Value::from(*id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_placeholders_are_numbered() {
        assert_eq!(
            numbered("a = ? AND b IN (?, ?)"),
            "a = $1 AND b IN ($2, $3)"
        );
        assert_eq!(placeholders(3), "?, ?, ?");
    }
}
