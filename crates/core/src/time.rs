//! Times as they are stored and shown: a session's start and end to the minute
//! (`YYYY-MM-DDTHH:MM`), row stamps to the second, days as `YYYY-MM-DD`. Text that reaches
//! here from a row, a file name, a bundle or a form is parsed with chrono, never cut at a byte
//! offset: a malformed or non-ASCII value gives `None` or a validation error, not a panic.

use crate::error::Code;
use chrono::{NaiveDate, NaiveDateTime, Timelike};

use crate::error::{Error, Result};

/// A session's times, to the minute.
pub const MINUTE_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// A time to the minute from a form, a sheet or a row: `T` or a space between day and time,
/// seconds (if any) dropped. `field` names it in the error.
pub fn parse_minute(field: &str, s: &str) -> Result<NaiveDateTime> {
    let t = s.trim().replacen(' ', "T", 1);
    NaiveDateTime::parse_from_str(&t, MINUTE_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S").map(|t| t.with_second(0).unwrap_or(t)))
        .map_err(|_| Error::invalid(Code::ValidationDatetime, &[("field", field), ("value", s.trim())]))
}

pub fn fmt_minute(t: NaiveDateTime) -> String {
    t.format(MINUTE_FORMAT).to_string()
}

/// Whether `s` is a time to the minute as stored (`YYYY-MM-DDTHH:MM`).
pub fn is_minute(s: &str) -> bool {
    s.len() == 16 && NaiveDateTime::parse_from_str(s, MINUTE_FORMAT).is_ok()
}

/// The day of a stored time or stamp (`2026-03-07T09:40`, `2026-03-07 09:40:12`, `2026-03-07`).
pub fn day(s: &str) -> Option<NaiveDate> {
    let head = s.trim().get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// The day of a stored time as text, for a line on paper or in a message; the text itself
/// when it is not a time (shown as it is rather than cut).
pub fn day_text(s: &str) -> String {
    day(s).map(|d| d.to_string()).unwrap_or_else(|| s.to_string())
}

/// The clock time (`HH:MM`) of a stored time; the text itself when it is not one.
pub fn clock_text(s: &str) -> String {
    parse_minute("time", s).map(|t| t.format("%H:%M").to_string()).unwrap_or_else(|_| s.to_string())
}

/// A stored time as people read it: `2026-03-07 09:40`.
pub fn minute_text(s: &str) -> String {
    parse_minute("time", s).map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_and_non_ascii_times_never_panic() {
        for s in [
            "",
            "2026",
            "2026-03-0",
            "２０２６-03-07T09:40",
            "2026-03-07T09:4é",
            "日日日日日日日日日日日日日日日日",
            "2026-13-07T09:40",
        ] {
            assert!(parse_minute("start", s).is_err(), "{s}");
            assert_eq!(clock_text(s), s);
            assert!(!is_minute(s));
        }
        for s in ["", "2026", "２０２６-03-07", "日日日日日日日日日日日日", "2026-13-07T09:40"] {
            assert!(day(s).is_none(), "{s}");
            assert_eq!(day_text(s), s);
        }
        assert_eq!(day_text("2026-03-07T09:4é"), "2026-03-07");
    }

    #[test]
    fn stored_times_read_back() {
        assert_eq!(fmt_minute(parse_minute("start", "2026-03-07 09:40:59").unwrap()), "2026-03-07T09:40");
        assert_eq!(clock_text("2026-03-07T09:40"), "09:40");
        assert_eq!(day_text("2026-03-07T09:40"), "2026-03-07");
        assert_eq!(minute_text("2026-03-07T09:40"), "2026-03-07 09:40");
        assert_eq!(day("2026-03-07 09:40:12.123").unwrap().to_string(), "2026-03-07");
        assert!(is_minute("2026-03-07T09:40"));
    }
}
