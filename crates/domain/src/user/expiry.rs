//! Expiry parsing (U6, C1) — owned by helper A.
