//! Column and table builders shared by the migrations, so every table spells ids, instants
//! and text the same way on every backend.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

/// A UUID primary key.
pub fn id_pk(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

/// A UUID that must be present.
pub fn uuid(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).uuid().not_null().to_owned()
}

/// A UUID that may be absent.
pub fn uuid_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).uuid().null().to_owned()
}

/// An instant: microseconds since the Unix epoch, UTC.
pub fn instant(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}

/// An instant that may be absent.
pub fn instant_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}

/// Bounded text that must be present (indexable on every backend up to 255 characters).
pub fn text(name: impl IntoIden, chars: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(chars).not_null().to_owned()
}

/// Bounded text that may be absent.
pub fn text_null(name: impl IntoIden, chars: u32) -> ColumnDef {
    ColumnDef::new(name).string_len(chars).null().to_owned()
}

/// Unbounded text (never indexed): descriptions, JSON documents, hashes.
pub fn long_text(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().not_null().to_owned()
}

/// Unbounded text that may be absent.
pub fn long_text_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).text().null().to_owned()
}

/// A flag.
pub fn flag(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().to_owned()
}

/// A count or other whole number.
pub fn number(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().to_owned()
}

/// A whole number that may be absent.
pub fn number_null(name: impl IntoIden) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().to_owned()
}

/// Creates a table. On MySQL/MariaDB the table is utf8mb4 with binary collation, so text
/// compares exactly as on the other backends (case-insensitive matching uses `…_key`
/// columns the domain folds, never the server's collation).
pub async fn create_table(
    manager: &SchemaManager<'_>,
    mut table: TableCreateStatement,
) -> Result<(), DbErr> {
    if manager.get_database_backend() == DatabaseBackend::MySql {
        table.character_set("utf8mb4").collate("utf8mb4_bin");
    }
    manager.create_table(table).await
}

/// Creates an index.
pub async fn create_index(
    manager: &SchemaManager<'_>,
    index: &mut IndexCreateStatement,
) -> Result<(), DbErr> {
    manager.create_index(index.to_owned()).await
}

/// A foreign key from `table.column` to `parent.id`, deleting the row with its parent.
pub fn cascade(
    table: impl IntoIden,
    column: impl IntoIden,
    parent: impl IntoIden,
    parent_id: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(parent, parent_id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A table or column name, spelled in the migration that uses it.
pub fn name(text: &'static str) -> Alias {
    Alias::new(text)
}

/// Creates the index `name` on `table(columns…)`; unique when `unique`.
pub async fn index_on(
    manager: &SchemaManager<'_>,
    index: &'static str,
    table: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(index).table(name(table));
    for column in columns {
        statement.col(name(column));
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement).await
}

/// Drops the tables, in the order given (children first).
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(name(table)).to_owned())
            .await?;
    }
    Ok(())
}
