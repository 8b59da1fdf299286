//! Registration URLs (A5): one per group; a person registering through it joins the group.
//! A URL may require one of up to 10 authentication codes, and can be edited, stopped and
//! published again.
//!
//! Decision: the URL's token is kept in plain text, unlike login and mail-link secrets. It is
//! published on purpose (posters, course pages) and A5 asks for a CSV download of the URLs,
//! which needs it; what guards a URL that must not be open to everyone is its codes.

use super::code::{AuthCode, CodeError, CodeText};
use crate::error::ErrorCode;
use crate::ids::{GroupId, RegistrationUrlId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Most codes on one URL (A5).
pub const MAX_CODES_PER_URL: usize = 10;

/// The token in `/register/{registration_token}`: 16–128 characters of `A–Z a–z 0–9 - _`
/// (a base64url random value from the token generator).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UrlToken(String);

/// Text that cannot be a URL token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a registration URL token")]
pub struct UrlTokenError;

impl ErrorCode for UrlTokenError {
    fn code(&self) -> &'static str {
        "registration_url_token_malformed"
    }
}

impl UrlToken {
    /// Parses a token from a path or from storage.
    pub fn parse(raw: &str) -> Result<Self, UrlTokenError> {
        let ok = (16..=128).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(UrlTokenError)
        }
    }

    /// The token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UrlToken {
    type Error = UrlTokenError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}
impl From<UrlToken> for String {
    fn from(token: UrlToken) -> Self {
        token.0
    }
}
impl fmt::Display for UrlToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a URL accepts applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlStatus {
    /// Published: accepts applications.
    Active,
    /// Stopped: refuses them (`registration_url_stopped`).
    Stopped,
}

impl UrlStatus {
    /// The wire, storage and CSV word.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Stopped => "stopped",
        }
    }
}

/// Why a URL's codes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// More than 10 codes.
    #[error("a URL has at most {MAX_CODES_PER_URL} codes, not {0}")]
    TooManyCodes(usize),
    /// The same code twice.
    #[error("the same code is listed twice")]
    DuplicateCode,
    /// A code itself was refused.
    #[error(transparent)]
    Code(#[from] CodeError),
}

impl ErrorCode for UrlError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooManyCodes(_) => "registration_too_many_codes",
            Self::DuplicateCode => "registration_code_duplicate",
            Self::Code(e) => e.code(),
        }
    }
}

/// The codes of one URL: at most 10, all different. Empty means no code is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthCodes(Vec<AuthCode>);

impl AuthCodes {
    /// Checks the count and that no code repeats.
    pub fn new(codes: Vec<AuthCode>) -> Result<Self, UrlError> {
        if codes.len() > MAX_CODES_PER_URL {
            return Err(UrlError::TooManyCodes(codes.len()));
        }
        for (i, code) in codes.iter().enumerate() {
            if codes[..i].iter().any(|c| c.code() == code.code()) {
                return Err(UrlError::DuplicateCode);
            }
        }
        Ok(Self(codes))
    }

    /// The codes.
    pub fn iter(&self) -> impl Iterator<Item = &AuthCode> {
        self.0.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No code asked for.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The code with this exact text.
    pub fn get(&self, text: &CodeText) -> Option<&AuthCode> {
        self.0.iter().find(|c| c.code() == text)
    }
}

/// A code as an administrator sets it when publishing or editing (A5).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CodeSpec {
    /// The code.
    pub code: CodeText,
    /// When it stops working.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// How many applications it admits.
    #[serde(default)]
    pub max_uses: Option<u32>,
}

/// A group's registration URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationUrl {
    /// Its id.
    pub id: RegistrationUrlId,
    /// The group applicants join.
    pub group_id: GroupId,
    /// The token in the link.
    pub token: UrlToken,
    /// Active or stopped.
    pub status: UrlStatus,
    /// The codes, one of which an applicant must give when any exist.
    pub codes: AuthCodes,
    /// When it was first published.
    pub created_at: DateTime<Utc>,
}

/// What publishing means for a group, given its URL if it has one (A5 bulk publish).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishPlan {
    /// No URL yet: create one.
    Create,
    /// A stopped URL: make it active again, keeping its link (already handed out).
    Resume(RegistrationUrlId),
    /// Already active: nothing to do.
    AlreadyActive(RegistrationUrlId),
}

/// A5: what to do when an administrator publishes a URL for a group.
pub fn plan_publish(existing: Option<&RegistrationUrl>) -> PublishPlan {
    match existing.map(|url| (url.id, url.status)) {
        None => PublishPlan::Create,
        Some((id, UrlStatus::Stopped)) => PublishPlan::Resume(id),
        Some((id, UrlStatus::Active)) => PublishPlan::AlreadyActive(id),
    }
}

/// Builds new codes from specs, keeping the use counts of codes that stay (so editing an
/// expiry does not hand out fresh uses).
fn codes_from_specs(current: &AuthCodes, specs: Vec<CodeSpec>) -> Result<AuthCodes, UrlError> {
    if specs.len() > MAX_CODES_PER_URL {
        return Err(UrlError::TooManyCodes(specs.len()));
    }
    let codes = specs
        .into_iter()
        .map(|spec| match current.get(&spec.code) {
            Some(kept) => kept.with_limits(spec.expires_at, spec.max_uses),
            None => AuthCode::new(spec.code, spec.expires_at, spec.max_uses),
        })
        .collect::<Result<Vec<_>, _>>()?;
    AuthCodes::new(codes)
}

