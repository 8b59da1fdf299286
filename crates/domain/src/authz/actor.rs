//! The inputs of a decision: who acts (with a snapshot of its grants) and on what.

use super::Grant;
use crate::ids::{GroupId, UserId};
use std::collections::BTreeSet;

/// The acting user, loaded once per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Who acts.
    pub user_id: UserId,
    /// U3: the owner holds every privilege everywhere.
    pub is_owner: bool,
    /// The groups the actor is a direct member of (for `member_groups` and group grants).
    pub direct_groups: BTreeSet<GroupId>,
    /// The actor's own grants and grants to groups. A group grant counts only when the actor
    /// is a member (G4) of that group, so loaders may pass more group grants, never fewer.
    pub grants: Vec<Grant>,
}

/// A user acted upon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUser {
    /// Its id.
    pub id: UserId,
    /// Whether it is the owner.
    pub is_owner: bool,
    /// The groups it is a direct member of.
    pub direct_groups: BTreeSet<GroupId>,
}

/// What an operation acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A user, in scope when a member (G4) of a group in the scope (P3).
    User(TargetUser),
    /// A group, in scope when it is in the scope's closure (P3).
    Group(GroupId),
    /// Something with no group (settings, templates, a root group): only scope `all` covers it.
    Global,
}
