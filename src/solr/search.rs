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
use crate::archive::identities::store::Which;
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
    /// `q` over the collection's stories (every version), within `span`.
    pub fn stories(q: String, span: Option<DateSpan>) -> Matching {
        let mut fqs = vec![format!("doc_type:{ARTICLE}")];
        if let Some(span) = span {
            fqs.push(date_range(span));
        }
        Matching {
            q,
            fqs,
            needles: Vec::new(),
            notes: Vec::new(),
        }
    }

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
    solr: Option<&Solr>,
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
        if people.is_some_and(|p| p.pairs_missing) && uses_field(&ast, &[query::QueryField::Org]) {
            notes.push(ORGS_NOTE.to_string());
        }
        let near = match solr {
            Some(solr) => super::nearness::checked_stories(solr, &ast, people, span)?,
            None => Vec::new(),
        };
        let q = translate_with(&ast, people, &near)?
            .ok_or_else(|| QueryError::new("empty query: no searchable words", 0))?;
        // The needles the local compiler would highlight (wildcards and
        // fuzzy words, which it expands from its own terms, show none).
        let needles = query::compile(&Fields::new(), &ast)
            .map(|c| c.needles)
            .unwrap_or_default();
        (q, needles)
    };
    let mut m = Matching::stories(q, span);
    if !all_versions {
        m.fqs.push(COLLAPSE.to_string());
    }
    Ok(Matching {
        needles,
        notes,
        ..m
    })
}

/// Said on SolrCloud when some stories' statistics were written before
/// abbreviation pairs were kept.
pub const ORGS_NOTE: &str = "some stories of this collection were indexed before their organisations' abbreviations were kept, so their organisations are grouped from names alone (a bare \"Fed\" stays itself); run dateline-index --solr on it again to send them anew";

/// What the person and org facets count on Solr without statistics.
pub const FACETS_NOTE: &str = "this collection keeps no identity statistics (indexed before they were kept), so the person and org facets count names as the stories spell them; run dateline-index --solr on it again to count identities";

/// What `person:`, `said:` and `org:` mean on Solr without statistics
/// (said when a query uses them).
pub const PEOPLE_NOTE: &str = "this collection keeps no identity statistics (indexed before they were kept), so person:, said: and org: match names as the stories spell them; run dateline-index --solr on it again to apply the identity registries";

/// Hits asked of Solr at a time.
const HITS_PAGE: usize = 500;

