//! Dates as archives write them, to RFC 3339.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Normalises a source date to RFC 3339: `2012-12-29` for a day,
/// `2012-12-29T10:15:00Z` (UTC) for a moment. `None` when it is not a date
/// or not a possible one.
///
/// Years outside 1678–2261 count as impossible: the index keeps dates as
/// i64 nanoseconds (1677-09-21 to 2262-04-11), and a story dated `9999`
/// overflowed that, panicking debug builds of the indexer and storing a
/// wrapped, wrong date in release ones (the overflow was found in `date:`
/// queries by tests/query_props.rs; tests/hostile.rs indexes such a story).
pub fn normalize(s: &str) -> Option<String> {
    let date = parse_any(s)?;
    let year: i32 = date.get(..4)?.parse().ok()?;
    (1678..=2261).contains(&year).then_some(date)
}

fn parse_any(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(moment(d.naive_utc()));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(moment(d.naive_utc()));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(moment(d));
        }
    }
    // Reuters-21578: `26-FEB-1987 15:01:01.79`.
    if let Some((day, time)) = s.split_once(' ') {
        if let (Ok(d), Some(t)) = (
            NaiveDate::parse_from_str(day, "%d-%b-%Y"),
            time.split('.').next(),
        ) {
            if let Ok(t) = chrono::NaiveTime::parse_from_str(t, "%H:%M:%S") {
                return Some(moment(d.and_time(t)));
            }
            return Some(d.to_string());
        }
    }
    let cleaned = s.replace(['.', ','], " ");
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in [
        "%Y-%m-%d",
        "%Y%m%d",
        "%d-%b-%Y",
        "%B %d %Y",
        "%b %d %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%A %B %d %Y",
        "%a %b %d %Y",
        "%Y/%m/%d",
        "%m/%d/%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(&cleaned, f) {
            return Some(d.to_string());
        }
    }
    // `Sept.` is AP style but not chrono's.
    if cleaned.contains("Sept ") {
        return parse_any(&cleaned.replace("Sept ", "Sep "));
    }
    None
}

fn moment(d: NaiveDateTime) -> String {
    d.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A four-digit year from 1900 to 2099 in a path, e.g. `archive/2012/…`.
pub fn year_in_path(path: &str) -> Option<i32> {
    let b = path.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let boundary = |j: usize| j >= b.len() || !b[j].is_ascii_digit();
        let before = i == 0 || !b[i - 1].is_ascii_digit();
        if before
            && boundary(i + 4)
            && w.iter().all(u8::is_ascii_digit)
            && (w[0..2] == *b"19" || w[0..2] == *b"20")
        {
            std::str::from_utf8(w).ok()?.parse().ok()
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_the_index_cannot_hold_are_refused() {
        assert_eq!(normalize("9999-12-31"), None);
        assert_eq!(normalize("0001-01-01T00:00:00Z"), None);
        assert_eq!(normalize("1678-01-01").unwrap(), "1678-01-01");
        assert_eq!(normalize("2261-12-31").unwrap(), "2261-12-31");
    }

    #[test]
    fn common_forms_normalise() {
        assert_eq!(normalize("2012-12-29").unwrap(), "2012-12-29");
        assert_eq!(normalize("December 29, 2012").unwrap(), "2012-12-29");
        assert_eq!(normalize("Dec. 29, 2012").unwrap(), "2012-12-29");
        assert_eq!(normalize("Sept. 3, 2012").unwrap(), "2012-09-03");
        assert_eq!(normalize("29 Dec 2012").unwrap(), "2012-12-29");
        assert_eq!(
            normalize("Sat, 29 Dec 2012 10:15:00 +0100").unwrap(),
            "2012-12-29T09:15:00Z"
        );
        assert_eq!(
            normalize("2012-12-29T10:15:00+00:00").unwrap(),
            "2012-12-29T10:15:00Z"
        );
        assert_eq!(
            normalize("26-FEB-1987 15:01:01.79").unwrap(),
            "1987-02-26T15:01:01Z"
        );
        assert_eq!(
            normalize("20121229T101500").unwrap(),
            "2012-12-29T10:15:00Z"
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        for s in [
            "2012-13-40",
            "2012-02-30",
            "February 30, 2012",
            "yesterday",
            "",
            "12",
        ] {
            assert_eq!(normalize(s), None, "{s}");
        }
    }

    #[test]
    fn years_in_paths() {
        assert_eq!(year_in_path("archive/2012/12/story.txt"), Some(2012));
        assert_eq!(year_in_path("ap-20121229.txt"), None);
        assert_eq!(year_in_path("a/12345/b"), None);
        assert_eq!(year_in_path("reut-1987.sgm"), Some(1987));
    }
}
