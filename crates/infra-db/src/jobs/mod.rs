//! Scheduled-job storage (O5): the claims that let several instances share one database and
//! still run each due job once.

mod claims;
