//! A fast hasher for group ids. The graph is queried tens of times per authorization
//! decision, and SipHash over 16 bytes costs more than the whole remaining decision; group
//! ids are already random (UUIDv7), so a keyed multiply-mix is enough.

use std::hash::{BuildHasher, Hasher, RandomState};

/// Builds [`IdHasher`]s keyed with a per-graph random seed, so a client that picks group ids
/// (hosts may accept them through `from_uuid`) cannot aim for collisions.
#[derive(Debug, Clone)]
pub(crate) struct IdBuild {
    seed: u64,
}

impl Default for IdBuild {
    fn default() -> Self {
        // RandomState is the std source of per-process randomness; hashing nothing through it
        // yields a random 64-bit key without a new dependency.
        Self {
            seed: RandomState::new().build_hasher().finish() | 1,
        }
    }
}

impl BuildHasher for IdBuild {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher { state: self.seed }
    }
}

/// The hasher: one folded 64×64→128-bit multiply per word (as foldhash and wyhash do), so
/// both the low bits (the bucket index) and the high bits (hashbrown's tag) depend on every
/// input bit, at the cost of a single multiply for the 16-byte ids the graph hashes.
#[derive(Debug, Clone)]
pub(crate) struct IdHasher {
    state: u64,
}

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xD6E8_FEB8_6659_FD93;

fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

impl IdHasher {
    fn mix(&mut self, word: u64) {
        self.state = folded_multiply(self.state ^ word, K1);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
    }

    fn write_u128(&mut self, value: u128) {
        // The graph keys by `Uuid::as_u128`, so this is the only path taken in practice:
        // both halves meet the seed in one multiply.
        self.state = folded_multiply(self.state ^ value as u64, K2 ^ (value >> 64) as u64);
    }

    fn write_u64(&mut self, value: u64) {
        self.mix(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.mix(value as u64);
    }

    fn finish(&self) -> u64 {
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn distinct_ids_hash_apart_and_equal_ids_alike() {
        let build = IdBuild::default();
        let hashes: HashSet<u64> = (0..10_000u128)
            .map(|i| build.hash_one(i << 64 | i))
            .collect();
        assert_eq!(hashes.len(), 10_000);
        assert_eq!(build.hash_one(7u128), build.hash_one(7u128));
        // Bucket bits (the low ones) must spread too, not only the full value.
        let low: HashSet<u64> = (0..1024u128).map(|i| build.hash_one(i) & 0xFFF).collect();
        assert!(low.len() > 800, "low bits poorly spread: {}", low.len());
    }
}
