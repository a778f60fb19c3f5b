//! Answering queries: parse and compile the query, rank, count, facet and
//! build snippets, all in one pass over the index.
//!
//! ```text
//! query string ──parse──▶ Ast ──compile──▶ tantivy Query + highlight needles
//!                                   │
//!                  (Count, TopDocs, FacetCounts) in one search
//!                                   │
//!             stored `article` JSON ──▶ Article + Snippet per hit
//! ```

pub mod backend;
pub mod clusters;
pub mod facets;
pub mod query;
pub mod quotes;
pub mod snippet;
pub mod suggest;
pub mod top_stories;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;

use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};
use thiserror::Error;

use crate::archive::identities::store::{IdentityFacet, Which};
use crate::article::Article;
use crate::index::schema::{Fields, FACETS};
use crate::index::store::IndexHandle;
use clusters::Collapsed;
use facets::{top_values, FacetCounts, FACET_TOP};
use top_stories::SortKey;

/// The person-facet collector when it is wanted: tantivy's `Option`
/// collector needs a `Default` fruit, so a thin wrapper gives `None`.
struct IdentityFacetOption(Option<IdentityFacet>);

impl tantivy::collector::Collector for IdentityFacetOption {
    type Fruit = Option<std::collections::HashMap<u32, u64>>;
    type Child = Option<crate::archive::identities::store::SegmentIdentityFacet>;

    fn for_segment(
        &self,
        id: u32,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        self.0
            .as_ref()
            .map(|c| c.for_segment(id, segment))
            .transpose()
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as tantivy::collector::SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        match &self.0 {
            Some(c) => Ok(Some(
                c.merge_fruits(fruits.into_iter().flatten().collect())?,
            )),
            None => Ok(None),
        }
    }
}
pub use backend::Backend;
pub use query::QueryError;
use query::{DateSpan, Needle};
pub use snippet::Snippet;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first; equal scores newest first.
    #[default]
    Relevance,
    /// By date, newest first; undated stories last.
    Newest,
    /// By date, oldest first; undated stories last.
    Oldest,
}

/// A search as the command line asks for it.
#[derive(Debug, Clone)]
pub struct Request {
    /// In the query language of [`query`]; may be blank when `from` or
    /// `to` is given, to list a period.
    pub query: String,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip, for paging.
    pub offset: usize,
    pub sort: Sort,
    /// Earliest date (`2012`, `2012-12`, `2012-12-29`), from its first day.
    pub from: Option<String>,
    /// Latest date, through its last day.
    pub to: Option<String>,
    /// Facets to count over all matches, names from [`FACETS`].
    pub facets: Vec<String>,
    /// Snippet passages per hit.
    pub passages: usize,
    /// Count (and facet) only; return no hits.
    pub count_only: bool,
    /// Every version of a story as its own hit, counted apart; by default
    /// a story's versions collapse into one hit and count once.
    pub all_versions: bool,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            query: String::new(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            from: None,
            to: None,
            facets: Vec::new(),
            passages: snippet::DEFAULT_PASSAGES,
            count_only: false,
            all_versions: false,
        }
    }
}

/// One ranked story.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The story as stored at indexing time.
    pub article: Article,
    /// BM25 with field boosts (0 for pure date or exclusion queries).
    pub score: f32,
    pub snippet: Snippet,
    /// The story's version cluster ([`versions::cluster_name`] prints it).
    pub cluster: u64,
    /// How many versions of the story the index holds (1 for most).
    pub versions: usize,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone)]
pub struct Results {
    /// Every matching story, not just those returned; versions of one
    /// story count once unless [`Request::all_versions`] is set.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For each requested facet, its top values with their counts.
    pub facets: Vec<(String, Vec<(String, u64)>)>,
    /// Time spent in [`search`], snippets included.
    pub elapsed: Duration,
    /// What the person should know about how the query was read, or a
    /// variant that would find stories when this one finds none (for
    /// stderr, not for the results).
    pub notes: Vec<String>,
}

