//! Imported hashes other than argon2 (C8): bcrypt, SHA-512 crypt and PBKDF2-SHA256, each
//! through its well-kept crate, which compares digests in constant time. The domain's parser
//! has already recognised the format and bounded the cost.

use pbkdf2::Pbkdf2;
use pbkdf2::password_hash::{Error as PhError, PasswordVerifier, phc::PasswordHash};
use roster_domain::ports::password::HashError;
use sha_crypt::ShaCrypt;

/// A wrong password is `Ok(false)`; any other refusal means the hash cannot be checked.
fn outcome(result: Result<(), PhError>) -> Result<bool, HashError> {
    match result {
        Ok(()) => Ok(true),
        Err(PhError::PasswordInvalid) => Ok(false),
        Err(_) => Err(HashError::UnusableHash),
    }
}

/// `$2a$` / `$2b$` / `$2y$`: one algorithm (the letters record bugs of other
/// implementations, not a difference in the hash). Like PHP and OpenBSD, passwords are
/// truncated at 72 bytes.
pub(crate) fn bcrypt(candidate: &[u8], stored: &str) -> Result<bool, HashError> {
    bcrypt::verify(candidate, stored).map_err(|_| HashError::UnusableHash)
}

/// `$6$[rounds=N$]salt$hash`.
pub(crate) fn sha512_crypt(candidate: &[u8], stored: &str) -> Result<bool, HashError> {
    outcome(ShaCrypt::from(sha_crypt::Algorithm::Sha512Crypt).verify_password(candidate, stored))
}

/// `$pbkdf2-sha256$i=N,l=L$salt$hash`, B64 without padding (the domain stores passlib's form
/// converted to this one).
pub(crate) fn pbkdf2_sha256(candidate: &[u8], stored: &str) -> Result<bool, HashError> {
    let hash = PasswordHash::new(stored).map_err(|_| HashError::UnusableHash)?;
    outcome(Pbkdf2::default().verify_password(candidate, &hash))
}
