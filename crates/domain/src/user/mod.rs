//! Users (U): the account and the values that make it up.

pub mod display_name;
pub mod email;
pub mod expiry;
pub mod fields;
pub mod login_id;
pub mod password;
pub mod rules;
pub mod status;
#[allow(clippy::module_inception)]
pub mod user;

pub use display_name::{DisplayName, DisplayNameError};
pub use email::{Email, EmailError};
pub use login_id::{LoginId, LoginIdError};
pub use status::{UserStatus, UserStatusError};
pub use user::{Attributes, User};
