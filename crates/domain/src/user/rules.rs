//! Owner invariants and status rules (U2, U3, U6, I7) — owned by helper F.
