//! Answering a [`Request`] from the collection: the translated query,
//! `{!collapse}` on the version cluster (the collection is routed on it,
//! so a story's versions share a shard), facets through the JSON Facet
//! API, and snippets made from the stored article by Dateline's own code.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{json, Map, Value};

use super::client::Solr;
use super::document::ARTICLE;
use super::identities::SolrIdentities;
use super::query::{date_range, quoted, translate_with};
use crate::article::Article;
use crate::index::schema::Fields;
use crate::search::facets::{top_values, FACET_TOP};
use crate::search::query::{self, dates, DateSpan, QueryError};
use crate::search::quotes::QuoteResults;
use crate::search::snippet::{self, Weighted};
use crate::search::{Hit, Request, Results, SearchError, Sort};

/// Values each facet asks Solr for (and again as many per shard).
const FACET_DEPTH: usize = FACET_TOP * 20;

/// The Solr field counted for a facet name from
/// [`FACETS`](crate::index::schema::FACETS).
pub fn facet_field(name: &str) -> Option<&'static str> {
    Some(match name {
        "person" => "f_person",
        "place" => "f_place",
        "org" => "f_org",
        "topic" => "f_topic",
        "dateline" => "f_dateline",
        "year" => "f_year",
        "month" => "f_month",
        "kind" => "kind",
        "speaker" => "f_speaker",
        _ => return None,
    })
}

pub fn solr_error(e: super::SolrError) -> SearchError {
    SearchError::Backend(e.to_string())
}

