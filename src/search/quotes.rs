//! `dateline --quotes QUERY`: the quotations themselves, not the stories.
//!
//! The query is answered at the story level first — with its free words
//! read as `quote:` words, so every word must stand in a quotation and
//! `said:`/`quote:` side by side in one (see
//! [`same_quote`](super::query::same_quote)) — then each matching story's
//! stored quotations are checked one by one against the quotation-level
//! parts (`said:`, `quote:` and the free words); the story-level parts
//! (`dateline:`, `date:`, `topic:` …) hold for every quotation of the story.

use std::time::{Duration, Instant};

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::query::{self, Ast, QueryField};
use super::{facets, from_to_span, load, ranked, Request, SearchError};
use crate::article::{Article, Quote};
use crate::index::document::speaker_names;
use crate::index::{analyzer, store::IndexHandle};

/// One quotation that matches, with its story.
#[derive(Debug, Clone)]
pub struct QuoteHit {
    /// The story, as stored.
    pub article: Article,
    pub quote: Quote,
    /// Byte ranges of the query's words in `quote.text`.
    pub highlights: Vec<(usize, usize)>,
}

/// The answer to a quotation search.
#[derive(Debug, Clone)]
pub struct QuoteResults {
    /// Stories with at least one matching quotation (an upper bound: the
    /// index answers per story, the last check per quotation).
    pub stories: usize,
    pub hits: Vec<QuoteHit>,
    pub facets: Vec<(String, Vec<(String, u64)>)>,
    pub elapsed: Duration,
}

/// Stories read per round while collecting quotations.
const PAGE: usize = 200;

/// Finds the quotations that match `req.query`, in the request's order
/// (by story), `req.offset` and `req.limit` counting quotations.
pub fn quotes(handle: &IndexHandle, req: &Request) -> Result<QuoteResults, SearchError> {
    let started = Instant::now();
    let fields = &handle.fields;
    let span = from_to_span(req.from.as_deref(), req.to.as_deref())?;
    let ast = if req.query.trim().is_empty() {
        None
    } else {
        Some(in_quotations(query::parse(&req.query)?))
    };
    let searcher = handle.searcher()?;
    // As in story searches: `said:` and `person:` through the identity
    // registry, wildcards and fuzzy words through the term dictionary.
    let identities = handle.identities().ok();
    let people = identities
        .as_deref()
        .map(|i| i as &dyn query::PersonExpansion);
    let compiled = ast
        .as_ref()
        .map(|a| query::compile_in(fields, a, &searcher, people))
        .transpose()?;
    let ids_of = |name: &str| -> Vec<String> {
        identities.as_deref().map_or_else(Vec::new, |i| {
            i.lookup(name)
                .into_iter()
                .map(|id| i.id(id).to_string())
                .collect()
        })
    };
    // Every story with a quotation at all, when only dates are given.
    let base: Box<dyn tantivy::query::Query> = match compiled {
        Some(c) => c.query,
        None => Box::new(tantivy::query::ExistsQuery::new("f_speaker".into(), false)),
    };
    let query: Box<dyn tantivy::query::Query> = match span {
        Some(span) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, base),
            (Occur::Must, query::date_query(fields, span)),
        ])),
        None => base,
    };
    let counter = facets::FacetCounts {
        fields: super::facet_fields(handle, &req.facets)?,
    };
    let (stories, facet_fruit) = searcher.search(&query, &(Count, counter))?;

    let mut stemmed = analyzer::stemmed();
    let mut plain = analyzer::plain();
    let wanted = req.offset + req.limit;
    let mut matched = Vec::new();
    let mut page_start = 0;
    while matched.len() < wanted && page_start < stories {
        let top = searcher.search(&query, &ranked(req, PAGE, page_start, handle))?;
        if top.is_empty() {
            break;
        }
        for (_, address) in &top {
            let mut article = load(&searcher, handle, *address)?;
            if let Some(i) = identities.as_deref() {
                i.apply_at(&searcher, *address, &mut article);
            }
            let mut check = Check {
                article: &article,
                stemmed: &mut stemmed,
                plain: &mut plain,
                ids_of: &ids_of,
            };
            check.add_matching(ast.as_ref(), req.all_versions, &mut matched);
            if matched.len() >= wanted {
                break;
            }
        }
        page_start += top.len();
    }
    let facets = req
        .facets
        .iter()
        .cloned()
        .zip(facet_fruit)
        .map(|(name, counts)| (name, facets::top_values(counts, facets::FACET_TOP)))
        .collect();
    Ok(QuoteResults::page(req, stories, matched, facets, started))
}

impl QuoteResults {
    /// The results of the `req.offset`/`req.limit` page of `matched`.
    pub fn page(
        req: &Request,
        stories: usize,
        matched: Vec<QuoteHit>,
        facets: Vec<(String, Vec<(String, u64)>)>,
        started: Instant,
    ) -> QuoteResults {
        QuoteResults {
            stories,
            hits: matched
                .into_iter()
                .skip(req.offset)
                .take(req.limit)
                .collect(),
            facets,
            elapsed: started.elapsed(),
        }
    }
}

