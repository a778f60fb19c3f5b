//! Matching stories per day, week, month or year.
//!
//! Locally [`DayCollector`] is a tantivy collector over the `date` fast
//! field: it counts matches per UTC day (and the undated apart) without
//! loading a single stored article; on SolrCloud a range facet counts them
//! per period ([`crate::solr::views::period_counts`]). [`Timeline::build`]
//! then groups the [`DayCounts`] into periods, filling the gaps with zeros,
//! optionally beside the counts of every story (for `--normalize`).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::AllQuery;
use tantivy::{DocId, Score, SegmentReader};

use crate::index::store::IndexHandle;
use crate::search::{Backend, SearchError};
use crate::views::Selection;

/// The length of a timeline's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    /// ISO weeks, Monday to Sunday, labelled `2012-W05`.
    Week,
    Month,
    Year,
}

impl Period {
    /// The period's name as a unit, for axis labels: `day`, `week`, ….
    pub fn unit(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The names `--timeline` takes.
    pub const NAMES: [&'static str; 4] = ["day", "week", "month", "year"];

    /// Parses `day`, `week`, `month` or `year`.
    pub fn parse(s: &str) -> Option<Period> {
        Some(match s.to_ascii_lowercase().as_str() {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "year" => Period::Year,
            _ => return None,
        })
    }

    /// The first day of the period holding `day`.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Period::Month => day.with_day(1).unwrap_or(day),
            Period::Year => day.with_ordinal(1).unwrap_or(day),
        }
    }

    /// The first day of the next period, from a period's first day; `None`
    /// at the end of the calendar.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => start.succ_opt(),
            Period::Week => start.checked_add_signed(Duration::days(7)),
            Period::Month => start.checked_add_months(chrono::Months::new(1)),
            Period::Year => start.checked_add_months(chrono::Months::new(12)),
        }
    }

    /// The label of the period starting on `start`: `2012-12-29`,
    /// `2012-W52`, `2012-12` or `2012`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let w = start.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Year => format!("{:04}", start.year()),
        }
    }
}

/// Matching stories per UTC day (days since 1970-01-01), and the undated.
/// A backend that counts per period puts each period's count on its first
/// day, which groups into the same periods.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayCounts {
    pub days: FxHashMap<i64, u64>,
    pub undated: u64,
}

impl DayCounts {
    /// Every story counted.
    pub fn total(&self) -> u64 {
        self.undated + self.days.values().sum::<u64>()
    }

    /// Counts per period start, in order.
    fn by_period(&self, period: Period) -> BTreeMap<NaiveDate, u64> {
        let mut out = BTreeMap::new();
        for (&day, &n) in &self.days {
            if let Some(d) = day_date(day) {
                *out.entry(period.start(d)).or_insert(0) += n;
            }
        }
        out
    }
}

fn day_date(day: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    epoch.checked_add_signed(Duration::try_days(day)?)
}

const SECS_PER_DAY: i64 = 86_400;

/// The collector behind [`DayCounts`]: reads the `date` fast field of each
/// matching document.
pub struct DayCollector {
    /// The date fast field's name (`date`).
    pub field: String,
}