/// `--from`/`--to` as one span (the same rules as the local backend).
fn period(from: Option<&str>, to: Option<&str>) -> Result<Option<DateSpan>, SearchError> {
    let parse = |flag: &str, s: &str| {
        dates::parse_period(s.trim()).map_err(|m| SearchError::BadDate(format!("{flag}: {m}")))
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

/// The collapse filter that keeps one version of each story, the best
/// scoring (the collection routes on `cluster`, so a story's versions
/// share a shard).
pub const COLLAPSE: &str = "{!collapse field=cluster nullPolicy=expand}";

/// What a query selects in the collection: Solr's main query and filters,
/// with the needles to highlight and notes for the user.
pub struct Matching {
    pub q: String,
    pub fqs: Vec<String>,
    pub needles: Vec<query::Needle>,
    pub notes: Vec<String>,
}

impl Matching {
    /// `q`, `q.op`, `defType` and the filters, as request parameters.
    pub fn params(&self) -> Vec<(&str, &str)> {
        let mut params = vec![
            ("q", self.q.as_str()),
            ("q.op", "OR"),
            ("defType", "lucene"),
        ];
        for fq in &self.fqs {
            params.push(("fq", fq));
        }
        params
    }
}

/// Translates a query (in the query language) within `--from`/`--to`.
/// A blank query with a period matches the period's stories; a blank one
/// without is every story when `blank_is_all` (the views), else an error
/// (a search).
pub fn matching(
    people: Option<&SolrIdentities>,
    query_text: &str,
    from: Option<&str>,
    to: Option<&str>,
    all_versions: bool,
    blank_is_all: bool,
) -> Result<Matching, SearchError> {
    let span = period(from, to)?;
    let mut notes = Vec::new();
    let blank = query_text.trim().is_empty();
    let (q, needles) = if blank && (span.is_some() || blank_is_all) {
        ("*:*".to_string(), Vec::new())
    } else {
        let ast = query::parse(query_text)?;
        if people.is_none() && names_people(&ast) {
            notes.push(PEOPLE_NOTE.to_string());
        }
        let q = translate_with(&ast, people)?
            .ok_or_else(|| QueryError::new("empty query: no searchable words", 0))?;
        // The needles the local compiler would highlight (wildcards and
        // fuzzy words, which it expands from its own terms, show none).
        let needles = query::compile(&Fields::new(), &ast)
            .map(|c| c.needles)
            .unwrap_or_default();
        (q, needles)
    };
    let mut fqs = vec![format!("doc_type:{ARTICLE}")];
    if let Some(span) = span {
        fqs.push(date_range(span));
    }
    if !all_versions {
        fqs.push(COLLAPSE.to_string());
    }
    Ok(Matching {
        q,
        fqs,
        needles,
        notes,
    })
}

/// Said by `--orgs` on SolrCloud, whose organisations are not yet what
/// `org:` and the org facet match.
pub const ORGS_NOTE: &str = "with --solr, organisations are grouped from their names alone (the collection keeps no abbreviation pairs), and org: and the org facet still match names as the stories spell them";

/// What `person:` and `said:` mean on Solr (said when a query uses them).
pub const PEOPLE_NOTE: &str = "this collection keeps no identity statistics (indexed before they were kept), so person: and said: match names as the stories spell them; run dateline-index --solr on it again to apply the identity registry";

/// Runs a search on the collection.
pub fn search(solr: &Solr, req: &Request) -> Result<Results, SearchError> {
    let started = Instant::now();
    let people = people_for(solr, &req.query, !req.count_only && req.limit > 0)?;
    let Matching {
        q,
        fqs,
        needles,
        notes,
    } = matching(
        people,
        &req.query,
        req.from.as_deref(),
        req.to.as_deref(),
        req.all_versions,
        false,
    )?;
    let facet_s = facet_request(&req.facets)?;
    let rows = if req.count_only { 0 } else { req.limit };
    let sort = match req.sort {
        Sort::Relevance => "score desc,date desc",
        Sort::Newest => "date desc,score desc",
        Sort::Oldest => "date asc,score desc",
    };
    let rows_s = rows.to_string();
    let start_s = req.offset.to_string();
    let mut params: Vec<(&str, &str)> = vec![
        ("q", &q),
        ("q.op", "OR"),
        ("defType", "lucene"),
        ("rows", &rows_s),
        ("start", &start_s),
        ("sort", sort),
        ("fl", "article,score,cluster"),
    ];
    for fq in &fqs {
        params.push(("fq", fq));
    }
    if !req.facets.is_empty() {
        params.push(("json.facet", &facet_s));
    }
    let answer = solr
        .post_form(&format!("{}/select", solr.collection), &params)
        .map_err(solr_error)?;

    let total = answer["response"]["numFound"].as_u64().unwrap_or(0) as usize;
    let mut found: Vec<(Article, f32, u64)> = Vec::new();
    for doc in answer["response"]["docs"].as_array().into_iter().flatten() {
        let json = doc["article"]
            .as_str()
            .ok_or_else(|| SearchError::Stored("no article field".into()))?;
        let mut article: Article =
            serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
        if let Some(p) = people {
            p.apply(&mut article);
        }
        let score = doc["score"].as_f64().unwrap_or(0.0) as f32;
        let cluster = doc["cluster"]
            .as_str()
            .and_then(|c| u64::from_str_radix(c, 16).ok())
            .unwrap_or(0);
        found.push((article, score, cluster));
    }
    let sizes = cluster_sizes(solr, found.iter().map(|(_, _, c)| *c))?;
    let weighted = Weighted::uniform(&needles);
    let hits = found
        .into_iter()
        .map(|(article, score, cluster)| {
            let snippet = snippet::snippet(&article.body, article.lead(), &weighted, req.passages);
            Hit {
                score,
                snippet,
                cluster,
                versions: sizes.get(&cluster).copied().unwrap_or(1),
                article,
            }
        })
        .collect();
    let facets = read_facets(&answer, &req.facets);
    Ok(Results {
        total,
        hits,
        facets,
        elapsed: started.elapsed(),
        notes,
    })
}

/// The JSON Facet request for the named facets (`f0`, `f1`, …).
fn facet_request(names: &[String]) -> Result<String, SearchError> {
    let mut facets = Map::new();
    for (i, name) in names.iter().enumerate() {
        let field = facet_field(name).ok_or_else(|| SearchError::UnknownFacet(name.clone()))?;
        // Refined (exact counts for the values returned), and far deeper
        // than shown: a value split across shards ties with many others
        // at a small count, and must reach the merged list to be refined.
        // Ties at the cut are then broken here as the local backend does.
        facets.insert(
            format!("f{i}"),
            json!({
                "type": "terms",
                "field": field,
                "limit": FACET_DEPTH,
                "overrequest": FACET_DEPTH,
                "refine": true,
            }),
        );
    }
    Ok(Value::Object(facets).to_string())
}

/// The top values of each facet of [`facet_request`] in an answer.
fn read_facets(answer: &Value, names: &[String]) -> Vec<(String, Vec<(String, u64)>)> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let counts: HashMap<String, u64> = answer["facets"][format!("f{i}")]["buckets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| Some((b["val"].as_str()?.to_string(), b["count"].as_u64()?)))
                .collect();
            (name.clone(), top_values(counts, FACET_TOP))
        })
        .collect()
}

