//! Every match as a row of chosen fields (`--csv --fields …`), streamed.
//!
//! With no cap (`-n all`) and the default order, rows come in archive
//! (index) order: each stored block is then decompressed once, which is
//! what makes a large export fast. `--sort newest|oldest` sorts every match
//! by the `date` fast field first; a cap (`-n 500`) takes the top matches
//! as a search ranks them.
//!
//! On SolrCloud the stored articles are streamed by cursorMark paging
//! ([`crate::solr::views::stream`]): by id with no cap and the default
//! order, else by date or relevance. Rows are made by the same code.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::store::StoreReader;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument};
use thiserror::Error;

use crate::article::{Article, Dateline};
use crate::index::store::IndexHandle;
use crate::search::{self, Backend, SearchError, Sort};
use crate::views::{Limit, Selection};

/// A column of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    Path,
    Date,
    Headline,
    /// The dateline as written.
    Dateline,
    DatelinePlace,
    DatelineCountry,
    Agency,
    /// Identity display names (the story's own names in an index
    /// without identities), as in `--json`.
    People,
    /// The identities' ids, in the order of `people`.
    PersonIds,
    Places,
    Countries,
    Orgs,
    Topics,
    Byline,
    Source,
    Format,
    /// The body's shape: `story`, `brief`, `table`, `list`.
    Kind,
    /// The source's own codes (`reuters:crude`).
    Codes,
    /// The first paragraph (reads the text: slower).
    Lead,
    /// The whole text (slower).
    Body,
}

/// Every field name `--fields` takes, in the order of [`Field`].
pub const FIELD_NAMES: &[&str] = &[
    "id",
    "path",
    "date",
    "headline",
    "dateline",
    "dateline_place",
    "dateline_country",
    "agency",
    "people",
    "person_ids",
    "places",
    "countries",
    "orgs",
    "topics",
    "byline",
    "source",
    "format",
    "kind",
    "codes",
    "lead",
    "body",
];

const FIELDS: &[Field] = &[
    Field::Id,
    Field::Path,
    Field::Date,
    Field::Headline,
    Field::Dateline,
    Field::DatelinePlace,
    Field::DatelineCountry,
    Field::Agency,
    Field::People,
    Field::PersonIds,
    Field::Places,
    Field::Countries,
    Field::Orgs,
    Field::Topics,
    Field::Byline,
    Field::Source,
    Field::Format,
    Field::Kind,
    Field::Codes,
    Field::Lead,
    Field::Body,
];

/// The columns of `--csv` without `--fields`.
pub const DEFAULT_FIELDS: &str = "id,date,headline,dateline,people,places,orgs,topics";

/// Joins the values of a list field in one cell.
pub const LIST_SEPARATOR: &str = "; ";

impl Field {
    /// Its column name.
    pub fn name(self) -> &'static str {
        FIELD_NAMES[FIELDS.iter().position(|&f| f == self).unwrap_or(0)]
    }

    fn needs_text(self) -> bool {
        matches!(self, Field::Lead | Field::Body)
    }
}

/// Parses `id,date,people`: the fields in order (repeats allowed).
pub fn parse_fields(s: &str) -> Result<Vec<Field>, String> {
    let fields: Vec<Field> = s
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            FIELD_NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(p))
                .map(|i| FIELDS[i])
                .ok_or_else(|| format!("unknown field '{p}'; fields: {}", FIELD_NAMES.join(",")))
        })
        .collect::<Result<_, _>>()?;
    if fields.is_empty() {
        return Err(format!(
            "--fields needs at least one of: {}",
            FIELD_NAMES.join(",")
        ));
    }
    Ok(fields)
}

/// The order matches are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// As stored: the fastest.
    Index,
    /// By date, newest first; undated last.
    Newest,
    /// By date, oldest first; undated last.
    Oldest,
}

/// Every match of `query`, in `order`.
pub fn matching(
    searcher: &Searcher,
    handle: &IndexHandle,
    query: &dyn Query,
    order: Order,
    all_versions: bool,
) -> Result<Vec<DocAddress>, SearchError> {
    let collector = Addresses {
        date_field: (order != Order::Index).then(|| {
            handle
                .fields
                .schema
                .get_field_name(handle.fields.date)
                .to_string()
        }),
    };
    let mut found = super::collect(handle, searcher, query, collector, all_versions)?;
    match order {
        Order::Index => {}
        // Stable sorts: equal dates keep archive order.
        Order::Oldest => found.sort_by_key(|&(d, _)| d.unwrap_or(i64::MAX)),
        Order::Newest => found.sort_by_key(|&(d, _)| std::cmp::Reverse(d.unwrap_or(i64::MIN))),
    }
    Ok(found.into_iter().map(|(_, a)| a).collect())
}

