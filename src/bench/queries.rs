//! The query mix and the three ways of timing it: Dateline's
//! [`search`](crate::search::search) in process, raw tantivy in process,
//! and a whole `dateline` process per query.
//!
//! Raw tantivy cannot express Dateline's `field:` values or `date:` ranges,
//! so its query ([`baseline_query`]) keeps a field's value as plain words
//! over headline and body and drops dates; like Dateline's, its words are
//! all required unless joined by `OR`. Both return the top 10 with
//! snippets and the total count: Dateline three passages per hit from its
//! own snippet builder, tantivy one fragment of the body from its
//! `SnippetGenerator`, rendered to HTML.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, Query, QueryParser};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument};

use super::indexers::RawFields;
use crate::index::store::IndexHandle;
use crate::search::{self, Request};

/// The committed mix, built into the binary so it runs from anywhere.
pub const MIX: &str = include_str!("../../bench/queries.txt");

/// The query kinds (`kind<TAB>query`) timed against plain words.
pub const KINDS: &str = include_str!("../../bench/query_kinds.txt");

/// Parses [`KINDS`]: the kinds in their order of appearance, each with
/// its queries.
pub fn parse_kinds(text: &str) -> Vec<(String, Vec<MixQuery>)> {
    let mut kinds: Vec<(String, Vec<MixQuery>)> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((kind, query)) = line.split_once('\t') else {
            continue;
        };
        let q = MixQuery {
            query: query.trim().to_string(),
            facets: Vec::new(),
        };
        match kinds.iter_mut().find(|(k, _)| k == kind) {
            Some((_, qs)) => qs.push(q),
            None => kinds.push((kind.to_string(), vec![q])),
        }
    }
    kinds
}

/// Hits per query for every system.
pub const TOP: usize = 10;

/// One query of the mix.
#[derive(Debug, Clone, PartialEq)]
pub struct MixQuery {
    /// In Dateline's query language.
    pub query: String,
    /// Facets Dateline counts for it.
    pub facets: Vec<String>,
}

/// Parses the mix: one query a line, `#` comments, an optional
/// `| facets=a,b` suffix.
pub fn parse_mix(text: &str) -> Vec<MixQuery> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (query, facets) = match l.split_once("| facets=") {
                Some((q, f)) => (q, f.split(',').map(|s| s.trim().to_string()).collect()),
                None => (l, Vec::new()),
            };
            MixQuery {
                query: query.trim().to_string(),
                facets,
            }
        })
        .collect()
}

/// The raw tantivy form of a Dateline query: `date:` terms dropped, the
/// values of other `field:` terms kept as plain words (`topic:reuters:crude`
/// → `crude`), everything else (words, phrases, `-word`, `OR`) as is.
pub fn baseline_query(query: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for term in split_terms(query) {
        let (sign, rest) = match term.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", term.as_str()),
        };
        if rest.starts_with("date:") {
            continue;
        }
        // Strip every `name:` before the value (a quoted value keeps its
        // colons).
        let mut value = rest;
        while let Some(i) = value.find(':') {
            if value.find('"').is_some_and(|q| q < i) {
                break;
            }
            value = &value[i + 1..];
        }
        if !value.is_empty() {
            out.push(format!("{sign}{value}"));
        }
    }
    out.join(" ")
}

/// Splits on whitespace outside quotes and `[...]` ranges.
fn split_terms(query: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut bracket) = (false, false);
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            _ => {}
        }
        if c.is_whitespace() && !quoted && !bracket {
            if !cur.is_empty() {
                terms.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        terms.push(cur);
    }
    terms
}

/// Latencies of one system over the mix, in milliseconds, plus the total
/// hits it counted over one pass (a sanity check that queries match).
pub struct Timings {
    pub samples: Vec<f64>,
    /// The slowest query by median and its median.
    pub slowest: (String, f64),
    pub total_hits: usize,
}