impl Collector for DayCollector {
    type Fruit = DayCounts;
    type Child = SegmentDays;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentDays> {
        Ok(SegmentDays {
            column: segment.fast_fields().date(&self.field).ok(),
            counts: DayCounts::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<DayCounts>) -> tantivy::Result<DayCounts> {
        let mut total = DayCounts::default();
        for s in segments {
            total.undated += s.undated;
            for (day, n) in s.days {
                *total.days.entry(day).or_insert(0) += n;
            }
        }
        Ok(total)
    }
}

/// [`DayCollector`]'s per-segment part.
pub struct SegmentDays {
    column: Option<Column<tantivy::DateTime>>,
    counts: DayCounts,
}

impl SegmentCollector for SegmentDays {
    type Fruit = DayCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.column.as_ref().and_then(|c| c.first(doc)) {
            Some(date) => {
                let day = date.into_timestamp_secs().div_euclid(SECS_PER_DAY);
                *self.counts.days.entry(day).or_insert(0) += 1;
            }
            None => self.counts.undated += 1,
        }
    }

    fn harvest(self) -> DayCounts {
        self.counts
    }
}

/// Counts the stories a selection matches, per day (or per `period`, on
/// a backend that counts per period).
pub fn count_days(
    backend: &Backend,
    selection: &Selection,
    period: Period,
) -> Result<DayCounts, SearchError> {
    match backend {
        Backend::Local(handle) => {
            let compiled = selection.compile(handle)?;
            let searcher = handle.searcher()?;
            Ok(selection.collect(handle, &searcher, &compiled.query, day_collector(handle))?)
        }
        Backend::Solr(solr) => crate::solr::views::period_counts(solr, selection, period),
    }
}

/// Counts every story of the archive per day (or `period`): what
/// `--normalize` divides by.
pub fn count_all_days(
    backend: &Backend,
    all_versions: bool,
    period: Period,
) -> Result<DayCounts, SearchError> {
    match backend {
        Backend::Local(handle) => {
            let searcher = handle.searcher()?;
            Ok(super::collect(
                handle,
                &searcher,
                &AllQuery,
                day_collector(handle),
                all_versions,
            )?)
        }
        Backend::Solr(solr) => {
            let every = Selection {
                all_versions,
                ..Selection::default()
            };
            crate::solr::views::period_counts(solr, &every, period)
        }
    }
}

fn day_collector(handle: &IndexHandle) -> DayCollector {
    DayCollector {
        field: handle
            .fields
            .schema
            .get_field_name(handle.fields.date)
            .to_string(),
    }
}

/// One period of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its first day.
    pub start: NaiveDate,
    /// `2012-12`, `2012-W52`, … (see [`Period::label`]).
    pub label: String,
    /// Matching stories in the period.
    pub count: u64,
    /// Every story in the period, when normalising.
    pub all: Option<u64>,
}

impl Row {
    /// `count / all`, when normalising (0 for a period without stories).
    pub fn share(&self) -> Option<f64> {
        self.all.map(|all| {
            if all == 0 {
                0.0
            } else {
                self.count as f64 / all as f64
            }
        })
    }
}

/// Matching stories per period, from the first period with a story to the
/// last, with zeros between.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub period: Period,
    pub rows: Vec<Row>,
    /// Matching stories without a date (counted apart, in no period).
    pub undated: u64,
    /// Every undated story of the archive, when normalising.
    pub undated_all: Option<u64>,
    /// Every matching story, dated or not.
    pub total: u64,
}

/// The periods `[first, last]` (period starts) that any of `counts` has a
/// story in; `None` when none has a dated story.
pub fn span(period: Period, counts: &[&DayCounts]) -> Option<(NaiveDate, NaiveDate)> {
    let mut days = counts.iter().flat_map(|c| c.days.keys().copied());
    let first = days.next()?;
    let (lo, hi) = days.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d)));
    Some((period.start(day_date(lo)?), period.start(day_date(hi)?)))
}

/// Most periods a timeline holds; a wider span (a stray date in year 1 or
/// 9999 at day precision) is an error rather than millions of zero rows.
pub const MAX_PERIODS: usize = 200_000;

