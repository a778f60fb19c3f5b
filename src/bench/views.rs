//! The research views timed in process, each beside raw tantivy's plain
//! query over the same matches in the same run: a month timeline, a person
//! network, and a CSV export of every match (written to a sink).

use std::time::Instant;

use anyhow::{Context, Result};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{Query, QueryParser};
use tantivy::{DocAddress, Index, TantivyDocument};

use super::indexers::RawFields;
use super::queries::baseline_query;
use crate::index::store::IndexHandle;
use crate::print;
use crate::search::{Backend, Sort};
use crate::views::{export, network, timeline, Limit, Selection};

/// The timeline's query: about 1,000 stories of Reuters-21578, so about
/// 20,000 at `--scale 20`.
pub const TIMELINE_QUERY: &str = "dollar";
/// The network's query: about 500 stories of Reuters-21578 (10,000 at
/// `--scale 20`).
pub const NETWORK_QUERY: &str = "reagan";
/// The export's query: about 5,000 stories of Reuters-21578 (100,000 at
/// `--scale 20`).
pub const EXPORT_QUERY: &str = "company";

/// Milliseconds of each timed run of a view and of its baseline.
pub struct Timed {
    /// Stories the view counted.
    pub matches: u64,
    /// The view's runs, in milliseconds.
    pub view: Vec<f64>,
    /// Raw tantivy's count of the plain query, in milliseconds.
    pub tantivy: Vec<f64>,
    /// Stories raw tantivy counted.
    pub tantivy_matches: u64,
}

/// Raw tantivy's form of a query (see [`baseline_query`]).
fn raw_query(raw: &Index, query: &str) -> Result<Box<dyn Query>> {
    let f = RawFields::of(raw)?;
    let mut parser = QueryParser::for_index(raw, vec![f.headline, f.body]);
    parser.set_conjunction_by_default();
    let text = baseline_query(query);
    parser
        .parse_query(&text)
        .with_context(|| format!("baseline query `{text}`"))
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1e3
}

/// Times `view` and raw tantivy's count of the same query, `runs` times
/// each after a warm-up, interleaved so that both see the same machine.
fn time(
    raw: &Index,
    query: &str,
    runs: usize,
    mut view: impl FnMut() -> Result<u64>,
) -> Result<Timed> {
    let raw_q = raw_query(raw, query)?;
    let searcher = raw.reader()?.searcher();
    let matches = view()?;
    let tantivy_matches = searcher.search(&raw_q, &Count)? as u64;
    let mut out = Timed {
        matches,
        view: Vec::with_capacity(runs),
        tantivy: Vec::with_capacity(runs),
        tantivy_matches,
    };
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(view()?);
        out.view.push(ms(started));
        let started = Instant::now();
        std::hint::black_box(searcher.search(&raw_q, &Count)?);
        out.tantivy.push(ms(started));
    }
    Ok(out)
}

/// A month timeline of [`TIMELINE_QUERY`].
pub fn timeline(handle: &IndexHandle, raw: &Index, runs: usize) -> Result<Timed> {
    let selection = Selection::query(TIMELINE_QUERY);
    time(raw, TIMELINE_QUERY, runs, || {
        let t = timeline::timeline(
            &Backend::Local(handle),
            &selection,
            timeline::Period::Month,
            false,
        )?;
        Ok(t.total)
    })
}

/// A person network (top 50 edges) of [`NETWORK_QUERY`].
pub fn network(handle: &IndexHandle, raw: &Index, runs: usize) -> Result<Timed> {
    let selection = Selection::query(NETWORK_QUERY);
    let opts = network::Options {
        kinds: vec![network::Kind::Person],
        top: 50,
        min_weight: 1,
        namer: network::raw_names(),
    };
    time(raw, NETWORK_QUERY, runs, || {
        Ok(network::network(&Backend::Local(handle), &selection, &opts)?.stories)
    })
}

/// One export's figures.
pub struct Exported {
    pub stories: u64,
    /// Median seconds of Dateline's export (the default columns, CSV).
    pub seconds: f64,
    /// Median seconds of raw tantivy loading the same number of stored
    /// documents of its plain query, in index order.
    pub tantivy_seconds: f64,
    pub tantivy_stories: u64,
}

/// Exports every match of [`EXPORT_QUERY`] as CSV with the default
/// columns into a sink, `runs` times after a warm-up. Every version is a
/// row (`--all-versions`): at `--scale` N each story has N versions, and
/// the figure is about streaming as many rows as raw tantivy loads.
pub fn export(handle: &IndexHandle, raw: &Index, runs: usize) -> Result<Exported> {
    let selection = Selection {
        all_versions: true,
        ..Selection::query(EXPORT_QUERY)
    };
    let opts = export::Options {
        fields: export::parse_fields(export::DEFAULT_FIELDS).map_err(anyhow::Error::msg)?,
        limit: Limit::All,
        offset: 0,
        sort: Sort::Relevance,
    };
    let run = || -> Result<u64> {
        let mut csv = print::csv::Export::new(std::io::sink(), &opts.fields)?;
        let n = export::export(&Backend::Local(handle), &selection, &opts, |cells| {
            csv.row(cells)
        })?;
        csv.finish()?;
        Ok(n)
    };
    let raw_q = raw_query(raw, EXPORT_QUERY)?;
    let searcher = raw.reader()?.searcher();
    let raw_run = || -> Result<u64> {
        let mut docs: Vec<DocAddress> = searcher
            .search(&raw_q, &DocSetCollector)?
            .into_iter()
            .collect();
        docs.sort();
        for &a in &docs {
            std::hint::black_box(searcher.doc::<TantivyDocument>(a)?);
        }
        Ok(docs.len() as u64)
    };
    let stories = run()?;
    let tantivy_stories = raw_run()?;
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        run()?;
        mine.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        raw_run()?;
        theirs.push(started.elapsed().as_secs_f64());
    }
    Ok(Exported {
        stories,
        seconds: super::percentile(&mut mine, 50.0),
        tantivy_seconds: super::percentile(&mut theirs, 50.0),
        tantivy_stories,
    })
}
