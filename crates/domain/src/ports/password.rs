//! The password hasher port (U1, S1, C8, C9): hashing is slow on purpose, so it runs off the
//! async threads in the adapter; the domain only ever sees opaque hashes.

use crate::error::{ErrorCode, Unexpected};
use crate::user::password::Password;
use std::fmt;

/// A stored password hash (argon2id PHC string, or an imported legacy hash — C8). Opaque: the
/// domain never looks inside; `Debug` is redacted and there is no `Serialize`, so a hash can
/// never reach a response or an export (U1).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a hash produced by the hasher or read from storage.
    pub fn new(encoded: impl Into<String>) -> Self {
        Self(encoded.into())
    }

    /// The encoded hash, for the adapter that stores or verifies it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// A password as someone typed it, not yet checked against the policy: the input of a
/// command, or a candidate to verify. Verification must accept passwords the policy would
/// refuse today (imported legacy passwords, C8), so it takes this, not [`Password`].
/// `Debug` is redacted.
#[derive(Clone)]
pub struct PlainPassword(String);

impl PlainPassword {
    /// Wraps what the person typed, exactly (never trimmed).
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    /// The typed text, for the policy check or the hasher.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainPassword(<redacted>)")
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches and the hash is current.
    Ok,
    /// The password matches; the hash is legacy or has old parameters and should be replaced
    /// (C8: upgraded at login).
    OkNeedsRehash,
    /// The password does not match.
    Mismatch,
}

impl Verification {
    /// Whether the password matched.
    pub fn matched(self) -> bool {
        match self {
            Self::Ok | Self::OkNeedsRehash => true,
            Self::Mismatch => false,
        }
    }
}

/// Why hashing or verifying failed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The hashing queue is full; try again shortly (HTTP 503 with Retry-After).
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// The hash is malformed or its cost parameters exceed the bounds (C8).
    #[error("the stored password hash is not usable")]
    UnusableHash,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for HashError {
    fn code(&self) -> &'static str {
        match self {
            Self::Busy => "busy",
            Self::UnusableHash => "unusable_hash",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Hashes and verifies passwords.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait PasswordHasher: Send + Sync {
    /// Hashes a policy-checked password with the current argon2id parameters and a fresh
    /// salt. Runs off the async threads. Errors: `Busy` when the queue is full; `Unexpected`.
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError>;

    /// C8: hashes, with the current argon2id parameters, a password that has just verified
    /// against its stored legacy or outdated hash — the upgrade at login. It takes the typed
    /// text rather than a [`Password`] because an existing credential may predate today's
    /// policy: the policy governs choosing a password, not keeping one. Never call it for a
    /// new password. Errors: `Busy` when the queue is full; `Unexpected`.
    async fn rehash(&self, verified: &PlainPassword) -> Result<PasswordHash, HashError>;

    /// Checks a typed password against a stored hash (argon2id or a supported legacy format,
    /// C8), in time that does not depend on where they differ. Runs off the async threads.
    /// Errors: `Busy` when the queue is full; `UnusableHash` when the hash is malformed or too
    /// costly to check; `Unexpected`. A wrong password is `Ok(Verification::Mismatch)`, not an
    /// error.
    async fn verify(
        &self,
        candidate: &PlainPassword,
        hash: &PasswordHash,
    ) -> Result<Verification, HashError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u1_hashes_and_passwords_never_print() {
        let hash = PasswordHash::new("$argon2id$v=19$secret");
        assert_eq!(format!("{hash:?}"), "PasswordHash(<redacted>)");
        assert_eq!(hash.expose(), "$argon2id$v=19$secret");
        let plain = PlainPassword::new(" hunter22 ");
        assert_eq!(format!("{plain:?}"), "PlainPassword(<redacted>)");
        assert_eq!(plain.expose(), " hunter22 ", "typed text is kept exactly");
    }

    #[test]
    fn c8_rehash_is_still_a_match() {
        assert!(Verification::Ok.matched());
        assert!(Verification::OkNeedsRehash.matched());
        assert!(!Verification::Mismatch.matched());
        assert_eq!(HashError::Busy.code(), "busy");
    }
}
