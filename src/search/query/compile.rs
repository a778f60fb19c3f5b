//! Syntax tree to tantivy query, analysing each value exactly as the
//! writer analysed the field it searches.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring,
    Explanation, Occur, PhraseQuery, Query, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocId, DocSet, Score, SegmentReader, Term};

use super::dates::DateSpan;
use super::error::QueryError;
use super::parser::{Ast, QueryField};
use super::same_quote::{Group, SameQuote};
use crate::index::analyzer;
use crate::index::schema::{Fields, SPEAKER_MARK};

/// How much a free word counts in each text field: a word in the headline
/// says more about the story than one deep in the body.
const TEXT_BOOSTS: [(TextField, f32); 3] = [
    (TextField::Headline, 2.0),
    (TextField::Lead, 1.5),
    (TextField::Body, 1.0),
];

/// Free words also match the entity fields, so `Lavrov` finds a story that
/// names him only through an alias; lower, as the text fields already count
/// the mentions themselves.
const ENTITY_BOOST: f32 = 1.0;

/// Score share of the non-best fields of a free word. Every field counts in
/// full: a story that names Assad in its headline once is not worth more
/// than one that is about him throughout (its body and person field).
const TIE_BREAKER: f32 = 1.0;

/// Which analyzer made a highlight needle's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    /// [`analyzer::stemmed`], as for headline, lead and body.
    Stemmed,
    /// [`analyzer::plain`], as for the entity fields.
    Plain,
}

/// Something the snippet should highlight: a term, or a phrase of terms
/// that must follow each other.
#[derive(Debug, Clone, PartialEq)]
pub struct Needle {
    /// How the body must be analysed for its terms to compare.
    pub analysis: Analysis,
    /// Analysed terms, consecutive in the text for a phrase.
    pub terms: Vec<String>,
    /// The field whose statistics say how rare the terms are.
    pub field: Field,
}

/// A compiled query with what the snippets should show.
pub struct Compiled {
    /// What tantivy runs.
    pub query: Box<dyn Query>,
    /// Needles from the positive parts of the query (never from `-word`).
    pub needles: Vec<Needle>,
}

#[derive(Clone, Copy)]
enum TextField {
    Headline,
    Lead,
    Body,
}

/// Compiles a parsed query against the index fields.
pub fn compile(fields: &Fields, ast: &Ast) -> Result<Compiled, QueryError> {
    let mut c = Compiler {
        fields,
        stemmed: analyzer::stemmed(),
        plain: analyzer::plain(),
        needles: Vec::new(),
    };
    let query = c
        .node(ast, false)
        .ok_or_else(|| QueryError::new("empty query: no searchable words", 0))?;
    Ok(Compiled {
        query,
        needles: c.needles,
    })
}

/// Seconds either side of 1970 that tantivy's nanosecond dates can hold,
/// rounded in (the exact bound is about 9.22e9).
const STORABLE_SECS: i64 = 9_000_000_000;

/// A query for documents whose `date` lies in the span.
pub fn date_query(fields: &Fields, span: DateSpan) -> Box<dyn Query> {
    // tantivy keeps dates as i64 nanoseconds (1677-09-21 to 2262-04-11) and
    // overflows (a panic in debug builds) past them: `date:9999` and
    // `date:0001` must clamp to the storable span, where no story lies
    // anyway (found by tests/query_props.rs).
    let term = |secs: i64| {
        let secs = secs.clamp(-STORABLE_SECS, STORABLE_SECS);
        Term::from_field_date(fields.date, DateTime::from_timestamp_secs(secs))
    };
    let lower = match span.start {
        Some(s) => Bound::Included(term(s)),
        // The range needs at least one term to know its field; this is
        // before any date tantivy can store.
        None if span.end.is_none() => Bound::Included(term(-STORABLE_SECS)),
        None => Bound::Unbounded,
    };
    let upper = span
        .end
        .map_or(Bound::Unbounded, |e| Bound::Excluded(term(e)));
    // A date says which stories qualify, not which are better.
    Box::new(ConstScoreQuery::new(
        Box::new(RangeQuery::new(lower, upper)),
        0.0,
    ))
}

struct Compiler<'a> {
    fields: &'a Fields,
    stemmed: TextAnalyzer,
    plain: TextAnalyzer,
    needles: Vec<Needle>,
}

