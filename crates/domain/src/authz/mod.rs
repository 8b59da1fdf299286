//! Privileges and scope (P): who may do what to whom.

pub mod grant;
pub mod privilege;
pub mod scope;

pub use grant::{Grant, NewGrant, Subject};
pub use privilege::{Privilege, PrivilegeError};
pub use scope::{Scope, ScopeError};
