//! Wildcards and fuzzy words, expanded into the terms an index holds.
//!
//! Expansion reads each segment's term dictionary, so it needs the
//! searcher; the terms found are what the query searches and what the
//! snippets highlight.
//!
//! In the stemmed fields (headline, lead, body) a prefix means the words
//! it begins: `negotiat*` finds the stems that start with `negotiat` and
//! also the stems of `negotiat` plus a common English ending (`negotiate`,
//! `negotiation` → `negoti`), which are shorter than the prefix itself.

use rayon::prelude::*;
use std::collections::BTreeMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::{Searcher, Term};

use super::parser::edit_distance;

/// Most terms a wildcard may expand to in one field; past it, the query
/// is refused (a shorter list would be an arbitrary part of the answer).
pub const MAX_WILDCARD_TERMS: usize = 300;

/// Most spellings a fuzzy word searches: the closest, most frequent first.
/// Past it the rest are left out and the search says so.
pub const MAX_FUZZY_TERMS: usize = 50;

/// Endings whose stems a prefix in a stemmed field also takes.
const ENDINGS: &[&str] = &[
    "e", "s", "es", "ed", "ing", "ion", "ions", "ive", "or", "ors", "er", "ers", "ly", "al", "ate",
    "ated", "ates", "ation", "ations", "ment", "ments", "ity", "ies", "y", "ness", "able", "ism",
    "ist", "ists", "ize", "ise", "ized", "ised", "ization", "ance", "ence", "ant", "ent",
];

/// The term dictionaries of an index, or none (then nothing expands).
#[derive(Clone, Copy)]
pub struct Lexicon<'a> {
    searcher: Option<&'a Searcher>,
}

/// Why an expansion failed.
#[derive(Debug)]
pub enum ExpandError {
    /// More than [`MAX_WILDCARD_TERMS`] terms.
    TooMany,
    /// The index failed to answer.
    Index(String),
}

impl From<std::io::Error> for ExpandError {
    fn from(e: std::io::Error) -> Self {
        ExpandError::Index(e.to_string())
    }
}

impl From<tantivy::TantivyError> for ExpandError {
    fn from(e: tantivy::TantivyError) -> Self {
        ExpandError::Index(e.to_string())
    }
}

impl<'a> Lexicon<'a> {
    /// Expansions over the searcher's segments.
    pub fn of(searcher: &'a Searcher) -> Lexicon<'a> {
        Lexicon {
            searcher: Some(searcher),
        }
    }

    /// No dictionary: every wildcard and fuzzy word expands to nothing.
    pub fn none() -> Lexicon<'static> {
        Lexicon { searcher: None }
    }

    /// How many documents hold `term` in `field`.
    pub fn doc_freq(&self, field: Field, term: &str) -> u64 {
        self.searcher
            .and_then(|s| s.doc_freq(&Term::from_field_text(field, term)).ok())
            .unwrap_or(0)
    }