/// Collects every match's address (and date, when sorting by it).
struct Addresses {
    date_field: Option<String>,
}

impl Collector for Addresses {
    type Fruit = Vec<(Option<i64>, DocAddress)>;
    type Child = SegmentAddresses;

    fn for_segment(&self, ord: u32, segment: &SegmentReader) -> tantivy::Result<SegmentAddresses> {
        Ok(SegmentAddresses {
            segment: ord,
            dates: match &self.date_field {
                Some(f) => segment.fast_fields().date(f).ok(),
                None => None,
            },
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(segments.into_iter().flatten().collect())
    }
}

struct SegmentAddresses {
    segment: u32,
    dates: Option<Column<tantivy::DateTime>>,
    found: Vec<(Option<i64>, DocAddress)>,
}

impl SegmentCollector for SegmentAddresses {
    type Fruit = Vec<(Option<i64>, DocAddress)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let date = self
            .dates
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs());
        self.found.push((date, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// Stored articles read segment by segment, each segment's reader keeping
/// its last decompressed block: reading in archive order decompresses each
/// block once.
pub struct Stored<'s> {
    searcher: &'s Searcher,
    readers: Vec<Option<StoreReader>>,
}

impl<'s> Stored<'s> {
    /// Readers over the searcher's segments, opened on first use.
    pub fn new(searcher: &'s Searcher) -> Stored<'s> {
        Stored {
            searcher,
            readers: (0..searcher.segment_readers().len())
                .map(|_| None)
                .collect(),
        }
    }

    /// The stored `article` JSON at an address.
    pub fn json(
        &mut self,
        handle: &IndexHandle,
        address: DocAddress,
    ) -> Result<String, SearchError> {
        let slot = &mut self.readers[address.segment_ord as usize];
        if slot.is_none() {
            let reader = self
                .searcher
                .segment_reader(address.segment_ord)
                .get_store_reader(1)
                .map_err(tantivy::TantivyError::from)?;
            *slot = Some(reader);
        }
        let reader = slot.as_ref().expect("opened above");
        let doc: TantivyDocument = reader.get(address.doc_id)?;
        doc.get_first(handle.fields.article)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| SearchError::Stored("no article field".into()))
    }

    /// The stored article at an address.
    pub fn article(
        &mut self,
        handle: &IndexHandle,
        address: DocAddress,
    ) -> Result<Article, SearchError> {
        let json = self.json(handle, address)?;
        serde_json::from_str(&json).map_err(|e| SearchError::Stored(e.to_string()))
    }
}

/// The parts of a stored article an export reads; the body is skipped
/// unless a column needs it (`B = String`).
#[derive(Deserialize)]
struct Record<B> {
    id: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    kind: String,
    headline: Option<String>,
    date: Option<String>,
    dateline: Option<Dateline>,
    #[serde(default)]
    people: Vec<String>,
    #[serde(default)]
    person_hints: Vec<String>,
    /// Filled from the identity cache, never stored.
    #[serde(skip)]
    person_ids: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    orgs: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    source_codes: Vec<String>,
    #[serde(default)]
    byline: Vec<String>,
    source: Option<String>,
    #[serde(default)]
    body: B,
}

/// The text of a [`Record`]'s body, if read.
trait Text: Default {
    fn text(&self) -> &str;
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}

impl Text for IgnoredAny {
    fn text(&self) -> &str {
        ""
    }
}

impl<B: Text> Record<B> {
    fn cell(&self, field: Field) -> Cow<'_, str> {
        fn opt(o: &Option<String>) -> Cow<'_, str> {
            Cow::Borrowed(o.as_deref().unwrap_or(""))
        }
        fn list(v: &[String]) -> Cow<'_, str> {
            Cow::Owned(v.join(LIST_SEPARATOR))
        }
        let dl = |f: fn(&Dateline) -> Option<&str>| {
            Cow::Borrowed(self.dateline.as_ref().and_then(f).unwrap_or(""))
        };
        match field {
            Field::Id => Cow::Borrowed(&self.id),
            Field::Path => Cow::Borrowed(&self.path),
            Field::Format => Cow::Borrowed(&self.format),
            Field::Kind => Cow::Borrowed(&self.kind),
            Field::Date => opt(&self.date),
            Field::Headline => opt(&self.headline),
            Field::Dateline => dl(|d| Some(d.text.as_str())),
            Field::DatelinePlace => dl(|d| d.place.as_deref()),
            Field::DatelineCountry => dl(|d| d.country.as_deref()),
            Field::Agency => dl(|d| d.agency.as_deref()),
            Field::People => list(&self.people),
            Field::PersonIds => list(&self.person_ids),
            Field::Places => list(&self.places),
            Field::Countries => list(&self.countries),
            Field::Orgs => list(&self.orgs),
            Field::Topics => list(&self.topics),
            Field::Byline => list(&self.byline),
            Field::Codes => list(&self.source_codes),
            Field::Source => opt(&self.source),
            Field::Body => Cow::Borrowed(self.body.text()),
            Field::Lead => Cow::Borrowed(
                self.body
                    .text()
                    .split("\n\n")
                    .map(str::trim)
                    .find(|p| !p.is_empty())
                    .unwrap_or(""),
            ),
        }
    }
}

