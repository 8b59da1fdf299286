//! The CSV row model (C) — owned by helper E.
