//! Grants (P2) behind `GrantRepository`: the grant rows with their digest keys, scope
//! groups, and the reads decisions and lists make.

mod entity;
mod key;
mod read;
mod repository;
mod rescope;
mod rows;
mod scoped;
mod write;

pub(crate) use rescope::rescope;