/// Runs a search on the collection.
pub fn search(solr: &Solr, req: &Request) -> Result<Results, SearchError> {
    let started = Instant::now();
    let person_facet = req.facets.iter().position(|f| f == "person");
    let org_facet = req.facets.iter().position(|f| f == "org");
    let people = people_for(
        solr,
        &req.query,
        (!req.count_only && req.limit > 0) || person_facet.is_some() || org_facet.is_some(),
    )?;
    let Matching {
        q,
        fqs,
        needles,
        notes,
    } = matching(
        Some(solr),
        people,
        &req.query,
        req.from.as_deref(),
        req.to.as_deref(),
        req.all_versions,
        false,
    )?;
    let facet_s = facet_request(&req.facets)?;
    let wanted = if req.count_only { 0 } else { req.limit };
    let sort = match req.sort {
        Sort::Relevance => "score desc,date desc",
        Sort::Newest => "date desc,score desc",
        Sort::Oldest => "date asc,score desc",
    };
    // Solr sizes its queue by `rows`: a page at a time, so that `-n all`
    // asks for what there is rather than for usize::MAX rows.
    let page = |start: usize, rows: usize, facets: bool| -> Result<Value, SearchError> {
        let rows_s = rows.to_string();
        let start_s = start.to_string();
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
        if facets && !req.facets.is_empty() {
            params.push(("json.facet", &facet_s));
        }
        solr.post_form(&format!("{}/select", solr.collection), &params)
            .map_err(solr_error)
    };
    let answer = page(req.offset, wanted.min(HITS_PAGE), true)?;
    let total = answer["response"]["numFound"].as_u64().unwrap_or(0) as usize;
    let mut docs: Vec<Value> = answer["response"]["docs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let last = total.min(req.offset.saturating_add(wanted));
    while req.offset + docs.len() < last {
        let start = req.offset + docs.len();
        let more = page(start, (last - start).min(HITS_PAGE), false)?;
        let got = more["response"]["docs"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if got.is_empty() {
            break;
        }
        docs.extend(got);
    }
    let mut found: Vec<(Article, f32, u64)> = Vec::new();
    for doc in &docs {
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
    let mut facets = read_facets(&answer, &req.facets);
    let mut notes = notes;
    if people.is_none() && (person_facet.is_some() || org_facet.is_some()) {
        notes.push(FACETS_NOTE.to_string());
    }
    for (at, which) in [(person_facet, Which::People), (org_facet, Which::Orgs)] {
        if let (Some(at), Some(p)) = (at, people) {
            let candidates = facet_names(&answer, at);
            facets[at].1 = identity_facet(solr, p, which, &q, &fqs, &candidates)?;
        }
    }
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

/// The values of facet `at` of [`facet_request`] in an answer.
fn facet_names(answer: &Value, at: usize) -> Vec<String> {
    answer["facets"][format!("f{at}")]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["val"].as_str().map(str::to_string))
        .collect()
}

/// Story ids sent in one request of [`identity_facet`] (the configset
/// lifts Solr's form size limit; a cluster's own may not).
const IDS_PER_REQUEST: usize = 50_000;

/// The `person` (or `org`) facet as the local backend counts it: matching
/// stories per identity (a story naming "Reagan" and "Ronald Reagan"
/// once), over every version, under the identity's display name. The
/// candidates are the identities the most frequent names (`names`, from
/// the facet of the names as spelled) may mean; each is counted exactly,
/// by one query facet on its stories' ids. (An identity whose every name
/// is too rare to be among them cannot reach the top, but for one of very
/// many spellings.)
fn identity_facet(
    solr: &Solr,
    people: &SolrIdentities,
    which: Which,
    q: &str,
    fqs: &[String],
    names: &[String],
) -> Result<Vec<(String, u64)>, SearchError> {
    let i = &people.identities;
    let lookup = |n: &String| match which {
        Which::People => i.lookup(n),
        Which::Orgs => i.lookup_org(n),
    };
    let name = |id: u32| match which {
        Which::People => i.name(id),
        Which::Orgs => i.org_name(id),
    };
    let mut candidates: Vec<u32> = names.iter().flat_map(lookup).collect();
    candidates.sort_unstable();
    candidates.dedup();
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut facets = Map::new();
    let mut asked: Vec<u32> = Vec::new();
    let mut ids_asked = 0;
    let every_version: Vec<&String> = fqs.iter().filter(|f| *f != COLLAPSE).collect();
    let mut send = |facets: &mut Map<String, Value>, asked: &mut Vec<u32>| {
        if asked.is_empty() {
            return Ok::<_, SearchError>(());
        }
        let json = Value::Object(std::mem::take(facets)).to_string();
        let mut params: Vec<(&str, &str)> = vec![("q", q), ("q.op", "OR"), ("defType", "lucene")];
        for fq in &every_version {
            params.push(("fq", fq));
        }
        params.extend([("rows", "0"), ("json.facet", json.as_str())]);
        let answer = solr
            .post_form(&format!("{}/select", solr.collection), &params)
            .map_err(solr_error)?;
        for (k, &id) in asked.iter().enumerate() {
            let n = answer["facets"][format!("p{k}")]["count"]
                .as_u64()
                .unwrap_or(0);
            if n > 0 {
                counts.insert(name(id).to_string(), n);
            }
        }
        asked.clear();
        Ok(())
    };
    for id in candidates {
        let stories = match which {
            Which::People => people.stories_of_ids(&[id]),
            Which::Orgs => people.stories_of_org_ids(&[id]),
        };
        if stories.is_empty() {
            continue;
        }
        if ids_asked + stories.len() > IDS_PER_REQUEST {
            send(&mut facets, &mut asked)?;
            ids_asked = 0;
        }
        ids_asked += stories.len();
        facets.insert(
            format!("p{}", asked.len()),
            json!({ "type": "query", "q": format!("{{!terms f=id}}{}", stories.join(",")) }),
        );
        asked.push(id);
    }
    send(&mut facets, &mut asked)?;
    Ok(top_values(counts, FACET_TOP))
}

/// `--quotes`: the quotations that match a query, checked one by one by
/// Dateline's own [`Check`](crate::search::quotes::Check) in the stories
/// the collection finds (every version: repeats are dropped by text),
/// speakers as the collection's identities.
pub fn quotes(solr: &Solr, req: &Request) -> Result<QuoteResults, SearchError> {
    use super::views::{stream, Order};
    use crate::search::quotes::{in_quotations, Check};
    let started = Instant::now();
    let span = period(req.from.as_deref(), req.to.as_deref())?;
    // Speakers are shown as identities, and `said:` means them.
    let people = solr.identities().map_err(solr_error)?;
    let ast = if req.query.trim().is_empty() {
        None
    } else {
        Some(in_quotations(query::parse(&req.query)?))
    };
    let q = match &ast {
        Some(a) => {
            let near = super::nearness::checked_stories(solr, a, people, span)?;
            super::query::translate_stories_of_quotes(a, people, &near)?
                .ok_or_else(|| QueryError::new("empty query: no searchable words", 0))?
        }
        // Every story with a quotation of a known speaker.
        None => "said:[* TO *]".to_string(),
    };
    let m = Matching::stories(q, span);
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
    let ids_of = |name: &str| -> Vec<String> {
        people.map_or_else(Vec::new, |p| {
            let i = &p.identities;
            i.lookup(name)
                .into_iter()
                .map(|id| i.id(id).to_string())
                .collect()
        })
    };
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
            let mut article: Article =
                serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
            if let Some(p) = people {
                p.apply(&mut article);
            }
            let mut check = Check {
                article: &article,
                stemmed: &mut stemmed,
                plain: &mut plain,
                ids_of: &ids_of,
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

/// Whether a query names people or organisations through `person:`,
/// `said:` or `org:`, which the local backend expands through the
/// identity registries.
pub fn names_people(ast: &query::Ast) -> bool {
    use query::QueryField;
    uses_field(
        ast,
        &[QueryField::Person, QueryField::Said, QueryField::Org],
    )
}

/// Whether a query searches any of `fields`.
fn uses_field(ast: &query::Ast, fields: &[query::QueryField]) -> bool {
    use query::Ast;
    match ast {
        Ast::Word { field, .. }
        | Ast::Phrase { field, .. }
        | Ast::Wildcard { field, .. }
        | Ast::Fuzzy { field, .. }
        | Ast::Sloppy { field, .. } => field.is_some_and(|f| fields.contains(&f)),
        Ast::And(items) | Ast::Or(items) => items.iter().any(|i| uses_field(i, fields)),
        Ast::Not(inner) => uses_field(inner, fields),
        Ast::Near { left, right, .. } => uses_field(left, fields) || uses_field(right, fields),
        Ast::Date(_) => false,
    }
}

/// How many stories the collection holds in each of these clusters.
fn cluster_sizes(
    solr: &Solr,
    clusters: impl Iterator<Item = u64>,
) -> Result<HashMap<u64, usize>, SearchError> {
    let names: Vec<String> = clusters
        .map(crate::archive::versions::cluster_name)
        .collect();
    let facet = json!({ "c": { "type": "terms", "field": "cluster", "limit": -1 } }).to_string();
    let mut sizes = HashMap::new();
    // A terms filter knows no clause limit; batches keep each request
    // small for a page of `-n all`.
    for batch in names.chunks(5_000) {
        let fq = format!("{{!terms f=cluster}}{}", batch.join(","));
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
        sizes.extend(
            answer["facets"]["c"]["buckets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| {
                    let c = u64::from_str_radix(b["val"].as_str()?, 16).ok()?;
                    Some((c, b["count"].as_u64()? as usize))
                }),
        );
    }
    Ok(sizes)
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
