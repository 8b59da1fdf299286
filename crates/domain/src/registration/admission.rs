//! A5: whether an application through a registration URL may go ahead, with a clear reason
//! when not. The answer decides what to tell the person; the use of a code is then counted by
//! storage's conditional increment, which settles races for the last use.

use super::code::CodeText;
use super::url::{RegistrationUrl, UrlStatus};
use crate::error::ErrorCode;
use chrono::{DateTime, Utc};

/// Why an application through a URL was refused. Expired and used-up codes are told apart
/// from wrong ones: only someone who knows a real code can see them, and it tells that
/// person to ask the organiser for a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    /// No URL has this token.
    #[error("this registration link does not exist")]
    NotFound,
    /// The URL was stopped.
    #[error("registration through this link has been stopped")]
    Stopped,
    /// The URL asks for a code and none was given.
    #[error("this registration link requires an authentication code")]
    CodeRequired,
    /// No code of the URL matches.
    #[error("the authentication code is not correct")]
    CodeInvalid,
    /// The code matched but has expired.
    #[error("the authentication code has expired")]
    CodeExpired,
    /// The code matched but has no uses left.
    #[error("the authentication code has been used up")]
    CodeUsedUp,
}

impl ErrorCode for UrlRefusal {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "registration_url_not_found",
            Self::Stopped => "registration_url_stopped",
            Self::CodeRequired => "registration_code_required",
            Self::CodeInvalid => "registration_code_invalid",
            Self::CodeExpired => "registration_code_expired",
            Self::CodeUsedUp => "registration_code_used_up",
        }
    }
}

/// Which code admitted the application, for storage to count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsedCode {
    /// The URL asks for no code.
    NoneRequired,
    /// This code; count one use of it.
    Code(CodeText),
}

/// A5: checks an application through `url` with the code the person typed.
pub fn check_application_via_url(
    url: &RegistrationUrl,
    supplied_code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<UsedCode, UrlRefusal> {
    match url.status {
        UrlStatus::Stopped => return Err(UrlRefusal::Stopped),
        UrlStatus::Active => {}
    }
    if url.codes.is_empty() {
        return Ok(UsedCode::NoneRequired);
    }
    let supplied = supplied_code
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(UrlRefusal::CodeRequired)?;
    // Compare against every code, without stopping at a match, so the time does not say
    // which position matched or how many codes there are before it.
    let mut matched = None;
    for code in url.codes.iter() {
        if code.code().matches(supplied) && matched.is_none() {
            matched = Some(code);
        }
    }
    let code = matched.ok_or(UrlRefusal::CodeInvalid)?;
    code.check_usable(now)?;
    Ok(UsedCode::Code(code.code().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::code::AuthCode;
    use crate::registration::url::AuthCodes;
    use crate::registration::url::fixtures::{spec, url};
    use chrono::Duration;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(30)
    }

    fn code(text: &str) -> CodeText {
        CodeText::parse(text).unwrap()
    }

    #[test]
    fn a5_open_url_needs_no_code() {
        let u = url(vec![]);
        assert_eq!(
            check_application_via_url(&u, None, t0()),
            Ok(UsedCode::NoneRequired)
        );
        assert_eq!(
            check_application_via_url(&u, Some("whatever"), t0()),
            Ok(UsedCode::NoneRequired)
        );
    }

    #[test]
    fn a5_stopped_url_refused() {
        let mut u = url(vec![]);
        u.stop();
        let refusal = check_application_via_url(&u, None, t0()).unwrap_err();
        assert_eq!(refusal.code(), "registration_url_stopped");
        assert_eq!(
            refusal.to_string(),
            "registration through this link has been stopped"
        );
    }

    #[test]
    fn a5_missing_code_refused() {
        let u = url(vec![spec("abcd12")]);
        assert_eq!(
            check_application_via_url(&u, None, t0()),
            Err(UrlRefusal::CodeRequired)
        );
        assert_eq!(
            check_application_via_url(&u, Some("   "), t0()),
            Err(UrlRefusal::CodeRequired)
        );
    }

    #[test]
    fn a5_wrong_code_refused() {
        let u = url(vec![spec("abcd12"), spec("efgh12")]);
        assert_eq!(
            check_application_via_url(&u, Some("abce12"), t0()),
            Err(UrlRefusal::CodeInvalid)
        );
        assert_eq!(
            check_application_via_url(&u, Some(" efgh12 "), t0()),
            Ok(UsedCode::Code(code("efgh12")))
        );
    }

    #[test]
    fn a5_expired_code_refused() {
        let mut s = spec("abcd12");
        s.expires_at = Some(t0());
        let u = url(vec![s]);
        assert_eq!(
            check_application_via_url(&u, Some("abcd12"), t0() - Duration::seconds(1)),
            Ok(UsedCode::Code(code("abcd12")))
        );
        assert_eq!(
            check_application_via_url(&u, Some("abcd12"), t0())
                .unwrap_err()
                .code(),
            "registration_code_expired"
        );
    }

    #[test]
    fn a5_used_up_code_refused() {
        let mut u = url(vec![]);
        let used = AuthCode::restore(code("abcd12"), None, Some(3), 3).unwrap();
        u.codes = AuthCodes::new(vec![used]).unwrap();
        assert_eq!(
            check_application_via_url(&u, Some("abcd12"), t0())
                .unwrap_err()
                .code(),
            "registration_code_used_up"
        );
    }

    #[test]
    fn a5_stopped_wins_over_code_problems() {
        let mut u = url(vec![spec("abcd12")]);
        u.stop();
        assert_eq!(
            check_application_via_url(&u, Some("abcd12"), t0()),
            Err(UrlRefusal::Stopped)
        );
    }

    proptest! {
        #[test]
        fn a5_expired_code_never_admits(offset in 0i64..10_000_000, uses in 0u32..3) {
            let c = AuthCode::restore(code("abcd12"), Some(t0()), Some(3), uses).unwrap();
            let mut u = url(vec![]);
            u.codes = AuthCodes::new(vec![c]).unwrap();
            let now = t0() + Duration::seconds(offset);
            prop_assert_eq!(check_application_via_url(&u, Some("abcd12"), now), Err(UrlRefusal::CodeExpired));
        }

        #[test]
        fn a5_admission_then_use_never_exceeds_max(max in 1u32..6, attempts in 0usize..12) {
            let c = AuthCode::new(code("abcd12"), None, Some(max)).unwrap();
            let mut u = url(vec![]);
            u.codes = AuthCodes::new(vec![c]).unwrap();
            let mut admitted = 0u32;
            for _ in 0..attempts {
                if let Ok(UsedCode::Code(text)) = check_application_via_url(&u, Some("abcd12"), t0()) {
                    // Count the use as storage would.
                    let mut counted = u.codes.get(&text).unwrap().clone();
                    counted.record_use(t0()).unwrap();
                    u.codes = AuthCodes::new(vec![counted]).unwrap();
                    admitted += 1;
                }
            }
            prop_assert!(admitted <= max);
            prop_assert_eq!(admitted as usize, attempts.min(max as usize));
        }
    }
}
