//! Groups (G): names, the group record, and the group graph.

pub mod description;
pub mod graph;
pub mod name;

pub use description::{GROUP_DESCRIPTION_MAX_CHARS, GroupDescription, GroupDescriptionError};
pub use name::{ExternalCode, GroupName, GroupNameError};

use crate::ids::GroupId;
use serde::{Deserialize, Serialize};

/// A group (G1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Its id.
    pub id: GroupId,
    /// Unique, case-insensitive.
    pub name: GroupName,
    /// Optional, unique.
    pub external_code: Option<ExternalCode>,
    /// Free text, at most 2,000 characters, no control characters but newline and tab.
    pub description: GroupDescription,
}
