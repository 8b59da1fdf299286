//! Password hashes from another system (C8): recognised by format, with their cost
//! parameters bounded. No cryptography happens here — verifying a password against a legacy
//! hash (and upgrading it to argon2id at that login) is an adapter's job; this module only
//! makes sure what reaches the adapter is one of the supported formats and cannot stall the
//! server.
//!
//! Supported formats:
//! - argon2id / argon2i PHC strings: `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>` (the
//!   version may be `16`, or absent, which PHC reads as 16);
//! - bcrypt `$2a$`, `$2b$`, `$2y$` (Moodle 2.3–4.2): `$2y$10$` + 22 salt + 31 hash characters;
//! - SHA-512 crypt `$6$[rounds=N$]<salt>$<hash>` (Moodle 4.3 and later; 5000 rounds when
//!   `rounds=` is absent);
//! - PBKDF2-SHA256 as a PHC string, `$pbkdf2-sha256$i=N,l=32$<salt>$<hash>`, or in passlib's
//!   form `$pbkdf2-sha256$N$<salt>$<hash>` (passlib's "adapted base64" writes `.` for `+`).
//!   Both are stored in the PHC form, so the verifier needs one parser.
//!
//! PHC strings encode salt and hash in "B64": standard base64 (RFC 4648 §4, alphabet
//! `A–Z a–z 0–9 + /`) **without** `=` padding and without white space.
//!
//! ## Keycloak
//! A Keycloak realm export holds, per password credential, a `credentialData` JSON string
//! such as `{"hashIterations":27500,"algorithm":"pbkdf2-sha256","additionalParameters":{}}`
//! and a `secretData` JSON string such as `{"value":"<base64 hash>","salt":"<base64 salt>"}`.
//! When `algorithm` is `pbkdf2-sha256`, the equivalent PHC string is
//!
//! `$pbkdf2-sha256$i=<hashIterations>,l=<L>$<salt>$<value>`
//!
//! where `<salt>` and `<value>` are the base64 strings with their trailing `=` removed
//! (Keycloak writes padded standard base64; the alphabet is already PHC's), and `<L>` is the
//! byte length of the decoded `value`: 32 for recent Keycloak releases, 64 for the releases
//! that derived 512-bit keys. For example `hashIterations` 27500, `salt`
//! `c2FsdHNhbHRzYWx0c2FsdA==` and a 32-byte `value` `q83v…JA=` become
//! `$pbkdf2-sha256$i=27500,l=32$c2FsdHNhbHRzYWx0c2FsdA$q83v…JA`. Other Keycloak algorithms
//! (`pbkdf2` with SHA-1, `pbkdf2-sha512`) are not accepted; those users are invited or reset
//! their password instead.

mod b64;
mod schemes;
#[cfg(test)]
mod tests;

use crate::error::ErrorCode;
use std::fmt;

// Bounds on imported cost parameters. Verifying one password costs (roughly) the product of
// these; an import must not let a crafted hash pin a core or exhaust memory at each login
// attempt, while every real-world default (and a generous margin above it) still passes.

/// Argon2 memory: 256 MiB. OWASP's recommendations are 19–46 MiB; libsodium's "sensitive"
/// preset is 1 GiB, which would let a handful of concurrent logins exhaust a small server.
pub const ARGON2_MAX_MEMORY_KIB: u64 = 262_144;
/// Argon2 passes: 10 (defaults are 1–4).
pub const ARGON2_MAX_TIME_COST: u64 = 10;
/// Argon2 lanes: 4 (verification runs them on one core anyway; more only multiplies work).
pub const ARGON2_MAX_PARALLELISM: u64 = 4;
/// The smallest bcrypt cost the algorithm defines.
pub const BCRYPT_MIN_COST: u64 = 4;
/// bcrypt cost 14 (2^14 rounds, about a second); Moodle uses 10, PHP's default is 10–12.
pub const BCRYPT_MAX_COST: u64 = 14;
/// glibc's minimum for SHA-512 crypt: it never writes fewer rounds.
pub const SHA512_CRYPT_MIN_ROUNDS: u64 = 1_000;
/// SHA-512 crypt: one million rounds (about a second); glibc's default is 5000.
pub const SHA512_CRYPT_MAX_ROUNDS: u64 = 1_000_000;
/// The rounds SHA-512 crypt uses when the hash has no `rounds=`.
pub const SHA512_CRYPT_DEFAULT_ROUNDS: u64 = 5_000;
/// PBKDF2 iterations below 1000 are below every standard's floor: a malformed export.
pub const PBKDF2_MIN_ITERATIONS: u64 = 1_000;
/// PBKDF2-SHA256: one million iterations (OWASP's 2023 figure is 600 000; Keycloak's
/// default was 27 500).
pub const PBKDF2_MAX_ITERATIONS: u64 = 1_000_000;

