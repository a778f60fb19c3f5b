//! Syntax tree to tantivy query, analysing each value exactly as the
//! writer analysed the field it searches, and expanding wildcards and
//! fuzzy words against the index's terms.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring,
    Explanation, Occur, PhraseQuery, Query, RangeQuery, Scorer, TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocId, DocSet, Score, Searcher, SegmentReader, Term};

use super::dates::DateSpan;
use super::error::QueryError;
use super::expand::{self, ExpandError, Lexicon, MAX_FUZZY_TERMS, MAX_WILDCARD_TERMS};
use super::lexer::Proximity;
use super::parser::{Ast, QueryField};
use super::proximity::{PositionalQuery, Span, Unit};
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

/// Something the snippet should highlight: a term, a phrase of terms
/// that must follow each other, or any one of a word's expansions.
#[derive(Debug, Clone, PartialEq)]
pub struct Needle {
    /// How the body must be analysed for its terms to compare.
    pub analysis: Analysis,
    /// Analysed terms, consecutive in the text for a phrase; empty when
    /// `alternatives` is not.
    pub terms: Vec<String>,
    /// The field whose statistics say how rare the terms are.
    pub field: Field,
    /// Terms of which any one word matches (a wildcard's or fuzzy word's
    /// expansions), most frequent first.
    pub alternatives: Vec<String>,
}

/// A compiled query with what the snippets should show.
pub struct Compiled {
    /// What tantivy runs.
    pub query: Box<dyn Query>,
    /// Needles from the positive parts of the query (never from `-word`).
    pub needles: Vec<Needle>,
    /// Things the person should know about how the query was read (a
    /// fuzzy word cut to its closest spellings), for stderr.
    pub notes: Vec<String>,
}

#[derive(Clone, Copy)]
enum TextField {
    Headline,
    Lead,
    Body,
}

/// Expands a `person:` value to the stories of the people it means across
/// the archive (the identity registry), rather than the stories that
/// spell it.
pub trait PersonExpansion {
    /// A query for the stories of the identities `text` names; `None` when
    /// the name is unknown, and the field is searched as written.
    fn person(&self, text: &str) -> Option<Box<dyn Query>>;

    /// The same for an `org:` value: the stories of the organisation
    /// identities it names.
    fn org(&self, _text: &str) -> Option<Box<dyn Query>> {
        None
    }
}

/// Compiles a parsed query against the index fields, without a term
/// dictionary: wildcards and fuzzy words match nothing. Searches use
/// [`compile_in`].
pub fn compile(fields: &Fields, ast: &Ast) -> Result<Compiled, QueryError> {
    compile_with(fields, ast, Lexicon::none(), None)
}

/// Compiles a parsed query for `searcher`, whose terms wildcards and fuzzy
/// words expand to, with `person:` values expanded through `people`.
pub fn compile_in(
    fields: &Fields,
    ast: &Ast,
    searcher: &Searcher,
    people: Option<&dyn PersonExpansion>,
) -> Result<Compiled, QueryError> {
    compile_with(fields, ast, Lexicon::of(searcher), people)
}

