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
pub use expiry::{ExpiryError, format_expiry, parse_expiry};
pub use fields::{
    AttributeError, AttributeMode, FieldDefinition, FieldKey, FieldKeyError, FieldLabel,
    FieldLabelError, FieldType, FieldTypeError, merge_attributes, validate_attributes,
};
pub use login_id::{LoginId, LoginIdError};
pub use password::{Password, PasswordError};
pub use status::{UserStatus, UserStatusError};
pub use user::{Attributes, User};
