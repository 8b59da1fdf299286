//! Spreadsheet formula neutralisation (C7), following the OWASP "CSV injection" guidance: a
//! cell that begins with `=`, `+`, `-`, `@`, tab, CR, LF or NUL may be run as a formula by
//! Excel or LibreOffice, so export prefixes it with `'`, which spreadsheets show as text.
//!
//! The pair is a bijection so that export → import changes nothing: export also prefixes any
//! value that itself begins with `'`, and import strips exactly one leading `'` only when the
//! character after it is dangerous or another `'`. A hand-written cell such as `'hello` (an
//! apostrophe before an ordinary character) is therefore imported as written; to import a
//! value that begins with `'=`, write `''=`.

use std::borrow::Cow;

/// First characters that make a spreadsheet read a cell as a formula (OWASP).
pub const FORMULA_TRIGGERS: [char; 8] = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

/// The character export puts before a dangerous value.
pub const ESCAPE: char = '\'';

fn needs_escape(value: &str) -> bool {
    value
        .chars()
        .next()
        .is_some_and(|c| c == ESCAPE || FORMULA_TRIGGERS.contains(&c))
}

/// For export: `value` with a leading `'` when it begins with a formula trigger or with `'`;
/// otherwise `value` unchanged (borrowed).
pub fn neutralise(value: &str) -> Cow<'_, str> {
    if needs_escape(value) {
        let mut escaped = String::with_capacity(value.len() + 1);
        escaped.push(ESCAPE);
        escaped.push_str(value);
        Cow::Owned(escaped)
    } else {
        Cow::Borrowed(value)
    }
}

/// For import: undoes [`neutralise`] — strips one leading `'` when the next character is a
/// formula trigger or `'`; any other cell is returned as it is.
pub fn reverse_neutralisation(cell: &str) -> &str {
    match cell.strip_prefix(ESCAPE) {
        Some(rest) if needs_escape(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn c7_dangerous_first_characters_get_an_apostrophe() {
        for (value, exported) in [
            ("=1+2", "'=1+2"),
            ("+81 3 1234", "'+81 3 1234"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("\nx", "'\nx"),
            ("\0x", "'\0x"),
            ("'=x", "''=x"),
            ("'", "''"),
            ("'plain", "''plain"),
        ] {
            assert_eq!(neutralise(value), exported, "{value:?}");
            assert_eq!(reverse_neutralisation(exported), value, "{exported:?}");
        }
    }

    #[test]
    fn c7_ordinary_values_are_untouched_and_borrowed() {
        for value in ["", "山田 太郎", "a=b", " =x", "x-1", "a,b", "\"q\""] {
            assert!(matches!(neutralise(value), Cow::Borrowed(v) if v == value));
            assert_eq!(reverse_neutralisation(value), value);
        }
    }

    #[test]
    fn c7_import_keeps_hand_written_apostrophes_before_ordinary_text() {
        assert_eq!(reverse_neutralisation("'hello"), "'hello");
        assert_eq!(reverse_neutralisation("'"), "'");
        assert_eq!(reverse_neutralisation("''"), "'");
        assert_eq!(reverse_neutralisation("'=1"), "=1");
        // A raw formula written by hand is imported as text, never evaluated.
        assert_eq!(reverse_neutralisation("=1"), "=1");
    }

    fn tricky() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "['=+@\\-\t\r\n\u{0}]{0,4}[a-z山田,\" ]{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn c7_neutralisation_is_a_bijection(s in tricky()) {
            let exported = neutralise(&s);
            prop_assert_eq!(reverse_neutralisation(&exported), s.as_str());
            prop_assert!(!exported.starts_with(FORMULA_TRIGGERS));
        }

        #[test]
        fn c7_neutralise_is_injective(a in tricky(), b in tricky()) {
            prop_assume!(a != b);
            prop_assert_ne!(neutralise(&a), neutralise(&b));
        }
    }
}
