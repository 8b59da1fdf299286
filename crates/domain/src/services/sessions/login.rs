//! Login (S1–S3, C8, L1): throttle first, then one verification whatever the account, one
//! public failure, and on success a session, an access-log entry and — for a legacy or
//! outdated hash — the upgrade to the current parameters.

use super::{LoginError, SessionService};
use crate::ids::{AccessLogId, UserId};
use crate::integration::AccessLogEntry;
use crate::ports::password::{HashError, PasswordHash, PlainPassword, Verification};
use crate::registration::throttle::combine;
use crate::registration::{
    LoginFailure, PlainToken, Session, ThrottleKey, ThrottlePolicy, decide_login,
};
use crate::user::{LoginId, User};
use chrono::{DateTime, Utc};
use std::net::IpAddr;

/// S2: an argon2id hash (m=19456 KiB, t=2, p=1 — OWASP's recommended minimum) of a random
/// password nobody kept. Verified when the login ID is unknown or the account has no
/// password, so those attempts cost one real verification, as a wrong password does. The
/// hasher adapter must verify it like any stored hash (no shortcut for it); a host whose
/// current parameters differ sets `SessionConfig::dummy_hash` to its own.
pub const DUMMY_PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$HN+BA+gkRqznyiK+J7SMxw$M1fYqrVqy2hl83wLhPu8Rdra4OVrf1pLocOr8HRRjco";

/// S2: the id whose credentials are read when there is no account to read them for (unknown
/// or unparsable login ID), so every attempt costs exactly one credential read, as a known
/// account does. The nil UUID is never a UUIDv7, so no user holds it; whatever the store
/// answers for it is discarded. Adapters must not short-cut it (answer it with the same
/// query as any other id).
pub const SENTINEL_CREDENTIAL_ID: UserId = UserId::from_uuid(uuid::Uuid::nil());

/// Who is logging in, as the HTTP layer sees the client (S3 throttling, L1 access log).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client address, when known (behind a proxy: the one the proxy reports).
    pub ip: Option<IpAddr>,
    /// The `User-Agent` header, when sent.
    pub user_agent: Option<String>,
}

/// A successful login. The token is shown to the client once and never stored in plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSuccess {
    /// The bearer token (256 random bits), for the `Authorization` header.
    pub token: PlainToken,
    /// The session's absolute expiry (the idle timeout may end it earlier).
    pub expires_at: DateTime<Utc>,
    /// Who logged in.
    pub user_id: UserId,
}

/// What the verification found.
struct Checked {
    verification: Verification,
    /// The stored hash verified, to upgrade it (C8) only if it is still the stored one.
    stored: Option<PasswordHash>,
}

impl SessionService {
    /// S1: logs in. Order: the throttle (S3: a locked login ID or address answers
    /// `too_many_attempts` with the wait, and no password is checked); the user by login ID;
    /// one credential read and one password verification — against [`super::DUMMY_PASSWORD_HASH`] (or the configured
    /// dummy) when there is no stored hash — so that every path costs the same (S2); the
    /// decision. A failure counts against both the login ID and the address and answers
    /// `login_failed`, the same value whatever the cause. A success clears the login ID's
    /// failures, appends an access-log entry (L1), and creates the session; when the stored
    /// hash is legacy or outdated, it is then replaced by a current one (C8).
    /// Errors: `login_failed`; `too_many_attempts`; `busy` (nothing counted); `unexpected`.
    pub async fn login(
        &self,
        login_id: &str,
        password: &PlainPassword,
        client: &ClientInfo,
    ) -> Result<LoginSuccess, LoginError> {
        let now = self.clock.now();
        // An ID that cannot exist still goes through the same steps, so it answers alike.
        let login_id = LoginId::parse(login_id).ok();
        let keys = self.keys(login_id.as_ref(), client);
        self.check_throttle(&keys, now).await?;
        let user = match &login_id {
            Some(id) => self.users.get_by_login_id(id).await?,
            None => None,
        };
        let checked = self.verify(user.as_ref(), password).await?;
        match (
            decide_login(user.as_ref(), checked.verification.matched(), now),
            user,
        ) {
            (Ok(_), Some(user)) => {
                self.open(&user, password, checked, &keys, client, now)
                    .await
            }
            (Ok(_), None) | (Err(_), _) => {
                for (key, _) in &keys {
                    self.stores.throttle.record_failure(key, now).await?;
                }
                Err(LoginError::Failed(LoginFailure))
            }
        }
    }

