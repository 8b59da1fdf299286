//! A record's column values as plain, hashable cells, so bulk writes can group rows whose
//! changes are alike into one statement, on any of the record tables.

use roster_domain::integration::Row;
use sea_orm::Value;
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use uuid::Uuid;

/// One column value as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cell {
    Uuid(Uuid),
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
}

impl Cell {
    /// The value to bind.
    pub(crate) fn value(&self) -> Value {
        match self {
            Self::Uuid(v) => (*v).into(),
            Self::Int(v) => (*v).into(),
            Self::OptInt(v) => (*v).into(),
            Self::Text(v) => v.clone().into(),
            Self::OptText(v) => v.clone().into(),
            Self::Bool(v) => (*v).into(),
        }
    }

    /// `column` holds this value (`IS NULL` for an absent one: `= NULL` is never true).
    pub(crate) fn matched_by(&self, column: &'static str) -> Expr {
        let column = Expr::col(Alias::new(column));
        match self {
            Self::OptInt(None) | Self::OptText(None) => column.is_null(),
            _ => column.eq(self.value()),
        }
    }
}

/// A record stored in one table: its columns in order, `id` first and `user_id` second.
pub(crate) trait Stored: Row + Send + Sync {
    /// The table.
    const TABLE: &'static str;
    /// Every column, `id` and `user_id` first.
    const COLUMNS: &'static [&'static str];
    /// The row's values, in `COLUMNS` order.
    fn cells(&self) -> Vec<Cell>;
    /// The row's id.
    fn uuid(&self) -> Uuid;
}

/// The id of a stored record (its first cell).
pub(crate) fn uuid_of(cells: &[Cell]) -> Option<Uuid> {
    match cells.first() {
        Some(Cell::Uuid(id)) => Some(*id),
        _ => None,
    }
}
