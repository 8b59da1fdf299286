//! Joining (A, U5, U10, S) — owned by helper D.
