//! The hasher's settings: argon2id cost, how many workers, how deep the queue in front of them.

use std::num::NonZeroUsize;
use std::thread::available_parallelism;

/// Argon2id cost parameters for new hashes (argon2id, version 19, 16-byte salt, 32-byte hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Argon2Params {
    /// Memory in KiB (`m`).
    pub memory_kib: u32,
    /// Passes over the memory (`t`).
    pub time_cost: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

impl Argon2Params {
    /// OWASP's first recommended argon2id setting (19 MiB, 2 passes, 1 lane), the same as the
    /// domain's `DUMMY_PASSWORD_HASH`, so a login for an unknown account costs what a real one
    /// does (S2). One lane: each worker is one core, and the pool gives parallelism across
    /// requests instead.
    pub const PRODUCTION: Self = Self {
        memory_kib: 19_456,
        time_cost: 2,
        parallelism: 1,
    };

    /// Cheap parameters for tests (64 KiB, 1 pass, 1 lane). Never for real passwords.
    pub const fn weak_for_tests() -> Self {
        Self {
            memory_kib: 64,
            time_cost: 1,
            parallelism: 1,
        }
    }
}

/// How the hasher runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HasherConfig {
    /// The parameters of new hashes; stored hashes with others verify as `OkNeedsRehash`.
    pub params: Argon2Params,
    /// Worker threads (at least one is started).
    pub workers: usize,
    /// Jobs that may wait for a worker; one more is refused with `HashError::Busy`.
    pub queue_capacity: usize,
}

impl HasherConfig {
    /// Production parameters, one worker per core.
    ///
    /// The queue holds 64 jobs per worker. At the production cost (about 15 ms per hash on
    /// one core of the development machine) the last job queued waits about a second: enough
    /// to absorb a burst of logins or an import's lookahead, short enough that a client is
    /// told `busy` (503 with Retry-After) rather than left to time out behind a queue that
    /// would only grow under sustained overload.
    pub fn production() -> Self {
        let workers = available_parallelism().map_or(1, NonZeroUsize::get);
        Self {
            params: Argon2Params::PRODUCTION,
            workers,
            queue_capacity: 64 * workers,
        }
    }

    /// Weak parameters, two workers and a deep queue, so tests are fast and see `Busy` only
    /// when they set out to.
    pub fn for_tests() -> Self {
        Self {
            params: Argon2Params::weak_for_tests(),
            workers: 2,
            queue_capacity: 1024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u1_production_parameters_are_owasps() {
        assert_eq!(
            Argon2Params::PRODUCTION,
            Argon2Params {
                memory_kib: 19_456,
                time_cost: 2,
                parallelism: 1
            }
        );
        let config = HasherConfig::production();
        assert!(config.workers >= 1);
        assert_eq!(config.queue_capacity, 64 * config.workers);
        assert_eq!(
            HasherConfig::for_tests().params,
            Argon2Params::weak_for_tests()
        );
    }
}
