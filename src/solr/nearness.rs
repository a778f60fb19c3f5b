//! Nearness on SolrCloud (`NEAR/n`, `SAME_SENTENCE`, `SAME_PARAGRAPH`,
//! `"a b"~n`): Solr finds the candidates, Dateline decides.
//!
//! Why not Solr's span queries: the local backend measures nearness in
//! positions where the body analyzer has put a mark between sentences and
//! paragraphs ([`analyzer::SENTENCE_MARK`]), found by
//! [`breaks`](crate::index::breaks) (abbreviations, initials, quotes), and
//! `"a b"~n` counts the words between, in any order, where Lucene's slop
//! counts moves. No Solr filter places those marks, and the surround
//! parser neither analyses its words nor knows sentences, so span queries
//! would give other counts. Instead each nearness expression is sent as
//! the AND of its words (what the local compiler scores it by), the stored
//! articles of those candidate stories are indexed a batch at a time into
//! a small in-memory tantivy index with the local schema and analyzers,
//! and the local compiler's own query picks the stories that match. Their
//! ids then stand for the expression in the Solr query (a `{!terms}`
//! filter that scores 0, as the local positional filter does), so counts,
//! facets, sorting and paging stay Solr's over exactly the checked stories.
//!
//! The cost is one pass over the candidates' stored text per expression:
//! fine for words that are rare together, slow for very common ones.

use serde_json::Value;
use tantivy::collector::DocSetCollector;
use tantivy::directory::RamDirectory;
use tantivy::tokenizer::TokenizerManager;
use tantivy::Index;

use super::client::Solr;
use super::identities::SolrIdentities;
use super::query::translate_with;
use super::search::Matching;
use super::views::{stream, Order};
use crate::article::Article;
use crate::index::analyzer;
use crate::index::document::to_document;
use crate::index::schema::Fields;
use crate::search::query::{self, Ast, DateSpan, QueryError};
use crate::search::SearchError;

/// Candidate stories indexed together for one check.
const BATCH: usize = 400;

/// Memory for one batch's in-memory segment (a batch of long stories
/// stays well below it).
const BATCH_MEMORY: usize = 16 << 20;

/// The nearness expressions of a query that the translation replaces by
/// their checked stories, outermost first, in the order
/// [`translate_with`] meets them.
pub fn expressions(ast: &Ast) -> Vec<&Ast> {
    let mut out = Vec::new();
    collect(ast, &mut out);
    out
}

fn collect<'a>(ast: &'a Ast, out: &mut Vec<&'a Ast>) {
    match ast {
        Ast::Near { .. } | Ast::Sloppy { .. } => out.push(ast),
        Ast::And(items) | Ast::Or(items) => items.iter().for_each(|i| collect(i, out)),
        Ast::Not(inner) => collect(inner, out),
        Ast::Word { .. }
        | Ast::Phrase { .. }
        | Ast::Wildcard { .. }
        | Ast::Fuzzy { .. }
        | Ast::Date(_) => {}
    }
}

/// A nearness expression as the words it requires, without the nearness:
/// what the local compiler scores it by, and a superset of its matches.
pub fn words_of(ast: &Ast) -> Ast {
    match ast {
        Ast::Near { left, right, .. } => Ast::And(vec![words_of(left), words_of(right)]),
        Ast::Sloppy { field, text, .. } => Ast::And(
            text.split_whitespace()
                .map(|w| Ast::Word {
                    field: *field,
                    text: w.to_string(),
                })
                .collect(),
        ),
        Ast::Or(items) => Ast::Or(items.iter().map(words_of).collect()),
        other => other.clone(),
    }
}

/// Refuses what the check cannot do as the local backend does, before
/// the collection is asked: a wildcard or fuzzy word expands locally to
/// the terms of the whole index, and a batch knows only its own (so a
/// side could find no word where the index has some). Then compiles each
/// expression as the local backend would, for the same errors.
pub fn check_supported(ast: &Ast) -> Result<(), QueryError> {
    fn patterns(ast: &Ast) -> Option<usize> {
        match ast {
            Ast::Wildcard { at, .. } | Ast::Fuzzy { at, .. } => Some(*at),
            Ast::Near { left, right, .. } => patterns(left).or_else(|| patterns(right)),
            Ast::Or(items) | Ast::And(items) => items.iter().find_map(patterns),
            Ast::Not(inner) => patterns(inner),
            _ => None,
        }
    }
    let fields = Fields::new();
    for e in expressions(ast) {
        if let Some(at) = patterns(e) {
            return Err(QueryError::new(
                "a wildcard or fuzzy word beside a nearness operator cannot be checked on Solr yet; spell the words out (OR them), or use it without --solr",
                at,
            ));
        }
        query::compile(&fields, e)?;
    }
    Ok(())
}

/// For each of [`expressions`]`(ast)`, the ids of the stories (every
/// version) where it holds, within `span`.
pub fn checked_stories(
    solr: &Solr,
    ast: &Ast,
    people: Option<&SolrIdentities>,
    span: Option<DateSpan>,
) -> Result<Vec<Vec<String>>, SearchError> {
    check_supported(ast)?;
    expressions(ast)
        .into_iter()
        .map(|e| stories_where(solr, e, people, span))
        .collect()
}

