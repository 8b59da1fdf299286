//! The expiry date (U6) as written in the API and in the CSV `expires_at` column (C1):
//! "ISO 8601 date or date-time".
//!
//! Accepted, surrounding white space ignored:
//! - a date-time with an offset, RFC 3339: `2027-03-31T23:59:59+09:00`, `2027-03-31T14:59:59Z`;
//! - a date-time without an offset (`2027-03-31T12:00:00`, `2027-03-31 12:00:00`, seconds and
//!   a fraction optional), taken as UTC: the server cannot know the writer's zone, and UTC is
//!   what [`format_expiry`] writes;
//! - a plain date, `2027-03-31`. An administrator who writes "expires 31 March" means the user
//!   may still log in on 31 March, so the expiry instant is the **start of the next day**,
//!   `2027-04-01T00:00:00Z` — not midnight at the start of the date, which would lock the user
//!   out a day early.
//! - slashes for hyphens in any of these (`2027/3/31`), as Excel writes dates in Japan (C2).
//!
//! The instant is kept to whole seconds (a fraction is dropped, a leap second becomes :59), and
//! must fall in the years 1970–9999: an earlier year is a typo (`207-03-31`) rather than an
//! expiry, and a later one cannot be written back in four digits. [`format_expiry`] writes
//! RFC 3339 in UTC with seconds (`2027-04-01T00:00:00Z`), which this module reads back as the
//! same instant, so export then import changes nothing (C7).

use crate::error::ErrorCode;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};

/// Why an expiry was refused. Every variant has the code `invalid_expiry`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpiryError {
    /// Not a date or date-time in one of the accepted forms.
    #[error(
        "{0:?} is not a date (2027-03-31) or date-time (2027-03-31T23:59:59+09:00, or UTC without an offset)"
    )]
    Malformed(String),
    /// A valid date outside the years 1970–9999.
    #[error("{0:?} is outside the years 1970 to 9999")]
    OutOfRange(String),
}

impl ErrorCode for ExpiryError {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) | Self::OutOfRange(_) => "invalid_expiry",
        }
    }
}

/// Forms of a date-time without an offset, read as UTC. `%.f` also accepts no fraction.
const NAIVE_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// Parses an expiry (see the module doc for the accepted forms and the meaning of a date).
pub fn parse_expiry(raw: &str) -> Result<DateTime<Utc>, ExpiryError> {
    // Excel in Japan writes dates as `2027/3/31`: read them as `2027-3-31`.
    let slashed = raw.trim().replace('/', "-");
    let text = slashed.as_str();
    let malformed = || ExpiryError::Malformed(raw.to_owned());
    let instant = if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        at.with_timezone(&Utc)
    } else if let Some(at) = NAIVE_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    {
        at.and_utc()
    } else if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        // The whole day is allowed: the user expires at the start of the next one.
        let next = date.succ_opt().ok_or_else(malformed)?;
        next.and_time(NaiveTime::MIN).and_utc()
    } else {
        return Err(malformed());
    };
    let instant = whole_seconds(instant);
    if !(1970..=9999).contains(&instant.year()) {
        return Err(ExpiryError::OutOfRange(raw.to_owned()));
    }
    Ok(instant)
}

