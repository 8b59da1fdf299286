//! Shared helpers and reference vectors.

use roster_domain::ports::password::{PasswordHash, PlainPassword};
use roster_domain::user::password::Password;
use roster_infra_crypto::{Argon2Hasher, Argon2Params, HasherConfig};

/// The password of every reference vector below.
pub const PASSWORD: &str = "correct horse battery staple";

// Reference vectors, made outside Rust so the tests are not circular: argon2 by the reference
// C implementation (Python argon2-cffi 25.1, `argon2.low_level.hash_secret`), bcrypt by
// Python bcrypt 5.0 (`hashpw` with `gensalt(rounds, prefix)`), SHA-512 crypt by glibc
// (Python 3.11's `crypt.crypt`), PBKDF2 by passlib 1.7.4 (`pbkdf2_sha256.using(rounds=29000,
// salt=...)`) and by `hashlib.pbkdf2_hmac` written out in Keycloak's converted PHC form. All of
// PASSWORD; the salts are fixed ASCII ("roster-salt-000N") so the vectors can be remade.

/// argon2id v=19 at `Argon2Params::weak_for_tests()` (m=64, t=1, p=1), 16-byte salt.
pub const ARGON2ID_WEAK: &str = "$argon2id$v=19$m=64,t=1,p=1$cm9zdGVyLXNhbHQtMDAwMQ$CI1GwzE7InIgaQprPkzDiSM6cbNmmom7m+G58Os+WxA";
/// argon2id v=19 at the production parameters (m=19456, t=2, p=1).
pub const ARGON2ID_PROD: &str = "$argon2id$v=19$m=19456,t=2,p=1$cm9zdGVyLXNhbHQtMDAwNA$dcE+FNfE0+ZlR3TJnlfYY6+MZHUO/XVNjSkQddUD4h0";
/// argon2i v=19, two lanes.
pub const ARGON2I: &str = "$argon2i$v=19$m=256,t=2,p=2$cm9zdGVyLXNhbHQtMDAwMg$RxPVf1wD6gRTXw4JQKodSB8/WQaEd/exzri+E45zpiE";
/// argon2id version 16 (0x10).
pub const ARGON2ID_V16: &str = "$argon2id$v=16$m=128,t=2,p=1$cm9zdGVyLXNhbHQtMDAwMw$w2hvJv+FHRuc10FaW5rIH01M1lzok2fCAeWT2tdcpfs";
/// argon2id with an 8-byte salt and a 64-byte hash.
pub const ARGON2ID_LONG: &str = "$argon2id$v=19$m=64,t=1,p=1$OGJ5dGVzISE$5/9wJNgONYnm9fLvakqiZRqNInkzXXDm7KTvWlTyNeLoA5825FyLudWrLIvo7YxGGVvYrMuZi+D+HzhbkKfH3w";
/// bcrypt `$2b$`, cost 5.
pub const BCRYPT_2B: &str = "$2b$05$NZm6oA.GshLnYWLm0xUHiu4lHN7XzzH1yNuJvGxx7kyNk446cVzQ.";
/// bcrypt `$2a$`, cost 4.
pub const BCRYPT_2A: &str = "$2a$04$EP8JmCk4PQNj74D0Z1Tozedx6PTUSw29wpd..zz2LVvOKaJ1CcJeK";
/// Openwall's crypt_blowfish test vector: "U*U" at `$2a$05$`, salt "CCC…".
pub const BCRYPT_OPENWALL: &str = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
/// SHA-512 crypt with an explicit `rounds=5000` and a 16-character salt with `.` and `/`.
pub const SHA512: &str = "$6$rounds=5000$roster.salt/16ch$00SQT1XdIu5HLv0BQVzgfWksRa38xyT0LzFpt6IcrmwtXpFU2ve.83G97rMTuEpPqIcWr2r1OgcadLX4CgqFL.";
/// SHA-512 crypt without `rounds=` (5000).
pub const SHA512_DEFAULT: &str = "$6$rosterSalt$r3ZdK43imkGBIsA5BXbqXKJfQkT39WpeczyAlvCFCR3FE15eiDtvsf3l8xigRygx67B4nI.NyTWqHW6tIF44R1";
/// Ulrich Drepper's published SHA-crypt example: "Hello world!" with rounds=10000 and the
/// salt "saltstringsaltstring" (cut to 16 characters).
pub const SHA512_DREPPER: &str = "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.";
/// passlib's own form (adapted base64: `.` for `+`), 29000 iterations.
pub const PBKDF2_PASSLIB: &str =
    "$pbkdf2-sha256$29000$cm9zdGVyLXNhbHQtMDAwNQ$wUEfn0St5p2E9EBGU9maY38.zjCjjRbf1Xv7BpVSZfk";
/// Keycloak's 32-byte credential converted to PHC (salt "keycloak-salt-16", 27500).
pub const PBKDF2_KEYCLOAK_32: &str = "$pbkdf2-sha256$i=27500,l=32$a2V5Y2xvYWstc2FsdC0xNg$WvNsiuHOhgwoxU1RSRrnFJP5fvMB4p9qIgn/qOlnW4M";
/// The same with a 64-byte derived key (older Keycloak releases).
pub const PBKDF2_KEYCLOAK_64: &str = "$pbkdf2-sha256$i=27500,l=64$a2V5Y2xvYWstc2FsdC0xNg$WvNsiuHOhgwoxU1RSRrnFJP5fvMB4p9qIgn/qOlnW4M+N4LoT/yp2aRhVqYQHf1cRr6043mqR8xKvj1FIYWoWg";

pub fn plain(text: &str) -> PlainPassword {
    PlainPassword::new(text)
}

pub fn stored(encoded: &str) -> PasswordHash {
    PasswordHash::new(encoded)
}

pub fn policy_password(text: &str) -> Password {
    Password::parse(text, &[]).unwrap()
}

pub fn test_hasher() -> Argon2Hasher {
    Argon2Hasher::new(HasherConfig::for_tests())
}

pub fn production_hasher() -> Argon2Hasher {
    Argon2Hasher::new(HasherConfig {
        workers: 2,
        queue_capacity: 64,
        ..HasherConfig::production()
    })
}

pub fn hasher_with(params: Argon2Params, workers: usize, queue_capacity: usize) -> Argon2Hasher {
    Argon2Hasher::new(HasherConfig {
        params,
        workers,
        queue_capacity,
    })
}