/// The query with its free words read as words of a quotation.
pub fn in_quotations(ast: Ast) -> Ast {
    match ast {
        Ast::Word { field: None, text } => Ast::Word {
            field: Some(QueryField::Quote),
            text,
        },
        Ast::Phrase { field: None, text } => Ast::Phrase {
            field: Some(QueryField::Quote),
            text,
        },
        Ast::And(items) => Ast::And(items.into_iter().map(in_quotations).collect()),
        Ast::Or(items) => Ast::Or(items.into_iter().map(in_quotations).collect()),
        Ast::Not(inner) => Ast::Not(Box::new(in_quotations(*inner))),
        other => other,
    }
}

/// What checking one quotation against a query needs.
pub struct Check<'a> {
    pub article: &'a Article,
    pub stemmed: &'a mut TextAnalyzer,
    pub plain: &'a mut TextAnalyzer,
    /// The identity ids a `said:` value means.
    pub ids_of: &'a dyn Fn(&str) -> Vec<String>,
}

impl Check<'_> {
    /// Adds the story's quotations that satisfy `ast` (every one, with no
    /// query) to `matched`: a write-thru's repeated quotation once,
    /// unless every version is asked for.
    pub fn add_matching(
        &mut self,
        ast: Option<&Ast>,
        all_versions: bool,
        matched: &mut Vec<QuoteHit>,
    ) {
        let article = self.article;
        for q in &article.quotes {
            let keep = ast.is_none_or(|a| self.holds(a, q) != Some(false));
            let repeat = !all_versions
                && matched
                    .iter()
                    .any(|h| h.quote.text == q.text && h.quote.speaker == q.speaker);
            if keep && !repeat {
                let highlights = ast
                    .map(|a| highlights(a, &q.text, self.stemmed))
                    .unwrap_or_default();
                matched.push(QuoteHit {
                    article: article.clone(),
                    quote: q.clone(),
                    highlights,
                });
            }
        }
    }

    /// Whether one quotation satisfies the quotation-level parts of `ast`:
    /// `None` where only story-level parts speak (they hold already).
    fn holds(&mut self, ast: &Ast, q: &Quote) -> Option<bool> {
        match ast {
            Ast::Word {
                field: Some(QueryField::Quote),
                text,
            }
            | Ast::Phrase {
                field: Some(QueryField::Quote),
                text,
            } => {
                let want = analyzer::terms(self.stemmed, text);
                let have = analyzer::terms(self.stemmed, &q.text);
                Some(!want.is_empty() && have.windows(want.len()).any(|w| w == want.as_slice()))
            }
            Ast::Word {
                field: Some(QueryField::Said),
                text,
            }
            | Ast::Phrase {
                field: Some(QueryField::Said),
                text,
            } => {
                let Some(s) = &q.speaker else {
                    return Some(false);
                };
                if let Some(id) = &s.id {
                    let ids = (self.ids_of)(text);
                    if !ids.is_empty() {
                        return Some(ids.contains(id));
                    }
                }
                let want = analyzer::terms(self.plain, text);
                Some(speaker_names(self.article, &s.name).iter().any(|name| {
                    let have = analyzer::terms(self.plain, name);
                    !want.is_empty() && have.windows(want.len()).any(|w| w == want.as_slice())
                }))
            }
            Ast::And(items) => {
                let mut any = None;
                for i in items {
                    match self.holds(i, q) {
                        Some(false) => return Some(false),
                        Some(true) => any = Some(true),
                        None => {}
                    }
                }
                any
            }
            Ast::Or(items) => {
                let mut all_false = true;
                for i in items {
                    match self.holds(i, q) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => all_false = false,
                    }
                }
                if all_false {
                    Some(false)
                } else {
                    None
                }
            }
            Ast::Not(inner) => self.holds(inner, q).map(|b| !b),
            _ => None,
        }
    }
}

/// Byte ranges in `text` of the positive `quote:` words of `ast`.
fn highlights(ast: &Ast, text: &str, stemmed: &mut TextAnalyzer) -> Vec<(usize, usize)> {
    let mut terms = Vec::new();
    positive_quote_terms(ast, stemmed, &mut terms);
    let mut out = Vec::new();
    if terms.is_empty() {
        return out;
    }
    let mut stream = stemmed.token_stream(text);
    while let Some(t) = stream.next() {
        if terms.contains(&t.text) {
            out.push((t.offset_from, t.offset_to));
        }
    }
    out
}

fn positive_quote_terms(ast: &Ast, stemmed: &mut TextAnalyzer, out: &mut Vec<String>) {
    match ast {
        Ast::Word {
            field: Some(QueryField::Quote),
            text,
        }
        | Ast::Phrase {
            field: Some(QueryField::Quote),
            text,
        } => out.extend(analyzer::terms(stemmed, text)),
        Ast::And(items) | Ast::Or(items) => {
            for i in items {
                positive_quote_terms(i, stemmed, out);
            }
        }
        _ => {}
    }
}
