//! The CSV import and export adapter (C1, C4–C7): batched lookups of a chunk of rows, the
//! bulk write path (multi-row statements, one transaction or one per chunk), the import job
//! record, and the group names of exported users.

mod create;
mod effects;
mod export;
mod grant_rows;
mod jobs;
mod lookups;
mod sink;
mod sql;
mod update;
mod write;
