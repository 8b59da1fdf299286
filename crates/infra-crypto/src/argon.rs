//! Argon2 itself: new argon2id hashes at the current parameters, and verification of argon2id
//! and argon2i PHC strings, both over the worker's reusable [`Memory`].

use crate::config::Argon2Params;
use crate::memory::Memory;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash as Phc, Salt};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Params, RECOMMENDED_SALT_LEN, Version};
use roster_domain::Unexpected;
use roster_domain::ports::password::HashError;
use subtle::ConstantTimeEq;

/// The length of the hashes this adapter writes.
const HASH_LEN: usize = 32;

fn unexpected(error: impl std::fmt::Display) -> HashError {
    HashError::Unexpected(Unexpected::new(error.to_string()))
}

/// The argon2 crate's parameters for ours. Errors: `Unexpected` when they are not valid argon2
/// parameters (a configuration mistake).
pub(crate) fn params(params: &Argon2Params) -> Result<Params, HashError> {
    Params::new(
        params.memory_kib,
        params.time_cost,
        params.parallelism,
        Some(HASH_LEN),
    )
    .map_err(unexpected)
}

/// The number of 1 KiB blocks a hash at `params` works over (0 when they are not valid).
pub(crate) fn block_count(params: &Argon2Params) -> usize {
    self::params(params).map_or(0, |p| p.block_count())
}

/// A new argon2id (v=19) PHC string of `password` at `current`, with a fresh random salt.
/// Errors: `Unexpected` (invalid parameters, no randomness, no memory).
pub(crate) fn hash(
    password: &[u8],
    current: &Argon2Params,
    memory: &mut Memory,
) -> Result<String, HashError> {
    let mut salt = [0u8; RECOMMENDED_SALT_LEN];
    getrandom::fill(&mut salt).map_err(unexpected)?;
    hash_with_salt(password, &salt, current, memory)
}

/// As [`hash`], with the salt given (benchmarks reuse one).
pub(crate) fn hash_with_salt(
    password: &[u8],
    salt: &[u8],
    current: &Argon2Params,
    memory: &mut Memory,
) -> Result<String, HashError> {
    let params = params(current)?;
    let context = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; HASH_LEN];
    memory
        .with_blocks(params.block_count(), |blocks| {
            context.hash_password_into_with_memory(password, salt, &mut out, blocks)
        })?
        .map_err(unexpected)?;
    let encoded = Phc {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(unexpected)?,
        salt: Some(Salt::new(salt).map_err(unexpected)?),
        hash: Some(Output::new(&out).map_err(unexpected)?),
    };
    Ok(encoded.to_string())
}

/// Any refusal of a stored hash by the argon2 crates: the hash cannot be checked.
fn unusable<E>(_: E) -> HashError {
    HashError::UnusableHash
}

/// Whether `candidate` matches an argon2id / argon2i PHC string, and whether that string is
/// exactly what [`hash`] writes today (argon2id, v=19, the current m, t and p, a 32-byte hash
/// and a salt of at least 16 bytes) — anything else is upgraded at login (C8). The costs were
/// bounded by the domain's parser before this is called. Errors: `UnusableHash` for a string
/// the argon2 crates refuse; `Unexpected` when the memory cannot be had.
pub(crate) fn verify(
    candidate: &[u8],
    stored: &str,
    current: &Argon2Params,
    memory: &mut Memory,
) -> Result<(bool, bool), HashError> {
    let phc = Phc::new(stored).map_err(unusable)?;
    let algorithm = Algorithm::try_from(phc.algorithm.as_str()).map_err(unusable)?;
    // The reference implementation reads a PHC string without `v=` as version 16 (0x10); the
    // argon2 crate's own verifier would assume 19 and refuse such a hash's right password.
    let version = match phc.version {
        None => Version::V0x10,
        Some(v) => Version::try_from(v).map_err(unusable)?,
    };
    let params = Params::try_from(&phc).map_err(unusable)?;
    let (Some(salt), Some(expected)) = (&phc.salt, &phc.hash) else {
        return Err(HashError::UnusableHash);
    };
    let mut buffer = [0u8; Output::MAX_LENGTH];
    let out = buffer
        .get_mut(..expected.len())
        .ok_or(HashError::UnusableHash)?;
    let context = Argon2::new(algorithm, version, params.clone());
    memory
        .with_blocks(params.block_count(), |blocks| {
            context.hash_password_into_with_memory(candidate, salt, out, blocks)
        })?
        .map_err(unusable)?;
    let matched = bool::from(expected.as_bytes().ct_eq(out));
    let is_current = algorithm == Algorithm::Argon2id
        && version == Version::V0x13
        && params.m_cost() == current.memory_kib
        && params.t_cost() == current.time_cost
        && params.p_cost() == current.parallelism
        && expected.len() == HASH_LEN
        && salt.len() >= RECOMMENDED_SALT_LEN;
    Ok((matched, is_current))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEAK: Argon2Params = Argon2Params::weak_for_tests();

    #[test]
    fn u1_writes_argon2id_v19_at_the_current_parameters() {
        let mut memory = Memory::new(block_count(&WEAK));
        let encoded = hash(b"pass phrase", &WEAK, &mut memory).unwrap();
        assert!(
            encoded.starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
            "{encoded}"
        );
        assert_eq!(
            verify(b"pass phrase", &encoded, &WEAK, &mut memory).unwrap(),
            (true, true)
        );
        assert_eq!(
            verify(b"pass phrasE", &encoded, &WEAK, &mut memory).unwrap(),
            (false, true)
        );
        let other = hash(b"pass phrase", &WEAK, &mut memory).unwrap();
        assert_ne!(encoded, other, "a fresh salt each time");
    }

    #[test]
    fn u1_invalid_parameters_are_unexpected_not_a_panic() {
        let broken = Argon2Params {
            memory_kib: 1,
            time_cost: 0,
            parallelism: 0,
        };
        let mut memory = Memory::new(0);
        assert!(matches!(
            hash(b"x", &broken, &mut memory),
            Err(HashError::Unexpected(_))
        ));
        assert_eq!(block_count(&broken), 0);
    }
}
