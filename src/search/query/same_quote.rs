//! A query for words that must stand in one quotation: `said:Lavrov
//! quote:Assad` is a story with a quotation of Lavrov's that mentions
//! Assad, not one where Lavrov says something and someone else names
//! Assad.
//!
//! The `quote` field gives each quotation its own block of
//! [`QUOTE_GAP`] positions (its speaker's name words first, marked), so a
//! term's quotation is its position divided by the gap.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use super::proximity::SortedDocs;
use crate::index::schema::QUOTE_GAP;

/// Terms that must occur in one quotation, together with the other
/// groups of the same query.
#[derive(Clone, Debug)]
pub struct Group {
    pub terms: Vec<Term>,
    /// The terms follow each other (a phrase); otherwise anywhere in the
    /// quotation (a speaker's name words, which share one position).
    pub consecutive: bool,
}

/// Every group in one and the same quotation.
#[derive(Clone, Debug)]
pub struct SameQuote {
    pub field: Field,
    pub groups: Vec<Group>,
}

impl Query for SameQuote {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SameQuoteWeight(self.clone())))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for g in &self.groups {
            for t in &g.terms {
                visitor(t, true);
            }
        }
    }
}

struct SameQuoteWeight(SameQuote);

impl Weight for SameQuoteWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = matching(&self.0, reader)?;
        Ok(Box::new(ConstScorer::new(SortedDocs::new(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if matching(&self.0, reader)?.binary_search(&doc).is_ok() {
            Ok(Explanation::new("one quotation holds every term", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} has no quotation with every term"
            )))
        }
    }
}

/// The documents of a segment with a quotation that holds every group.
fn matching(q: &SameQuote, reader: &SegmentReader) -> tantivy::Result<Vec<DocId>> {
    let index = reader.inverted_index(q.field)?;
    let mut postings: Vec<Vec<SegmentPostings>> = Vec::with_capacity(q.groups.len());
    for g in &q.groups {
        let mut group = Vec::with_capacity(g.terms.len());
        for t in &g.terms {
            match index.read_postings(t, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => group.push(p),
                None => return Ok(Vec::new()),
            }
        }
        postings.push(group);
    }
    if postings.iter().all(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut target: DocId = 0;
    let mut buf = Vec::new();
    'docs: loop {
        // Leapfrog: every posting list onto the same document.
        let mut all_on = true;
        for p in postings.iter_mut().flatten() {
            let d = if p.doc() < target {
                p.seek(target)
            } else {
                p.doc()
            };
            if d == TERMINATED {
                break 'docs;
            }
            if d > target {
                target = d;
                all_on = false;
            }
        }
        if !all_on {
            continue;
        }
        if shares_a_quote(q, &mut postings, &mut buf) {
            out.push(target);
        }
        target += 1;
    }
    Ok(out)
}

/// Whether the current document has one quotation that holds every group.
fn shares_a_quote(
    q: &SameQuote,
    postings: &mut [Vec<SegmentPostings>],
    buf: &mut Vec<u32>,
) -> bool {
    let mut common: Option<Vec<u32>> = None;
    for (g, lists) in q.groups.iter().zip(postings.iter_mut()) {
        let mut positions: Vec<Vec<u32>> = Vec::with_capacity(lists.len());
        for p in lists.iter_mut() {
            buf.clear();
            p.positions(buf);
            positions.push(buf.clone());
        }
        let mut quotes: Vec<u32> = if g.consecutive {
            positions[0]
                .iter()
                .filter(|&&p| {
                    positions[1..]
                        .iter()
                        .enumerate()
                        .all(|(k, ps)| ps.binary_search(&(p + k as u32 + 1)).is_ok())
                })
                .map(|p| p / QUOTE_GAP)
                .collect()
        } else {
            let mut ids: Vec<u32> = positions[0].iter().map(|p| p / QUOTE_GAP).collect();
            for ps in &positions[1..] {
                let other: Vec<u32> = ps.iter().map(|p| p / QUOTE_GAP).collect();
                ids.retain(|i| other.binary_search(i).is_ok());
            }
            ids
        };
        quotes.dedup();
        common = Some(match common {
            None => quotes,
            Some(mut c) => {
                c.retain(|i| quotes.binary_search(i).is_ok());
                c
            }
        });
        if common.as_ref().is_some_and(Vec::is_empty) {
            return false;
        }
    }
    common.is_some_and(|c| !c.is_empty())
}
