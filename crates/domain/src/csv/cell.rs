//! What one cell means on import, and how one value is written on export (C3, C7).
//!
//! An empty cell (or one of white space only) leaves the field unchanged. The **clear marker**
//! [`CLEAR_MARKER`] — the cell `<clear>`, compared ignoring ASCII case and surrounding white
//! space — clears an optional field (email, groups, expiry, a custom field). It is plain text
//! that Excel and LibreOffice keep as typed (a marker starting with `=`, `-` or `@` would be
//! read as a formula there), and it never comes out of an export: a real value that looks
//! like the marker is exported with a leading `'` (`'<clear>`), which import strips again, so
//! export → import still changes nothing. Every other cell goes through
//! [`reverse_neutralisation`].

use super::formula::{ESCAPE, neutralise, reverse_neutralisation};
use std::borrow::Cow;

/// The cell that clears an optional field on import.
pub const CLEAR_MARKER: &str = "<clear>";

/// Whether `cell` is the clear marker (ASCII case and surrounding white space ignored).
pub fn is_clear_marker(cell: &str) -> bool {
    cell.trim().eq_ignore_ascii_case(CLEAR_MARKER)
}

/// The meaning of one imported cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Empty or white space only: leave the field as it is (or "not given" on create).
    Empty,
    /// The clear marker.
    Clear,
    /// A value, with the export's neutralisation already reversed; not trimmed (each value
    /// type decides about white space, and passwords keep theirs).
    Value(&'a str),
}

/// Reads one imported cell.
pub fn decode_cell(raw: &str) -> Cell<'_> {
    if raw.trim().is_empty() {
        return Cell::Empty;
    }
    if is_clear_marker(raw) {
        return Cell::Clear;
    }
    match raw.strip_prefix(ESCAPE) {
        Some(rest) if is_clear_marker(rest) => Cell::Value(rest),
        _ => Cell::Value(reverse_neutralisation(raw)),
    }
}

/// Writes one exported value: formula triggers neutralised, and a value that would read as
/// the clear marker escaped with `'`. `decode_cell(&encode_cell(v))` is `Value(v)` for every
/// `v` that is not blank.
pub fn encode_cell(value: &str) -> Cow<'_, str> {
    if is_clear_marker(value) {
        Cow::Owned(format!("{ESCAPE}{value}"))
    } else {
        neutralise(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn c3_empty_means_unchanged_and_the_marker_clears() {
        assert_eq!(decode_cell(""), Cell::Empty);
        assert_eq!(decode_cell("   "), Cell::Empty);
        assert_eq!(decode_cell("<clear>"), Cell::Clear);
        assert_eq!(decode_cell(" <CLEAR> "), Cell::Clear);
        assert_eq!(decode_cell("<clear>x"), Cell::Value("<clear>x"));
        assert_eq!(decode_cell("x"), Cell::Value("x"));
    }

    #[test]
    fn c3_c7_a_value_that_looks_like_the_marker_survives_export() {
        assert_eq!(encode_cell("<clear>"), "'<clear>");
        assert_eq!(decode_cell("'<clear>"), Cell::Value("<clear>"));
        assert_eq!(encode_cell(" <Clear> "), "' <Clear> ");
        assert_eq!(decode_cell("' <Clear> "), Cell::Value(" <Clear> "));
    }

    #[test]
    fn c7_import_reverses_neutralisation() {
        assert_eq!(decode_cell("'=SUM(A1)"), Cell::Value("=SUM(A1)"));
        assert_eq!(decode_cell("''"), Cell::Value("'"));
        assert_eq!(decode_cell("'\t"), Cell::Value("\t"));
    }

    fn tricky() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "['=+@\\- \t]{0,3}(<clear>|<CLEAR>|x|山)?[ ]{0,2}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn c3_c7_encode_then_decode_gives_the_value_back(s in tricky()) {
            let encoded = encode_cell(&s);
            match decode_cell(&encoded) {
                Cell::Empty => prop_assert!(s.trim().is_empty()),
                Cell::Clear => prop_assert!(false, "export produced the clear marker for {:?}", s),
                Cell::Value(v) => prop_assert_eq!(v, s.as_str()),
            }
        }

        #[test]
        fn c3_decode_never_panics(s in any::<String>()) {
            let _ = decode_cell(&s);
        }
    }
}
