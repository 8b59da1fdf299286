//! Sign-in state (S1, S3): `SessionStore` and `LoginThrottleStore` for [`Store`].
//!
//! [`Store`]: crate::Store

pub(crate) mod row;
mod store;
mod throttle;