/// Writes an expiry as RFC 3339 in UTC with whole seconds: `2027-04-01T00:00:00Z`.
pub fn format_expiry(at: DateTime<Utc>) -> String {
    whole_seconds(at).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Drops the fraction of a second, and a leap second (which chrono keeps as nanoseconds past
/// one billion and would print as `:60`).
/// An expiry as Roster keeps it: to the whole second, as [`format_expiry`] writes it, so an
/// expiry set through the API survives export → import unchanged (C7).
pub fn whole_seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    // Cannot fail: the timestamp comes from a valid instant; keep `at` if it ever did.
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn u6_c1_date_time_with_offset() {
        assert_eq!(
            parse_expiry("2027-03-31T23:59:59+09:00").unwrap(),
            utc(2027, 3, 31, 14, 59, 59)
        );
        assert_eq!(
            parse_expiry("2027-03-31T23:59:59Z").unwrap(),
            utc(2027, 3, 31, 23, 59, 59)
        );
        assert_eq!(
            parse_expiry("2027-03-31 23:59:59-05:00").unwrap(),
            utc(2027, 4, 1, 4, 59, 59)
        );
    }

    #[test]
    fn u6_c1_date_time_without_offset_is_utc() {
        let noon = utc(2027, 3, 31, 12, 0, 0);
        for raw in [
            "2027-03-31T12:00:00",
            "2027-03-31 12:00:00",
            "2027-03-31T12:00",
            " 2027-03-31 12:00 ",
            "2027-03-31T12:00:00.75",
        ] {
            assert_eq!(parse_expiry(raw).unwrap(), noon, "{raw}");
        }
    }

    #[test]
    fn u6_c2_excel_slash_dates_are_accepted() {
        assert_eq!(parse_expiry("2027/3/31").unwrap(), utc(2027, 4, 1, 0, 0, 0));
        assert_eq!(
            parse_expiry("2027/03/31 12:30").unwrap(),
            utc(2027, 3, 31, 12, 30, 0)
        );
    }

    #[test]
    fn u6_c1_plain_date_allows_the_whole_day() {
        let at = parse_expiry("2027-03-31").unwrap();
        assert_eq!(at, utc(2027, 4, 1, 0, 0, 0));
        assert_eq!(
            parse_expiry("2028-02-28").unwrap(),
            utc(2028, 2, 29, 0, 0, 0)
        );
        assert_eq!(
            parse_expiry("2027-12-31").unwrap(),
            utc(2028, 1, 1, 0, 0, 0)
        );
        // Still allowed in the last second of the day, refused from the next one.
        let mut user = crate::user::user::fixtures::user("alice");
        user.expires_at = Some(at);
        assert!(user.can_log_in(utc(2027, 3, 31, 23, 59, 59)));
        assert!(!user.can_log_in(utc(2027, 4, 1, 0, 0, 0)));
    }

    #[test]
    fn u6_c1_fractions_and_leap_seconds_become_whole_seconds() {
        assert_eq!(
            parse_expiry("2027-03-31T12:00:00.999Z").unwrap(),
            utc(2027, 3, 31, 12, 0, 0)
        );
        let leap = parse_expiry("2016-12-31T23:59:60Z").unwrap();
        assert_eq!(format_expiry(leap), "2016-12-31T23:59:59Z");
    }

    #[test]
    fn u6_c1_malformed_and_out_of_range_are_refused() {
        for raw in [
            "",
            "tomorrow",
            "2027-02-30",
            "2027-13-01",
            "31/03/2027",
            "2027-03-31T25:00:00",
            "2027-03-31T12:00:00+25:00",
        ] {
            let err = parse_expiry(raw).unwrap_err();
            assert!(matches!(err, ExpiryError::Malformed(_)), "{raw}: {err:?}");
            assert_eq!(err.code(), "invalid_expiry");
        }
        for raw in [
            "207-03-31",
            "1969-12-31T00:00:00Z",
            "9999-12-31",
            "+12345-01-01",
        ] {
            let err = parse_expiry(raw).unwrap_err();
            assert_eq!(err.code(), "invalid_expiry", "{raw}");
        }
        assert_eq!(
            parse_expiry("1969-12-31T00:00:00Z"),
            Err(ExpiryError::OutOfRange("1969-12-31T00:00:00Z".into()))
        );
        assert!(parse_expiry("9999-12-31T23:59:59Z").is_ok());
    }

    #[test]
    fn c7_whole_seconds_drops_the_fraction_only() {
        let at = utc(2027, 3, 31, 12, 0, 5) + chrono::Duration::milliseconds(750);
        assert_eq!(whole_seconds(at), utc(2027, 3, 31, 12, 0, 5));
        assert_eq!(parse_expiry(&format_expiry(at)).unwrap(), whole_seconds(at));
    }

    #[test]
    fn c7_format_is_rfc3339_utc_with_seconds() {
        let at = utc(2027, 3, 31, 14, 59, 59) + chrono::Duration::milliseconds(250);
        assert_eq!(format_expiry(at), "2027-03-31T14:59:59Z");
        assert_eq!(
            format_expiry(parse_expiry("2027-03-31").unwrap()),
            "2027-04-01T00:00:00Z"
        );
    }

    proptest! {
        #[test]
        fn c7_format_then_parse_round_trips(
            secs in 0i64..=utc(9999, 12, 31, 23, 59, 59).timestamp(),
            nanos in 0u32..1_000_000_000,
        ) {
            let at = DateTime::from_timestamp(secs, nanos).unwrap();
            let text = format_expiry(at);
            let back = parse_expiry(&text).unwrap();
            prop_assert_eq!(back.timestamp(), secs);
            prop_assert_eq!(back.timestamp_subsec_nanos(), 0);
            prop_assert_eq!(format_expiry(back), text);
        }

        #[test]
        fn u6_parse_never_panics(raw in any::<String>()) {
            if let Ok(at) = parse_expiry(&raw) {
                prop_assert!((1970..=9999).contains(&at.year()));
                prop_assert_eq!(parse_expiry(&format_expiry(at)).unwrap(), at);
            }
        }

        #[test]
        fn u6_parse_never_panics_on_date_like_text(raw in "[0-9+-]{1,6}-[0-9]{1,3}-[0-9]{1,3}([T ][0-9:.]{0,14})?([Zz]|[+-][0-9:]{0,6})?") {
            if let Ok(at) = parse_expiry(&raw) {
                prop_assert_eq!(parse_expiry(&format_expiry(at)).unwrap(), at);
            }
        }
    }
}
