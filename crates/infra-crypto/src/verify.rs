//! Verification of any stored hash: the scheme the domain recognised, then whether the
//! password matched and whether the hash should be replaced by a current one (C8).

use crate::config::Argon2Params;
use crate::memory::Memory;
use crate::{argon, legacy};
use roster_domain::csv::{LegacyHash, LegacyScheme};
use roster_domain::ports::password::{HashError, Verification};

/// Recognises a stored hash with the domain's parser, which refuses unknown formats and costs
/// above its bounds before any hashing is done, so a crafted hash costs nothing (C8).
/// Errors: `UnusableHash`.
pub(crate) fn recognise(stored: &str) -> Result<LegacyHash, HashError> {
    LegacyHash::parse(stored).map_err(|_| HashError::UnusableHash)
}

/// Checks `candidate` against a recognised hash. Errors: `UnusableHash` when the hash crates
/// refuse it after all; `Unexpected` when the memory cannot be had.
pub(crate) fn verify(
    candidate: &[u8],
    stored: &LegacyHash,
    current: &Argon2Params,
    memory: &mut Memory,
) -> Result<Verification, HashError> {
    let encoded = stored.expose();
    let (matched, is_current) = match stored.scheme() {
        LegacyScheme::Argon2id | LegacyScheme::Argon2i => {
            argon::verify(candidate, encoded, current, memory)?
        }
        LegacyScheme::Bcrypt => (legacy::bcrypt(candidate, encoded)?, false),
        LegacyScheme::Sha512Crypt => (legacy::sha512_crypt(candidate, encoded)?, false),
        LegacyScheme::Pbkdf2Sha256 => (legacy::pbkdf2_sha256(candidate, encoded)?, false),
    };
    Ok(match (matched, is_current) {
        (false, _) => Verification::Mismatch,
        (true, true) => Verification::Ok,
        (true, false) => Verification::OkNeedsRehash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WEAK: Argon2Params = Argon2Params::weak_for_tests();

    fn check(candidate: &str, stored: &str) -> Result<Verification, HashError> {
        let mut memory = Memory::new(argon::block_count(&WEAK));
        verify(
            candidate.as_bytes(),
            &recognise(stored)?,
            &WEAK,
            &mut memory,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// C8: whatever is stored, verification answers without panicking; only the memory
        /// could make it `Unexpected`, and these costs are small.
        #[test]
        fn c8_verify_never_panics(
            candidate in any::<String>(),
            stored in prop_oneof![
                any::<String>(),
                "\\$(argon2id|argon2i|argon2d)\\$(v=(16|19)\\$)?m=[1-9][0-9]{0,2},t=[1-3],p=[1-2]\\$[A-Za-z0-9+/]{8,30}\\$[A-Za-z0-9+/=]{14,90}",
                "\\$2[abxy]\\$0[3-5]\\$[./A-Za-z0-9]{50,56}",
                "\\$6\\$(rounds=[1-9][0-9]{3}\\$)?[^$:]{0,20}\\$[./A-Za-z0-9]{80,90}",
                "\\$pbkdf2-sha256\\$(i=)?[1-9][0-9]{3}(,l=(32|64))?\\$[A-Za-z0-9+/.]{8,30}\\$[A-Za-z0-9+/.]{20,90}",
            ],
        ) {
            let result = check(&candidate, &stored);
            prop_assert!(!matches!(result, Err(HashError::Unexpected(_))), "{result:?}");
        }
    }
}
