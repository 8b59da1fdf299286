//! Custom profile fields (U8) — owned by helper A.
