//! C8: imported hashes — every legacy scheme against reference vectors, costs over the
//! domain's bounds, malformed strings.

use crate::support::*;
use roster_domain::ports::password::{HashError, PasswordHasher, Verification};

async fn check(hash: &str, candidate: &str) -> Result<Verification, HashError> {
    test_hasher().verify(&plain(candidate), &stored(hash)).await
}

async fn assert_legacy(hash: &str, password: &str) {
    let right = check(hash, password).await;
    assert_eq!(right.unwrap(), Verification::OkNeedsRehash, "{hash}");
    let wrong = check(hash, &format!("{password}!")).await;
    assert_eq!(wrong.unwrap(), Verification::Mismatch, "{hash}");
    let empty = check(hash, "").await;
    assert_eq!(empty.unwrap(), Verification::Mismatch, "{hash}");
}

#[tokio::test]
async fn c8_bcrypt_2a_2b_2y() {
    assert_legacy(BCRYPT_2B, PASSWORD).await;
    assert_legacy(BCRYPT_2A, PASSWORD).await;
    // PHP's `$2y$` is the same algorithm as `$2b$`; only the prefix differs.
    assert_legacy(&BCRYPT_2B.replace("$2b$", "$2y$"), PASSWORD).await;
    assert_legacy(BCRYPT_OPENWALL, "U*U").await;
}

#[tokio::test]
async fn c8_sha512_crypt() {
    assert_legacy(SHA512, PASSWORD).await;
    assert_legacy(SHA512_DEFAULT, PASSWORD).await;
    assert_legacy(SHA512_DREPPER, "Hello world!").await;
}

#[tokio::test]
async fn c8_pbkdf2_sha256_passlib_and_keycloak() {
    assert_legacy(PBKDF2_PASSLIB, PASSWORD).await;
    assert_legacy(PBKDF2_KEYCLOAK_32, PASSWORD).await;
    assert_legacy(PBKDF2_KEYCLOAK_64, PASSWORD).await;
}

#[tokio::test]
async fn c8_surrounding_white_space_is_ignored() {
    let result = check(&format!(" {BCRYPT_2B}\n"), PASSWORD).await;
    assert_eq!(result.unwrap(), Verification::OkNeedsRehash);
}

#[tokio::test]
async fn c8_costs_over_the_bounds_are_unusable() {
    // Refused by the bound check, which runs before any hashing (and before queueing): these
    // would take seconds to minutes, or a gigabyte, if they were computed.
    for hash in [
        BCRYPT_2B.replace("$05$", "$15$"),
        BCRYPT_2B.replace("$05$", "$31$"),
        SHA512.replace("rounds=5000", "rounds=2000000"),
        PBKDF2_KEYCLOAK_32.replace("i=27500", "i=2000000"),
        PBKDF2_PASSLIB.replace("$29000$", "$2000000$"),
        ARGON2ID_WEAK.replace("m=64,", "m=1048576,"),
        ARGON2ID_WEAK.replace("t=1,", "t=11,"),
        ARGON2ID_WEAK.replace("p=1$", "p=5$"),
    ] {
        let result = check(&hash, PASSWORD).await;
        assert!(
            matches!(result, Err(HashError::UnusableHash)),
            "{hash}: {result:?}"
        );
    }
}

#[tokio::test]
async fn c8_malformed_hashes_are_unusable() {
    let too_long_salt = format!(
        "$argon2id$v=19$m=64,t=1,p=1${}$CI1GwzE7InIgaQprPkzDiSM6cbNmmom7m+G58Os+WxA",
        "c2FsdA".repeat(11)
    );
    for hash in [
        "",
        "   ",
        "hunter2",
        "5f4dcc3b5aa765d61d8327deb882cf99",
        "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
        "$2x$05$NZm6oA.GshLnYWLm0xUHiu4lHN7XzzH1yNuJvGxx7kyNk446cVzQ.",
        &BCRYPT_2B[..50],
        &SHA512[..80],
        "$argon2d$v=19$m=64,t=1,p=1$cm9zdGVyLXNhbHQtMDAwMQ$CI1GwzE7InIgaQprPkzDiSM6cbNmmom7m+G58Os+WxA",
        &ARGON2ID_WEAK.replace("$v=19$", "$v=20$"),
        &ARGON2ID_WEAK.replace("m=64", "m=x"),
        &ARGON2ID_WEAK.replace("$cm9z", "$$cm9z"),
        "$pbkdf2-sha256$i=27500,l=64$a2V5Y2xvYWstc2FsdC0xNg$WvNsiuHOhgwoxU1RSRrnFJP5fvMB4p9qIgn/qOlnW4M",
        "$pbkdf2-sha512$i=27500$a2V5Y2xvYWstc2FsdC0xNg$WvNsiuHOhgwoxU1RSRrnFJP5fvMB4p9qIgn/qOlnW4M",
        // Well formed for the domain (salts up to 64 bytes) but over the PHC crate's 48-byte
        // limit: refused by the hash crate, still an answer rather than a panic.
        &too_long_salt,
    ] {
        let result = check(hash, PASSWORD).await;
        assert!(
            matches!(result, Err(HashError::UnusableHash)),
            "{hash}: {result:?}"
        );
    }
}
