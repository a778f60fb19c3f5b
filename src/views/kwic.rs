//! Concordance (keyword in context): every occurrence of a word or phrase
//! in the bodies of the matching stories, oldest story first.
//!
//! The term is analysed as the body was indexed (folded, lower-cased,
//! stemmed), so `precondition` also finds "Preconditions"; a phrase's words
//! must follow each other. This view reads stored articles: it needs the
//! text. On SolrCloud the stories that have the phrase are streamed from
//! the collection, oldest first, and their lines found by the same code.

use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::tokenizer::TextAnalyzer;

use crate::article::Article;
use crate::index::analyzer;
use crate::index::store::IndexHandle;
use crate::search::{query, Backend, QueryError, SearchError};
use crate::views::export::{self, Order, Stored};
use crate::views::{Limit, Selection};

/// Default characters of context on each side.
pub const DEFAULT_WIDTH: usize = 40;

/// One occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The story's id.
    pub id: String,
    /// The story's date, as stored.
    pub date: Option<String>,
    /// Byte offset of the occurrence in the story's body.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// Up to `width` characters before it, whitespace collapsed.
    pub left: String,
    /// The occurrence as written (whitespace collapsed).
    pub keyword: String,
    /// Up to `width` characters after it.
    pub right: String,
}

/// What to look for.
pub struct Options {
    /// A word or phrase.
    pub term: String,
    /// Characters of context on each side.
    pub width: usize,
    /// Lines returned at most.
    pub limit: Limit,
}

/// A term's analysed words.
pub fn analyse(term: &str) -> Vec<String> {
    analyzer::terms(&mut analyzer::stemmed(), term)
}

/// The concordance of `opts.term` in the stories a selection matches (a
/// blank query: every story that has the term).
pub fn kwic(
    backend: &Backend,
    selection: &Selection,
    opts: &Options,
) -> Result<Vec<Line>, SearchError> {
    let terms = analyse(&opts.term);
    if terms.is_empty() {
        return Err(QueryError::new("--kwic needs a word or phrase", 0).into());
    }
    if opts.term.contains('"') {
        return Err(SearchError::View(
            "--kwic takes a word or phrase without quotes".into(),
        ));
    }
    let phrase = query::parse(&format!("\"{}\"", opts.term))?;
    let mut lines = Vec::new();
    let mut analyzer = analyzer::stemmed();
    let mut add = |article: &Article| {
        lines_of(article, &terms, opts, &mut analyzer, &mut lines);
        lines.len() < opts.limit.get()
    };
    match backend {
        Backend::Local(handle) => local(handle, selection, &phrase, &mut add)?,
        Backend::Solr(solr) => {
            use crate::solr::views::{self, Order};
            // Only stories with the phrase can have a line: ask for them.
            let mut m = views::selection(solr, selection)?;
            let phrase = crate::solr::query::translate(&phrase)?
                .ok_or_else(|| QueryError::new("--kwic needs a word or phrase", 0))?;
            m.q = if m.q == "*:*" {
                phrase
            } else {
                format!("(+{} +{phrase})", m.q)
            };
            views::stream(solr, &m, "article", Order::Oldest, |doc| {
                let json = doc["article"]
                    .as_str()
                    .ok_or_else(|| SearchError::Stored("no article field".into()))?;
                let article: Article =
                    serde_json::from_str(json).map_err(|e| SearchError::Stored(e.to_string()))?;
                Ok::<_, SearchError>(add(&article))
            })?;
        }
    }
    Ok(lines)
}

