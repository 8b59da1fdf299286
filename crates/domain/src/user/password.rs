//! The password policy (U1, U5, U9, U10, C1): a plain-text password on its way to the hasher.
//!
//! Rules, after NIST SP 800-63B: 8–256 characters counted as characters (not bytes), taken
//! exactly as typed — never trimmed (spaces belong to a passphrase) and never truncated (a
//! silently shortened password is a weaker one) — and refused when it is guessable: zxcvbn
//! scores it below 2 (found within about 10^6 guesses), with the user's own login ID, name and
//! email counted as known words. No composition rules ("one digit, one symbol"): they make
//! passwords harder to remember, not harder to guess.
//!
//! [`Password`] is a secret: no `Display`, no `Serialize`, and `Debug` prints
//! `Password(<redacted>)`, so it can never reach a log line or a response by accident.

use crate::error::ErrorCode;
use std::fmt;

/// Shortest accepted password, in characters.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Longest accepted password, in characters. Bounds the hashing and strength-check cost.
pub const PASSWORD_MAX_CHARS: usize = 256;
/// Lowest accepted zxcvbn score (0–4): 2 means more than about 10^6 guesses are needed.
pub const PASSWORD_MIN_SCORE: u8 = 2;

/// A password that passed the policy. Only [`Password::expose`] reveals it, for the hasher.
#[derive(Clone)]
pub struct Password(String);

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Under 8 characters.
    #[error("the password is shorter than {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    /// Over 256 characters.
    #[error("the password is longer than {PASSWORD_MAX_CHARS} characters")]
    TooLong,
    /// Common, guessable, or built from the user's own login ID, name or email.
    #[error("the password is too easy to guess{}", warning_suffix(.warning))]
    TooCommon {
        /// zxcvbn's explanation ("This is a top-100 common password."), when it gives one.
        warning: Option<String>,
    },
}

fn warning_suffix(warning: &Option<String>) -> String {
    warning
        .as_ref()
        .map(|w| format!(": {w}"))
        .unwrap_or_default()
}

impl ErrorCode for PasswordError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
            Self::TooCommon { .. } => "password_too_common",
        }
    }
}

impl Password {
    /// Checks `raw` against the policy. `user_inputs` are the user's login ID, name and email
    /// (whatever is known): a password made from them is refused as guessable.
    pub fn parse(raw: &str, user_inputs: &[&str]) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        // The length check above bounds zxcvbn's work (it also only scores the first 100
        // characters itself); it returns a value for every non-empty string, never an error.
        let words = known_words(user_inputs);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let entropy = zxcvbn::zxcvbn(raw, &words);
        if u8::from(entropy.score()) < PASSWORD_MIN_SCORE {
            let warning = entropy
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| w.to_string());
            return Err(PasswordError::TooCommon { warning });
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password itself, to hand to the hasher. Never log or return it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The user inputs, plus their parts: `alice.smith@example.com` also yields `alice`, `smith`
/// and `example`, so `alicesmith2024` counts as built from the email, not only the whole
/// address. Parts under 3 characters are dropped: they would flag nearly every password.
fn known_words(user_inputs: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut push = |word: &str| {
        let word = word.trim();
        if word.chars().count() >= 3 && !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    };
    for input in user_inputs {
        push(input);
        if let Some((local, _domain)) = input.split_once('@') {
            push(local);
        }
        for part in input.split(|c: char| !c.is_alphanumeric()) {
            push(part);
        }
    }
    words
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STRONG: &str = "correct horse battery staple";

    fn code(raw: &str, inputs: &[&str]) -> &'static str {
        Password::parse(raw, inputs).unwrap_err().code()
    }

    #[test]
    fn u1_length_bounds_count_characters_not_bytes() {
        // Random-looking kanji: zxcvbn cannot find a pattern, so only the length decides.
        let kanji = "鷹鯨梟狐鰐蛸駱鷺猩鼬蝙蟷螂蜥蜴獺狢鸚鵡貂麒麟"
            .chars()
            .cycle();
        let of = |n: usize| kanji.clone().take(n).collect::<String>();
        assert_eq!(
            Password::parse(&of(7), &[]).unwrap_err(),
            PasswordError::TooShort
        );
        assert!(of(7).len() > PASSWORD_MIN_CHARS, "7 kanji are 21 bytes");
        assert_eq!(Password::parse(&of(8), &[]).unwrap().expose(), of(8));
        assert_eq!(Password::parse(&of(256), &[]).unwrap().expose(), of(256));
        assert_eq!(
            Password::parse(&of(257), &[]).unwrap_err(),
            PasswordError::TooLong
        );
        assert_eq!(code(&of(7), &[]), "password_too_short");
        assert_eq!(code(&of(257), &[]), "password_too_long");
    }

