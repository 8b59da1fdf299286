//! The encodings a CSV file may use (C2, C7).

use std::fmt;
use std::str::FromStr;

/// A file's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 without a byte order mark. On import a BOM is skipped whatever is chosen.
    Utf8,
    /// UTF-8 starting with a byte order mark, which tells Excel the file is UTF-8 (export).
    Utf8Bom,
    /// Shift_JIS as Windows writes it (CP932 / Windows-31J, with the NEC and IBM
    /// extensions): what Excel saves in Japan.
    ShiftJis,
}

/// A name that is not one of the encodings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding {0:?}: expected utf-8, utf-8-bom or shift_jis")]
pub struct UnknownEncoding(pub String);

impl Encoding {
    /// The name used by the API and the CLI: `utf-8`, `utf-8-bom`, `shift_jis`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf8Bom => "utf-8-bom",
            Self::ShiftJis => "shift_jis",
        }
    }

    /// The `charset` of a `Content-Type` for this encoding.
    pub fn charset(self) -> &'static str {
        match self {
            Self::Utf8 | Self::Utf8Bom => "utf-8",
            Self::ShiftJis => "shift_jis",
        }
    }

    /// The encoding a `Content-Type` names with its `charset` parameter, if any
    /// (`text/csv; charset=Shift_JIS`). An unknown charset is an error.
    pub fn from_content_type(content_type: &str) -> Result<Option<Self>, UnknownEncoding> {
        content_type
            .split(';')
            .skip(1)
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
            .map(|(_, value)| value.trim().trim_matches('"').parse())
            .transpose()
    }
}

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Accepts the API names and the usual aliases, ignoring ASCII case.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Self::Utf8),
            "utf-8-bom" | "utf8-bom" => Ok(Self::Utf8Bom),
            "shift-jis" | "sjis" | "cp932" | "windows-31j" | "ms932" | "x-sjis" => {
                Ok(Self::ShiftJis)
            }
            _ => Err(UnknownEncoding(name.to_owned())),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c2_names_and_aliases_parse() {
        for (name, encoding) in [
            ("utf-8", Encoding::Utf8),
            ("UTF8", Encoding::Utf8),
            ("utf-8-bom", Encoding::Utf8Bom),
            ("shift_jis", Encoding::ShiftJis),
            ("Shift_JIS", Encoding::ShiftJis),
            ("CP932", Encoding::ShiftJis),
            ("windows-31j", Encoding::ShiftJis),
        ] {
            assert_eq!(name.parse::<Encoding>(), Ok(encoding), "{name}");
        }
        assert!("latin1".parse::<Encoding>().is_err());
        for e in [Encoding::Utf8, Encoding::Utf8Bom, Encoding::ShiftJis] {
            assert_eq!(e.as_str().parse::<Encoding>(), Ok(e));
        }
    }

    #[test]
    fn c2_content_type_charset_is_read() {
        let sjis = Encoding::from_content_type("text/csv; charset=\"Shift_JIS\"");
        assert_eq!(sjis, Ok(Some(Encoding::ShiftJis)));
        assert_eq!(Encoding::from_content_type("text/csv"), Ok(None));
        assert_eq!(
            Encoding::from_content_type("text/csv;header=present; Charset=utf-8"),
            Ok(Some(Encoding::Utf8))
        );
        assert!(Encoding::from_content_type("text/csv; charset=koi8-r").is_err());
    }
}
