//! Several queries at once (`--queries FILE`): one labelled query a line,
//! answered into one table. A line that cannot be used is reported with
//! its number and the others still run.

use crate::search::{Backend, SearchError};
use crate::views::timeline::{self, DayCounts, Period, Timeline};
use crate::views::Selection;

/// One query of a queries file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// 1-based line number in the file.
    pub line: usize,
    /// The text before a tab, or the query itself.
    pub label: String,
    pub query: String,
}

/// A line that gave no answer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number in the file.
    pub line: usize,
    pub reason: String,
}

/// Reads a queries file: `label<TAB>query` or `query` a line; blank lines
/// and lines starting with `#` are skipped.
pub fn parse(text: &str) -> (Vec<Labelled>, Vec<BadLine>) {
    let mut queries = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let (label, query) = match raw.split_once('\t') {
            Some((label, query)) => (label.trim(), query.trim()),
            None => (raw.trim(), raw.trim()),
        };
        if query.is_empty() {
            bad.push(BadLine {
                line,
                reason: "no query after the tab".into(),
            });
        } else if label.is_empty() {
            bad.push(BadLine {
                line,
                reason: "empty label before the tab".into(),
            });
        } else {
            queries.push(Labelled {
                line,
                label: label.to_string(),
                query: query.to_string(),
            });
        }
    }
    (queries, bad)
}

/// Why a query failed, in one line (a bad query names its column).
fn reason(query: &str, e: &SearchError) -> String {
    match e {
        SearchError::Query(q) => format!("bad query: {} (column {})", q.message, q.column(query)),
        e => e.to_string(),
    }
}

/// Whether a failure belongs to the line (and the others may go on) rather
/// than to the index.
fn is_line_error(e: &SearchError) -> bool {
    matches!(
        e,
        SearchError::Query(_)
            | SearchError::BadDate(_)
            | SearchError::UnknownFacet(_)
            | SearchError::View(_)
    )
}

/// Runs `one` on each query, within the period and versions of `within`; line errors become
/// [`BadLine`]s (merged with `bad`, in line order), index errors end the run.
fn each<T>(
    queries: &[Labelled],
    bad: &mut Vec<BadLine>,
    within: &Selection,
    mut one: impl FnMut(&Selection) -> Result<T, SearchError>,
) -> Result<Vec<(String, T)>, SearchError> {
    let mut out = Vec::new();
    for q in queries {
        let selection = Selection {
            query: q.query.clone(),
            ..within.clone()
        };
        match one(&selection) {
            Ok(v) => out.push((q.label.clone(), v)),
            Err(e) if is_line_error(&e) => bad.push(BadLine {
                line: q.line,
                reason: reason(&q.query, &e),
            }),
            Err(e) => return Err(e),
        }
    }
    bad.sort_by_key(|b| b.line);
    Ok(out)
}

/// The number of matches of each query, by label.
pub fn counts(
    backend: &Backend,
    queries: &[Labelled],
    bad: &mut Vec<BadLine>,
    within: &Selection,
) -> Result<Vec<(String, u64)>, SearchError> {
    each(queries, bad, within, |s| super::count(backend, s))
}

/// The timeline of each query, by label, all over the same periods (the
/// span of every query's stories) so that their rows line up.
pub fn timelines(
    backend: &Backend,
    queries: &[Labelled],
    bad: &mut Vec<BadLine>,
    within: &Selection,
    period: Period,
    normalize: bool,
) -> Result<Vec<(String, Timeline)>, SearchError> {
    let days: Vec<(String, DayCounts)> = each(queries, bad, within, |s| {
        timeline::count_days(backend, s, period)
    })?;
    let all = normalize
        .then(|| timeline::count_all_days(backend, within.all_versions, period))
        .transpose()?;
    let refs: Vec<&DayCounts> = days.iter().map(|(_, d)| d).collect();
    let span = timeline::span(period, &refs);
    days.into_iter()
        .map(|(label, d)| Ok((label, Timeline::build(period, &d, all.as_ref(), span)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_take_an_optional_label() {
        let (q, bad) =
            parse("# comment\nBrahimi\tperson:Brahimi\n\nsyria talks\r\n\tx\nlabel\t  \n");
        assert_eq!(
            q,
            [
                Labelled {
                    line: 2,
                    label: "Brahimi".into(),
                    query: "person:Brahimi".into()
                },
                Labelled {
                    line: 4,
                    label: "syria talks".into(),
                    query: "syria talks".into()
                },
            ]
        );
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [5, 6]);
    }
}
