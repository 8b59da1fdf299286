//! Column conversions shared by every table: instants as microseconds, ids as UUIDs,
//! structured values as JSON text.

use crate::error::corrupt;
use chrono::{DateTime, Utc};
use roster_domain::Unexpected;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// An instant as stored: microseconds since the Unix epoch (the schema's convention).
pub(crate) fn micros(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_micros()
}

/// An optional instant as stored.
pub(crate) fn micros_opt(instant: Option<DateTime<Utc>>) -> Option<i64> {
    instant.map(micros)
}

/// An instant cut to what the store keeps (microseconds), so a value written and the value
/// read back compare equal (optimistic checks compare them).
pub(crate) fn stored_instant(instant: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros(instant)).unwrap_or(instant)
}

/// A stored instant back as a time.
pub(crate) fn instant(value: i64) -> Result<DateTime<Utc>, Unexpected> {
    DateTime::from_timestamp_micros(value)
        .ok_or_else(|| corrupt("instant", format!("{value} µs is out of range")))
}

/// An optional stored instant back as a time.
pub(crate) fn instant_opt(value: Option<i64>) -> Result<Option<DateTime<Utc>>, Unexpected> {
    value.map(instant).transpose()
}

/// A value as JSON text.
pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, Unexpected> {
    serde_json::to_string(value).map_err(Unexpected::new)
}

/// JSON text back as a value.
pub(crate) fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, Unexpected> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip_to_the_microsecond() {
        let t = DateTime::from_timestamp(1_900_000_000, 123_456_789).unwrap();
        let back = instant(micros(t)).unwrap();
        assert_eq!(back, stored_instant(t));
        assert_eq!(back.timestamp_subsec_nanos(), 123_456_000);
        assert!(instant(i64::MAX).is_err());
    }

    #[test]
    fn json_round_trips_and_refuses_garbage() {
        let text = to_json(&vec![1, 2]).unwrap();
        assert_eq!(from_json::<Vec<u8>>("list", &text).unwrap(), vec![1, 2]);
        assert!(from_json::<Vec<u8>>("list", "{").is_err());
    }
}
