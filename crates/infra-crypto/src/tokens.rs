//! [`OsTokenGenerator`]: bearer secrets (S1 session tokens, U5/A2/U10 links) of 256 bits from
//! the operating system's generator, and the SHA-256 under which they are stored.

use base64ct::{Base64UrlUnpadded, Encoding};
use roster_domain::ports::tokens::TokenGenerator;
use roster_domain::registration::{PlainToken, TokenHash};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The bytes of a secret: 256 bits, 43 characters of base64url.
const SECRET_BYTES: usize = 32;

/// Reads `getrandom` (the OS generator) for every secret; no user-space state to seed or fork.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsTokenGenerator;

impl TokenGenerator for OsTokenGenerator {
    fn generate(&self) -> (PlainToken, TokenHash) {
        let mut secret = Zeroizing::new([0u8; SECRET_BYTES]);
        if let Err(error) = getrandom::fill(&mut secret[..]) {
            // The port's contract: never hand out a weak secret. A system without randomness
            // cannot run safely at all.
            tracing::error!(%error, "the operating system's random generator failed; aborting");
            std::process::abort();
        }
        let text = Base64UrlUnpadded::encode_string(&secret[..]);
        let hash = self.hash(&text);
        (PlainToken::new(text), hash)
    }

    fn hash(&self, presented: &str) -> TokenHash {
        TokenHash::from_bytes(Sha256::digest(presented.as_bytes()).into())
    }
}
