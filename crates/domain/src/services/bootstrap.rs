//! First start (U9, U3): create the one owner account from configuration when there is none.
//!
//! - The owner is `valid`, in no group, never expires, and has a password: the configured
//!   one (checked by the password policy like any other), or — with none configured — a
//!   fresh 256-bit secret from the `TokenGenerator`, returned ONCE in
//!   [`BootstrapOutcome::Created`] for the binary to print. It is stored only hashed; the
//!   plaintext is never in `Debug`, never serialized, and cannot be cloned.
//! - Exactly one owner: the store refuses a second (`OwnerExists`, U3), which settles two
//!   instances starting at once; the loser answers [`BootstrapOutcome::AlreadyExists`] and
//!   its generated password is dropped unseen.
//! - An owner holding the configured login ID answers `AlreadyExists` without hashing
//!   anything, so a normal start costs one read. (Login IDs never change, so the owner made
//!   at first start keeps the configured ID; an owner under another ID is still found by the
//!   store's `OwnerExists`.)

use crate::clock::Clock;
use crate::error::{ErrorCode, FieldError, Unexpected};
use crate::ids::UserId;
use crate::ports::StoreError;
use crate::ports::password::{HashError, PasswordHasher, PlainPassword};
use crate::ports::tokens::TokenGenerator;
use crate::ports::users::{CreateUserError, NewUser, UserRepository};
use crate::user::password::{Password, PasswordError};
use crate::user::{Attributes, DisplayName, LoginId, User, UserStatus};
use std::collections::BTreeSet;
use std::fmt;

/// The owner as configured (`ROSTER_OWNER_LOGIN_ID`, `ROSTER_OWNER_PASSWORD` or standard
/// input, O2).
#[derive(Debug, Clone)]
pub struct OwnerConfig {
    /// The owner's login ID.
    pub login_id: LoginId,
    /// The owner's display name.
    pub name: DisplayName,
    /// The password; `None` to have one generated and shown once.
    pub password: Option<PlainPassword>,
}

/// A generated owner password: shown once, then gone. No `Clone`, no `Display`, no
/// `Serialize`; `Debug` is redacted.
pub struct GeneratedPassword(String);

impl GeneratedPassword {
    /// The password, to print once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for GeneratedPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GeneratedPassword(<redacted>)")
    }
}

/// What the first-start step did.
#[derive(Debug)]
pub enum BootstrapOutcome {
    /// An owner exists already; nothing was written.
    AlreadyExists,
    /// The owner was created.
    Created {
        /// The owner account.
        owner: User,
        /// The generated password, when none was configured: print it once.
        generated_password: Option<GeneratedPassword>,
    },
}

/// Why the owner could not be created.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// There is no owner yet, and an ordinary user holds the configured login ID.
    #[error("the owner's login ID is held by an ordinary user: configure another one")]
    LoginIdTaken,
    /// The configured password fails the policy (U1).
    #[error("the owner password is refused: {0}")]
    Invalid(FieldError),
    /// The password hasher is saturated; retry shortly.
    #[error("the password hasher is busy; try again shortly")]
    Busy,
    /// The cause, for the logs.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for BootstrapError {
    fn code(&self) -> &'static str {
        match self {
            Self::LoginIdTaken => "login_id_taken",
            Self::Invalid(e) => e.code,
            Self::Busy => "busy",
            Self::Unexpected(_) => "unexpected",
        }
    }
}

impl From<StoreError> for BootstrapError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<PasswordError> for BootstrapError {
    fn from(e: PasswordError) -> Self {
        Self::Invalid(FieldError::of("password", &e))
    }
}

impl From<HashError> for BootstrapError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => Self::Busy,
            HashError::UnusableHash => Self::Unexpected(Unexpected::new(HashError::UnusableHash)),
            HashError::Unexpected(u) => Self::Unexpected(u),
        }
    }
}