fn compile_with<'a>(
    fields: &'a Fields,
    ast: &Ast,
    lexicon: Lexicon<'a>,
    people: Option<&'a dyn PersonExpansion>,
) -> Result<Compiled, QueryError> {
    let mut c = Compiler {
        fields,
        stemmed: analyzer::stemmed(),
        plain: analyzer::plain(),
        needles: Vec::new(),
        notes: Vec::new(),
        lexicon,
        people,
    };
    let query = c
        .node(ast, false)?
        .ok_or_else(|| QueryError::new("empty query: no searchable words", 0))?;
    Ok(Compiled {
        query,
        needles: c.needles,
        notes: c.notes,
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
    notes: Vec<String>,
    lexicon: Lexicon<'a>,
    people: Option<&'a dyn PersonExpansion>,
}

/// A word that stands for several terms.
#[derive(Clone, Copy)]
enum Pattern<'t> {
    /// `*` and `?`, as typed.
    Wildcard(&'t str),
    /// Within this many edits.
    Fuzzy(&'t str, u8),
}

type Compiling = Result<Option<Box<dyn Query>>, QueryError>;

impl Compiler<'_> {
    /// `None` when nothing searchable is left (e.g. a word of punctuation).
    fn node(&mut self, ast: &Ast, negated: bool) -> Compiling {
        Ok(match ast {
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
            Ast::Wildcard { field, pattern, at } => {
                return self.pattern(*field, Pattern::Wildcard(pattern), *at, negated)
            }
            Ast::Fuzzy {
                field,
                text,
                distance,
                at,
            } => return self.pattern(*field, Pattern::Fuzzy(text, *distance), *at, negated),
            Ast::Sloppy { .. } | Ast::Near { .. } => return self.near(ast, negated),
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
                        Ast::Not(inner) => (Occur::MustNot, self.node(inner, !negated)?),
                        _ => (Occur::Must, self.node(item, negated)?),
                    };
                    if let Some(q) = q {
                        clauses.push((occur, q));
                    }
                }
                boolean(clauses)
            }
            Ast::Or(items) => {
                let mut clauses = Vec::new();
                for i in items {
                    if let Some(q) = self.node(i, negated)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                boolean(clauses)
            }
            Ast::Not(inner) => match self.node(inner, !negated)? {
                Some(q) => boolean(vec![(Occur::MustNot, q)]),
                None => None,
            },
        })
    }

    /// One query for the `said:` and `quote:` parts of a group: all in one
    /// quotation.
    fn same_quote(&mut self, parts: &[&Ast], negated: bool) -> Option<Box<dyn Query>> {
        if parts.is_empty() {
            return None;
        }
        let f = self.fields;
        let mut groups = Vec::new();
        let mut identities: Vec<Box<dyn Query>> = Vec::new();
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
                let mut terms: Vec<String> = analyzer::terms(&mut self.plain, text);
                if let (Some(stories), false) =
                    (self.people.and_then(|p| p.person(text)), terms.is_empty())
                {
                    // Any of the identity's names in the quotation: every
                    // form ends in the surname, and its stories are kept
                    // to the identity's.
                    terms.drain(..terms.len() - 1);
                    identities.push(stories);
                }
                let marked = terms.iter().map(|t| format!("{SPEAKER_MARK}{t}")).collect();
                if !negated && !terms.is_empty() {
                    self.needles.push(Needle {
                        analysis: Analysis::Plain,
                        terms,
                        field: f.said,
                        alternatives: Vec::new(),
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
                    alternatives: Vec::new(),
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
        let same: Box<dyn Query> = Box::new(SameQuote {
            field: f.quote,
            groups,
        });
        if identities.is_empty() {
            return Some(same);
        }
        let mut clauses = vec![(Occur::Must, same)];
        clauses.extend(identities.into_iter().map(|q| (Occur::Must, q)));
        Some(Box::new(BooleanQuery::new(clauses)))
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
                alternatives: Vec::new(),
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
        let (field, analysis, highlight) = field_info(f, qf);
        let analyzer = match analysis {
            Analysis::Stemmed => &mut self.stemmed,
            Analysis::Plain => &mut self.plain,
        };
        let terms = analyzer::terms(analyzer, text);
        if terms.is_empty() {
            return None;
        }
        let mut query = terms_query(field, &terms);
        if qf == QueryField::Said {
            if let Some(identities) = self.people.and_then(|p| p.person(text)) {
                // Quoted by the identity under any of its names: the
                // identity's stories whose speakers include the surname.
                let surname = terms_query(field, &terms[terms.len() - 1..]);
                query = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, identities),
                    (Occur::Must, surname),
                ]));
            }
        }
        if qf == QueryField::Org {
            if let Some(identities) = self.people.and_then(|p| p.org(text)) {
                // Stories naming it as written (ranked as before), and
                // those of its identities under any alias.
                query = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, query),
                    (Occur::Should, identities),
                ]));
            }
        }
        if qf == QueryField::Person {
            if let Some(identities) = self.people.and_then(|p| p.person(text)) {
                // The identity's stories, ranked by how often they name
                // the surname (every form of a name ends in it).
                let surname = terms_query(field, &terms[terms.len() - 1..]);
                query = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, identities),
                    (Occur::Should, surname),
                ]));
            }
        }
        if highlight && !negated {
            self.needles.push(Needle {
                analysis,
                terms,
                field,
                alternatives: Vec::new(),
            });
        }
        Some(query)
    }

    /// A wildcard or fuzzy word, in `field` or, without one, everywhere a
    /// free word is searched.
    fn pattern(
        &mut self,
        field: Option<QueryField>,
        pattern: Pattern,
        at: usize,
        negated: bool,
    ) -> Compiling {
        let f = self.fields;
        let targets: Vec<(Field, Analysis, f32, bool)> = match field {
            None => vec![
                (f.headline, Analysis::Stemmed, 2.0, true),
                (f.body, Analysis::Stemmed, 1.0, true),
                (f.lead, Analysis::Stemmed, 1.5, false),
                (f.person, Analysis::Plain, ENTITY_BOOST, true),
                (f.place, Analysis::Plain, ENTITY_BOOST, true),
                (f.org, Analysis::Plain, ENTITY_BOOST, true),
            ],
            Some(qf) => {
                let (field, analysis, _) = field_info(f, qf);
                vec![(field, analysis, 1.0, true)]
            }
        };
        let mut disjuncts = Vec::new();
        let mut searchable = false;
        let mut body_slots = None;
        for (target, analysis, boost, positions) in targets {
            let slots = match &body_slots {
                // The lead is the body's first paragraph, so its words are
                // the body's: a fuzzy word's spellings, the costliest of
                // expansions, are looked up once for both.
                Some(body) if target == f.lead => Vec::clone(body),
                _ => self.expand(target, analysis, pattern, at)?,
            };
            if target == f.body && matches!(pattern, Pattern::Fuzzy(..)) {
                body_slots = Some(slots.clone());
            }
            if slots.is_empty() {
                continue;
            }
            searchable = true;
            if slots.iter().any(Vec::is_empty) || (!positions && slots.len() > 1) {
                continue;
            }
            let highlight = match field {
                None => target == f.body,
                Some(qf) => field_info(f, qf).2,
            };
            if highlight && !negated {
                for slot in &slots {
                    self.needles.push(Needle {
                        analysis,
                        terms: Vec::new(),
                        field: target,
                        alternatives: slot.clone(),
                    });
                }
            }
            disjuncts.push(boosted(slots_query(target, slots), boost));
        }
        if !searchable {
            return Ok(None);
        }
        Ok(Some(match disjuncts.len() {
            // Nothing in the index matches: the word still counts, as a
            // word that no story has would.
            0 => Box::new(tantivy::query::EmptyQuery),
            1 => disjuncts.pop().expect("one"),
            _ => Box::new(DisjunctionMaxQuery::with_tie_breaker(
                disjuncts,
                TIE_BREAKER,
            )),
        }))
    }

    /// The consecutive positions a pattern stands for in `field`, each
    /// with its terms: one slot for `negotiat*`, two for `al-Kha*`. A slot
    /// may be empty (nothing in the index matches it).
    fn expand(
        &mut self,
        field: Field,
        analysis: Analysis,
        pattern: Pattern,
        at: usize,
    ) -> Result<Vec<Vec<String>>, QueryError> {
        let lexicon = self.lexicon;
        let index_error = |e: String| QueryError::new(format!("the index failed: {e}"), at);
        let analyzer = match analysis {
            Analysis::Stemmed => &mut self.stemmed,
            Analysis::Plain => &mut self.plain,
        };
        match pattern {
            Pattern::Wildcard(p) => {
                let mut slots = Vec::new();
                let pieces = p.split(|c: char| {
                    !(c.is_alphanumeric() || matches!(c, '*' | '?' | '\'' | '’' | 'ʼ' | '‘'))
                });
                for piece in pieces.filter(|p| !p.is_empty()) {
                    if !piece.contains(['*', '?']) {
                        slots.extend(
                            analyzer::terms(analyzer, piece)
                                .into_iter()
                                .map(|t| vec![t]),
                        );
                        continue;
                    }
                    let folded = expand::fold(piece);
                    if folded.starts_with(['*', '?']) {
                        return Err(QueryError::new(
                            format!("'{p}': each word needs a letter before its wildcard"),
                            at,
                        ));
                    }
                    let stem = (analysis == Analysis::Stemmed).then_some(&mut *analyzer);
                    match lexicon.wildcard(field, &folded, stem) {
                        Ok(terms) => slots.push(terms),
                        Err(ExpandError::TooMany) => {
                            return Err(QueryError::new(
                                format!(
                                    "'{p}' matches more than {MAX_WILDCARD_TERMS} different words; give more letters"
                                ),
                                at,
                            ))
                        }
                        Err(ExpandError::Index(e)) => return Err(index_error(e)),
                    }
                }
                Ok(slots)
            }
            Pattern::Fuzzy(text, distance) => {
                let terms = analyzer::terms(analyzer, text);
                match terms.len() {
                    0 => return Ok(Vec::new()),
                    1 => {}
                    _ => {
                        return Err(QueryError::new(
                            format!("'{text}~{distance}': fuzzy matching works on one word"),
                            at,
                        ))
                    }
                }
                let (found, dropped) = match lexicon.fuzzy(field, &terms[0], distance) {
                    Ok(r) => r,
                    Err(ExpandError::Index(e)) => return Err(index_error(e)),
                    Err(ExpandError::TooMany) => {
                        unreachable!("fuzzy expansions are cut, not refused")
                    }
                };
                if dropped > 0 {
                    let note = format!(
                        "{text}~{distance} has {} spellings in the index; searching the {MAX_FUZZY_TERMS} closest",
                        found.len() + dropped
                    );
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                }
                Ok(vec![found])
            }
        }
    }

    /// Nearness (`NEAR/n`, `SAME_SENTENCE`, `"a b"~n`): the words scored as
    /// if they were simply all required, and a positional filter in the
    /// body and the headline (or the headline alone for `headline:`).
    fn near(&mut self, ast: &Ast, negated: bool) -> Compiling {
        let f = self.fields;
        let targets = if first_field(ast) == Some(QueryField::Headline) {
            vec![f.headline]
        } else {
            vec![f.body, f.headline]
        };
        let mut filters = Vec::new();
        for field in targets {
            if let Some(span) = self.span(ast, field)? {
                let q: Box<dyn Query> = Box::new(PositionalQuery { field, span });
                filters.push((Occur::Should, q));
            }
        }
        let Some(filter) = boolean(filters) else {
            return Ok(None);
        };
        let filter: Box<dyn Query> = Box::new(ConstScoreQuery::new(filter, 0.0));
        if negated {
            return Ok(Some(filter));
        }
        let mut clauses = vec![(Occur::Must, filter)];
        if let Some(scoring) = self.scoring(ast)? {
            clauses.push((Occur::Must, scoring));
        }
        Ok(boolean(clauses))
    }

    /// The words of a nearness expression as ordinary required (or `OR`ed)
    /// terms, for their scores and highlights.
    fn scoring(&mut self, ast: &Ast) -> Compiling {
        match ast {
            Ast::Near { left, right, .. } => {
                let mut clauses = Vec::new();
                for side in [left, right] {
                    if let Some(q) = self.scoring(side)? {
                        clauses.push((Occur::Must, q));
                    }
                }
                Ok(boolean(clauses))
            }
            Ast::Sloppy { field, text, .. } => {
                let mut clauses = Vec::new();
                for word in text.split_whitespace() {
                    let w = Ast::Word {
                        field: *field,
                        text: word.to_string(),
                    };
                    if let Some(q) = self.node(&w, false)? {
                        clauses.push((Occur::Must, q));
                    }
                }
                Ok(boolean(clauses))
            }
            Ast::Or(items) => {
                let mut clauses = Vec::new();
                for i in items {
                    if let Some(q) = self.scoring(i)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                Ok(boolean(clauses))
            }
            _ => self.node(ast, false),
        }
    }

    /// The positional form of a nearness expression in one stemmed field;
    /// `None` when it holds no searchable word.
    fn span(&mut self, ast: &Ast, field: Field) -> Result<Option<Span>, QueryError> {
        let seq = |terms: Vec<String>| {
            (!terms.is_empty()).then(|| Span::Seq(terms.into_iter().map(|t| vec![t]).collect()))
        };
        Ok(match ast {
            Ast::Word { text, .. } | Ast::Phrase { text, .. } => {
                seq(analyzer::terms(&mut self.stemmed, text))
            }
            Ast::Wildcard { pattern, at, .. } => {
                let slots =
                    self.expand(field, Analysis::Stemmed, Pattern::Wildcard(pattern), *at)?;
                (!slots.is_empty()).then_some(Span::Seq(slots))
            }
            Ast::Fuzzy {
                text, distance, at, ..
            } => {
                let slots = self.expand(
                    field,
                    Analysis::Stemmed,
                    Pattern::Fuzzy(text, *distance),
                    *at,
                )?;
                (!slots.is_empty()).then_some(Span::Seq(slots))
            }
            Ast::Sloppy { text, slop, .. } => {
                let parts: Vec<Span> = analyzer::terms(&mut self.stemmed, text)
                    .into_iter()
                    .map(|t| Span::Seq(vec![vec![t]]))
                    .collect();
                match parts.len() {
                    0 => None,
                    1 => parts.into_iter().next(),
                    _ => Some(Span::Window { parts, slop: *slop }),
                }
            }
            Ast::Or(items) => {
                let mut parts = Vec::new();
                for i in items {
                    parts.extend(self.span(i, field)?);
                }
                (!parts.is_empty()).then_some(Span::Or(parts))
            }
            Ast::Near {
                op,
                left,
                right,
                at,
            } => {
                let (Some(l), Some(r)) = (self.span(left, field)?, self.span(right, field)?) else {
                    return Err(QueryError::new(
                        "one side of this nearness operator has no word to search",
                        *at,
                    ));
                };
                let parts = vec![l, r];
                Some(match op {
                    Proximity::Words(n) => Span::Window { parts, slop: *n },
                    Proximity::Sentence => Span::Within {
                        parts,
                        unit: Unit::Sentence,
                    },
                    Proximity::Paragraph => Span::Within {
                        parts,
                        unit: Unit::Paragraph,
                    },
                })
            }
            // The parser lets nothing else stand beside a nearness operator.
            Ast::Date(_) | Ast::And(_) | Ast::Not(_) => None,
        })
    }
}

