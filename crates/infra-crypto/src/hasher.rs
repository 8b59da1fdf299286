//! [`Argon2Hasher`]: the domain's `PasswordHasher` port, over the worker pool.

use crate::config::{Argon2Params, HasherConfig};
use crate::memory::Memory;
use crate::pool::Pool;
use crate::{argon, verify};
use roster_domain::ports::password::{
    HashError, PasswordHash, PasswordHasher, PlainPassword, Verification,
};
use roster_domain::services::sessions::DUMMY_PASSWORD_HASH;
use roster_domain::user::password::Password;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Hashes with argon2id at its configured parameters and verifies argon2id, argon2i, bcrypt,
/// SHA-512 crypt and PBKDF2-SHA256 hashes (C8), on its own worker threads (C9). Clones share
/// the workers; dropping the last clone stops them once the queued jobs are done.
#[derive(Debug, Clone)]
pub struct Argon2Hasher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: Pool,
    params: Argon2Params,
}

impl Argon2Hasher {
    /// Starts the workers.
    pub fn new(config: HasherConfig) -> Self {
        let pool = Pool::start(
            config.workers,
            config.queue_capacity,
            argon::block_count(&config.params),
        );
        Self {
            inner: Arc::new(Inner {
                pool,
                params: config.params,
            }),
        }
    }

    /// S2: an argon2id hash of a random password nobody keeps, at this hasher's parameters,
    /// for `SessionConfig::dummy_hash` when they are not the production ones (so an attempt
    /// on an unknown account costs what a real one does). Computed on the calling thread: call
    /// it at start-up, not from an async task. If it cannot be made (invalid parameters, no
    /// randomness) the error is logged and the domain's production-parameter dummy returned.
    pub fn dummy_hash(&self) -> PasswordHash {
        let params = self.inner.params;
        let mut password = Zeroizing::new([0u8; 32]);
        let made = getrandom::fill(&mut password[..])
            .map_err(|e| e.to_string())
            .and_then(|()| {
                let mut memory = Memory::new(0);
                argon::hash(&password[..], &params, &mut memory).map_err(|e| e.to_string())
            });
        match made {
            Ok(encoded) => PasswordHash::new(encoded),
            Err(error) => {
                tracing::error!(%error, "could not make a dummy password hash");
                PasswordHash::new(DUMMY_PASSWORD_HASH)
            }
        }
    }

    /// The worker threads running.
    pub fn workers(&self) -> usize {
        self.inner.pool.workers()
    }

    /// The parameters of new hashes.
    pub fn params(&self) -> Argon2Params {
        self.inner.params
    }

    async fn hash_text(&self, text: &str) -> Result<PasswordHash, HashError> {
        let text = Zeroizing::new(text.to_owned());
        let params = self.inner.params;
        self.inner
            .pool
            .run(move |memory| argon::hash(text.as_bytes(), &params, memory))
            .await
            .map(PasswordHash::new)
    }
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<PasswordHash, HashError> {
        self.hash_text(password.expose()).await
    }

    async fn rehash(&self, verified: &PlainPassword) -> Result<PasswordHash, HashError> {
        self.hash_text(verified.expose()).await
    }

    async fn verify(
        &self,
        candidate: &PlainPassword,
        hash: &PasswordHash,
    ) -> Result<Verification, HashError> {
        // Recognised and bounded here, before queueing: an unusable hash takes no place in the
        // queue and no worker time.
        let stored = verify::recognise(hash.expose())?;
        let candidate = Zeroizing::new(candidate.expose().to_owned());
        let params = self.inner.params;
        self.inner
            .pool
            .run(move |memory| verify::verify(candidate.as_bytes(), &stored, &params, memory))
            .await
    }
}
