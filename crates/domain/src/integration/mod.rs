//! User integration (I) — owned by helper C.
