//! Single-use links (U5, A2, U10): `OneTimeTokenStore` for [`Store`], and the token row other
//! writers share.
//!
//! [`Store`]: crate::Store

pub(crate) mod row;
mod store;
