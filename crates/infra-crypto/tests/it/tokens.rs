//! S1: bearer secrets — 256 random bits, base64url, stored as their SHA-256.

use base64ct::{Base64UrlUnpadded, Encoding};
use roster_domain::ports::tokens::TokenGenerator;
use roster_infra_crypto::OsTokenGenerator;
use sha2::{Digest, Sha256};

#[test]
fn s1_tokens_are_256_bits_of_base64url() {
    let (plain, hash) = OsTokenGenerator.generate();
    let text = plain.expose();
    assert_eq!(text.len(), 43);
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{text}"
    );
    let bytes = Base64UrlUnpadded::decode_vec(text).unwrap();
    assert_eq!(bytes.len(), 32);
    let expected: [u8; 32] = Sha256::digest(text.as_bytes()).into();
    assert_eq!(hash.as_bytes(), &expected);
    assert_eq!(
        OsTokenGenerator.hash(text),
        hash,
        "a presented token finds its hash"
    );
}

#[test]
fn s1_every_token_is_new() {
    let generator = <OsTokenGenerator as Default>::default();
    let (a, hash_a) = generator.generate();
    let (b, hash_b) = generator.clone().generate();
    assert_ne!(a, b);
    assert_ne!(hash_a, hash_b);
}

#[test]
fn s1_any_presented_text_hashes() {
    let hash = OsTokenGenerator.hash("");
    assert_eq!(
        hash.to_hex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "SHA-256 of the empty string"
    );
    let _ = OsTokenGenerator.hash("not a token at all ☃");
}
