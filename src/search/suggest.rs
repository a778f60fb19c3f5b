//! "Did you mean": when a query finds nothing, a near variant that would.
//!
//! Two kinds of variant, tried word by word on the positive words of the
//! query: a `field:` value that the index holds in another field
//! (`person:Damascus` → `place:Damascus`), and, for a word the index does
//! not hold at all, its most frequent spelling within one or two edits
//! (`person:Brahimy` → `person:Brahimi`). A variant is offered only if it
//! does find stories: each is counted before it is shown.

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::index::analyzer;
use crate::index::schema::Fields;
use crate::search::query::lexer::{lex, TokenKind};
use crate::search::query::FIELD_NAMES;

/// Most variants counted for one query.
const MAX_TRIES: usize = 8;

/// The fields a value may have been meant for, by query name.
const MOVABLE: &[&str] = &[
    "person", "place", "org", "dateline", "topic", "byline", "source", "headline",
];

/// A message naming a variant of `query` that `count` finds stories for,
/// if there is one.
pub fn suggest(
    fields: &Fields,
    searcher: &Searcher,
    query: &str,
    count: impl Fn(&str) -> usize,
) -> Option<String> {
    let tokens = lex(query).ok()?;
    let mut stemmed = analyzer::stemmed();
    let mut plain = analyzer::plain();
    let df = |field: Field, term: &str| {
        searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    };
    let mut variants: Vec<String> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let (value, quoted) = match &t.kind {
            TokenKind::Word(w) => (w.as_str(), false),
            TokenKind::Phrase(p) => (p.as_str(), true),
            _ => continue,
        };
        if !quoted && value.contains(['*', '?', '~', '!']) {
            continue;
        }
        let field_token = i
            .checked_sub(1)
            .map(|j| &tokens[j])
            .filter(|f| f.end == t.start && matches!(f.kind, TokenKind::Field(_)));
        let before = field_token.map_or(i, |_| i - 1);
        let negated =
            before > 0 && matches!(tokens[before - 1].kind, TokenKind::Minus | TokenKind::Not);
        if negated {
            continue;
        }
        let name = field_token.and_then(|f| match &f.kind {
            TokenKind::Field(n) => Some(n.to_lowercase()),
            _ => None,
        });
        if matches!(name.as_deref(), Some("date" | "kind")) {
            continue;
        }
        let from = field_token.map_or(t.start, |f| f.start);
        let typed = &query[t.start..t.end];
        let replace = |with: &str| format!("{}{with}{}", &query[..from], &query[t.end..]);
        let index_field = |n: &str| -> Option<(Field, bool)> {
            Some(match n {
                "person" => (fields.person, false),
                "place" => (fields.place, false),
                "org" => (fields.org, false),
                "dateline" => (fields.dateline, false),
                "topic" => (fields.topic, false),
                "byline" => (fields.byline, false),
                "source" => (fields.source, false),
                "headline" => (fields.headline, true),
                _ => return None,
            })
        };
        let holds = |n: &str,
                     plain: &mut tantivy::tokenizer::TextAnalyzer,
                     stemmed: &mut tantivy::tokenizer::TextAnalyzer| {
            let Some((f, stems)) = index_field(n) else {
                return false;
            };
            let terms = analyzer::terms(if stems { stemmed } else { plain }, value);
            !terms.is_empty() && terms.iter().all(|t| df(f, t) > 0)
        };
        // A value in the wrong field.
        if let Some(n) = &name {
            if FIELD_NAMES.iter().any(|(f, _)| f == n) && !holds(n, &mut plain, &mut stemmed) {
                for other in MOVABLE.iter().filter(|o| **o != n) {
                    if holds(other, &mut plain, &mut stemmed) {
                        variants.push(replace(&format!("{other}:{typed}")));
                    }
                }
            }
        }
        // A misspelt word: the most frequent spelling near it.
        if quoted {
            continue;
        }
        let (field, stems) = match &name {
            Some(n) => match index_field(n) {
                Some(f) => f,
                None => continue,
            },
            None => (fields.body, true),
        };
        let terms = analyzer::terms(if stems { &mut stemmed } else { &mut plain }, value);
        let [term] = terms.as_slice() else { continue };
        let missing = df(field, term) == 0
            && (name.is_some()
                || analyzer::terms(&mut plain, value).iter().all(|p| {
                    [fields.person, fields.place, fields.org]
                        .iter()
                        .all(|f| df(*f, p) == 0)
                }));
        if !missing || term.chars().count() < 4 {
            continue;
        }
        let distance = if term.chars().count() >= 8 { 2 } else { 1 };
        if let Some(best) = nearest(searcher, field, term, distance) {
            let shown = if typed.chars().next().is_some_and(char::is_uppercase) {
                capitalised(&best)
            } else {
                best
            };
            let prefix = name.as_ref().map_or(String::new(), |n| format!("{n}:"));
            variants.push(replace(&format!("{prefix}{shown}")));
        }
    }
    variants.dedup();
    variants.into_iter().take(MAX_TRIES).find_map(|v| {
        let n = count(&v);
        (n > 0).then(|| {
            let stories = if n == 1 { "story" } else { "stories" };
            format!("0 stories match; did you mean {v}? ({n} {stories})")
        })
    })
}

/// The most frequent term of `field` within `distance` edits of `term`.
fn nearest(searcher: &Searcher, field: Field, term: &str, distance: u8) -> Option<String> {
    let query = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
    let automaton = query.automaton().ok()?;
    let mut best: Option<(u32, String)> = None;
    for reader in searcher.segment_readers() {
        let index = reader.inverted_index(field).ok()?;
        let mut stream = index.terms().search(&automaton).into_stream().ok()?;
        while stream.advance() {
            let df = stream.value().doc_freq;
            if let Ok(t) = std::str::from_utf8(stream.key()) {
                if t != term && !analyzer::is_mark(t) && best.as_ref().is_none_or(|b| df > b.0) {
                    best = Some((df, t.to_string()));
                }
            }
        }
    }
    best.map(|(_, t)| t)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
