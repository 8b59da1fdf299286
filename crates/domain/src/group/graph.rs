//! The group graph (G3–G5) — owned by helper B.