/// Why a search failed.
#[derive(Debug, Error)]
pub enum SearchError {
    /// The query cannot be understood; render it with
    /// [`QueryError::caret`] under the query.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// `--from` or `--to` is not a date, or they are the wrong way round.
    /// (Not a [`QueryError`]: there is no place in the query to point at.)
    #[error("{0}")]
    BadDate(String),
    /// A view's option that cannot be used (a `--kwic` term with quotes,
    /// a timeline too long to draw).
    #[error("{0}")]
    View(String),
    /// A facet name outside [`FACETS`].
    #[error("unknown facet '{0}'; facets: {list}", list = FACETS.join(", "))]
    UnknownFacet(String),
    /// The index failed to answer.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The SolrCloud backend failed to answer.
    #[error("{0}")]
    Backend(String),
    /// A stored article that does not read back.
    #[error("stored article is unreadable: {0}")]
    Stored(String),
}

/// Runs a search.
pub fn search(handle: &IndexHandle, req: &Request) -> Result<Results, SearchError> {
    let started = Instant::now();
    let fields = &handle.fields;
    let facet_fields = facet_fields(handle, &req.facets)?;

    let searcher = handle.searcher()?;
    let compiled = compile_request(handle, &searcher, req)?;
    let query = &compiled.query;
    let identities = handle.identities().ok();
    let person_facet = req.facets.iter().position(|f| f == "person");
    let org_facet = req.facets.iter().position(|f| f == "org");
    // The person and org facets count identities instead (below), so the
    // names' own columns need not be counted too.
    let counted_fields = facet_fields
        .iter()
        .zip(&req.facets)
        .map(|(field, name)| match name.as_str() {
            "person" | "org" if identities.is_some() => String::new(),
            _ => field.clone(),
        })
        .collect();
    let counter = FacetCounts {
        fields: counted_fields,
    };
    let facet_of = |at: Option<usize>, which| {
        IdentityFacetOption(
            identities
                .clone()
                .filter(|_| at.is_some())
                .map(|identities| IdentityFacet { identities, which }),
        )
    };
    let by_identity = (
        facet_of(person_facet, Which::People),
        facet_of(org_facet, Which::Orgs),
    );
    // TopDocs reserves room for its limit, so never ask for more hits
    // than the index holds.
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = req.limit.min(docs.saturating_sub(req.offset));
    let collapse = !req.all_versions;
    let (total, top, facet_fruit) = if !req.count_only && limit > 0 {
        if collapse {
            // Versions of one story would crowd a page: rank stories, each
            // by its best version.
            let top = top_stories(req.sort, req.offset.saturating_add(limit), handle);
            let counted = Collapsed::new((Count, counter), fields);
            let (top, (stories, facet_fruit)) = searcher.search(query, &(top, counted))?;
            let page = top
                .into_iter()
                .skip(req.offset)
                .map(|(key, address, cluster)| (key.2, address, cluster))
                .collect();
            (stories, page, facet_fruit)
        } else {
            let top = ranked(req, limit, req.offset, handle);
            let (total, top, facet_fruit) = searcher.search(query, &(Count, top, counter))?;
            let page = with_clusters(&searcher, scored(top), fields)?;
            (total, page, facet_fruit)
        }
    } else if collapse {
        let (total, facet_fruit) =
            searcher.search(query, &Collapsed::new((Count, counter), fields))?;
        (total, Vec::new(), facet_fruit)
    } else {
        let (total, facet_fruit) = searcher.search(query, &(Count, counter))?;
        (total, Vec::new(), facet_fruit)
    };
    // People and organisations counted as identities, in a pass of their
    // own: only when asked.
    let (identity_fruit, org_fruit) = if person_facet.is_some() || org_facet.is_some() {
        searcher.search(query, &by_identity)?
    } else {
        (None, None)
    };

    let weighted = weigh(&searcher, &compiled.needles)?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, address, cluster) in top {
        let mut article = load(&searcher, handle, address)?;
        if let Some(i) = &identities {
            i.apply_at(&searcher, address, &mut article);
        }
        let snippet = snippet::snippet(&article.body, article.lead(), &weighted, req.passages);
        hits.push(Hit {
            article,
            score,
            snippet,
            cluster,
            versions: cluster_size(&searcher, fields, cluster)?,
        });
    }
    let mut facet_fruit = facet_fruit;
    if let (Some(at), Some(i), Some(counts)) = (person_facet, &identities, identity_fruit) {
        // One row per person, under the identity's display name.
        facet_fruit[at] = counts
            .into_iter()
            .map(|(id, n)| (i.name(id).to_string(), n))
            .collect();
    }
    if let (Some(at), Some(i), Some(counts)) = (org_facet, &identities, org_fruit) {
        // One row per organisation, under its display name.
        facet_fruit[at] = counts
            .into_iter()
            .map(|(id, n)| (i.org_name(id).to_string(), n))
            .collect();
    }
    let facets = req
        .facets
        .iter()
        .cloned()
        .zip(facet_fruit)
        .map(|(name, counts)| (name, top_values(counts, FACET_TOP)))
        .collect();
    let mut notes = compiled.notes;
    if total == 0 && !req.query.trim().is_empty() {
        let count = |q: &str| count_of(handle, &searcher, req, q);
        notes.extend(suggest::suggest(
            &handle.fields,
            &searcher,
            &req.query,
            count,
        ));
    }
    Ok(Results {
        total,
        hits,
        facets,
        elapsed: started.elapsed(),
        notes,
    })
}

