//! Passwords (policy) — owned by helper A.