/// The field of the first word in a nearness expression (the parser has
/// checked that they all agree).
fn first_field(ast: &Ast) -> Option<QueryField> {
    match ast {
        Ast::Word { field, .. }
        | Ast::Phrase { field, .. }
        | Ast::Wildcard { field, .. }
        | Ast::Fuzzy { field, .. }
        | Ast::Sloppy { field, .. } => *field,
        Ast::Or(items) => items.first().and_then(first_field),
        Ast::Near { left, .. } => first_field(left),
        _ => None,
    }
}

/// The index field a query field searches, how it is analysed, and
/// whether its matches are highlighted in the text.
fn field_info(f: &Fields, qf: QueryField) -> (Field, Analysis, bool) {
    match qf {
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
        QueryField::Kind => unreachable!("the parser lets only whole kind names through"),
    }
}

/// Any term of one slot; or, for several slots, each in turn (a phrase of
/// alternatives), as required terms plus a positional check.
/// Most expansions of one word scored term by term; more are scored as one.
const SCORED_ALTERNATIVES: usize = 8;

fn slots_query(field: Field, mut slots: Vec<Vec<String>>) -> Box<dyn Query> {
    let union = |alternatives: &[String]| -> Box<dyn Query> {
        if alternatives.len() > SCORED_ALTERNATIVES {
            // A broad wildcard: every story with any expansion, scored
            // alike (as Lucene rewrites multi-term queries), so hundreds
            // of terms cost one pass over their postings, not a scored
            // union.
            let terms = alternatives.iter().map(|t| Term::from_field_text(field, t));
            return Box::new(ConstScoreQuery::new(
                Box::new(TermSetQuery::new(terms)),
                1.0,
            ));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = alternatives
            .iter()
            .map(|t| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, q)
            })
            .collect();
        if clauses.len() == 1 {
            clauses.pop().expect("one").1
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    };
    if slots.len() == 1 {
        return union(&slots.pop().expect("one slot"));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        slots.iter().map(|s| (Occur::Must, union(s))).collect();
    let check = PositionalQuery {
        field,
        span: Span::Seq(slots),
    };
    clauses.push((
        Occur::Must,
        Box::new(ConstScoreQuery::new(Box::new(check), 0.0)),
    ));
    Box::new(BooleanQuery::new(clauses))
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