/// The request's query and its `--from`/`--to`, compiled for `searcher`.
fn compile_request(
    handle: &IndexHandle,
    searcher: &Searcher,
    req: &Request,
) -> Result<query::Compiled, SearchError> {
    compile_selection(
        handle,
        searcher,
        &req.query,
        req.from.as_deref(),
        req.to.as_deref(),
    )
}

/// Compiles the stories a query and `--from`/`--to` select, for
/// `searcher` (whose terms prefixes and fuzzy terms expand to): what every
/// search and view narrows by. A blank query with a period lists the
/// period; a blank query without one is an error, as for a search.
pub fn compile_selection(
    handle: &IndexHandle,
    searcher: &Searcher,
    query: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<query::Compiled, SearchError> {
    let fields = &handle.fields;
    // The archive's identities expand `person:`; an index whose registry
    // cannot be computed still answers, by names as the stories spell them.
    let identities = handle.identities().ok();
    let people = identities
        .as_deref()
        .map(|i| i as &dyn query::PersonExpansion);
    let span = from_to_span(from, to)?;
    Ok(match span {
        // `--from 2012-12` alone asks for every story of the period.
        Some(span) if query.trim().is_empty() => query::Compiled {
            query: query::date_query(fields, span),
            needles: Vec::new(),
            notes: Vec::new(),
        },
        Some(span) => {
            let compiled = query::compile_in(fields, &query::parse(query)?, searcher, people)?;
            query::Compiled {
                query: Box::new(BooleanQuery::new(vec![
                    (Occur::Must, compiled.query),
                    (Occur::Must, query::date_query(fields, span)),
                ])),
                ..compiled
            }
        }
        None => query::compile_in(fields, &query::parse(query)?, searcher, people)?,
    })
}

/// How many stories `query` would match with the rest of `req`; 0 when it
/// does not compile.
fn count_of(handle: &IndexHandle, searcher: &Searcher, req: &Request, query: &str) -> usize {
    let req = Request {
        query: query.to_string(),
        ..req.clone()
    };
    compile_request(handle, searcher, &req)
        .ok()
        .and_then(|c| searcher.search(&c.query, &Count).ok())
        .unwrap_or(0)
}

/// The addresses of the top `limit` matches of `query` after `offset`, in
/// the order of `sort`: with `collapse`, each version cluster's best only,
/// as [`search`] returns hits; otherwise every version.
pub fn top_addresses(
    handle: &IndexHandle,
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    limit: usize,
    offset: usize,
    sort: Sort,
    collapse: bool,
) -> Result<Vec<DocAddress>, SearchError> {
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = limit.min(docs.saturating_sub(offset));
    if limit == 0 {
        return Ok(Vec::new());
    }
    let req = Request {
        sort,
        ..Request::default()
    };
    if !collapse {
        let top = searcher.search(query, &ranked(&req, limit, offset, handle))?;
        return Ok(top.into_iter().map(|(_, a)| a).collect());
    }
    let top = searcher.search(
        query,
        &top_stories(sort, offset.saturating_add(limit), handle),
    )?;
    Ok(top.into_iter().skip(offset).map(|(_, a, _)| a).collect())
}

/// Loads the stored article at an address.
pub fn load_article(
    searcher: &Searcher,
    handle: &IndexHandle,
    address: DocAddress,
) -> Result<Article, SearchError> {
    load(searcher, handle, address)
}

/// The stored article with this id, if the index holds it.
pub fn show(handle: &IndexHandle, id: &str) -> Result<Option<Article>, SearchError> {
    let searcher = handle.searcher()?;
    let query = TermQuery::new(
        Term::from_field_text(handle.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    match top.first() {
        Some(&(_, address)) => {
            let mut article = load(&searcher, handle, address)?;
            if let Ok(i) = handle.identities() {
                i.apply_at(&searcher, address, &mut article);
            }
            Ok(Some(article))
        }
        None => Ok(None),
    }
}

/// Every version of the story with this id, oldest first (equal dates:
/// shortest first), so the last is the cluster's lead version; `None` when
/// the index has no such story.
pub fn versions(handle: &IndexHandle, id: &str) -> Result<Option<Vec<Hit>>, SearchError> {
    let searcher = handle.searcher()?;
    let fields = &handle.fields;
    let query = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, address)) = top.first() else {
        return Ok(None);
    };
    let Some(cluster) = cluster_of(&searcher, fields, address)? else {
        return Ok(None);
    };
    let members = TermQuery::new(
        Term::from_field_u64(fields.cluster, cluster),
        IndexRecordOption::Basic,
    );
    let docs = usize::try_from(searcher.num_docs())
        .unwrap_or(usize::MAX)
        .max(1);
    let all = searcher.search(&members, &TopDocs::with_limit(docs).order_by_score())?;
    let count = all.len();
    let mut hits = Vec::with_capacity(count);
    for (_, address) in all {
        let article = load(&searcher, handle, address)?;
        hits.push(Hit {
            snippet: Snippet::default(),
            score: 0.0,
            cluster,
            versions: count,
            article,
        });
    }
    sort_versions(&mut hits);
    Ok(Some(hits))
}

/// A story's versions in the order [`versions`] gives them: oldest first,
/// equal dates shortest first (then by id), so the last is the lead.
pub fn sort_versions(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        (
            a.article.date.as_deref(),
            a.article.body.len(),
            &a.article.id,
        )
            .cmp(&(
                b.article.date.as_deref(),
                b.article.body.len(),
                &b.article.id,
            ))
    });
}