/// `--quotes`: the quotations that match a query, checked one by one by
/// Dateline's own [`Check`](crate::search::quotes::Check) in the stories
/// the collection finds (every version: repeats are dropped by text).
/// `said:` matches names as spelled.
pub fn quotes(solr: &Solr, req: &Request) -> Result<QuoteResults, SearchError> {
    use super::views::{stream, Order};
    use crate::search::quotes::{in_quotations, Check};
    let started = Instant::now();
    let span = period(req.from.as_deref(), req.to.as_deref())?;
    let ast = if req.query.trim().is_empty() {
        None
    } else {
        Some(in_quotations(query::parse(&req.query)?))
    };
    let q = match &ast {
        Some(a) => {
            super::query::translate_stories_of_quotes(a, people_for(solr, &req.query, false)?)?
                .ok_or_else(|| QueryError::new("empty query: no searchable words", 0))?
        }
        // Every story with a quotation of a known speaker.
        None => "said:[* TO *]".to_string(),
    };
    let mut fqs = vec![format!("doc_type:{ARTICLE}")];
    if let Some(span) = span {
        fqs.push(date_range(span));
    }
    let m = Matching {
        q,
        fqs,
        needles: Vec::new(),
        notes: Vec::new(),
    };
    let facet_s = facet_request(&req.facets)?;
    let mut params = m.params();
    params.push(("rows", "0"));
    if !req.facets.is_empty() {
        params.push(("json.facet", &facet_s));
    }
    let answer = solr
        .post_form(&format!("{}/select", solr.collection), &params)
        .map_err(solr_error)?;
    let stories = answer["response"]["numFound"].as_u64().unwrap_or(0) as usize;
    let facets = read_facets(&answer, &req.facets);

    let mut stemmed = crate::index::analyzer::stemmed();
    let mut plain = crate::index::analyzer::plain();
    let no_ids = |_: &str| Vec::new();
    let wanted = req.offset + req.limit;
    let mut matched = Vec::new();
    let order = match req.sort {
        Sort::Relevance => Order::Relevance,
        Sort::Newest => Order::Newest,
        Sort::Oldest => Order::Oldest,
    };
    if wanted > 0 && stories > 0 {
        stream(solr, &m, "article", order, |doc| {
            let json = doc["article"]
                .as_str()
                .ok_or_else(|| SearchError::Stored("no article field".into()))?;
            let article: Article =
                serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
            let mut check = Check {
                article: &article,
                stemmed: &mut stemmed,
                plain: &mut plain,
                ids_of: &no_ids,
            };
            check.add_matching(ast.as_ref(), req.all_versions, &mut matched);
            Ok::<_, SearchError>(matched.len() < wanted)
        })?;
    }
    Ok(QuoteResults::page(req, stories, matched, facets, started))
}

/// The collection's identities, loaded when the query names people or
/// `hits` are to show theirs.
pub fn people_for<'s>(
    solr: &'s Solr,
    query_text: &str,
    hits: bool,
) -> Result<Option<&'s SolrIdentities>, SearchError> {
    let names = hits
        || query::parse(query_text)
            .map(|ast| names_people(&ast))
            .unwrap_or(false);
    if !names {
        return Ok(None);
    }
    solr.identities().map_err(solr_error)
}

/// Whether a query names people through `person:` or `said:`, which the
/// local backend expands through the identity registry.
pub fn names_people(ast: &query::Ast) -> bool {
    use query::{Ast, QueryField};
    match ast {
        Ast::Word { field, .. }
        | Ast::Phrase { field, .. }
        | Ast::Wildcard { field, .. }
        | Ast::Fuzzy { field, .. }
        | Ast::Sloppy { field, .. } => {
            matches!(field, Some(QueryField::Person | QueryField::Said))
        }
        Ast::And(items) | Ast::Or(items) => items.iter().any(names_people),
        Ast::Not(inner) => names_people(inner),
        Ast::Near { left, right, .. } => names_people(left) || names_people(right),
        Ast::Date(_) => false,
    }
}

