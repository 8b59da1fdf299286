//! A score's value as fixed-point thousandths, so a score stored, moved and restored (I6)
//! compares equal to the original bit for bit — no floating-point drift.

use crate::error::ErrorCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Largest magnitude, in thousandths (one billion points). Far above any quiz, and small
/// enough that every value survives a trip through `f64` (JSON numbers) exactly.
pub const SCORE_MAX_THOUSANDTHS: i64 = 1_000_000_000_000;

/// Points scored, with three decimals (`87.5`, `-0.25`, `100`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScoreValue(i64);

/// Why a score value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScoreValueError {
    /// Not a decimal number with at most three decimals.
    #[error("the score is not a decimal number with at most three decimals")]
    Malformed,
    /// Beyond ±1,000,000,000 points, or not finite.
    #[error("the score is out of range")]
    OutOfRange,
}

impl ErrorCode for ScoreValueError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed => "score_malformed",
            Self::OutOfRange => "score_out_of_range",
        }
    }
}

impl ScoreValue {
    /// A value from thousandths of a point (how storage keeps it).
    pub fn from_thousandths(thousandths: i64) -> Result<Self, ScoreValueError> {
        if thousandths.unsigned_abs() > SCORE_MAX_THOUSANDTHS.unsigned_abs() {
            return Err(ScoreValueError::OutOfRange);
        }
        Ok(Self(thousandths))
    }

    /// Thousandths of a point.
    pub const fn thousandths(self) -> i64 {
        self.0
    }

    /// From a JSON number: rounded to the nearest thousandth (the precision scores have).
    pub fn from_f64(points: f64) -> Result<Self, ScoreValueError> {
        let scaled = (points * 1000.0).round();
        if !scaled.is_finite() || scaled.abs() > SCORE_MAX_THOUSANDTHS as f64 {
            return Err(ScoreValueError::OutOfRange);
        }
        Self::from_thousandths(scaled as i64)
    }

    /// As a JSON number; `from_f64` of it gives this value back exactly.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// Parses `87`, `87.5`, `-0.125`: an optional sign, digits, at most three decimals.
    pub fn parse(raw: &str) -> Result<Self, ScoreValueError> {
        let (negative, unsigned) = match raw.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 3 {
            return Err(ScoreValueError::Malformed);
        }
        if unsigned.ends_with('.') {
            return Err(ScoreValueError::Malformed);
        }
        let whole: i64 = whole.parse().map_err(|_| ScoreValueError::OutOfRange)?;
        let fraction: i64 = format!("{fraction:0<3}")
            .parse()
            .map_err(|_| ScoreValueError::Malformed)?;
        let magnitude = whole
            .checked_mul(1000)
            .and_then(|w| w.checked_add(fraction))
            .ok_or(ScoreValueError::OutOfRange)?;
        Self::from_thousandths(if negative { -magnitude } else { magnitude })
    }
}

impl fmt::Display for ScoreValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        let (whole, fraction) = (magnitude / 1000, magnitude % 1000);
        if fraction == 0 {
            return write!(f, "{sign}{whole}");
        }
        let decimals = format!("{fraction:03}");
        write!(f, "{sign}{whole}.{}", decimals.trim_end_matches('0'))
    }
}

impl Serialize for ScoreValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

impl<'de> Deserialize<'de> for ScoreValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let points = f64::deserialize(d)?;
        Self::from_f64(points).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn l1_score_parse_and_display() {
        let v = ScoreValue::parse("87.5").unwrap();
        assert_eq!(v.thousandths(), 87_500);
        assert_eq!(v.to_string(), "87.5");
        assert_eq!(ScoreValue::parse("-0.125").unwrap().to_string(), "-0.125");
        assert_eq!(ScoreValue::parse("100").unwrap().to_string(), "100");
        for bad in ["", "-", ".5", "5.", "1.2345", "1e3", "+1", "1,5", "--1"] {
            assert_eq!(
                ScoreValue::parse(bad),
                Err(ScoreValueError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(
            ScoreValue::parse("1000000001"),
            Err(ScoreValueError::OutOfRange)
        );
        assert_eq!(
            ScoreValue::parse("99999999999999999999"),
            Err(ScoreValueError::OutOfRange)
        );
    }

    #[test]
    fn l1_score_refuses_non_finite() {
        assert_eq!(
            ScoreValue::from_f64(f64::NAN),
            Err(ScoreValueError::OutOfRange)
        );
        assert_eq!(
            ScoreValue::from_f64(f64::INFINITY),
            Err(ScoreValueError::OutOfRange)
        );
        assert_eq!(ScoreValue::from_f64(0.1).unwrap().thousandths(), 100);
    }

    proptest! {
        #[test]
        fn l1_score_round_trips_exactly(t in -SCORE_MAX_THOUSANDTHS..=SCORE_MAX_THOUSANDTHS) {
            let v = ScoreValue::from_thousandths(t).unwrap();
            prop_assert_eq!(ScoreValue::from_f64(v.to_f64()).unwrap(), v);
            prop_assert_eq!(ScoreValue::parse(&v.to_string()).unwrap(), v);
            let json = serde_json::to_string(&v).unwrap();
            prop_assert_eq!(serde_json::from_str::<ScoreValue>(&json).unwrap(), v);
        }
    }
}
