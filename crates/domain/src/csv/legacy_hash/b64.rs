//! Checks of the base64 variants that hashes use, without decoding (no crypto crate here).

/// Which 64 characters a variant uses besides letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alphabet {
    /// PHC "B64": standard base64 `+ /`, unpadded.
    Phc,
    /// passlib's adapted base64: `.` for `+`, unpadded.
    Passlib,
    /// crypt(3) and bcrypt: `. /` then digits and letters (order differs; membership is the
    /// same).
    Crypt,
}

impl Alphabet {
    fn contains(self, c: char) -> bool {
        c.is_ascii_alphanumeric()
            || match self {
                Self::Phc => c == '+' || c == '/',
                Self::Passlib | Self::Crypt => c == '.' || c == '/',
            }
    }
}

/// Whether every character of `text` is in the alphabet (and `text` is not empty).
pub(super) fn is_in(text: &str, alphabet: Alphabet) -> bool {
    !text.is_empty() && text.chars().all(|c| alphabet.contains(c))
}

/// The number of bytes an unpadded base64 string decodes to, or `None` when it is not
/// well formed (wrong characters, or a length no byte count encodes to).
pub(super) fn decoded_len(text: &str, alphabet: Alphabet) -> Option<usize> {
    if !is_in(text, alphabet) || text.len() % 4 == 1 {
        return None;
    }
    Some(text.len() * 3 / 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c8_unpadded_lengths() {
        assert_eq!(
            decoded_len("c2FsdHNhbHRzYWx0c2FsdA", Alphabet::Phc),
            Some(16)
        );
        assert_eq!(decoded_len(&"A".repeat(43), Alphabet::Phc), Some(32));
        assert_eq!(decoded_len(&"A".repeat(86), Alphabet::Phc), Some(64));
        assert_eq!(
            decoded_len("AAAAA", Alphabet::Phc),
            None,
            "5 chars encode no byte count"
        );
        assert_eq!(
            decoded_len("AA==", Alphabet::Phc),
            None,
            "PHC has no padding"
        );
        assert_eq!(decoded_len("a.b/", Alphabet::Phc), None);
        assert_eq!(decoded_len("a.b/", Alphabet::Passlib), Some(3));
        assert_eq!(decoded_len("a+b/", Alphabet::Passlib), None);
        assert!(!is_in("", Alphabet::Crypt));
    }
}
