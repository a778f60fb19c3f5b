//! What the research views ([`crate::views`]) need from the collection:
//! which stories a [`Selection`] matches, counted per period through the
//! JSON Facet API, or streamed with some of their fields by cursorMark
//! paging. Counting, naming and printing stay with the views.
//!
//! Versions collapse as in a search, but onto each story's earliest
//! version ([`EARLIEST`]) rather than its best scoring: the facets and the
//! stream see one version of each story unless `--all-versions`, and a
//! timeline counts a story on the day it was first filed. (The local
//! index counts the first version it meets, which is not always the
//! earliest: day and week timelines of collapsed stories may differ by a
//! few stories whose versions straddle a period; months rarely.)

use chrono::{DateTime, NaiveDate};
use serde_json::{json, Value};

use super::client::Solr;
use super::search::{matching, solr_error, Matching};
use crate::search::SearchError;
use crate::views::timeline::{DayCounts, Period, MAX_PERIODS};
use crate::views::Selection;

/// Documents asked for per page of a stream.
const PAGE: usize = 500;

/// Collapses a story's versions onto the earliest (undated last; ties by
/// id), so that the choice does not hang on scores.
pub const EARLIEST: &str = "{!collapse field=cluster nullPolicy=expand sort='date asc,id asc'}";

/// The Solr translation of a selection (a blank one is every story).
/// `person:` and `said:` mean the people of the collection's identity
/// registry, as in a search.
pub fn selection(solr: &Solr, sel: &Selection) -> Result<Matching, SearchError> {
    let people = super::search::people_for(solr, &sel.query, false)?;
    selection_with(Some(solr), people, sel)
}

fn selection_with(
    solr: Option<&Solr>,
    people: Option<&super::identities::SolrIdentities>,
    sel: &Selection,
) -> Result<Matching, SearchError> {
    let mut m = matching(
        solr,
        people,
        &sel.query,
        sel.from.as_deref(),
        sel.to.as_deref(),
        true,
        true,
    )?;
    if !sel.all_versions {
        m.fqs.push(EARLIEST.to_string());
    }
    Ok(m)
}

fn select(solr: &Solr, params: &[(&str, &str)]) -> Result<Value, SearchError> {
    solr.post_form(&format!("{}/select", solr.collection), params)
        .map_err(solr_error)
}

/// How many stories the selection matches.
pub fn count(solr: &Solr, sel: &Selection) -> Result<u64, SearchError> {
    let m = selection(solr, sel)?;
    let mut params = m.params();
    params.push(("rows", "0"));
    let answer = select(solr, &params)?;
    Ok(answer["response"]["numFound"].as_u64().unwrap_or(0))
}

/// Days since 1970-01-01 of a Solr date (`1987-02-26T15:01:01Z`).
fn day_of(iso: &str) -> Option<i64> {
    let t = DateTime::parse_from_rfc3339(iso).ok()?;
    Some(t.timestamp().div_euclid(86_400))
}

fn date_of(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::try_days(day)?)
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%dT00:00:00Z").to_string()
}

/// Solr's date-math gap for a period (weeks start on the Monday the range
/// starts on).
fn gap(period: Period) -> &'static str {
    match period {
        Period::Day => "+1DAY",
        Period::Week => "+7DAYS",
        Period::Month => "+1MONTH",
        Period::Year => "+1YEAR",
    }
}