/// Hands the stories of the local index that match the selection and have
/// the phrase to `add`, oldest first, while it asks for more.
fn local(
    handle: &IndexHandle,
    selection: &Selection,
    phrase: &query::Ast,
    add: &mut impl FnMut(&Article) -> bool,
) -> Result<(), SearchError> {
    let phrase = query::compile(&handle.fields, phrase)?;
    let narrowed = if selection.query.trim().is_empty()
        && selection.from.is_none()
        && selection.to.is_none()
    {
        phrase.query
    } else {
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, selection.compile(handle)?.query),
            (Occur::Must, phrase.query),
        ]))
    };
    let searcher = handle.searcher()?;
    let docs = export::matching(
        &searcher,
        handle,
        narrowed.as_ref(),
        Order::Oldest,
        selection.all_versions,
    )?;
    let mut stored = Stored::new(&searcher);
    for address in docs {
        if !add(&stored.article(handle, address)?) {
            break;
        }
    }
    Ok(())
}

/// Adds the lines of one story, up to the cap.
fn lines_of(
    article: &Article,
    terms: &[String],
    opts: &Options,
    analyzer: &mut TextAnalyzer,
    lines: &mut Vec<Line>,
) {
    let cap = opts.limit.get();
    for (start, end) in occurrences(analyzer, &article.body, terms) {
        if lines.len() >= cap {
            break;
        }
        let (left, keyword, right) = context(&article.body, start, end, opts.width);
        lines.push(Line {
            id: article.id.clone(),
            date: article.date.clone(),
            start,
            end,
            left,
            keyword,
            right,
        });
    }
}

/// Byte spans of `text` whose analysed words are `terms`, in order.
pub fn occurrences(
    analyzer: &mut TextAnalyzer,
    text: &str,
    terms: &[String],
) -> Vec<(usize, usize)> {
    let mut words: Vec<(usize, usize, String)> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        words.push((t.offset_from, t.offset_to, t.text.clone()));
    }
    if terms.is_empty() || terms.len() > words.len() {
        return Vec::new();
    }
    (0..=words.len() - terms.len())
        .filter(|&i| {
            words[i..i + terms.len()]
                .iter()
                .zip(terms)
                .all(|(w, t)| &w.2 == t)
        })
        .map(|i| (words[i].0, words[i + terms.len() - 1].1))
        .collect()
}

/// Bytes of text looked at on each side for `width` characters of context:
/// enough for wide characters and runs of whitespace.
fn window(width: usize) -> usize {
    width.saturating_mul(8).max(16)
}

/// Left context, keyword and right context, whitespace collapsed.
fn context(text: &str, start: usize, end: usize, width: usize) -> (String, String, String) {
    let mut from = start.saturating_sub(window(width));
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = end.saturating_add(window(width)).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let left = collapse(&text[from..start]);
    let left = left.trim_start();
    let skip = left.chars().count().saturating_sub(width);
    let left: String = left.chars().skip(skip).collect();
    let right = collapse(&text[end..to]);
    let right: String = right.trim_end().chars().take(width).collect();
    (left, collapse(&text[start..end]), right)
}

/// Each run of whitespace as one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_folded_forms_match() {
        let text = "No preconditions, said Lavrov. A PRECONDITION\nis a précondition.";
        let mut a = analyzer::stemmed();
        let spans = occurrences(&mut a, text, &analyse("precondition"));
        let found: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["preconditions", "PRECONDITION", "précondition"]);
    }

    #[test]
    fn phrases_match_consecutive_words_across_lines() {
        let text = "the transitional\ngovernment and a transitional body; transitional governments";
        let mut a = analyzer::stemmed();
        let spans = occurrences(&mut a, text, &analyse("transitional government"));
        assert_eq!(spans.len(), 2);
        let (l, k, r) = context(text, spans[0].0, spans[0].1, 4);
        assert_eq!(
            (l.as_str(), k.as_str(), r.as_str()),
            ("the ", "transitional government", " and")
        );
    }

    #[test]
    fn context_is_cut_to_width_in_characters() {
        let text = "ééééé  word  üüüüü";
        let s = text.find("word").unwrap();
        let (l, k, r) = context(text, s, s + 4, 3);
        assert_eq!((l.as_str(), k.as_str(), r.as_str()), ("éé ", "word", " üü"));
        let (l, _, r) = context(text, 0, 2, 10);
        assert_eq!((l.as_str(), r.as_str()), ("", "éééé word "));
    }
}