/// What to export.
pub struct Options {
    pub fields: Vec<Field>,
    pub limit: Limit,
    pub offset: usize,
    pub sort: Sort,
}

/// Why an export stopped.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The row sink failed (a closed pipe, a full disk).
    #[error(transparent)]
    Write(#[from] std::io::Error),
}

/// Hands every matching story to `row` as its cells, in the order of
/// `opts.fields`; returns how many rows were written.
pub fn export(
    backend: &Backend,
    selection: &Selection,
    opts: &Options,
    row: impl FnMut(&[Cow<'_, str>]) -> std::io::Result<()>,
) -> Result<u64, ExportError> {
    match backend {
        Backend::Local(handle) => export_local(handle, selection, opts, row),
        Backend::Solr(solr) => export_solr(solr, selection, opts, row),
    }
}

/// Whether the people columns of an export on this backend are names as
/// spelled, without identity ids (said on stderr by the command line): on
/// a collection indexed before it kept identity statistics.
pub fn people_unresolved(backend: &Backend, fields: &[Field]) -> bool {
    let Backend::Solr(solr) = backend else {
        return false;
    };
    fields
        .iter()
        .any(|f| matches!(f, Field::People | Field::PersonIds))
        && !matches!(solr.identities(), Ok(Some(_)))
}

/// One stored article's cells: its record read (with the body only when a
/// column needs it), people resolved by `people`.
fn cells(
    json: &str,
    fields: &[Field],
    people: impl FnOnce(&str, &mut Vec<String>, &[String], &mut Vec<String>),
) -> Result<Vec<String>, SearchError> {
    let bad = |e: serde_json::Error| SearchError::Stored(e.to_string());
    let owned = |cells: Vec<Cow<'_, str>>| cells.into_iter().map(Cow::into_owned).collect();
    if fields.iter().any(|f| f.needs_text()) {
        let mut r: Record<String> = serde_json::from_str(json).map_err(bad)?;
        people(&r.id, &mut r.people, &r.person_hints, &mut r.person_ids);
        Ok(owned(fields.iter().map(|&f| r.cell(f)).collect()))
    } else {
        let mut r: Record<IgnoredAny> = serde_json::from_str(json).map_err(bad)?;
        people(&r.id, &mut r.people, &r.person_hints, &mut r.person_ids);
        Ok(owned(fields.iter().map(|&f| r.cell(f)).collect()))
    }
}

/// Hands owned cells to a row sink.
fn write_row(
    cells: &[String],
    row: &mut impl FnMut(&[Cow<'_, str>]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let borrowed: Vec<Cow<'_, str>> = cells.iter().map(|c| Cow::Borrowed(c.as_str())).collect();
    row(&borrowed)
}

/// Rows decoded between writes: enough to keep every core busy, few
/// enough that the first rows reach a pipe at once.
const BATCH: usize = 8192;
/// Neighbouring rows one worker decodes with its own store readers, whose
/// cached block the run shares.
const RUN: usize = 1024;

fn export_local(
    handle: &IndexHandle,
    selection: &Selection,
    opts: &Options,
    mut row: impl FnMut(&[Cow<'_, str>]) -> std::io::Result<()>,
) -> Result<u64, ExportError> {
    use rayon::prelude::*;

    let compiled = selection.compile(handle)?;
    let searcher = handle.searcher().map_err(SearchError::from)?;
    let addresses = match (opts.limit, opts.sort) {
        (Limit::All, sort) => {
            let order = match sort {
                Sort::Relevance => Order::Index,
                Sort::Newest => Order::Newest,
                Sort::Oldest => Order::Oldest,
            };
            let mut all = matching(
                &searcher,
                handle,
                compiled.query.as_ref(),
                order,
                selection.all_versions,
            )?;
            all.drain(..opts.offset.min(all.len()));
            all
        }
        (Limit::Top(n), sort) => search::top_addresses(
            handle,
            &searcher,
            compiled.query.as_ref(),
            n,
            opts.offset,
            sort,
            !selection.all_versions,
        )?,
    };
    let identities = opts
        .fields
        .iter()
        .any(|f| matches!(f, Field::People | Field::PersonIds))
        .then(|| handle.identities().ok())
        .flatten();
    // Decompressing and parsing the stored articles is most of an export:
    // runs of neighbours are decoded in parallel, and written in order.
    let decode = |run: &[DocAddress]| -> Vec<Result<Vec<String>, SearchError>> {
        let mut stored = Stored::new(&searcher);
        run.iter()
            .map(|&address| {
                let json = stored.json(handle, address)?;
                // People as identities, as `--json` gives them.
                let people =
                    |_: &str, people: &mut Vec<String>, hints: &[String], ids: &mut Vec<String>| {
                        let Some(i) = identities.as_deref() else {
                            return;
                        };
                        if let Some(found) = i.people_at(&searcher, address, people, hints) {
                            *people = found.iter().map(|&x| i.name(x).to_string()).collect();
                            *ids = found.iter().map(|&x| i.id(x).to_string()).collect();
                        }
                    };
                cells(&json, &opts.fields, people)
            })
            .collect()
    };
    let mut written = 0;
    for batch in addresses.chunks(BATCH) {
        let runs: Vec<Vec<Result<Vec<String>, SearchError>>> =
            batch.par_chunks(RUN).map(decode).collect();
        for cells in runs.into_iter().flatten() {
            write_row(&cells?, &mut row)?;
            written += 1;
        }
    }
    Ok(written)
}

fn export_solr(
    solr: &crate::solr::Solr,
    selection: &Selection,
    opts: &Options,
    mut row: impl FnMut(&[Cow<'_, str>]) -> std::io::Result<()>,
) -> Result<u64, ExportError> {
    use crate::solr::views::{self, Order};
    let m = views::selection(solr, selection)?;
    let order = match (opts.limit, opts.sort) {
        (Limit::All, Sort::Relevance) => Order::Id,
        (Limit::Top(_), Sort::Relevance) => Order::Relevance,
        (_, Sort::Newest) => Order::Newest,
        (_, Sort::Oldest) => Order::Oldest,
    };
    let identities = if opts
        .fields
        .iter()
        .any(|f| matches!(f, Field::People | Field::PersonIds))
    {
        solr.identities().map_err(crate::solr::search::solr_error)?
    } else {
        None
    };
    let cap = opts.limit.get();
    let mut skipped = 0;
    let mut written = 0;
    views::stream(solr, &m, "article", order, |doc| {
        if written as usize >= cap {
            return Ok(false);
        }
        // cursorMark pages cannot start at an offset: the first are
        // passed over here.
        if skipped < opts.offset {
            skipped += 1;
            return Ok(true);
        }
        let json = doc["article"]
            .as_str()
            .ok_or_else(|| SearchError::Stored("no article field".into()))?;
        // People as identities, as `--json` gives them.
        let people =
            |id: &str, people: &mut Vec<String>, hints: &[String], ids: &mut Vec<String>| {
                let Some(i) = identities else { return };
                if let Some(found) = i.people_in_order(id, people, hints) {
                    *people = found
                        .iter()
                        .map(|&x| i.identities.name(x).to_string())
                        .collect();
                    *ids = found
                        .iter()
                        .map(|&x| i.identities.id(x).to_string())
                        .collect();
                }
            };
        write_row(&cells(json, &opts.fields, people)?, &mut row)?;
        written += 1;
        Ok::<_, ExportError>((written as usize) < cap)
    })?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_by_name() {
        assert_eq!(
            parse_fields("id, Date,people"),
            Ok(vec![Field::Id, Field::Date, Field::People])
        );
        assert!(parse_fields("id,weather").unwrap_err().contains("weather"));
        assert!(parse_fields(" , ").is_err());
        assert_eq!(parse_fields(DEFAULT_FIELDS).unwrap().len(), 8);
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.name(), FIELD_NAMES[i]);
        }
    }

    #[test]
    fn records_read_stored_articles() {
        let a = Article {
            id: "7".into(),
            headline: Some("Talks, \"maybe\"".into()),
            people: vec!["A B".into(), "C".into()],
            dateline: Some(Dateline {
                text: "MOSCOW".into(),
                place: Some("Moscow".into()),
                country: Some("Russia".into()),
                agency: None,
            }),
            body: "\n\nLead here.\n\nMore.".into(),
            ..Article::default()
        };
        let json = serde_json::to_string(&a).unwrap();
        let r: Record<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(r.cell(Field::People), "A B; C");
        assert_eq!(r.cell(Field::DatelineCountry), "Russia");
        assert_eq!(r.cell(Field::Agency), "");
        assert_eq!(r.cell(Field::Lead), "Lead here.");
        let r: Record<IgnoredAny> = serde_json::from_str(&json).unwrap();
        assert_eq!(r.cell(Field::Headline), "Talks, \"maybe\"");
        assert_eq!(r.cell(Field::Body), "");
    }
}
