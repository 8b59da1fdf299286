//! A grant (P2): a subject (a user, or a group whose members per G4 all hold it), a privilege
//! and a scope.

use super::{Privilege, Scope};
use crate::ids::{GrantId, GroupId, UserId};
use serde::{Deserialize, Serialize};

/// Who holds a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// One user.
    User(UserId),
    /// Every member of the group and of every group below it (G4).
    Group(GroupId),
}

/// A stored grant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// Its id.
    pub id: GrantId,
    /// Who holds it.
    pub subject: Subject,
    /// What it allows.
    pub privilege: Privilege,
    /// Where.
    pub scope: Scope,
}

/// A grant yet to be stored, as an administrator asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGrant {
    /// Who will hold it.
    pub subject: Subject,
    /// What it allows.
    pub privilege: Privilege,
    /// Where.
    pub scope: Scope,
}