    /// The terms of `field` that match `pattern` (folded, `*` and `?`),
    /// most frequent first. With `stems`, a trailing-`*` prefix also takes
    /// the stems of itself plus [`ENDINGS`], as produced by `stem`.
    pub fn wildcard(
        &self,
        field: Field,
        pattern: &str,
        stem: Option<&mut TextAnalyzer>,
    ) -> Result<Vec<String>, ExpandError> {
        let Some(searcher) = self.searcher else {
            return Ok(Vec::new());
        };
        let literal: String = pattern.chars().take_while(|c| !is_wild(*c)).collect();
        let prefix_only = pattern.len() == literal.len() + 1 && pattern.ends_with('*');
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for reader in searcher.segment_readers() {
            let index = reader.inverted_index(field)?;
            let mut stream = index.terms().range().ge(literal.as_bytes()).into_stream()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(literal.as_bytes()) {
                    break;
                }
                let Ok(term) = std::str::from_utf8(key) else {
                    continue;
                };
                if prefix_only || glob(pattern, term) {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                    if found.len() > MAX_WILDCARD_TERMS {
                        return Err(ExpandError::TooMany);
                    }
                }
            }
        }
        if let (true, Some(stem)) = (prefix_only, stem) {
            for ending in [""].iter().chain(ENDINGS) {
                for s in crate::index::analyzer::terms(stem, &format!("{literal}{ending}")) {
                    if let std::collections::btree_map::Entry::Vacant(slot) = found.entry(s) {
                        let df = self.doc_freq(field, slot.key());
                        if df > 0 {
                            slot.insert(df);
                        }
                    }
                }
            }
            if found.len() > MAX_WILDCARD_TERMS {
                return Err(ExpandError::TooMany);
            }
        }
        Ok(by_frequency(found))
    }

    /// The terms of `field` within `distance` edits of `term`, closest and
    /// most frequent first, at most [`MAX_FUZZY_TERMS`]; and how many
    /// more there were.
    pub fn fuzzy(
        &self,
        field: Field,
        term: &str,
        distance: u8,
    ) -> Result<(Vec<String>, usize), ExpandError> {
        let Some(searcher) = self.searcher else {
            return Ok((Vec::new(), 0));
        };
        let query = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true);
        // One automaton for all segments; its walks of their term
        // dictionaries are most of a fuzzy query's time, so the segments
        // are walked in parallel.
        let automaton = query.automaton()?;
        let walks: Vec<tantivy::Result<Vec<(String, u64)>>> = searcher
            .segment_readers()
            .par_iter()
            .map(|reader| {
                let index = reader.inverted_index(field)?;
                let mut stream = index.terms().search(&automaton).into_stream()?;
                let mut terms = Vec::new();
                while stream.advance() {
                    if let Ok(t) = std::str::from_utf8(stream.key()) {
                        terms.push((t.to_string(), u64::from(stream.value().doc_freq)));
                    }
                }
                Ok(terms)
            })
            .collect();
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for walk in walks {
            for (t, df) in walk? {
                *found.entry(t).or_default() += df;
            }
        }
        let mut ranked: Vec<(usize, std::cmp::Reverse<u64>, String)> = found
            .into_iter()
            .map(|(t, df)| (edit_distance(term, &t), std::cmp::Reverse(df), t))
            .collect();
        ranked.sort();
        let dropped = ranked.len().saturating_sub(MAX_FUZZY_TERMS);
        ranked.truncate(MAX_FUZZY_TERMS);
        Ok((ranked.into_iter().map(|(_, _, t)| t).collect(), dropped))
    }
}

fn by_frequency(found: BTreeMap<String, u64>) -> Vec<String> {
    let mut v: Vec<(String, u64)> = found.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().map(|(t, _)| t).collect()
}

fn is_wild(c: char) -> bool {
    c == '*' || c == '?'
}

/// Lower-cases and folds a pattern as the analyzers fold words, keeping
/// its wildcards, and drops apostrophes (`O'Bri*` → `obri*`).
pub fn fold(pattern: &str) -> String {
    let mut a = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut out = String::new();
    let mut stream = a.token_stream(pattern);
    while let Some(t) = stream.next() {
        out.push_str(&t.text);
    }
    out.chars()
        .filter(|c| !matches!(c, '\'' | '’' | 'ʼ' | '‘'))
        .collect()
}

/// Whether `text` matches `pattern`: `*` any run of chars, `?` one char.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic two-pointer match with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i] == '?' || p[i] == t[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_runs_and_single_chars() {
        assert!(glob("wom?n", "women"));
        assert!(glob("wom?n", "woman"));
        assert!(!glob("wom?n", "womn"));
        assert!(glob("neg*at*", "negotiat"));
        assert!(glob("a*", "a"));
        assert!(!glob("a?", "a"));
        assert!(glob("*", ""));
    }

    #[test]
    fn patterns_fold_like_words() {
        assert_eq!(fold("Zü?ich*"), "zu?ich*");
        assert_eq!(fold("O'Bri*"), "obri*");
    }
}
