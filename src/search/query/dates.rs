//! The date forms of `date:`, `--from` and `--to`: `2012`, `2012-12`,
//! `2012-12-29`, and `[A TO B]` ranges with `*` for an open end.

use chrono::NaiveDate;

/// A half-open span of UTC seconds: `start <= t < end`; `None` is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    /// First second included, or open.
    pub start: Option<i64>,
    /// First second excluded, or open.
    pub end: Option<i64>,
}

fn secs(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight always exists")
        .and_utc()
        .timestamp()
}

/// The first day of the year after, tolerant of the far end of the calendar.
fn next_year(y: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.checked_add(1)?, 1, 1)
}

/// Parses one date at day, month or year precision into the whole span it
/// names, so that `2012-12` takes in every second of December.
pub fn parse_period(s: &str) -> Result<DateSpan, String> {
    let bad = || format!("'{s}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD");
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Result<u32, String> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (start, end) = match parts.as_slice() {
        [y] => {
            let y = num(y, 4)? as i32;
            let start = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
            (start, next_year(y).ok_or_else(bad)?)
        }
        [y, m] => {
            let (y, m) = (num(y, 4)? as i32, num(m, 2)?);
            let start = NaiveDate::from_ymd_opt(y, m, 1)
                .ok_or_else(|| format!("'{s}' is not a month: months run 01 to 12"))?;
            let end = if m == 12 {
                next_year(y).ok_or_else(bad)?
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1).ok_or_else(bad)?
            };
            (start, end)
        }
        [y, m, d] => {
            let (y, m, d) = (num(y, 4)? as i32, num(m, 2)?, num(d, 2)?);
            let start = NaiveDate::from_ymd_opt(y, m, d)
                .ok_or_else(|| format!("'{s}' is not a day of the calendar"))?;
            (start, start.succ_opt().ok_or_else(bad)?)
        }
        _ => return Err(bad()),
    };
    Ok(DateSpan {
        start: Some(secs(start)),
        end: Some(secs(end)),
    })
}

/// Parses the inside of `[A TO B]`; `*` leaves an end open. The span runs
/// from the start of A's period to the end of B's.
pub fn parse_range(inner: &str) -> Result<DateSpan, String> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    let [from, to_kw, to] = words.as_slice() else {
        return Err(format!(
            "bad range '[{inner}]': write [FROM TO TO], e.g. [2012-12-01 TO 2012-12-31] or [2012 TO *]"
        ));
    };
    if !to_kw.eq_ignore_ascii_case("to") {
        return Err(format!(
            "bad range '[{inner}]': expected 'TO' between the dates"
        ));
    }
    let start = if *from == "*" {
        None
    } else {
        parse_period(from)?.start
    };
    let end = if *to == "*" {
        None
    } else {
        parse_period(to)?.end
    };
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            return Err(format!("bad range '[{inner}]': it ends before it starts"));
        }
    }
    Ok(DateSpan { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        secs(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn periods_cover_the_whole_year_month_or_day() {
        let y = parse_period("2012").unwrap();
        assert_eq!(
            (y.start, y.end),
            (Some(day("2012-01-01")), Some(day("2013-01-01")))
        );
        let m = parse_period("2012-12").unwrap();
        assert_eq!(
            (m.start, m.end),
            (Some(day("2012-12-01")), Some(day("2013-01-01")))
        );
        let m = parse_period("2012-02").unwrap();
        assert_eq!(m.end, Some(day("2012-03-01")));
        let d = parse_period("2012-12-31").unwrap();
        assert_eq!(
            (d.start, d.end),
            (Some(day("2012-12-31")), Some(day("2013-01-01")))
        );
    }

    #[test]
    fn impossible_dates_are_errors() {
        for s in [
            "2012-13-40",
            "2012-02-30",
            "2012-13",
            "12",
            "2012-1-1",
            "x",
            "",
            "2012-12-29-1",
        ] {
            assert!(parse_period(s).is_err(), "{s}");
        }
        assert!(parse_period("2012-02-29").is_ok());
    }

    #[test]
    fn ranges_with_open_ends() {
        let r = parse_range("2012-12-01 TO 2012-12").unwrap();
        assert_eq!(
            (r.start, r.end),
            (Some(day("2012-12-01")), Some(day("2013-01-01")))
        );
        let r = parse_range("* to 2012").unwrap();
        assert_eq!((r.start, r.end), (None, Some(day("2013-01-01"))));
        let r = parse_range("2012 TO *").unwrap();
        assert_eq!((r.start, r.end), (Some(day("2012-01-01")), None));
        assert!(parse_range("2013 TO 2012").is_err());
        assert!(parse_range("2012 2013").is_err());
        assert!(parse_range("2012 UNTIL 2013").is_err());
        assert!(parse_range("2012-02-30 TO *").is_err());
    }
}