/// The stories where one nearness expression holds.
fn stories_where(
    solr: &Solr,
    near: &Ast,
    people: Option<&SolrIdentities>,
    span: Option<DateSpan>,
) -> Result<Vec<String>, SearchError> {
    let Some(q) = translate_with(&words_of(near), people, &[])? else {
        return Ok(Vec::new());
    };
    let m = Matching::stories(q, span);
    let checker = Checker::new();
    let mut batch = Vec::with_capacity(BATCH);
    let mut found = Vec::new();
    stream(solr, &m, "article", Order::Id, |doc: &Value| {
        let json = doc["article"]
            .as_str()
            .ok_or_else(|| SearchError::Stored("no article field".into()))?;
        let article: Article =
            serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
        batch.push(article);
        if batch.len() == BATCH {
            checker.matching(near, &batch, &mut found)?;
            batch.clear();
        }
        Ok::<_, SearchError>(true)
    })?;
    checker.matching(near, &batch, &mut found)?;
    Ok(found)
}

/// Runs the local compiler's query for an expression over a batch of
/// stories held in memory.
pub struct Checker {
    fields: Fields,
    tokenizers: TokenizerManager,
}

impl Default for Checker {
    fn default() -> Self {
        Self::new()
    }
}

impl Checker {
    /// The local schema and analyzers.
    pub fn new() -> Checker {
        let tokenizers = TokenizerManager::default();
        tokenizers.register(analyzer::STEMMED, analyzer::stemmed());
        tokenizers.register(analyzer::PLAIN, analyzer::plain());
        tokenizers.register(analyzer::BODY, analyzer::body());
        Checker {
            fields: Fields::new(),
            tokenizers,
        }
    }

    /// Appends the ids of the `articles` where `ast` matches, in order.
    pub fn matching(
        &self,
        ast: &Ast,
        articles: &[Article],
        out: &mut Vec<String>,
    ) -> Result<(), SearchError> {
        if articles.is_empty() {
            return Ok(());
        }
        // One segment, written in order without threads: doc ids are the
        // articles' places in the batch.
        let mut writer = Index::builder()
            .schema(self.fields.schema.clone())
            .tokenizers(self.tokenizers.clone())
            .single_segment_index_writer(RamDirectory::create(), BATCH_MEMORY)?;
        for a in articles {
            writer.add_document(to_document(&self.fields, a))?;
        }
        let index = writer.finalize()?;
        let searcher = index.reader()?.searcher();
        let compiled = query::compile_in(&self.fields, ast, &searcher, None)?;
        let mut docs: Vec<u32> = searcher
            .search(&*compiled.query, &DocSetCollector)?
            .into_iter()
            .map(|d| d.doc_id)
            .collect();
        docs.sort_unstable();
        for d in docs {
            let a = articles.get(d as usize).ok_or_else(|| {
                SearchError::Backend(format!("nearness check: no story {d} in the batch"))
            })?;
            out.push(a.id.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn article(id: &str, body: &str) -> Article {
        Article {
            id: id.into(),
            body: body.into(),
            ..Article::default()
        }
    }

    fn ids(q: &str, articles: &[Article]) -> Vec<String> {
        let mut out = Vec::new();
        Checker::new()
            .matching(&parse(q).unwrap(), articles, &mut out)
            .unwrap();
        out
    }

    #[test]
    fn the_local_compiler_decides_on_each_story() {
        let stories = [
            article("a", "Oil prices rose. Gas was flat."),
            article("b", "Oil and gas prices rose sharply."),
            article("c", "Prices of oil rose.\n\nGas was flat."),
        ];
        assert_eq!(ids("oil NEAR/1 gas", &stories), ["b"]);
        assert_eq!(ids("oil SAME_SENTENCE gas", &stories), ["b"]);
        assert_eq!(ids("oil SAME_PARAGRAPH gas", &stories), ["a", "b"]);
        assert_eq!(ids("\"prices oil\"~1", &stories), ["a", "c"]);
        assert_eq!(ids("\"prices oil\"~2", &stories), ["a", "b", "c"]);
        assert!(ids("oil NEAR/3 wheat", &stories).is_empty());
    }

    #[test]
    fn expressions_are_listed_outermost_in_order() {
        let ast = parse("(a NEAR/2 b) OR c -(\"d e\"~3) (f w/s g) NEAR/4 h").unwrap();
        let found = expressions(&ast);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(matches!(found[1], Ast::Sloppy { .. }));
        let words = words_of(found[0]);
        assert!(
            matches!(words, Ast::And(ref w) if w.len() == 2),
            "{words:?}"
        );
    }

    #[test]
    fn patterns_beside_nearness_are_refused_where_they_stand() {
        let q = "oil NEAR/3 pric*";
        let e = check_supported(&parse(q).unwrap()).unwrap_err();
        assert_eq!(e.offset, q.find("pric").unwrap());
        assert!(check_supported(&parse("oil* gas NEAR/3 prices").unwrap()).is_ok());
    }
}
