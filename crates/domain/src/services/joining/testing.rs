//! Test support for the joining and settings services: the joining ports mocked on top of
//! the common [`Mocks`], a deterministic token generator, and fixtures.

use super::{JoiningConfig, JoiningPorts};
use crate::ports::mail::MockNotificationSettingsStore;
use crate::ports::registration::{
    MockApplicationRepository, MockRegistrationSettingsStore, MockRegistrationUrlRepository,
};
use crate::ports::sessions::MockLoginThrottleStore;
use crate::ports::tokens::{MockOneTimeTokenStore, MockTokenGenerator};
use crate::registration::{
    NotificationSettings, OneTimeToken, PlainToken, RegistrationSettings, TokenHash,
};
use crate::services::Ports;
use crate::services::testing::Mocks;
use std::sync::Arc;

/// The secret the generator hands out on its `n`-th call (from 1).
pub(crate) fn secret(n: u8) -> String {
    format!("secret-{n}-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
}

/// A stand-in for SHA-256: deterministic, different for the texts tests use.
pub(crate) fn hash_of(text: &str) -> TokenHash {
    let mut bytes = [0u8; 32];
    for (i, b) in text.bytes().enumerate() {
        bytes[i % 32] = bytes[i % 32].wrapping_mul(31).wrapping_add(b);
    }
    bytes[31] = u8::try_from(text.len() % 256).unwrap();
    TokenHash::from_bytes(bytes)
}

/// The configuration every test uses.
pub(crate) fn config() -> JoiningConfig {
    JoiningConfig::new("https://lms.example.com", "Example LMS")
}

/// Every joining port mocked, on top of the common mocks.
pub(crate) struct JoinMocks {
    pub base: Mocks,
    pub tokens: MockOneTimeTokenStore,
    pub generator: MockTokenGenerator,
    pub registration: MockRegistrationSettingsStore,
    pub urls: MockRegistrationUrlRepository,
    pub applications: MockApplicationRepository,
    pub notifications: MockNotificationSettingsStore,
    pub throttle: MockLoginThrottleStore,
}

impl JoinMocks {
    pub fn new() -> Self {
        Self {
            base: Mocks::new(),
            tokens: MockOneTimeTokenStore::new(),
            generator: MockTokenGenerator::new(),
            registration: MockRegistrationSettingsStore::new(),
            urls: MockRegistrationUrlRepository::new(),
            applications: MockApplicationRepository::new(),
            notifications: MockNotificationSettingsStore::new(),
            throttle: MockLoginThrottleStore::new(),
        }
    }

    pub fn build(self) -> (Ports, JoiningPorts) {
        let joining = JoiningPorts {
            tokens: Arc::new(self.tokens),
            generator: Arc::new(self.generator),
            registration: Arc::new(self.registration),
            urls: Arc::new(self.urls),
            applications: Arc::new(self.applications),
            notifications: Arc::new(self.notifications),
            throttle: Arc::new(self.throttle),
        };
        (self.base.ports(), joining)
    }

    /// `generate` hands out `secret(1)`, `secret(2)`… with `hash_of` each; `hash` is `hash_of`.
    pub fn with_generator(&mut self) {
        let mut n = 0u8;
        self.generator.expect_generate().returning(move || {
            n += 1;
            let text = secret(n);
            let hash = hash_of(&text);
            (PlainToken::new(text), hash)
        });
        self.generator.expect_hash().returning(hash_of);
    }

    /// `find` answers `token` for the secret `presented`, and nothing for any other.
    pub fn with_stored_token(&mut self, presented: &str, token: OneTimeToken) {
        let wanted = hash_of(presented);
        self.tokens
            .expect_find()
            .returning(move |h| Ok((*h == wanted).then(|| token.clone())));
    }

    pub fn with_notifications(&mut self, settings: NotificationSettings) {
        self.notifications
            .expect_get()
            .returning(move || Ok(settings));
    }

    pub fn with_registration(&mut self, settings: RegistrationSettings) {
        self.registration
            .expect_get()
            .returning(move || Ok(settings));
    }
}

/// The notification switches with one kind turned off.
pub(crate) fn notifications_without(kind: crate::registration::MailKind) -> NotificationSettings {
    let mut settings = NotificationSettings::default();
    settings.set(kind, false);
    settings
}