/// U9: creates the owner unless one exists (see the module doc). Errors: `login_id_taken`;
/// `password_too_short`, `password_too_long`, `password_too_common`; `busy`; `unexpected`.
pub async fn ensure_owner(
    users: &dyn UserRepository,
    hasher: &dyn PasswordHasher,
    tokens: &dyn TokenGenerator,
    clock: &dyn Clock,
    config: OwnerConfig,
) -> Result<BootstrapOutcome, BootstrapError> {
    if let Some(existing) = users.get_by_login_id(&config.login_id).await?
        && existing.is_owner
    {
        return Ok(BootstrapOutcome::AlreadyExists);
    }
    let inputs = [config.login_id.as_str(), config.name.as_str()];
    let (password, generated) = match &config.password {
        Some(raw) => (Password::parse(raw.expose(), &inputs)?, None),
        None => {
            let (secret, _) = tokens.generate();
            let password = Password::parse(secret.expose(), &inputs).map_err(|e| {
                Unexpected::new(format!("a generated password failed the policy: {e}"))
            })?;
            let shown = GeneratedPassword(secret.expose().to_owned());
            (password, Some(shown))
        }
    };
    let hash = hasher.hash(&password).await?;
    let new = NewUser {
        id: UserId::new(),
        login_id: config.login_id,
        name: config.name,
        email: None,
        password_hash: Some(hash),
        status: UserStatus::Valid,
        expires_at: None,
        attributes: Attributes::new(),
        group_ids: BTreeSet::new(),
        is_owner: true,
        created_at: clock.now(),
    };
    match users.create(new).await {
        Ok(owner) => Ok(BootstrapOutcome::Created {
            owner,
            generated_password: generated,
        }),
        Err(CreateUserError::OwnerExists) => Ok(BootstrapOutcome::AlreadyExists),
        Err(CreateUserError::LoginIdTaken) => Err(BootstrapError::LoginIdTaken),
        Err(CreateUserError::UnknownGroup(g)) => Err(Unexpected::new(format!(
            "the owner joins no group, yet group {g} was refused"
        ))
        .into()),
        Err(CreateUserError::Unexpected(u)) => Err(u.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::ports::password::{MockPasswordHasher, PasswordHash};
    use crate::ports::tokens::MockTokenGenerator;
    use crate::ports::users::MockUserRepository;
    use crate::registration::{PlainToken, TokenHash};
    use crate::services::testing::{now, stored, user};

    /// A 256-bit secret as the generator encodes it (base64url, 43 characters).
    const SECRET: &str = "q3Vt9ZrX0bL2mN8pK1sW4yH7cE6fJ5gD0aR9tU2vX3w";

    fn config(password: Option<&str>) -> OwnerConfig {
        OwnerConfig {
            login_id: LoginId::parse("admin").unwrap(),
            name: DisplayName::parse("Administrator").unwrap(),
            password: password.map(PlainPassword::new),
        }
    }

    fn generator(times: usize) -> MockTokenGenerator {
        let mut tokens = MockTokenGenerator::new();
        tokens.expect_generate().times(times).returning(|| {
            (
                PlainToken::new(SECRET.to_owned()),
                TokenHash::from_bytes([7; 32]),
            )
        });
        tokens
    }

    fn hasher(times: usize) -> MockPasswordHasher {
        let mut hasher = MockPasswordHasher::new();
        hasher
            .expect_hash()
            .times(times)
            .returning(|p| Ok(PasswordHash::new(format!("argon2id:{}", p.expose().len()))));
        hasher
    }

    fn empty_database(users: &mut MockUserRepository) {
        users.expect_get_by_login_id().returning(|_| Ok(None));
    }

    async fn run(
        users: MockUserRepository,
        hasher: MockPasswordHasher,
        tokens: MockTokenGenerator,
        config: OwnerConfig,
    ) -> Result<BootstrapOutcome, BootstrapError> {
        ensure_owner(&users, &hasher, &tokens, &FixedClock(now()), config).await
    }

    #[tokio::test]
    async fn u9_empty_database_creates_the_owner_with_the_configured_password() {
        let mut users = MockUserRepository::new();
        empty_database(&mut users);
        users
            .expect_create()
            .times(1)
            .withf(|n| {
                n.is_owner
                    && n.status == UserStatus::Valid
                    && n.password_hash.is_some()
                    && n.group_ids.is_empty()
                    && n.expires_at.is_none()
                    && n.created_at == now()
            })
            .returning(|n| Ok(stored(&n)));
        let outcome = run(
            users,
            hasher(1),
            generator(0),
            config(Some("correct horse battery staple")),
        )
        .await
        .unwrap();
        let BootstrapOutcome::Created {
            owner,
            generated_password,
        } = outcome
        else {
            panic!("expected Created, got {outcome:?}");
        };
        assert!(owner.is_owner);
        assert_eq!(owner.login_id.as_str(), "admin");
        assert!(generated_password.is_none());
    }

    #[tokio::test]
    async fn u9_without_a_password_one_is_generated_shown_once_and_strong() {
        let mut users = MockUserRepository::new();
        empty_database(&mut users);
        users
            .expect_create()
            .times(1)
            .withf(|n| n.password_hash.as_ref().map(PasswordHash::expose) == Some("argon2id:43"))
            .returning(|n| Ok(stored(&n)));
        let outcome = run(users, hasher(1), generator(1), config(None))
            .await
            .unwrap();
        let debug = format!("{outcome:?}");
        assert!(!debug.contains(SECRET), "the plaintext never reaches Debug");
        let BootstrapOutcome::Created {
            generated_password: Some(password),
            ..
        } = outcome
        else {
            panic!("expected a generated password");
        };
        assert_eq!(password.expose(), SECRET);
        assert_eq!(password.expose().chars().count(), 43, "256 bits, base64url");
        assert!(Password::parse(password.expose(), &["admin"]).is_ok());
    }

    #[tokio::test]
    async fn u9_second_start_answers_already_exists_without_hashing() {
        let mut users = MockUserRepository::new();
        let mut root = user("admin");
        root.is_owner = true;
        users
            .expect_get_by_login_id()
            .times(1)
            .returning(move |_| Ok(Some(root.clone())));
        users.expect_create().times(0);
        let outcome = run(users, hasher(0), generator(0), config(None))
            .await
            .unwrap();
        assert!(matches!(outcome, BootstrapOutcome::AlreadyExists));
    }

    #[tokio::test]
    async fn u3_owner_exists_race_answers_already_exists() {
        let mut users = MockUserRepository::new();
        empty_database(&mut users);
        users
            .expect_create()
            .times(1)
            .returning(|_| Err(CreateUserError::OwnerExists));
        let outcome = run(users, hasher(1), generator(1), config(None))
            .await
            .unwrap();
        assert!(
            matches!(outcome, BootstrapOutcome::AlreadyExists),
            "the loser's generated password is dropped unseen"
        );
    }

    #[tokio::test]
    async fn u9_weak_configured_password_is_refused_before_any_write() {
        for (weak, code) in [
            ("short", "password_too_short"),
            ("password", "password_too_common"),
            ("administrator1", "password_too_common"),
        ] {
            let mut users = MockUserRepository::new();
            empty_database(&mut users);
            users.expect_create().times(0);
            let err = run(users, hasher(0), generator(0), config(Some(weak)))
                .await
                .unwrap_err();
            assert_eq!(err.code(), code, "{weak}");
        }
    }

    #[tokio::test]
    async fn u9_login_id_of_an_ordinary_user_is_refused() {
        let mut users = MockUserRepository::new();
        let someone = user("admin");
        users
            .expect_get_by_login_id()
            .returning(move |_| Ok(Some(someone.clone())));
        users
            .expect_create()
            .times(1)
            .returning(|_| Err(CreateUserError::LoginIdTaken));
        let err = run(
            users,
            hasher(1),
            generator(0),
            config(Some("correct horse battery staple")),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "login_id_taken");
    }
}