    /// The throttle keys of this attempt with their policies. An unparsable login ID has no
    /// counter of its own (no account can hold it); the address still counts.
    fn keys(
        &self,
        login_id: Option<&LoginId>,
        client: &ClientInfo,
    ) -> Vec<(ThrottleKey, ThrottlePolicy)> {
        let mut keys = Vec::with_capacity(2);
        if let Some(id) = login_id {
            keys.push((ThrottleKey::login_id(id), self.config.per_login_id));
        }
        if let Some(ip) = client.ip {
            keys.push((ThrottleKey::address(ip), self.config.per_address));
        }
        keys
    }

    async fn check_throttle(
        &self,
        keys: &[(ThrottleKey, ThrottlePolicy)],
        now: DateTime<Utc>,
    ) -> Result<(), LoginError> {
        let mut checks = Vec::with_capacity(keys.len());
        for (key, policy) in keys {
            let seen = self
                .stores
                .throttle
                .failures_since(key, policy.window_start(now))
                .await?;
            checks.push(policy.check(seen.count, seen.last_at, now));
        }
        combine(checks).map_err(LoginError::Throttled)
    }

    /// Exactly one credential read and one verification on every path (S2): an unknown
    /// login ID reads the credentials of [`SENTINEL_CREDENTIAL_ID`], an account without a
    /// password its own (empty) ones, so a known account costs no extra round trip an
    /// attacker could time. What remains is documented, not hidden: a legacy hash (C8) may
    /// verify faster or slower than argon2id until its first successful login upgrades it.
    async fn verify(
        &self,
        user: Option<&User>,
        password: &PlainPassword,
    ) -> Result<Checked, LoginError> {
        let read_for = user.map_or(SENTINEL_CREDENTIAL_ID, |u| u.id);
        let read = self.credentials.password_hash(read_for).await?;
        // Only an account marked as having a password uses what was read; the sentinel's
        // answer, or a stray hash of a password-less account, is thrown away.
        let stored = match user {
            Some(u) if u.has_password => read,
            Some(_) | None => None,
        };
        let hash = stored.as_ref().unwrap_or(&self.config.dummy_hash);
        let verification = match (self.hasher.verify(password, hash).await, stored.is_some()) {
            (Ok(v), true) => v,
            // The dummy never lets anyone in, whatever the hasher says.
            (Ok(_), false) => Verification::Mismatch,
            // A hash that cannot be checked can never match: the answer stays
            // `login_failed`, as for any other account that cannot log in.
            (Err(HashError::UnusableHash), _) => Verification::Mismatch,
            (Err(e), _) => return Err(e.into()),
        };
        Ok(Checked {
            verification,
            stored,
        })
    }

    async fn open(
        &self,
        user: &User,
        password: &PlainPassword,
        checked: Checked,
        keys: &[(ThrottleKey, ThrottlePolicy)],
        client: &ClientInfo,
        now: DateTime<Utc>,
    ) -> Result<LoginSuccess, LoginError> {
        // A login ID's failures end with a success; an address's do not (S3: one person
        // logging in does not vouch for everyone behind the same address).
        for (key, _) in keys {
            if matches!(key, ThrottleKey::LoginId(_)) {
                self.stores.throttle.clear(key).await?;
            }
        }
        let entry = AccessLogEntry {
            id: AccessLogId::new(),
            user_id: user.id,
            at: now,
            ip: client.ip.map(|ip| ip.to_string()),
            user_agent: client.user_agent.clone(),
        };
        self.stores.records.add_access_log(&entry).await?;
        // The session is the last write: if anything before it failed, no session exists.
        let (token, token_hash) = self.stores.tokens.generate();
        let session = Session::start(user.id, token_hash, &self.config.policy, now);
        self.stores.sessions.create(&session).await?;
        if let (Verification::OkNeedsRehash, Some(old)) = (checked.verification, checked.stored) {
            self.upgrade(user, password, old).await;
        }
        Ok(LoginSuccess {
            token,
            expires_at: session.expires_at,
            user_id: user.id,
        })
    }

    /// C8: replaces a legacy or outdated hash by a current argon2id one. Best effort: the
    /// login has succeeded whatever happens here, and a failed upgrade is tried again at the
    /// next login. A legacy password that today's policy would refuse is upgraded too: the
    /// policy governs choosing a password, and this one was chosen elsewhere.
    async fn upgrade(&self, user: &User, password: &PlainPassword, old: PasswordHash) {
        if let Ok(new) = self.hasher.rehash(password).await {
            // `false` means the hash changed meanwhile (a new password): nothing to do.
            let _replaced = self.credentials.upgrade_hash(user.id, old, new).await;
        }
    }
}
