//! Ports of single-use links (U5, A2, U10): generating bearer secrets and keeping the
//! hashes of the links sent.

use crate::Unexpected;
use crate::error::ErrorCode;
use crate::registration::{
    OneTimeToken, OutgoingMail, PlainToken, TokenError, TokenHash, TokenPurpose, TokenSubject,
};
use chrono::{DateTime, Utc};

/// U5, U10: the purposes of a user's links (subject [`TokenSubject::User`]) that die with
/// its credentials: deleted by `CredentialStore::set_password_hash` when the password is set,
/// and by `UserRepository::update` when the email changes, in the same transaction. A reset
/// link asked for before a password change, or mailed to an address since replaced, must not
/// work.
pub const REVOKED_WITH_CREDENTIALS: [TokenPurpose; 2] =
    [TokenPurpose::PasswordReset, TokenPurpose::Invitation];

/// Makes bearer secrets (mail links, session tokens, registration URL tokens). Synchronous:
/// it only reads the system's secure random source and hashes.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait TokenGenerator: Send + Sync {
    /// A fresh secret of 256 random bits from a cryptographically secure source, encoded
    /// base64url without padding (43 characters), with its SHA-256. Infallible: an adapter
    /// that cannot read randomness must abort rather than hand out a weak secret.
    fn generate(&self) -> (PlainToken, TokenHash);

    /// The SHA-256 of a presented secret, to look it up. Infallible; any text hashes.
    fn hash(&self, presented: &str) -> TokenHash;
}

/// Failure of the token store.
#[derive(Debug, thiserror::Error)]
pub enum TokenStoreError {
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for TokenStoreError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Why redeeming failed.
#[derive(Debug, thiserror::Error)]
pub enum RedeemError {
    /// `token_invalid` or `token_expired`, as `registration::check_redeem` decides.
    #[error(transparent)]
    Refused(TokenError),
    /// Storage failed.
    #[error(transparent)]
    Unexpected(#[from] Unexpected),
}

impl ErrorCode for RedeemError {
    fn code(&self) -> &'static str {
        match self {
            Self::Refused(e) => e.code(),
            Self::Unexpected(_) => "unexpected",
        }
    }
}

/// Keeps one live single-use link per (purpose, subject).
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait::async_trait]
pub trait OneTimeTokenStore: Send + Sync {
    /// In one transaction: deletes every earlier token of the same purpose and subject (U5:
    /// a re-sent invitation's old link stops working), stores `token`, and queues `outbox`
    /// (the mail carrying the link; M4). Errors: `Unexpected` (nothing written).
    async fn issue(
        &self,
        token: &OneTimeToken,
        outbox: &[OutgoingMail],
    ) -> Result<(), TokenStoreError>;

    /// The token with this hash, used or not, or `None`. Errors: `Unexpected`.
    async fn find(&self, hash: &TokenHash) -> Result<Option<OneTimeToken>, TokenStoreError>;

    /// Marks the token used, atomically: a conditional update that succeeds only while it
    /// is unused, of `purpose` and unexpired at `now`, so a link works once even when
    /// opened twice at the same moment. Returns whom it acts on. Call it before applying the
    /// effect; the effect's own update is conditional too (application status, user still
    /// pending), and if that fails the person asks for a new link. Errors: `Refused` with
    /// the answer `check_redeem` gives for the token as found, `Unexpected`.
    async fn redeem(
        &self,
        hash: &TokenHash,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<TokenSubject, RedeemError>;

    /// Deletes the live token of this purpose and subject, if any (an invitation of a deleted
    /// user, an application's link). Links that die with a password or email change are
    /// deleted by the user stores themselves, in the writing transaction (see
    /// [`REVOKED_WITH_CREDENTIALS`]), not through this. Errors: `Unexpected`.
    async fn revoke(
        &self,
        purpose: TokenPurpose,
        subject: TokenSubject,
    ) -> Result<(), TokenStoreError>;

    /// Deletes tokens that expired before `before`; returns how many. Errors: `Unexpected`.
    async fn delete_expired(&self, before: DateTime<Utc>) -> Result<u64, TokenStoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::registration::{TokenLifetimes, check_redeem};

    #[tokio::test]
    async fn u5_resend_issues_a_new_token_for_the_same_subject() {
        let mut generator = MockTokenGenerator::new();
        let mut n = 0u8;
        generator.expect_generate().times(2).returning(move || {
            n += 1;
            (
                PlainToken::new(format!("secret-{n}")),
                TokenHash::from_bytes([n; 32]),
            )
        });
        let user = UserId::new();
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let mut store = MockOneTimeTokenStore::new();
        store
            .expect_issue()
            .withf(move |t, outbox| t.subject == TokenSubject::User(user) && outbox.is_empty())
            .times(2)
            .returning(|_, _| Ok(()));
        let mut hashes = Vec::new();
        for _ in 0..2 {
            let (plain, hash) = generator.generate();
            assert!(plain.expose().starts_with("secret-"));
            let token = OneTimeToken::invitation(user, hash, &TokenLifetimes::default(), now);
            store.issue(&token, &[]).await.unwrap();
            hashes.push(hash);
        }
        assert_ne!(hashes[0], hashes[1], "a re-send carries a new secret");
    }

    #[test]
    fn u5_redeem_refusals_carry_the_token_codes() {
        assert_eq!(
            RedeemError::Refused(TokenError::Invalid).code(),
            "token_invalid"
        );
        assert_eq!(
            check_redeem(None, TokenPurpose::Invitation, DateTime::<Utc>::UNIX_EPOCH)
                .map_err(RedeemError::Refused)
                .unwrap_err()
                .code(),
            "token_invalid"
        );
    }
}