impl Timeline {
    /// Groups `counts` into periods over `span` (see [`span`]; periods
    /// outside it are dropped), beside `all` when normalising.
    pub fn build(
        period: Period,
        counts: &DayCounts,
        all: Option<&DayCounts>,
        span: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Timeline, SearchError> {
        let mine = counts.by_period(period);
        let everyone = all.map(|a| a.by_period(period));
        let mut rows = Vec::new();
        if let Some((first, last)) = span {
            let mut at = Some(first);
            while let Some(start) = at.filter(|s| *s <= last) {
                if rows.len() == MAX_PERIODS {
                    return Err(SearchError::View(format!(
                        "the timeline would have more than {MAX_PERIODS} periods; narrow it with --from/--to or a longer period"
                    )));
                }
                rows.push(Row {
                    start,
                    label: period.label(start),
                    count: mine.get(&start).copied().unwrap_or(0),
                    all: everyone
                        .as_ref()
                        .map(|e| e.get(&start).copied().unwrap_or(0)),
                });
                at = period.next(start);
            }
        }
        Ok(Timeline {
            period,
            rows,
            undated: counts.undated,
            undated_all: all.map(|a| a.undated),
            total: counts.total(),
        })
    }
}

/// The timeline of one selection (with the archive's counts beside it when
/// `normalize`).
pub fn timeline(
    backend: &Backend,
    selection: &Selection,
    period: Period,
    normalize: bool,
) -> Result<Timeline, SearchError> {
    let counts = count_days(backend, selection, period)?;
    let all = normalize
        .then(|| count_all_days(backend, selection.all_versions, period))
        .transpose()?;
    Timeline::build(period, &counts, all.as_ref(), span(period, &[&counts]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn days(list: &[(&str, u64)], undated: u64) -> DayCounts {
        let epoch = d("1970-01-01");
        DayCounts {
            days: list
                .iter()
                .map(|&(s, n)| ((d(s) - epoch).num_days(), n))
                .collect(),
            undated,
        }
    }

    #[test]
    fn periods_start_label_and_advance() {
        let day = d("2012-12-29"); // a Saturday
        assert_eq!(Period::Week.start(day), d("2012-12-24"));
        assert_eq!(Period::Week.label(d("2012-12-31")), "2013-W01");
        assert_eq!(Period::Month.start(day), d("2012-12-01"));
        assert_eq!(Period::Month.next(d("2012-12-01")), Some(d("2013-01-01")));
        assert_eq!(Period::Year.label(Period::Year.start(day)), "2012");
        assert_eq!(Period::Day.label(day), "2012-12-29");
        assert_eq!(Period::parse("Month"), Some(Period::Month));
        assert_eq!(Period::parse("decade"), None);
    }

    #[test]
    fn gaps_are_zero_and_undated_apart() {
        let c = days(
            &[("2012-01-05", 2), ("2012-01-20", 1), ("2012-04-02", 4)],
            3,
        );
        let t = Timeline::build(Period::Month, &c, None, span(Period::Month, &[&c])).unwrap();
        let got: Vec<(&str, u64)> = t.rows.iter().map(|r| (r.label.as_str(), r.count)).collect();
        assert_eq!(
            got,
            [
                ("2012-01", 3),
                ("2012-02", 0),
                ("2012-03", 0),
                ("2012-04", 4)
            ]
        );
        assert_eq!((t.undated, t.total), (3, 10));
        assert!(t.rows.iter().all(|r| r.share().is_none()));
    }

    #[test]
    fn shares_divide_by_every_story_of_the_period() {
        let c = days(&[("2012-01-05", 1), ("2012-03-01", 2)], 0);
        let all = days(
            &[("2012-01-09", 4), ("2012-03-01", 2), ("2012-03-02", 2)],
            5,
        );
        let t = Timeline::build(Period::Month, &c, Some(&all), span(Period::Month, &[&c])).unwrap();
        let shares: Vec<f64> = t.rows.iter().filter_map(Row::share).collect();
        assert_eq!(shares, [0.25, 0.0, 0.5]);
        assert_eq!(t.undated_all, Some(5));
    }

    #[test]
    fn an_empty_selection_has_no_rows() {
        let c = days(&[], 2);
        let t = Timeline::build(Period::Day, &c, None, span(Period::Day, &[&c])).unwrap();
        assert!(t.rows.is_empty());
        assert_eq!(t.total, 2);
    }

    #[test]
    fn absurd_spans_are_refused() {
        let c = days(&[("1000-01-01", 1), ("2900-01-01", 1)], 0);
        assert!(Timeline::build(Period::Day, &c, None, span(Period::Day, &[&c])).is_err());
        assert!(Timeline::build(Period::Year, &c, None, span(Period::Year, &[&c])).is_ok());
    }
}