impl Compiler<'_> {
    /// `None` when nothing searchable is left (e.g. a word of punctuation).
    fn node(&mut self, ast: &Ast, negated: bool) -> Option<Box<dyn Query>> {
        match ast {
            Ast::Word { field: None, text } | Ast::Phrase { field: None, text } => {
                self.free(text, negated)
            }
            Ast::Word {
                field: Some(f),
                text,
            }
            | Ast::Phrase {
                field: Some(f),
                text,
            } => self.fielded(*f, text, negated),
            Ast::Date(span) => Some(date_query(self.fields, *span)),
            Ast::And(items) => {
                let mut clauses = Vec::new();
                // `said:` and `quote:` side by side ask for one quotation.
                let (together, items) = split_same_quote(items);
                if let Some(q) = self.same_quote(&together, negated) {
                    clauses.push((Occur::Must, q));
                }
                for item in items {
                    let (occur, q) = match item {
                        Ast::Not(inner) => (Occur::MustNot, self.node(inner, !negated)),
                        _ => (Occur::Must, self.node(item, negated)),
                    };
                    if let Some(q) = q {
                        clauses.push((occur, q));
                    }
                }
                boolean(clauses)
            }
            Ast::Or(items) => {
                let clauses: Vec<_> = items
                    .iter()
                    .filter_map(|i| self.node(i, negated))
                    .map(|q| (Occur::Should, q))
                    .collect();
                boolean(clauses)
            }
            Ast::Not(inner) => {
                let q = self.node(inner, !negated)?;
                boolean(vec![(Occur::MustNot, q)])
            }
        }
    }

    /// One query for the `said:` and `quote:` parts of a group: all in one
    /// quotation.
    fn same_quote(&mut self, parts: &[&Ast], negated: bool) -> Option<Box<dyn Query>> {
        if parts.is_empty() {
            return None;
        }
        let f = self.fields;
        let mut groups = Vec::new();
        for part in parts {
            let (Ast::Word {
                field: Some(qf),
                text,
            }
            | Ast::Phrase {
                field: Some(qf),
                text,
            }) = part
            else {
                continue;
            };
            let (terms, consecutive, analysis) = if *qf == QueryField::Said {
                let terms: Vec<String> = analyzer::terms(&mut self.plain, text);
                let marked = terms.iter().map(|t| format!("{SPEAKER_MARK}{t}")).collect();
                if !negated && !terms.is_empty() {
                    self.needles.push(Needle {
                        analysis: Analysis::Plain,
                        terms,
                        field: f.said,
                    });
                }
                (marked, false, Analysis::Plain)
            } else {
                let terms = analyzer::terms(&mut self.stemmed, text);
                (terms, true, Analysis::Stemmed)
            };
            if terms.is_empty() {
                continue;
            }
            if analysis == Analysis::Stemmed && !negated {
                self.needles.push(Needle {
                    analysis,
                    terms: terms.clone(),
                    field: f.quote,
                });
            }
            groups.push(Group {
                terms: terms
                    .iter()
                    .map(|t| Term::from_field_text(f.quote, t))
                    .collect(),
                consecutive,
            });
        }
        if groups.is_empty() {
            return None;
        }
        Some(Box::new(SameQuote {
            field: f.quote,
            groups,
        }))
    }

    /// A word or phrase without a field: any text field, or any entity
    /// field, may hold it.
    fn free(&mut self, text: &str, negated: bool) -> Option<Box<dyn Query>> {
        let stems = analyzer::terms(&mut self.stemmed, text);
        if stems.is_empty() {
            return None;
        }
        let plain = analyzer::terms(&mut self.plain, text);
        let f = self.fields;
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        for (which, boost) in TEXT_BOOSTS {
            let field = match which {
                TextField::Headline => f.headline,
                // The lead keeps no positions (the body has them): it
                // boosts single words; phrases are matched in the body.
                TextField::Lead if stems.len() > 1 => continue,
                TextField::Lead => f.lead,
                TextField::Body => f.body,
            };
            disjuncts.push(boosted(terms_query(field, &stems), boost));
        }
        for field in [f.person, f.place, f.org] {
            disjuncts.push(boosted(terms_query(field, &plain), ENTITY_BOOST));
        }
        if !negated {
            self.needles.push(Needle {
                analysis: Analysis::Stemmed,
                terms: stems,
                field: f.body,
            });
        }
        Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
            disjuncts,
            TIE_BREAKER,
        )))
    }

    fn fielded(&mut self, qf: QueryField, text: &str, negated: bool) -> Option<Box<dyn Query>> {
        let f = self.fields;
        // `topic:reuters:acq`: a source code, looked up whole (a phrase of
        // its words in `topic` is the same set, but far slower on a common
        // code).
        if qf == QueryField::Topic && is_code(text) {
            let term = Term::from_field_text(f.code, &text.trim().to_lowercase());
            return Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        if qf == QueryField::Kind {
            let term = Term::from_field_text(f.kind, &text.trim().to_lowercase());
            return Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        let (field, analysis, highlight) = match qf {
            QueryField::Person => (f.person, Analysis::Plain, true),
            QueryField::Place => (f.place, Analysis::Plain, true),
            QueryField::Org => (f.org, Analysis::Plain, true),
            QueryField::Dateline => (f.dateline, Analysis::Plain, true),
            // Labels, codes, authors and feeds are about the story, not
            // words of it, so they are not highlighted in its text.
            QueryField::Topic => (f.topic, Analysis::Plain, false),
            QueryField::Byline => (f.byline, Analysis::Plain, false),
            QueryField::Source => (f.source, Analysis::Plain, false),
            QueryField::Headline => (f.headline, Analysis::Stemmed, true),
            QueryField::Said => (f.said, Analysis::Plain, true),
            QueryField::Quote => (f.quote, Analysis::Stemmed, true),
            QueryField::Date => unreachable!("the parser turns date: values into spans"),
            QueryField::Kind => unreachable!("looked up whole above"),
        };
        let analyzer = match analysis {
            Analysis::Stemmed => &mut self.stemmed,
            Analysis::Plain => &mut self.plain,
        };
        let terms = analyzer::terms(analyzer, text);
        if terms.is_empty() {
            return None;
        }
        let query = terms_query(field, &terms);
        if highlight && !negated {
            self.needles.push(Needle {
                analysis,
                terms,
                field,
            });
        }
        Some(query)
    }
}

/// The positive `said:`/`quote:` words of a group that must share one
/// quotation (when there is a `quote:` among them and more than one), and
/// the group's other items.
fn split_same_quote(items: &[Ast]) -> (Vec<&Ast>, Vec<&Ast>) {
    let field = |a: &Ast| match a {
        Ast::Word { field, .. } | Ast::Phrase { field, .. } => *field,
        _ => None,
    };
    let quote_words = items
        .iter()
        .filter(|a| field(a) == Some(QueryField::Quote))
        .count();
    let scoped = items
        .iter()
        .filter(|a| matches!(field(a), Some(QueryField::Quote | QueryField::Said)))
        .count();
    if quote_words == 0 || scoped < 2 {
        return (Vec::new(), items.iter().collect());
    }
    items
        .iter()
        .partition(|a| matches!(field(a), Some(QueryField::Quote | QueryField::Said)))
}

/// Whether a topic value is a source code such as `reuters:acq`.
fn is_code(text: &str) -> bool {
    let t = text.trim();
    t.split_once(':').is_some_and(|(ns, code)| {
        !ns.is_empty()
            && !code.is_empty()
            && ns.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !code.contains(char::is_whitespace)
    })
}

/// A term query for one term, a phrase query for several (a hyphenated
/// word like `al-Khatib` analyses to two terms that must stay together).
fn terms_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    let mut terms: Vec<Term> = terms
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    if terms.len() == 1 {
        let term = terms.pop().expect("one term");
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    } else {
        Box::new(SteadyPhrase(PhraseQuery::new(terms)))
    }
}

