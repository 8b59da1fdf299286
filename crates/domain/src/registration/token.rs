//! Single-use links (U5 invitation, A2 activation, U10 password reset) and the hashes under
//! which every bearer secret (these links, S1 session tokens) is stored.
//!
//! Decision on redeem errors: an unknown token, a token of another purpose, a used token and
//! a superseded one (re-sending deletes the older link) all answer the same `token_invalid`,
//! so a caller cannot learn which tokens ever existed or were used. An unused token of the
//! right purpose past its expiry answers `token_expired`: only the holder of a 256-bit random
//! value can reach that answer, so it reveals nothing an attacker could not already know,
//! and it lets the page tell the person to ask for a new link (re-send, reset again).

use crate::error::ErrorCode;
use crate::ids::{ApplicationId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The SHA-256 of a bearer secret (32 bytes). Storage holds only this, so a database leak
/// yields no usable link or session. Computed by the `TokenGenerator` adapter.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenHash([u8; 32]);

/// Text that is not 64 hexadecimal digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a token hash is 64 hexadecimal digits")]
pub struct TokenHashError;

impl ErrorCode for TokenHashError {
    fn code(&self) -> &'static str {
        "token_hash_malformed"
    }
}

impl TokenHash {
    /// Wraps the 32 digest bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The digest bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hexadecimal, for storage as text.
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(64);
        for byte in self.0 {
            out.push(char::from(DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        out
    }

    /// Parses 64 hexadecimal digits (either case).
    pub fn from_hex(text: &str) -> Result<Self, TokenHashError> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(TokenHashError);
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let hi = hex_value(pair[0]).ok_or(TokenHashError)?;
            let lo = hex_value(pair[1]).ok_or(TokenHashError)?;
            *slot = (hi << 4) | lo;
        }
        Ok(Self(out))
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Debug for TokenHash {
    // A prefix is enough to tell hashes apart in logs; the whole digest is kept out of them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        write!(f, "TokenHash({}…)", &hex[..8])
    }
}

/// A freshly generated bearer secret in plain text: what goes into a link or is handed to a
/// client once. Never stored, never logged (Debug is redacted, no Display).
#[derive(Clone, PartialEq, Eq)]
pub struct PlainToken(String);

impl PlainToken {
    /// Wraps a secret produced by the generator or presented by a client.
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    /// The secret, for building a link or a response body.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlainToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainToken(<redacted>)")
    }
}

/// What a single-use link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPurpose {
    /// U5: set a first password and become `valid`.
    Invitation,
    /// A2: confirm the email of an application.
    Activation,
    /// U10: set a new password.
    PasswordReset,
}

impl TokenPurpose {
    /// The storage word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Activation => "activation",
            Self::PasswordReset => "password_reset",
        }
    }
}

impl fmt::Display for TokenPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whom a link acts on: a user (invitation, reset) or an application (activation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum TokenSubject {
    /// A user account.
    User(UserId),
    /// A self-registration application.
    Application(ApplicationId),
}

/// A stored single-use link. Storage keeps one live token per (purpose, subject): issuing a
/// new one supersedes the old (U5 re-send).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeToken {
    /// What it is for.
    pub purpose: TokenPurpose,
    /// Whom it acts on.
    pub subject: TokenSubject,
    /// The hash of the secret in the link.
    pub token_hash: TokenHash,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// From this instant on it no longer works.
    pub expires_at: DateTime<Utc>,
    /// Set once redeemed.
    pub used_at: Option<DateTime<Utc>>,
}

impl OneTimeToken {
    // The constructors pair each purpose with its kind of subject, so an activation link can
    // never point at a user.
    fn issue(
        purpose: TokenPurpose,
        subject: TokenSubject,
        token_hash: TokenHash,
        lifetimes: &super::TokenLifetimes,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            purpose,
            subject,
            token_hash,
            issued_at: now,
            expires_at: lifetimes.expires_at(purpose, now),
            used_at: None,
        }
    }

    /// U5: an invitation for a pending user.
    pub fn invitation(
        user: UserId,
        token_hash: TokenHash,
        lifetimes: &super::TokenLifetimes,
        now: DateTime<Utc>,
    ) -> Self {
        Self::issue(
            TokenPurpose::Invitation,
            TokenSubject::User(user),
            token_hash,
            lifetimes,
            now,
        )
    }

    /// A2: the activation link of an application.
    pub fn activation(
        application: ApplicationId,
        token_hash: TokenHash,
        lifetimes: &super::TokenLifetimes,
        now: DateTime<Utc>,
    ) -> Self {
        Self::issue(
            TokenPurpose::Activation,
            TokenSubject::Application(application),
            token_hash,
            lifetimes,
            now,
        )
    }

    /// U10: a password-reset link.
    pub fn password_reset(
        user: UserId,
        token_hash: TokenHash,
        lifetimes: &super::TokenLifetimes,
        now: DateTime<Utc>,
    ) -> Self {
        Self::issue(
            TokenPurpose::PasswordReset,
            TokenSubject::User(user),
            token_hash,
            lifetimes,
            now,
        )
    }
}

/// Why a link was refused. See the module documentation for why these two only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Unknown, of another purpose, already used or superseded: one answer for all.
    #[error("this link is not valid")]
    Invalid,
    /// Unused and of the right purpose, but past its expiry.
    #[error("this link has expired; ask for a new one")]
    Expired,
}

