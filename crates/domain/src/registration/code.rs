//! Authentication codes of a registration URL (A5): text of 6–64 characters without white
//! space, optionally with an expiry time and a maximum number of uses.

use super::admission::UrlRefusal;
use super::ct::ct_eq;
use crate::error::ErrorCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Fewest characters of a code: shorter ones are guessed too easily (A5, S3: with the
/// per-address throttle of applications, six characters leave guessing hopeless).
pub const CODE_MIN_CHARS: usize = 6;
/// Most characters of a code.
pub const CODE_MAX_CHARS: usize = 64;

/// The text of a code. Compared exactly (case matters: it is a shared secret) and in
/// constant time. Debug is redacted to keep codes out of logs; administrators read them
/// through `as_str` and the API.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeText(String);

/// Why a code or its limits were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Under 6 characters after trimming.
    #[error("a code has at least {CODE_MIN_CHARS} characters")]
    TooShort,
    /// Over 64 characters.
    #[error("a code has at most {CODE_MAX_CHARS} characters")]
    TooLong,
    /// Contains white space or a control character (people could not type it reliably).
    #[error("a code cannot contain spaces or control characters")]
    Whitespace,
    /// A maximum of zero uses would make a code that never works.
    #[error("the maximum number of uses must be at least 1")]
    MaxUsesZero,
    /// Stored uses above the maximum: a corrupt row.
    #[error("the code has been used more often than its maximum")]
    UsesAboveMax,
}

impl ErrorCode for CodeError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "registration_code_too_short",
            Self::TooLong => "registration_code_too_long",
            Self::Whitespace => "registration_code_whitespace",
            Self::MaxUsesZero => "registration_code_max_uses_zero",
            Self::UsesAboveMax => "registration_code_uses_above_max",
        }
    }
}

impl CodeText {
    /// Parses a code; surrounding white space is trimmed.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let text = raw.trim();
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(CodeError::Whitespace);
        }
        match text.chars().count() {
            n if n < CODE_MIN_CHARS => Err(CodeError::TooShort),
            n if n > CODE_MAX_CHARS => Err(CodeError::TooLong),
            _ => Ok(Self(text.to_owned())),
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a person's input is this code, compared in constant time after trimming.
    pub fn matches(&self, supplied: &str) -> bool {
        ct_eq(self.0.as_bytes(), supplied.trim().as_bytes())
    }
}

impl fmt::Debug for CodeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeText(<redacted>)")
    }
}
impl Serialize for CodeText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for CodeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// One authentication code of a URL and its use count. Fields are private so `uses` can only
/// grow through `record_use`, which never lets it pass `max_uses`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCode {
    code: CodeText,
    expires_at: Option<DateTime<Utc>>,
    max_uses: Option<u32>,
    uses: u32,
}

impl AuthCode {
    /// A new, unused code. `max_uses` must be at least 1 when given.
    pub fn new(
        code: CodeText,
        expires_at: Option<DateTime<Utc>>,
        max_uses: Option<u32>,
    ) -> Result<Self, CodeError> {
        Self::restore(code, expires_at, max_uses, 0)
    }

    /// A code as stored, with its use count; refuses counts above the maximum.
    pub fn restore(
        code: CodeText,
        expires_at: Option<DateTime<Utc>>,
        max_uses: Option<u32>,
        uses: u32,
    ) -> Result<Self, CodeError> {
        match max_uses {
            Some(0) => Err(CodeError::MaxUsesZero),
            Some(max) if uses > max => Err(CodeError::UsesAboveMax),
            _ => Ok(Self {
                code,
                expires_at,
                max_uses,
                uses,
            }),
        }
    }