impl RegistrationUrl {
    /// A5: a new active URL for a group.
    pub fn publish(
        group_id: GroupId,
        token: UrlToken,
        codes: Vec<CodeSpec>,
        now: DateTime<Utc>,
    ) -> Result<Self, UrlError> {
        Ok(Self {
            id: RegistrationUrlId::new(),
            group_id,
            token,
            status: UrlStatus::Active,
            codes: codes_from_specs(&AuthCodes::default(), codes)?,
            created_at: now,
        })
    }

    /// A5: stops the URL; stopping a stopped URL changes nothing (bulk stop).
    pub fn stop(&mut self) {
        self.status = UrlStatus::Stopped;
    }

    /// A5: makes a stopped URL accept applications again.
    pub fn resume(&mut self) {
        self.status = UrlStatus::Active;
    }

    /// A5: replaces the codes. A code that stays keeps its uses; a new maximum below them is
    /// refused (`registration_code_uses_above_max`) — remove the code instead. Nothing
    /// changes when refused.
    pub fn edit_codes(&mut self, specs: Vec<CodeSpec>) -> Result<(), UrlError> {
        self.codes = codes_from_specs(&self.codes, specs)?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A spec for `code` with no limits.
    pub fn spec(code: &str) -> CodeSpec {
        CodeSpec {
            code: CodeText::parse(code).unwrap(),
            expires_at: None,
            max_uses: None,
        }
    }

    /// An active URL for a fresh group with these codes.
    pub fn url(codes: Vec<CodeSpec>) -> RegistrationUrl {
        let token = UrlToken::parse("AAAAbbbbCCCCdddd0123").unwrap();
        RegistrationUrl::publish(GroupId::new(), token, codes, DateTime::<Utc>::UNIX_EPOCH).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{spec, url};
    use super::*;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH
    }

    #[test]
    fn a5_url_token_shape() {
        assert!(UrlToken::parse("abcdefghijklmnop").is_ok());
        assert!(UrlToken::parse("short").is_err());
        assert!(UrlToken::parse("abcdefghijklmnop/").is_err());
        assert!(UrlToken::parse(&"a".repeat(129)).is_err());
    }

    #[test]
    fn a5_at_most_ten_codes_per_url() {
        let ten: Vec<_> = (0..10).map(|i| spec(&format!("code{i:02}"))).collect();
        let mut u = url(ten.clone());
        assert_eq!(u.codes.len(), 10);
        let mut eleven = ten;
        eleven.push(spec("code_10"));
        assert_eq!(
            u.edit_codes(eleven.clone()),
            Err(UrlError::TooManyCodes(11))
        );
        assert_eq!(u.codes.len(), 10, "refused edit changes nothing");
        let token = UrlToken::parse("AAAAbbbbCCCCdddd0123").unwrap();
        assert_eq!(
            RegistrationUrl::publish(GroupId::new(), token, eleven, now())
                .unwrap_err()
                .code(),
            "registration_too_many_codes"
        );
    }

    #[test]
    fn a5_duplicate_codes_refused() {
        let mut u = url(vec![]);
        assert_eq!(
            u.edit_codes(vec![spec("abcd12"), spec("abcd12")]),
            Err(UrlError::DuplicateCode)
        );
    }

    #[test]
    fn a5_editing_keeps_uses_of_kept_codes() {
        let mut u = url(vec![spec("keep01"), spec("drop01")]);
        let kept = u.codes.get(&CodeText::parse("keep01").unwrap()).unwrap();
        let used = AuthCode::restore(kept.code().clone(), None, None, 4).unwrap();
        u.codes = AuthCodes::new(vec![used]).unwrap();
        let mut limited = spec("keep01");
        limited.max_uses = Some(10);
        u.edit_codes(vec![limited, spec("new001")]).unwrap();
        let keep = u.codes.get(&CodeText::parse("keep01").unwrap()).unwrap();
        assert_eq!((keep.uses(), keep.max_uses()), (4, Some(10)));
        assert_eq!(
            u.codes
                .get(&CodeText::parse("new001").unwrap())
                .unwrap()
                .uses(),
            0
        );
        let mut too_low = spec("keep01");
        too_low.max_uses = Some(3);
        assert_eq!(
            u.edit_codes(vec![too_low]).unwrap_err().code(),
            "registration_code_uses_above_max"
        );
    }

    #[test]
    fn a5_stop_and_resume() {
        let mut u = url(vec![]);
        u.stop();
        u.stop();
        assert_eq!(u.status, UrlStatus::Stopped);
        assert_eq!(plan_publish(Some(&u)), PublishPlan::Resume(u.id));
        u.resume();
        assert_eq!(plan_publish(Some(&u)), PublishPlan::AlreadyActive(u.id));
        assert_eq!(plan_publish(None), PublishPlan::Create);
        assert_eq!(UrlStatus::Stopped.as_str(), "stopped");
    }

    proptest! {
        #[test]
        fn a5_code_lists_over_ten_never_accepted(n in 0usize..16) {
            let specs: Vec<_> = (0..n).map(|i| spec(&format!("code{i:02}"))).collect();
            let mut u = url(vec![]);
            prop_assert_eq!(u.edit_codes(specs).is_ok(), n <= MAX_CODES_PER_URL);
            prop_assert!(u.codes.len() <= MAX_CODES_PER_URL);
        }
    }
}