/// A phrase query whose scorer never takes the "danger zone" shortcut.
///
/// Why: tantivy 0.27's `PhraseScorer::seek_danger` asserts (in debug
/// builds) that the target is not behind its current doc, but reads that
/// doc after an earlier `seek_danger` left it undefined. Excluding a
/// phrase (`-topic:reuters:crude`, `-"a b"`) or intersecting one trips
/// that assertion, panicking debug builds (found by tests/query_props.rs).
/// The plain `seek` path gives the same answers, so the wrapper's scorer
/// keeps [`DocSet::seek_danger`]'s default, which only ever seeks forward.
#[derive(Clone, Debug)]
struct SteadyPhrase(PhraseQuery);

impl Query for SteadyPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SteadyWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct SteadyWeight(Box<dyn Weight>);

impl Weight for SteadyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(SteadyScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct SteadyScorer(Box<dyn Scorer>);

impl DocSet for SteadyScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        // Never backwards: an exclusion may ask about a doc already passed.
        if self.0.doc() >= target {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for SteadyScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if boost == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Combines clauses; a group of exclusions alone means "everything but".
fn boolean(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Option<Box<dyn Query>> {
    if clauses.is_empty() {
        return None;
    }
    if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
        return clauses.pop().map(|(_, q)| q);
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
        ));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}