    #[test]
    fn u1_never_trimmed_nor_truncated() {
        let spaced = format!("  {STRONG}  ");
        assert_eq!(Password::parse(&spaced, &[]).unwrap().expose(), spaced);
        // Seven characters padded with spaces to eight: the spaces count.
        assert!(Password::parse(" Zq7#xP2", &[]).is_ok());
        assert_eq!(
            Password::parse("Zq7#xP2", &[]).unwrap_err(),
            PasswordError::TooShort
        );
        let long = format!("{STRONG} {}", "x".repeat(200));
        assert_eq!(Password::parse(&long, &[]).unwrap().expose(), long);
    }

    #[test]
    fn u1_common_passwords_are_refused_with_a_warning() {
        for common in ["password123", "qwertyuiop", "12345678", "iloveyou1"] {
            let err = Password::parse(common, &[]).unwrap_err();
            assert_eq!(err.code(), "password_too_common", "{common}");
        }
        let PasswordError::TooCommon { warning } = Password::parse("password123", &[]).unwrap_err()
        else {
            panic!("expected TooCommon");
        };
        assert!(warning.is_some_and(|w| w.contains("common")));
    }

    #[test]
    fn u1_password_built_from_own_login_id_name_or_email_is_refused() {
        let login = "kz8wq3rt";
        assert!(
            Password::parse(login, &[]).is_ok(),
            "strong enough on its own"
        );
        assert_eq!(code(login, &[login]), "password_too_common");
        assert_eq!(code("KZ8WQ3RT", &[login]), "password_too_common");
        let email = "vqxmulberryz@example.com";
        assert!(Password::parse("vqxmulberryz1", &[]).is_ok());
        assert_eq!(
            code("vqxmulberryz1", &["someone", "Some One", email]),
            "password_too_common"
        );
    }

    #[test]
    fn u1_strong_passphrase_is_accepted() {
        let ok = Password::parse(STRONG, &["alice", "Alice Smith", "alice@example.com"]).unwrap();
        assert_eq!(ok.expose(), STRONG);
        assert!(Password::parse("Tr0ub4dour&3-lantern-violet", &["bob"]).is_ok());
    }

    #[test]
    fn u1_debug_redacts_the_secret() {
        let p = Password::parse(STRONG, &[]).unwrap();
        let shown = format!("{p:?} {:?}", Some(&p));
        assert!(!shown.contains("horse"));
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
        // The error never carries the password either.
        let err = Password::parse("password123", &[]).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("password123"));
    }

    #[test]
    fn known_words_split_email_and_names() {
        let words = known_words(&["al", "Alice Smith", "alice.smith@example.com"]);
        assert_eq!(
            words,
            [
                "Alice Smith",
                "Alice",
                "Smith",
                "alice.smith@example.com",
                "alice.smith",
                "alice",
                "smith",
                "example",
                "com"
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn u1_parse_never_panics(raw in any::<String>(), input in any::<String>()) {
            if let Ok(p) = Password::parse(&raw, &[&input]) {
                let n = p.expose().chars().count();
                prop_assert!((PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&n));
                prop_assert_eq!(p.expose(), raw.as_str());
            }
        }

        #[test]
        fn u1_parse_never_panics_near_the_bounds(raw in "\\PC{6,260}") {
            let n = raw.chars().count();
            match Password::parse(&raw, &["alice"]) {
                Ok(_) => prop_assert!((PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&n)),
                Err(PasswordError::TooShort) => prop_assert!(n < PASSWORD_MIN_CHARS),
                Err(PasswordError::TooLong) => prop_assert!(n > PASSWORD_MAX_CHARS),
                Err(PasswordError::TooCommon { .. }) => {
                    prop_assert!((PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&n));
                }
            }
        }
    }
}
