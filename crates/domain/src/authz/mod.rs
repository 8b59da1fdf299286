//! Privileges and scope (P): who may do what to whom, decided by pure functions over a
//! snapshot of the actor's grants and the group graph.

pub mod actor;
mod context;
pub mod decision;
pub mod escalation;
pub mod explain;
pub mod grant;
pub mod privilege;
#[cfg(test)]
mod proptests;
pub mod scope;
#[cfg(test)]
mod testkit;

pub use actor::{Actor, Target, TargetUser};
pub use decision::{Denied, Visibility, authorize, effective_grants, is_allowed, visibility};
pub use escalation::{EscalationError, check_grant, check_hand_over, check_may_manage};
pub use explain::{Explanation, PathStep, explain};
pub use grant::{Grant, NewGrant, Subject};
pub use privilege::{Privilege, PrivilegeError};
pub use scope::{Scope, ScopeError};
