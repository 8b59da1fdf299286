//! Groups (G1–G5) behind `GroupRepository`: the group rows, their parent edges, memberships,
//! and the graph-version lock that serializes edge writers.

pub(crate) mod chunks;
mod delete;
mod entity;
mod graph_lock;
mod links;
mod read;
mod repository;
mod rows;
pub(crate) mod sql;
mod write;
