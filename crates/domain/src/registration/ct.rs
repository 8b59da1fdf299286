//! Constant-time comparison of secrets typed by people (registration codes), so the time of
//! a refusal does not tell an attacker how many leading characters were right.

use std::hint::black_box;

/// Whether `a` and `b` are equal, in time that depends only on the longer length. A length
/// difference is folded into the result rather than returned early.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    let len = a.len().max(b.len());
    // Lengths may differ by more than 255, so fold "different length" in as one bit.
    let mut diff = u8::from(a.len() != b.len());
    for i in 0..len {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= black_box(x ^ y);
    }
    black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::ct_eq;
    use proptest::prelude::*;

    #[test]
    fn a5_equal_and_unequal_inputs() {
        assert!(ct_eq(b"", b""));
        assert!(ct_eq(b"abcd", b"abcd"));
        assert!(!ct_eq(b"abcd", b"abce"));
        assert!(!ct_eq(b"abcd", b"abcd\0"), "a trailing NUL is not equality");
        assert!(!ct_eq(b"abcd", b"abc"));
        assert!(!ct_eq(b"", b"a"));
    }

    proptest! {
        #[test]
        fn a5_ct_eq_agrees_with_eq(a in proptest::collection::vec(any::<u8>(), 0..40), b in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(ct_eq(&a, &b), a == b);
            prop_assert!(ct_eq(&a, &a.clone()));
        }
    }
}