/// The algorithm of a legacy hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegacyScheme {
    /// Argon2id (PHC).
    Argon2id,
    /// Argon2i (PHC).
    Argon2i,
    /// bcrypt (`$2a$`, `$2b$`, `$2y$`).
    Bcrypt,
    /// SHA-512 crypt (`$6$`).
    Sha512Crypt,
    /// PBKDF2 with HMAC-SHA256 (PHC).
    Pbkdf2Sha256,
}

impl LegacyScheme {
    /// A stable name, for logs and the verifier.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Argon2id => "argon2id",
            Self::Argon2i => "argon2i",
            Self::Bcrypt => "bcrypt",
            Self::Sha512Crypt => "sha512_crypt",
            Self::Pbkdf2Sha256 => "pbkdf2_sha256",
        }
    }
}

impl fmt::Display for LegacyScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A well-formed password hash from another system, with bounded cost. Its `Debug` shows the
/// scheme only: the hash is a secret (it can be attacked offline).
#[derive(Clone, PartialEq, Eq)]
pub struct LegacyHash {
    scheme: LegacyScheme,
    encoded: String,
}

/// Why a legacy hash was refused. Messages never repeat the hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LegacyHashError {
    /// Not one of the supported formats.
    #[error(
        "not a supported password hash (argon2id, argon2i, bcrypt, SHA-512 crypt or PBKDF2-SHA256)"
    )]
    UnknownFormat,
    /// The scheme is recognised but the string is not well formed.
    #[error("malformed {scheme} hash: {reason}")]
    Malformed {
        /// The recognised scheme.
        scheme: LegacyScheme,
        /// What is wrong.
        reason: &'static str,
    },
    /// A cost parameter is above the bound.
    #[error("{scheme} {parameter} {value} is above the allowed maximum {max}")]
    CostTooHigh {
        /// The scheme.
        scheme: LegacyScheme,
        /// The parameter (`m`, `t`, `p`, `cost`, `rounds`, `i`).
        parameter: &'static str,
        /// Its value (saturated when it does not fit in 64 bits).
        value: u64,
        /// The bound.
        max: u64,
    },
    /// A cost parameter is below what the algorithm or any real system uses.
    #[error("{scheme} {parameter} {value} is below the allowed minimum {min}")]
    CostTooLow {
        /// The scheme.
        scheme: LegacyScheme,
        /// The parameter.
        parameter: &'static str,
        /// Its value.
        value: u64,
        /// The bound.
        min: u64,
    },
}

impl ErrorCode for LegacyHashError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownFormat => "password_hash_unknown_format",
            Self::Malformed { .. } => "password_hash_malformed",
            Self::CostTooHigh { .. } => "password_hash_cost_too_high",
            Self::CostTooLow { .. } => "password_hash_cost_too_low",
        }
    }
}

impl LegacyHash {
    /// Recognises and checks a hash; surrounding white space is ignored.
    pub fn parse(raw: &str) -> Result<Self, LegacyHashError> {
        let raw = raw.trim();
        let (scheme, encoded) = if let Some(rest) = raw.strip_prefix("$argon2id$") {
            (
                LegacyScheme::Argon2id,
                schemes::argon2(LegacyScheme::Argon2id, raw, rest)?,
            )
        } else if let Some(rest) = raw.strip_prefix("$argon2i$") {
            (
                LegacyScheme::Argon2i,
                schemes::argon2(LegacyScheme::Argon2i, raw, rest)?,
            )
        } else if let Some(rest) = ["$2a$", "$2b$", "$2y$"]
            .iter()
            .find_map(|p| raw.strip_prefix(p))
        {
            (LegacyScheme::Bcrypt, schemes::bcrypt(raw, rest)?)
        } else if let Some(rest) = raw.strip_prefix("$6$") {
            (LegacyScheme::Sha512Crypt, schemes::sha512_crypt(raw, rest)?)
        } else if let Some(rest) = raw.strip_prefix("$pbkdf2-sha256$") {
            (LegacyScheme::Pbkdf2Sha256, schemes::pbkdf2_sha256(rest)?)
        } else {
            return Err(LegacyHashError::UnknownFormat);
        };
        Ok(Self { scheme, encoded })
    }

    /// The algorithm.
    pub fn scheme(&self) -> LegacyScheme {
        self.scheme
    }

    /// The hash string for the verifier: as given, except PBKDF2, which is always in the
    /// PHC form `$pbkdf2-sha256$i=N,l=L$<B64 salt>$<B64 hash>`.
    pub fn expose(&self) -> &str {
        &self.encoded
    }
}

impl fmt::Debug for LegacyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyHash")
            .field("scheme", &self.scheme)
            .field("hash", &"<redacted>")
            .finish()
    }
}
