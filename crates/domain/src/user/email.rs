//! An email address (U1): checked for the shape mail servers accept, so a bad address is
//! refused at the door rather than bouncing later.

use crate::error::ErrorCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A syntactically valid email address, trimmed; the domain is lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// Why an email address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid email address")]
pub struct EmailError;

impl ErrorCode for EmailError {
    fn code(&self) -> &'static str {
        "invalid_email"
    }
}

impl Email {
    /// Parses `local@domain`: at most 254 characters, local part 1–64 characters of
    /// printable ASCII or UTF-8 without white space, `"`, `(`, `)`, `,`, `:`, `;`, `<`, `>`,
    /// `@`, `[`, `\`, `]`; a domain of dot-separated labels (letters, digits, hyphens,
    /// not starting or ending with a hyphen), with at least one dot.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let text = raw.trim();
        if text.chars().count() > 254 {
            return Err(EmailError);
        }
        let (local, domain) = text.rsplit_once('@').ok_or(EmailError)?;
        if !valid_local(local) || !valid_domain(domain) {
            return Err(EmailError);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn valid_local(local: &str) -> bool {
    const FORBIDDEN: &[char] = &['"', '(', ')', ',', ':', ';', '<', '>', '@', '[', '\\', ']'];
    let n = local.chars().count();
    (1..=64).contains(&n)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(&c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl Serialize for Email {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        assert_eq!(
            Email::parse(" Taro.Yamada+lms@Example.CO.jp ")
                .unwrap()
                .as_str(),
            "Taro.Yamada+lms@example.co.jp"
        );
        assert!(Email::parse("山田@例え.jp").is_ok());
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a b@example.com",
            "a@exa mple.com",
            "a@-example.com",
            "a@example..com",
            ".a@example.com",
            "a..b@example.com",
            "a\n@example.com",
            "<a>@example.com",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_round_trips(raw in any::<String>()) {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email.clone());
                prop_assert!(!email.as_str().chars().any(char::is_whitespace));
            }
        }

        #[test]
        fn generated_valid_addresses_parse(local in "[a-z0-9][a-z0-9._+-]{0,20}[a-z0-9]", domain in "[a-z0-9]{1,10}\\.[a-z]{2,6}") {
            prop_assume!(!local.contains(".."));
            let address = format!("{local}@{domain}");
            prop_assert!(Email::parse(&address).is_ok(), "{}", address);
        }
    }
}
