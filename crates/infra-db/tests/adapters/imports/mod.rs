//! The import and export adapter (C1, C4–C7): lookups, the bulk write path with every side
//! effect of an update, the job record, and the group names of exported users.

// Marks the module as test code for clippy (`allow-unwrap-in-tests`); always true here.
#![cfg(test)]

mod fixtures;
mod jobs;
mod lookups;
mod search;
mod writes;
mod writes_failures;