/// Times several systems side by side: system `s` answers the queries of
/// `mixes[s]` through `one(s, i, query)`, which returns the total count.
/// After one warm-up pass, each of the `runs` rounds asks query `i` of
/// every system in turn before query `i + 1`, so that a burst of load on a
/// shared machine slows every system alike and their p99 ratios hold
/// from run to run (timed one system after the other, they swung by a
/// third).
fn time_interleaved(
    mixes: &[&[MixQuery]],
    runs: usize,
    mut one: impl FnMut(usize, usize, &MixQuery) -> Result<usize>,
) -> Result<Vec<Timings>> {
    let mut out: Vec<Timings> = mixes
        .iter()
        .map(|mix| Timings {
            samples: Vec::with_capacity(mix.len() * runs),
            slowest: (String::new(), 0.0),
            total_hits: 0,
        })
        .collect();
    for (s, mix) in mixes.iter().enumerate() {
        for (i, q) in mix.iter().enumerate() {
            out[s].total_hits += one(s, i, q)?;
        }
    }
    let longest = mixes.iter().map(|m| m.len()).max().unwrap_or(0);
    // Per system and query, its samples (for the slowest query by median).
    let mut per_query: Vec<Vec<Vec<f64>>> = mixes
        .iter()
        .map(|mix| vec![Vec::with_capacity(runs); mix.len()])
        .collect();
    for _ in 0..runs {
        for i in 0..longest {
            for (s, (mix, samples)) in mixes.iter().zip(&mut per_query).enumerate() {
                let (Some(q), Some(mine)) = (mix.get(i), samples.get_mut(i)) else {
                    continue;
                };
                let started = Instant::now();
                one(s, i, q)?;
                mine.push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    for (s, mix) in mixes.iter().enumerate() {
        for (i, mut mine) in std::mem::take(&mut per_query[s]).into_iter().enumerate() {
            let median = super::percentile(&mut mine, 50.0);
            if median > out[s].slowest.1 {
                out[s].slowest = (mix[i].query.clone(), median);
            }
            out[s].samples.extend(mine);
        }
    }
    Ok(out)
}

/// One Dateline search as the bench asks it: top 10, three passages, the
/// line's facets; returns the total count.
fn dateline_once(handle: &IndexHandle, q: &MixQuery, all_versions: bool) -> Result<usize> {
    let req = Request {
        query: q.query.clone(),
        limit: TOP,
        passages: 3,
        facets: q.facets.clone(),
        all_versions,
        ..Request::default()
    };
    let results = search::search(handle, &req).with_context(|| format!("query `{}`", q.query))?;
    // Keep the snippets alive until here so that none is optimised away.
    std::hint::black_box(&results.hits);
    Ok(results.total)
}

/// Times several mixes through Dateline's search, interleaved (see
/// [`time_interleaved`]): the query kinds beside plain words.
pub fn time_dateline_mixes(
    handle: &IndexHandle,
    mixes: &[&[MixQuery]],
    runs: usize,
) -> Result<Vec<Timings>> {
    time_interleaved(mixes, runs, |_, _, q| dateline_once(handle, q, false))
}

/// Times Dateline's searches twice over, with version clusters collapsed
/// (the default) and with every version (`--all-versions`), interleaved.
pub fn time_collapse(
    handle: &IndexHandle,
    mix: &[MixQuery],
    runs: usize,
) -> Result<(Timings, Timings)> {
    let mut out = time_interleaved(&[mix, mix], runs, |s, _, q| {
        dateline_once(handle, q, s == 1)
    })?;
    let all = out.pop().expect("two systems");
    let collapsed = out.pop().expect("two systems");
    Ok((collapsed, all))
}

/// Times Dateline's search against raw tantivy over the same mix,
/// interleaved query by query. Raw tantivy: QueryParser over headline and
/// body, top 10 with a body snippet each, and the total count.
pub fn time_against_tantivy(
    handle: &IndexHandle,
    index: &Index,
    mix: &[MixQuery],
    runs: usize,
) -> Result<(Timings, Timings)> {
    let f = RawFields::of(index)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut parser = QueryParser::for_index(index, vec![f.headline, f.body]);
    // Dateline's words are all required unless joined by OR; so are these.
    parser.set_conjunction_by_default();
    let parsed: Vec<Box<dyn Query>> = mix
        .iter()
        .map(|q| {
            let text = baseline_query(&q.query);
            if text.is_empty() {
                return Ok(Box::new(AllQuery) as Box<dyn Query>);
            }
            parser
                .parse_query(&text)
                .with_context(|| format!("baseline query `{text}`"))
        })
        .collect::<Result<_>>()?;
    let tantivy_once = |i: usize| -> Result<usize> {
        let query = &parsed[i];
        let (top, total) =
            searcher.search(query, &(TopDocs::with_limit(TOP).order_by_score(), Count))?;
        let snippets = SnippetGenerator::create(&searcher, query, f.body)?;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            std::hint::black_box(snippets.snippet_from_doc(&doc).to_html());
        }
        Ok(total)
    };
    let mut out = time_interleaved(&[mix, mix], runs, |s, i, q| {
        if s == 0 {
            dateline_once(handle, q, false)
        } else {
            tantivy_once(i)
        }
    })?;
    let tantivy = out.pop().expect("two systems");
    let dateline = out.pop().expect("two systems");
    Ok((dateline, tantivy))
}

/// Times a whole `dateline --index DIR --json -n 10` process per query,
/// output discarded; returns milliseconds.
pub fn time_processes(
    binary: &Path,
    index: &Path,
    mix: &[MixQuery],
    runs: usize,
) -> Result<Vec<f64>> {
    let run = |q: &MixQuery| -> Result<f64> {
        let mut cmd = Command::new(binary);
        cmd.arg("--index")
            .arg(index)
            .args(["--json", "-n", "10", "--color", "never"]);
        if !q.facets.is_empty() {
            cmd.arg("--facets").arg(q.facets.join(","));
        }
        cmd.arg("--").arg(&q.query);
        let started = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run {}", binary.display()))?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        if !status.success() {
            bail!("`{}` failed on `{}`: {status}", binary.display(), q.query);
        }
        Ok(ms)
    };
    // One warm-up pass brings the binary and the index into the page cache.
    for q in mix {
        run(q)?;
    }
    let mut samples = Vec::new();
    for q in mix {
        for _ in 0..runs {
            samples.push(run(q)?);
        }
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_keeps_words_and_drops_fields() {
        assert_eq!(baseline_query("crude oil -gas"), "crude oil -gas");
        assert_eq!(
            baseline_query("person:\"James Baker\" dollar"),
            "\"James Baker\" dollar"
        );
        assert_eq!(baseline_query("topic:reuters:crude"), "crude");
        assert_eq!(baseline_query("date:[1987-03-01 TO 1987-03-31] oil"), "oil");
        assert_eq!(baseline_query("date:1987-04 earnings"), "earnings");
        assert_eq!(baseline_query("\"a: b\" c"), "\"a: b\" c");
    }

    #[test]
    fn mix_parses_with_facets() {
        let mix = parse_mix("# c\n\noil\ntariffs | facets=place,topic\n");
        assert_eq!(mix.len(), 2);
        assert_eq!(mix[1].query, "tariffs");
        assert_eq!(mix[1].facets, ["place", "topic"]);
        assert!(parse_mix(MIX).len() >= 20);
    }

    #[test]
    fn kinds_parse_and_every_query_is_valid() {
        let kinds = parse_kinds(KINDS);
        let names: Vec<&str> = kinds.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["word", "prefix", "fuzzy", "proximity"]);
        for (_, qs) in &kinds {
            assert!(qs.len() >= 5);
            for q in qs {
                crate::search::query::parse(&q.query)
                    .unwrap_or_else(|e| panic!("{}: {e}", q.query));
            }
        }
    }
}