/// The addresses of ranked hits with their scores.
fn scored(top: Vec<(SortKey, DocAddress)>) -> Vec<(f32, DocAddress)> {
    top.into_iter().map(|((_, _, s), a)| (s, a)).collect()
}

/// The cluster of a stored story.
fn cluster_of(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> Result<Option<u64>, SearchError> {
    let column = searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64(fields.schema.get_field_name(fields.cluster))?;
    Ok(column.first(address.doc_id))
}

/// Ranked hits with their clusters.
fn with_clusters(
    searcher: &Searcher,
    top: Vec<(f32, DocAddress)>,
    fields: &Fields,
) -> Result<Vec<(f32, DocAddress, u64)>, SearchError> {
    top.into_iter()
        .map(|(score, a)| Ok((score, a, cluster_of(searcher, fields, a)?.unwrap_or(0))))
        .collect()
}

/// The collector of the best `limit` stories, each by its best version,
/// in the order of `sort`.
fn top_stories(sort: Sort, limit: usize, handle: &IndexHandle) -> top_stories::TopStories {
    let name = |f| handle.fields.schema.get_field_name(f).to_string();
    top_stories::TopStories {
        limit,
        sort,
        cluster_field: name(handle.fields.cluster),
        date_field: name(handle.fields.date),
    }
}

/// How many stories the index holds in a cluster.
fn cluster_size(searcher: &Searcher, fields: &Fields, cluster: u64) -> Result<usize, SearchError> {
    let query = TermQuery::new(
        Term::from_field_u64(fields.cluster, cluster),
        IndexRecordOption::Basic,
    );
    Ok(searcher.search(&query, &Count)?.max(1))
}

fn facet_fields(handle: &IndexHandle, names: &[String]) -> Result<Vec<String>, SearchError> {
    names
        .iter()
        .map(|name| {
            let field = handle
                .fields
                .facet_field(name)
                .ok_or_else(|| SearchError::UnknownFacet(name.clone()))?;
            Ok(handle.fields.schema.get_field_name(field).to_string())
        })
        .collect()
}

/// The span of `--from A --to B`: from A's first second through B's last.
fn from_to_span(from: Option<&str>, to: Option<&str>) -> Result<Option<DateSpan>, SearchError> {
    let parse = |flag: &str, s: &str| {
        query::dates::parse_period(s.trim())
            .map_err(|m| SearchError::BadDate(format!("{flag}: {m}")))
    };
    let start = from
        .map(|s| parse("--from", s))
        .transpose()?
        .and_then(|p| p.start);
    let end = to
        .map(|s| parse("--to", s))
        .transpose()?
        .and_then(|p| p.end);
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            return Err(SearchError::BadDate("--from is after --to".into()));
        }
    }
    Ok((start.is_some() || end.is_some()).then_some(DateSpan { start, end }))
}