/// The stories of a selection per `period`, each period's count at its
/// first day (which [`Timeline::build`](crate::views::timeline::Timeline::build)
/// groups as it groups days), and the undated apart. Two requests: the
/// first and last dates (and the undated), then a range facet over them.
pub fn period_counts(
    solr: &Solr,
    sel: &Selection,
    period: Period,
) -> Result<DayCounts, SearchError> {
    let m = selection(solr, sel)?;
    let bounds = json!({
        "lo": "min(date)",
        "hi": "max(date)",
        "undated": { "type": "query", "q": "*:* -date:[* TO *]" },
    })
    .to_string();
    let mut params = m.params();
    params.extend([("rows", "0"), ("json.facet", bounds.as_str())]);
    let answer = select(solr, &params)?;
    let facets = &answer["facets"];
    let mut counts = DayCounts {
        undated: facets["undated"]["count"].as_u64().unwrap_or(0),
        ..DayCounts::default()
    };
    let lo = facets["lo"].as_str().and_then(day_of).and_then(date_of);
    let hi = facets["hi"].as_str().and_then(day_of).and_then(date_of);
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(counts);
    };
    let (first, last) = (period.start(lo), period.start(hi));
    // The same bound as the local timeline, before Solr is asked for the
    // buckets.
    let mut end = Some(first);
    let mut periods = 0;
    while let Some(start) = end.filter(|s| *s <= last) {
        periods += 1;
        if periods > MAX_PERIODS {
            return Err(SearchError::View(format!(
                "the timeline would have more than {MAX_PERIODS} periods; narrow it with --from/--to or a longer period"
            )));
        }
        end = period.next(start);
    }
    let Some(end) = end else {
        return Err(SearchError::View(
            "the timeline runs past the calendar".into(),
        ));
    };
    let range = json!({
        "t": {
            "type": "range",
            "field": "date",
            "start": iso(first),
            "end": iso(end),
            "gap": gap(period),
        }
    })
    .to_string();
    let mut params = m.params();
    params.extend([("rows", "0"), ("json.facet", range.as_str())]);
    let answer = select(solr, &params)?;
    for b in answer["facets"]["t"]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let (Some(day), Some(n)) = (b["val"].as_str().and_then(day_of), b["count"].as_u64()) else {
            continue;
        };
        if n > 0 {
            counts.days.insert(day, n);
        }
    }
    Ok(counts)
}

/// The order a stream reads matches in. Each ends on the unique key, which
/// cursorMark paging needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By id: the cheapest.
    Id,
    /// Best match first.
    Relevance,
    /// By date, newest first; undated last.
    Newest,
    /// By date, oldest first; undated last.
    Oldest,
}

impl Order {
    fn sort(self) -> &'static str {
        match self {
            Order::Id => "id asc",
            Order::Relevance => "score desc,id asc",
            Order::Newest => "date desc,id asc",
            Order::Oldest => "date asc,id asc",
        }
    }
}

/// Hands the fields `fl` of every document `m` matches to `each`, in
/// `order`, page by page (cursorMark: no cap, no deep paging cost), until
/// the matches end or `each` says stop (`Ok(false)`).
pub fn stream<E: From<SearchError>>(
    solr: &Solr,
    m: &Matching,
    fl: &str,
    order: Order,
    mut each: impl FnMut(&Value) -> Result<bool, E>,
) -> Result<(), E> {
    let mut cursor = "*".to_string();
    let rows = PAGE.to_string();
    loop {
        let mut params = m.params();
        params.extend([
            ("fl", fl),
            ("sort", order.sort()),
            ("rows", rows.as_str()),
            ("cursorMark", cursor.as_str()),
        ]);
        let answer = select(solr, &params)?;
        for doc in answer["response"]["docs"].as_array().into_iter().flatten() {
            if !each(doc)? {
                return Ok(());
            }
        }
        let next = answer["nextCursorMark"]
            .as_str()
            .ok_or_else(|| SearchError::Backend("Solr sent no nextCursorMark".into()))?;
        if next == cursor {
            return Ok(());
        }
        cursor = next.to_string();
    }
}

/// The values of a list field of a streamed document (`f_person`).
pub fn strings<'a>(doc: &'a Value, field: &str) -> impl Iterator<Item = &'a str> {
    doc[field]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solr_dates_become_days() {
        assert_eq!(day_of("1970-01-02T00:00:00Z"), Some(1));
        assert_eq!(day_of("1969-12-31T23:59:59Z"), Some(-1));
        let d = date_of(day_of("1987-03-13T15:04:51Z").unwrap()).unwrap();
        assert_eq!(iso(d), "1987-03-13T00:00:00Z");
        assert_eq!(day_of("yesterday"), None);
    }

    #[test]
    fn blank_selections_are_every_story() {
        let m = selection_with(None, None, &Selection::default()).unwrap();
        assert_eq!(m.q, "*:*");
        assert!(m.fqs.iter().any(|f| f.contains("collapse")));
        let m = selection_with(
            None,
            None,
            &Selection {
                all_versions: true,
                ..Selection::query("oil")
            },
        )
        .unwrap();
        assert!(m.fqs.iter().all(|f| !f.contains("collapse")), "{:?}", m.fqs);
        assert!(selection_with(None, None, &Selection::query("oil NEAR/3 gas")).is_err());
    }
}