/// How many stories the collection holds in each of these clusters.
fn cluster_sizes(
    solr: &Solr,
    clusters: impl Iterator<Item = u64>,
) -> Result<HashMap<u64, usize>, SearchError> {
    let names: Vec<String> = clusters
        .map(|c| quoted(&crate::archive::versions::cluster_name(c)))
        .collect();
    if names.is_empty() {
        return Ok(HashMap::new());
    }
    let fq = format!("cluster:({})", names.join(" OR "));
    let facet = json!({ "c": { "type": "terms", "field": "cluster", "limit": -1 } }).to_string();
    let answer = solr
        .post_form(
            &format!("{}/select", solr.collection),
            &[
                ("q", "*:*"),
                ("fq", &format!("doc_type:{ARTICLE}")),
                ("fq", &fq),
                ("rows", "0"),
                ("json.facet", &facet),
            ],
        )
        .map_err(solr_error)?;
    Ok(answer["facets"]["c"]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let c = u64::from_str_radix(b["val"].as_str()?, 16).ok()?;
            Some((c, b["count"].as_u64()? as usize))
        })
        .collect())
}

/// The stored article with this id, if the collection holds it.
pub fn show(solr: &Solr, id: &str) -> Result<Option<Article>, SearchError> {
    let answer = solr
        .post_form(
            &format!("{}/select", solr.collection),
            &[
                ("q", &format!("id:{}", quoted(id))),
                ("fq", &format!("doc_type:{ARTICLE}")),
                ("fl", "article"),
                ("rows", "1"),
            ],
        )
        .map_err(solr_error)?;
    let Some(json) = answer["response"]["docs"][0]["article"].as_str() else {
        return Ok(None);
    };
    let mut article: Article =
        serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
    if let Some(p) = solr.identities().map_err(solr_error)? {
        p.apply(&mut article);
    }
    Ok(Some(article))
}

/// Every version of the story with this id (the stories of its cluster),
/// in the order of [`crate::search::versions`].
pub fn versions(solr: &Solr, id: &str) -> Result<Option<Vec<Hit>>, SearchError> {
    let answer = solr
        .post_form(
            &format!("{}/select", solr.collection),
            &[
                ("q", &format!("id:{}", quoted(id))),
                ("fq", &format!("doc_type:{ARTICLE}")),
                ("fl", "cluster"),
                ("rows", "1"),
            ],
        )
        .map_err(solr_error)?;
    let Some(name) = answer["response"]["docs"][0]["cluster"].as_str() else {
        return Ok(None);
    };
    let cluster = u64::from_str_radix(name, 16)
        .map_err(|_| SearchError::Stored(format!("cluster '{name}' is not a cluster key")))?;
    let m = Matching {
        q: format!("cluster:{}", quoted(name)),
        fqs: vec![format!("doc_type:{ARTICLE}")],
        needles: Vec::new(),
        notes: Vec::new(),
    };
    let mut articles = Vec::new();
    super::views::stream(solr, &m, "article", super::views::Order::Id, |doc| {
        let json = doc["article"]
            .as_str()
            .ok_or_else(|| SearchError::Stored("no article field".into()))?;
        let article: Article =
            serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
        articles.push(article);
        Ok::<_, SearchError>(true)
    })?;
    let count = articles.len();
    let mut hits: Vec<Hit> = articles
        .into_iter()
        .map(|article| Hit {
            article,
            score: 0.0,
            snippet: Default::default(),
            cluster,
            versions: count,
        })
        .collect();
    crate::search::sort_versions(&mut hits);
    Ok(Some(hits))
}

/// Every facet name is countable in Solr too.
#[cfg(test)]
#[test]
fn every_facet_has_a_solr_field() {
    for f in crate::index::schema::FACETS {
        assert!(facet_field(f).is_some(), "{f}");
    }
}