    /// The code text.
    pub fn code(&self) -> &CodeText {
        &self.code
    }
    /// From this instant on the code no longer works.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at
    }
    /// How many applications it admits in all.
    pub fn max_uses(&self) -> Option<u32> {
        self.max_uses
    }
    /// How many applications it has admitted.
    pub fn uses(&self) -> u32 {
        self.uses
    }

    /// Expired once `now` reaches `expires_at`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// No uses left.
    pub fn is_used_up(&self) -> bool {
        self.max_uses.is_some_and(|max| self.uses >= max)
    }

    /// Whether the code admits one more application at `now`.
    pub fn check_usable(&self, now: DateTime<Utc>) -> Result<(), UrlRefusal> {
        if self.is_expired(now) {
            Err(UrlRefusal::CodeExpired)
        } else if self.is_used_up() {
            Err(UrlRefusal::CodeUsedUp)
        } else {
            Ok(())
        }
    }

    /// Counts one use, refused when expired or used up: the rule storage's conditional
    /// increment applies (`RegistrationUrlRepository::consume_code`).
    pub fn record_use(&mut self, now: DateTime<Utc>) -> Result<(), UrlRefusal> {
        self.check_usable(now)?;
        self.uses = self.uses.saturating_add(1);
        Ok(())
    }

    /// The same code with new limits and its use count kept (editing, A5); refused when the
    /// new maximum is below the uses already made.
    pub fn with_limits(
        &self,
        expires_at: Option<DateTime<Utc>>,
        max_uses: Option<u32>,
    ) -> Result<Self, CodeError> {
        Self::restore(self.code.clone(), expires_at, max_uses, self.uses)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(10)
    }

    fn text(s: &str) -> CodeText {
        CodeText::parse(s).unwrap()
    }

    #[test]
    fn a5_code_text_bounds() {
        assert_eq!(CodeText::parse("abc"), Err(CodeError::TooShort));
        assert_eq!(text(" abcd12 ").as_str(), "abcd12");
        assert!(CodeText::parse(&"x".repeat(64)).is_ok());
        assert_eq!(CodeText::parse(&"x".repeat(65)), Err(CodeError::TooLong));
        assert_eq!(CodeText::parse("ab cd"), Err(CodeError::Whitespace));
        assert_eq!(CodeText::parse("ab\u{7}cd"), Err(CodeError::Whitespace));
        assert!(!format!("{:?}", text("secret1")).contains("secret1"));
    }

    #[test]
    fn a5_code_match_is_exact_after_trimming() {
        let c = text("Spring2026");
        assert!(c.matches("Spring2026"));
        assert!(c.matches(" Spring2026\n"));
        assert!(!c.matches("spring2026"), "codes are case-sensitive");
        assert!(!c.matches("Spring202"));
    }

    #[test]
    fn a5_max_uses_zero_and_corrupt_counts_refused() {
        assert_eq!(
            AuthCode::new(text("abcd12"), None, Some(0)),
            Err(CodeError::MaxUsesZero)
        );
        assert_eq!(
            AuthCode::restore(text("abcd12"), None, Some(2), 3),
            Err(CodeError::UsesAboveMax)
        );
    }

    #[test]
    fn a5_used_up_code_refused() {
        let mut c = AuthCode::new(text("abcd12"), None, Some(2)).unwrap();
        assert_eq!(c.record_use(t0()), Ok(()));
        assert_eq!(c.record_use(t0()), Ok(()));
        assert_eq!(c.record_use(t0()), Err(UrlRefusal::CodeUsedUp));
        assert_eq!(c.uses(), 2);
    }

    #[test]
    fn a5_expired_code_refused() {
        let mut c = AuthCode::new(text("abcd12"), Some(t0()), None).unwrap();
        assert_eq!(c.check_usable(t0() - Duration::seconds(1)), Ok(()));
        assert_eq!(c.record_use(t0()), Err(UrlRefusal::CodeExpired));
        assert_eq!(c.uses(), 0);
    }

    #[test]
    fn a5_editing_limits_keeps_uses_and_refuses_max_below_them() {
        let c = AuthCode::restore(text("abcd12"), None, Some(5), 3).unwrap();
        let edited = c.with_limits(Some(t0()), Some(3)).unwrap();
        assert_eq!((edited.uses(), edited.max_uses()), (3, Some(3)));
        assert!(edited.is_used_up());
        assert_eq!(c.with_limits(None, Some(2)), Err(CodeError::UsesAboveMax));
    }

    proptest! {
        #[test]
        fn a5_code_text_accepts_only_6_to_64_non_space_chars(raw in any::<String>()) {
            let t = raw.trim();
            let n = t.chars().count();
            let ok = (CODE_MIN_CHARS..=64).contains(&n) && !t.chars().any(|c| c.is_whitespace() || c.is_control());
            prop_assert_eq!(CodeText::parse(&raw).is_ok(), ok);
        }

        #[test]
        fn a5_uses_never_exceed_max_uses(max in proptest::option::of(1u32..8), attempts in 0usize..20) {
            let mut c = AuthCode::new(text("abcd12"), None, max).unwrap();
            let mut admitted = 0usize;
            for _ in 0..attempts {
                if c.record_use(t0()).is_ok() {
                    admitted += 1;
                }
                if let Some(max) = max {
                    prop_assert!(c.uses() <= max);
                }
            }
            let limit = max.map_or(attempts, |m| attempts.min(m as usize));
            prop_assert_eq!(admitted, limit);
            prop_assert_eq!(c.uses() as usize, admitted);
        }

        #[test]
        fn a5_an_expired_code_never_passes(offset in 0i64..1_000_000, max in proptest::option::of(1u32..5)) {
            let mut c = AuthCode::new(text("abcd12"), Some(t0()), max).unwrap();
            let now = t0() + Duration::seconds(offset);
            prop_assert_eq!(c.check_usable(now), Err(UrlRefusal::CodeExpired));
            prop_assert_eq!(c.record_use(now), Err(UrlRefusal::CodeExpired));
            prop_assert_eq!(c.uses(), 0);
        }
    }
}
