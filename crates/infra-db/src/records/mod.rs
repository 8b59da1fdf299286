//! Learning records (L1): the four record tables, their conversions both ways, the
//! `LearningRecords` port, the expiry purge's bookkeeping (U6), and the bulk reads and writes
//! an integration and its cancel are made of.

mod cells;
mod cursor;
mod entities;
mod held;
mod learning;
mod listing;
mod purge;
mod read;
mod rows;
mod versions;
mod write;

pub(crate) use held::held_ids;
pub(crate) use listing::{PageError, key_of, newest_page};
pub(crate) use read::{HeldRows, Lock, current_rows, records_of};
pub(crate) use versions::{bump as bump_versions, read as read_versions};
pub(crate) use write::{WriteError, write_record_changes};
