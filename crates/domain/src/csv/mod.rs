//! CSV bulk registration and editing (C): the rules of the import and export rows. Pure —
//! the byte codec (encodings, BOM, quoting) lives in a later crate and hands over decoded
//! cells with their line numbers (the header is line 1).
//!
//! An import runs in two passes over the stream:
//! 1. [`HeaderMap::parse`] the header; then for each row [`FileValidator::feed`] (cell
//!    syntax, required fields, duplicate login IDs in the file) and [`check_row`] (known or
//!    unknown login ID per [`ImportMode`], groups exist, the actor's authority per row),
//!    tallied in an [`ImportTally`];
//! 2. [`ImportTally::finish`] decides what is written ([`WriteDecision`]: all or nothing by
//!    default, nothing on a dry run, valid rows only with `skip_invalid`), and the service
//!    writes those rows.
//!
//! Empty cells leave fields unchanged; the cell [`CLEAR_MARKER`] (`<clear>`) clears an
//! optional field. Export ([`export_record`]) writes the same format with formulas
//! neutralised, and import reverses that, so export → import in update mode changes nothing.

pub mod cell;
pub mod error;
pub mod export;
pub mod file;
pub mod formula;
pub mod header;
pub mod legacy_hash;
pub mod lookups;
pub mod mode;
pub mod report;
pub mod row;
pub mod validate;

#[cfg(test)]
mod round_trip;
#[cfg(test)]
pub(crate) mod testing;

pub use cell::{CLEAR_MARKER, Cell, decode_cell, encode_cell, is_clear_marker};
pub use error::{HEADER_LINE, RowError};
pub use export::{export_header, export_record};
pub use file::FileValidator;
pub use formula::{neutralise, reverse_neutralisation};
pub use header::{Column, HeaderMap};
pub use legacy_hash::{LegacyHash, LegacyHashError, LegacyScheme};
pub use lookups::{
    CheckedRow, ExistingUserFacts, RowAction, RowLookups, WriteDenial, check_row, denied,
};
pub use mode::{FieldChange, ImportMode, ImportModeError};
pub use report::{ImportOptions, ImportReport, ImportTally, MAX_REPORTED_ERRORS, WriteDecision};
pub use row::{AttributeCheck, ExpiryParser, PlainPassword, RowContext, UserRow};
pub use validate::validate_row;