/// The top-docs collector for the request's order. Each sorts on a pair
/// whose second part breaks ties: relevance by date, dates by relevance.
fn ranked(
    req: &Request,
    limit: usize,
    offset: usize,
    handle: &IndexHandle,
) -> impl tantivy::collector::Collector<Fruit = Vec<(SortKey, DocAddress)>> {
    let date_field = handle
        .fields
        .schema
        .get_field_name(handle.fields.date)
        .to_string();
    let sort = req.sort;
    let top = TopDocs::with_limit(limit).and_offset(offset);
    top.tweak_score(move |segment: &tantivy::SegmentReader| {
        let dates = segment.fast_fields().date(&date_field).ok();
        move |doc: tantivy::DocId, score: tantivy::Score| {
            top_stories::sort_key(sort, score, dates.as_ref().and_then(|c| c.first(doc)))
        }
    })
}

/// How many of a needle's alternatives [`weigh`] looks up.
const WEIGHED_ALTERNATIVES: usize = 16;

/// Weights each needle by its rarity (BM25's idf), so passages with rare
/// query words beat passages with common ones.
fn weigh<'a>(
    searcher: &Searcher,
    needles: &'a [Needle],
) -> Result<Vec<snippet::Weighted<'a>>, SearchError> {
    let docs = searcher.num_docs() as f32;
    needles
        .iter()
        .map(|needle| {
            let idf = |df: f32| (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
            let mut weight = 0.0;
            for t in &needle.terms {
                let df = searcher.doc_freq(&Term::from_field_text(needle.field, t))? as f32;
                weight += idf(df);
            }
            if !needle.alternatives.is_empty() {
                // Any of the expansions: about as rare as their union,
                // estimated from the most frequent few.
                let mut df = 0.0;
                for t in needle.alternatives.iter().take(WEIGHED_ALTERNATIVES) {
                    df += searcher.doc_freq(&Term::from_field_text(needle.field, t))? as f32;
                }
                weight += idf(df.min(docs));
            }
            Ok(snippet::Weighted { needle, weight })
        })
        .collect()
}

fn load(
    searcher: &Searcher,
    handle: &IndexHandle,
    address: DocAddress,
) -> Result<Article, SearchError> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let json = doc
        .get_first(handle.fields.article)
        .and_then(|v| v.as_str())
        .ok_or_else(|| SearchError::Stored("no article field".into()))?;
    serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))
}
