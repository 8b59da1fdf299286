//! C8 tests: every supported format, each bound at its edge, redaction, and no panics.

use super::*;
use proptest::prelude::*;

const ARGON2ID: &str = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k";
const BCRYPT: &str = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";
const SHA512: &str = "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.";
const SHA512_DEFAULT: &str = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";
const PASSLIB: &str =
    "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M";
const HASH32: &str = "Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M";

fn code(raw: &str) -> &'static str {
    LegacyHash::parse(raw)
        .map(|_| "ok")
        .unwrap_or_else(|e| e.code())
}

#[test]
fn c8_recognises_every_supported_format() {
    for (raw, scheme) in [
        (ARGON2ID, LegacyScheme::Argon2id),
        (
            "$argon2i$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
            LegacyScheme::Argon2i,
        ),
        (
            "$argon2id$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
            LegacyScheme::Argon2id,
        ),
        (BCRYPT, LegacyScheme::Bcrypt),
        (&BCRYPT.replace("$2y$", "$2a$"), LegacyScheme::Bcrypt),
        (&BCRYPT.replace("$2y$", "$2b$"), LegacyScheme::Bcrypt),
        (SHA512, LegacyScheme::Sha512Crypt),
        (SHA512_DEFAULT, LegacyScheme::Sha512Crypt),
        (PASSLIB, LegacyScheme::Pbkdf2Sha256),
    ] {
        let hash = LegacyHash::parse(&format!(" {raw}\n")).unwrap_or_else(|e| panic!("{raw}: {e}"));
        assert_eq!(hash.scheme(), scheme, "{raw}");
    }
    assert_eq!(LegacyHash::parse(ARGON2ID).unwrap().expose(), ARGON2ID);
}

#[test]
fn c8_unknown_formats() {
    for raw in [
        "",
        "plaintext",
        "5f4dcc3b5aa765d61d8327deb882cf99",
        "$1$saltsalt$hash",
        "$5$salt$hash",
        "$2x$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a",
        "$pbkdf2-sha512$i=1000$c2FsdHNhbHQ$aGFzaA",
        "$argon2d$v=19$m=4096,t=3,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        "{SSHA}abc",
    ] {
        assert_eq!(code(raw), "password_hash_unknown_format", "{raw}");
    }
}

#[test]
fn c8_malformed_hashes_name_the_scheme() {
    for raw in [
        "$argon2id$v=18$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$argon2id$v=19$m=4096,t=3$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$argon2id$v=19$m=4096,t=3,p=1,x=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$argon2id$v=19$m=4096,t=3,p=1,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$argon2id$v=19$m=4096,t=3,p=1$c2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA==$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$argon2id$v=19$m=-1,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG3L5LoxO0N6k",
        "$2y$1$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a",
        "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1",
        "$2y$10$+vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a",
        "$6$rounds=x$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
        "$6$saltstringsaltstr$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
        "$6$saltstring$tooshort",
        "$6$a$b$c$d",
        "$pbkdf2-sha256$i=29000,l=64$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
        "$pbkdf2-sha256$l=32$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
        "$pbkdf2-sha256$i=29000$0Zrz.itFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M",
        "$pbkdf2-sha256$29000$0ZrzXitFSGltTQnBWOsdAw",
    ] {
        let err = LegacyHash::parse(raw).unwrap_err();
        assert_eq!(err.code(), "password_hash_malformed", "{raw}: {err}");
    }
}

fn argon2(m: u64, t: u64, p: u64) -> String {
    format!("$argon2id$v=19$m={m},t={t},p={p}$c29tZXNhbHRzb21lc2FsdA${HASH32}")
}
fn bcrypt(cost: u64) -> String {
    BCRYPT.replace("$10$", &format!("${cost:02}$"))
}
fn sha512(rounds: u64) -> String {
    SHA512.replace("rounds=10000", &format!("rounds={rounds}"))
}
fn pbkdf2(i: u64) -> String {
    format!("$pbkdf2-sha256$i={i},l=32$0ZrzXitFSGltTQnBWOsdAw${HASH32}")
}

