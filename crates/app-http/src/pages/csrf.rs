//! CSRF protection of the page forms: a double-submit token. Every page with a form makes
//! sure the browser holds a `roster_csrf` cookie (256 bits from the token generator;
//! `HttpOnly`, `SameSite=Strict`, `Secure` under an https public URL) and puts the same
//! value in a hidden `csrf` field; a POST is refused (403) unless field and cookie are
//! present and equal. Another site can make a browser send the cookie (not with
//! `SameSite=Strict`, and not read it either), but cannot know it to fill the field.

use crate::state::Roster;
use poem::Request;

/// The cookie's name.
pub const COOKIE: &str = "roster_csrf";

/// The token a form carries, and the `Set-Cookie` value when the browser has none yet.
pub struct CsrfToken {
    /// For the hidden field.
    pub value: String,
    /// To send when new.
    pub set_cookie: Option<String>,
}

/// The browser's current token, if it sent one that looks like ours.
fn presented(req: &Request) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The token for a page: the browser's own, or a new one with its cookie.
pub fn token_for(roster: &Roster, req: &Request) -> CsrfToken {
    if let Some(value) = presented(req) {
        return CsrfToken {
            value,
            set_cookie: None,
        };
    }
    let (secret, _) = roster.secrets.generate();
    let value = secret.expose().to_owned();
    let path = if roster.config.base_path.is_empty() {
        "/".to_owned()
    } else {
        roster.config.base_path.clone()
    };
    let secure = if roster
        .config
        .joining
        .links
        .registration
        .starts_with("https://")
    {
        "; Secure"
    } else {
        ""
    };
    let set_cookie = format!("{COOKIE}={value}; Path={path}; HttpOnly; SameSite=Strict{secure}");
    CsrfToken {
        value,
        set_cookie: Some(set_cookie),
    }
}

/// Whether a POST carries the browser's token in its `csrf` field.
pub fn verify(req: &Request, field: Option<&str>) -> bool {
    match (presented(req), field) {
        (Some(cookie), Some(field)) => constant_time_eq(cookie.as_bytes(), field.as_bytes()),
        _ => false,
    }
}

/// Equal without a timing that tells how many leading bytes matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a8_csrf_compares_whole_values() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