impl ErrorCode for TokenError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid => "token_invalid",
            Self::Expired => "token_expired",
        }
    }
}

/// Checks a looked-up token can be redeemed for `purpose` at `now`, and says whom it acts on.
/// Pass `None` when the lookup found nothing, so every path answers through this one rule.
/// Storage redeems atomically afterwards (`OneTimeTokenStore::redeem`); this check decides
/// the answer, that call settles races.
pub fn check_redeem(
    token: Option<&OneTimeToken>,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<TokenSubject, TokenError> {
    let token = token.ok_or(TokenError::Invalid)?;
    if token.purpose != purpose || token.used_at.is_some() {
        return Err(TokenError::Invalid);
    }
    if now >= token.expires_at {
        return Err(TokenError::Expired);
    }
    Ok(token.subject)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::TokenLifetimes;
    use chrono::Duration;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(100)
    }

    fn hash(n: u8) -> TokenHash {
        TokenHash::from_bytes([n; 32])
    }

    #[test]
    fn u5_invitation_redeems_once_within_seven_days() {
        let user = UserId::new();
        let token = OneTimeToken::invitation(user, hash(1), &TokenLifetimes::default(), t0());
        assert_eq!(token.expires_at, t0() + Duration::days(7));
        let just_before = t0() + Duration::days(7) - Duration::seconds(1);
        assert_eq!(
            check_redeem(Some(&token), TokenPurpose::Invitation, just_before),
            Ok(TokenSubject::User(user))
        );
    }

    #[test]
    fn u5_expired_invitation_answers_expired() {
        let token =
            OneTimeToken::invitation(UserId::new(), hash(1), &TokenLifetimes::default(), t0());
        assert_eq!(
            check_redeem(
                Some(&token),
                TokenPurpose::Invitation,
                t0() + Duration::days(7)
            ),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn u5_used_unknown_and_wrong_purpose_tokens_are_one_invalid() {
        let mut token =
            OneTimeToken::password_reset(UserId::new(), hash(2), &TokenLifetimes::default(), t0());
        assert_eq!(
            check_redeem(Some(&token), TokenPurpose::Invitation, t0()),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            check_redeem(None, TokenPurpose::PasswordReset, t0()),
            Err(TokenError::Invalid)
        );
        token.used_at = Some(t0());
        assert_eq!(
            check_redeem(Some(&token), TokenPurpose::PasswordReset, t0()),
            Err(TokenError::Invalid)
        );
        // A used token stays invalid after expiry too: the answer never says it was used.
        assert_eq!(
            check_redeem(
                Some(&token),
                TokenPurpose::PasswordReset,
                t0() + Duration::days(1)
            ),
            Err(TokenError::Invalid)
        );
        assert_eq!(TokenError::Invalid.code(), "token_invalid");
        assert_eq!(TokenError::Expired.code(), "token_expired");
    }

    #[test]
    fn u10_reset_link_lives_thirty_minutes() {
        let token =
            OneTimeToken::password_reset(UserId::new(), hash(3), &TokenLifetimes::default(), t0());
        let at = t0() + Duration::minutes(30);
        assert_eq!(
            check_redeem(Some(&token), TokenPurpose::PasswordReset, at),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a2_activation_subject_is_the_application() {
        let app = ApplicationId::new();
        let token = OneTimeToken::activation(app, hash(4), &TokenLifetimes::default(), t0());
        assert_eq!(token.purpose, TokenPurpose::Activation);
        assert_eq!(
            check_redeem(Some(&token), TokenPurpose::Activation, t0()),
            Ok(TokenSubject::Application(app))
        );
    }

    #[test]
    fn s1_token_hash_debug_is_redacted_and_hex_round_trips() {
        let h = TokenHash::from_bytes([0xab; 32]);
        assert_eq!(format!("{h:?}"), "TokenHash(abababab…)");
        assert_eq!(TokenHash::from_hex(&h.to_hex()), Ok(h));
        assert_eq!(TokenHash::from_hex(&"AB".repeat(32)), Ok(h));
        assert_eq!(TokenHash::from_hex("abc"), Err(TokenHashError));
        assert_eq!(TokenHash::from_hex(&"zz".repeat(32)), Err(TokenHashError));
        let secret = PlainToken::new("s3cret-value".into());
        assert!(!format!("{secret:?}").contains("s3cret"));
        assert_eq!(secret.expose(), "s3cret-value");
    }

    proptest! {
        #[test]
        fn s1_token_hash_hex_round_trips(bytes in any::<[u8; 32]>()) {
            let h = TokenHash::from_bytes(bytes);
            prop_assert_eq!(TokenHash::from_hex(&h.to_hex()).unwrap(), h);
        }

        #[test]
        fn u5_no_token_passes_at_or_after_expiry(offset_secs in -100_000i64..100_000) {
            let token = OneTimeToken::activation(ApplicationId::new(), hash(5), &TokenLifetimes::default(), t0());
            let now = token.expires_at + Duration::seconds(offset_secs);
            let result = check_redeem(Some(&token), TokenPurpose::Activation, now);
            prop_assert_eq!(result.is_ok(), now < token.expires_at);
        }
    }
}