#[test]
fn c8_cost_bounds_are_inclusive_at_the_edges() {
    let too_high = "password_hash_cost_too_high";
    let too_low = "password_hash_cost_too_low";
    assert_eq!(code(&argon2(ARGON2_MAX_MEMORY_KIB, 10, 4)), "ok");
    assert_eq!(code(&argon2(ARGON2_MAX_MEMORY_KIB + 1, 1, 1)), too_high);
    assert_eq!(code(&argon2(65536, ARGON2_MAX_TIME_COST + 1, 1)), too_high);
    assert_eq!(
        code(&argon2(65536, 3, ARGON2_MAX_PARALLELISM + 1)),
        too_high
    );
    let huge = argon2(1, 3, 1).replace("m=1,", "m=99999999999999999999999,");
    assert_eq!(code(&huge), too_high, "saturates");
    assert_eq!(code(&argon2(65536, 0, 1)), too_low);
    assert_eq!(code(&argon2(65536, 1, 0)), too_low);
    assert_eq!(code(&argon2(31, 1, 4)), too_low, "8 KiB per lane");
    assert_eq!(code(&argon2(32, 1, 4)), "ok");

    assert_eq!(code(&bcrypt(BCRYPT_MIN_COST)), "ok");
    assert_eq!(code(&bcrypt(BCRYPT_MAX_COST)), "ok");
    assert_eq!(code(&bcrypt(BCRYPT_MAX_COST + 1)), too_high);
    assert_eq!(code(&bcrypt(31)), too_high);
    assert_eq!(code(&bcrypt(BCRYPT_MIN_COST - 1)), too_low);

    assert_eq!(code(&sha512(SHA512_CRYPT_MIN_ROUNDS)), "ok");
    assert_eq!(code(&sha512(SHA512_CRYPT_MAX_ROUNDS)), "ok");
    assert_eq!(code(&sha512(SHA512_CRYPT_MAX_ROUNDS + 1)), too_high);
    assert_eq!(code(&sha512(999_999_999)), too_high);
    assert_eq!(code(&sha512(SHA512_CRYPT_MIN_ROUNDS - 1)), too_low);

    assert_eq!(code(&pbkdf2(PBKDF2_MIN_ITERATIONS)), "ok");
    assert_eq!(code(&pbkdf2(PBKDF2_MAX_ITERATIONS)), "ok");
    assert_eq!(code(&pbkdf2(PBKDF2_MAX_ITERATIONS + 1)), too_high);
    assert_eq!(code(&pbkdf2(PBKDF2_MIN_ITERATIONS - 1)), too_low);
    let passlib_heavy = PASSLIB.replace("$6400$", "$2000000$");
    assert_eq!(code(&passlib_heavy), too_high);
}

#[test]
fn c8_pbkdf2_is_stored_in_phc_form() {
    let from_passlib = LegacyHash::parse(PASSLIB).unwrap();
    assert_eq!(
        from_passlib.expose(),
        "$pbkdf2-sha256$i=6400,l=32$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M"
    );
    let dotted = LegacyHash::parse(&PASSLIB.replace("0Zrz", "0.rz")).unwrap();
    assert!(dotted.expose().contains("$0+rz"), "passlib '.' is PHC '+'");
    let without_l = LegacyHash::parse(&format!(
        "$pbkdf2-sha256$i=27500$0ZrzXitFSGltTQnBWOsdAw${HASH32}"
    ))
    .unwrap();
    assert!(
        without_l
            .expose()
            .starts_with("$pbkdf2-sha256$i=27500,l=32$")
    );
}

/// The module documentation's Keycloak recipe, done by hand.
fn keycloak_to_phc(iterations: u64, salt_b64: &str, value_b64: &str) -> String {
    let unpad = |s: &str| s.trim_end_matches('=').to_owned();
    let bytes = value_b64.trim_end_matches('=').len() * 3 / 4;
    format!(
        "$pbkdf2-sha256$i={iterations},l={bytes}${}${}",
        unpad(salt_b64),
        unpad(value_b64)
    )
}

#[test]
fn c8_keycloak_credentials_convert_to_phc() {
    // 16-byte salt and a 32-byte value (recent Keycloak), padded as Keycloak exports them.
    let phc = keycloak_to_phc(
        27500,
        "c2FsdHNhbHRzYWx0c2FsdA==",
        "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=",
    );
    assert_eq!(
        phc,
        "$pbkdf2-sha256$i=27500,l=32$c2FsdHNhbHRzYWx0c2FsdA$q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA"
    );
    let hash = LegacyHash::parse(&phc).unwrap();
    assert_eq!(
        (hash.scheme(), hash.expose()),
        (LegacyScheme::Pbkdf2Sha256, phc.as_str())
    );
    // A 64-byte value (Keycloak releases deriving 512-bit keys) gives l=64.
    let long = format!(
        "{}==",
        "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQ".repeat(2) + &"A".repeat(22)
    );
    let phc = keycloak_to_phc(27500, "c2FsdHNhbHRzYWx0c2FsdA==", &long);
    assert!(phc.contains(",l=64$"), "{phc}");
    assert!(LegacyHash::parse(&phc).is_ok());
    // Left padded, the value is not PHC.
    let padded = "$pbkdf2-sha256$i=27500,l=32$c2FsdHNhbHRzYWx0c2FsdA==$q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
    assert_eq!(code(padded), "password_hash_malformed");
}

#[test]
fn c8_debug_and_errors_never_show_the_hash() {
    let hash = LegacyHash::parse(BCRYPT).unwrap();
    let shown = format!("{hash:?}");
    assert!(!shown.contains("vGA1O9"), "{shown}");
    assert!(
        shown.contains("Bcrypt") && shown.contains("redacted"),
        "{shown}"
    );
    let err = LegacyHash::parse(&bcrypt(20)).unwrap_err();
    assert!(!err.to_string().contains("vGA1O9"), "{err}");
    assert_eq!(
        err.to_string(),
        "bcrypt cost 20 is above the allowed maximum 14"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn c8_parse_never_panics(raw in prop_oneof![
        any::<String>(),
        "\\$(argon2id|argon2i|2b|6|pbkdf2-sha256)\\$[a-z0-9=,$./+]{0,80}",
    ]) {
        if let Ok(hash) = LegacyHash::parse(&raw) {
            prop_assert!(LegacyHash::parse(hash.expose()).is_ok(), "the stored form parses again");
        }
    }
}
