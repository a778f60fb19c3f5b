//! Nearness in one field's positions: `NEAR/n`, `"a b"~n`, same sentence
//! and same paragraph, over words, phrases and their expansions.
//!
//! A [`Span`] is evaluated per segment into the stretches of positions
//! (`first..=last`) where it matches in a document. Words and phrases
//! give their own positions; [`Span::Window`] keeps the stretches where
//! every part occurs with at most `slop` other words among them, in any
//! order; [`Span::Within`] those where the parts share a sentence or a
//! paragraph, told by the break marks the body analyzer leaves between
//! them ([`analyzer::SENTENCE_MARK`]).
//!
//! The query only filters (it scores 0): the words themselves are scored
//! by the ordinary queries beside it, so nearness changes which stories
//! match, not how BM25 ranks them.

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use crate::index::analyzer;

/// Which break marks bound a [`Span::Within`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Sentence,
    Paragraph,
}

/// A positional expression over the terms of one field.
#[derive(Debug, Clone)]
pub enum Span {
    /// Consecutive positions, each holding any one of its terms (a word,
    /// a phrase, a word's expansions).
    Seq(Vec<Vec<String>>),
    /// Any of the parts.
    Or(Vec<Span>),
    /// Every part, with at most `slop` other words among them.
    Window { parts: Vec<Span>, slop: u32 },
    /// Both parts inside one sentence or paragraph.
    Within { parts: Vec<Span>, unit: Unit },
}

/// Matches the documents where `span` occurs in `field`; scores 0.
#[derive(Debug, Clone)]
pub struct PositionalQuery {
    pub field: Field,
    pub span: Span,
}

impl Query for PositionalQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for PositionalQuery {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self.matching(reader)?;
        Ok(Box::new(ConstScorer::new(SortedDocs::new(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.matching(reader)?.binary_search(&doc).is_ok() {
            Ok(Explanation::new("the words are near each other", 0.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}

impl PositionalQuery {
    /// Every document of the segment where the span occurs, in order.
    fn matching(&self, reader: &SegmentReader) -> tantivy::Result<Vec<DocId>> {
        let index = reader.inverted_index(self.field)?;
        let postings = |text: &str| -> tantivy::Result<Option<SegmentPostings>> {
            let term = Term::from_field_text(self.field, text);
            Ok(index.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?)
        };
        let Some(mut root) = Eval::build(&self.span, &postings)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let mut spans = Vec::new();
        let mut doc = root.candidate(0);
        while doc != TERMINATED {
            spans.clear();
            root.find(doc, &mut spans, true);
            if !spans.is_empty() {
                out.push(doc);
            }
            doc = root.candidate(doc + 1);
        }
        Ok(out)
    }
}

/// The matching docs of a segment, found up front, in order: the doc set
/// of queries that check positions themselves.
pub(super) struct SortedDocs {
    docs: Vec<DocId>,
    at: usize,
}

impl SortedDocs {
    pub(super) fn new(docs: Vec<DocId>) -> SortedDocs {
        SortedDocs { docs, at: 0 }
    }
}

impl DocSet for SortedDocs {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at += self.docs[self.at..].partition_point(|&d| d < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.docs.len() - self.at).unwrap_or(u32::MAX)
    }
}

/// `cur` before the first [`Eval::candidate`]: above every doc and
/// [`TERMINATED`].
const NOT_STARTED: DocId = DocId::MAX;

/// Positions `first..=last` in one document.
type Stretch = (u32, u32);

/// A [`Span`] bound to one segment's postings.
enum Eval {
    Seq {
        slots: Vec<Vec<SegmentPostings>>,
        cur: DocId,
        /// Scratch for one posting's positions, kept between documents.
        buf: Vec<u32>,
        /// Scratch: each slot's positions in the current document.
        at: Vec<Vec<u32>>,
    },
    Or {
        parts: Vec<Eval>,
        cur: DocId,
    },
    Window {
        parts: Vec<Eval>,
        slop: u32,
        cur: DocId,
        /// Scratch: each part's stretches in the current document.
        lists: Vec<Vec<Stretch>>,
    },
    Within {
        parts: Vec<Eval>,
        marks: Vec<SegmentPostings>,
        cur: DocId,
        lists: Vec<Vec<Stretch>>,
        /// Scratch: the break marks' positions in the current document.
        bounds: Vec<u32>,
        buf: Vec<u32>,
        scratch: WithinScratch,
    },
}

/// Scratch of [`within`], kept between documents.
#[derive(Default)]
struct WithinScratch {
    /// (unit, list, stretch) for every stretch inside one unit.
    tagged: Vec<(usize, usize, Stretch)>,
    /// Which lists a unit holds.
    seen: Vec<bool>,
}

/// Seeks `p` forward to `target` (never back).
fn seek(p: &mut SegmentPostings, target: DocId) -> DocId {
    if p.doc() < target {
        p.seek(target)
    } else {
        p.doc()
    }
}

/// The first doc at or after `target` that every part may match.
fn intersect(parts: &mut [Eval], mut target: DocId) -> DocId {
    'outer: loop {
        for part in parts.iter_mut() {
            let d = part.candidate(target);
            if d == TERMINATED {
                return TERMINATED;
            }
            if d > target {
                target = d;
                continue 'outer;
            }
        }
        return target;
    }
}

impl Eval {
    /// `None` when the span cannot match in this segment at all.
    fn build(
        span: &Span,
        postings: &dyn Fn(&str) -> tantivy::Result<Option<SegmentPostings>>,
    ) -> tantivy::Result<Option<Eval>> {
        Ok(Some(match span {
            Span::Seq(slots) => {
                let mut bound = Vec::with_capacity(slots.len());
                for alternatives in slots {
                    let mut found = Vec::new();
                    for t in alternatives {
                        found.extend(postings(t)?);
                    }
                    if found.is_empty() {
                        return Ok(None);
                    }
                    bound.push(found);
                }
                if bound.is_empty() {
                    return Ok(None);
                }
                Eval::Seq {
                    slots: bound,
                    cur: NOT_STARTED,
                    buf: Vec::new(),
                    at: Vec::new(),
                }
            }
            Span::Or(parts) => {
                let mut bound = Vec::new();
                for p in parts {
                    bound.extend(Eval::build(p, postings)?);
                }
                if bound.is_empty() {
                    return Ok(None);
                }
                Eval::Or {
                    parts: bound,
                    cur: NOT_STARTED,
                }
            }
            Span::Window { parts, slop } => match Eval::build_all(parts, postings)? {
                Some(parts) => Eval::Window {
                    parts,
                    slop: *slop,
                    cur: NOT_STARTED,
                    lists: Vec::new(),
                },
                None => return Ok(None),
            },
            Span::Within { parts, unit } => {
                let mut marks: Vec<SegmentPostings> = Vec::new();
                let kinds: &[&str] = match unit {
                    Unit::Sentence => &[analyzer::SENTENCE_MARK, analyzer::PARAGRAPH_MARK],
                    Unit::Paragraph => &[analyzer::PARAGRAPH_MARK],
                };
                for k in kinds {
                    marks.extend(postings(k)?);
                }
                match Eval::build_all(parts, postings)? {
                    Some(parts) => Eval::Within {
                        parts,
                        marks,
                        cur: NOT_STARTED,
                        lists: Vec::new(),
                        bounds: Vec::new(),
                        buf: Vec::new(),
                        scratch: WithinScratch::default(),
                    },
                    None => return Ok(None),
                }
            }
        }))
    }

    /// All parts bound, or `None` if one cannot match (nor then the whole).
    fn build_all(
        parts: &[Span],
        postings: &dyn Fn(&str) -> tantivy::Result<Option<SegmentPostings>>,
    ) -> tantivy::Result<Option<Vec<Eval>>> {
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            match Eval::build(p, postings)? {
                Some(e) => out.push(e),
                None => return Ok(None),
            }
        }
        Ok(Some(out))
    }

    /// The smallest doc at or after `target` where this may match (every
    /// term it needs is there), or [`TERMINATED`]. Remembered, so asking
    /// again for an earlier target gives the same doc.
    fn candidate(&mut self, target: DocId) -> DocId {
        let cur = self.current();
        if cur != NOT_STARTED && cur >= target {
            return cur;
        }
        let found = match self {
            Eval::Seq { slots, .. } => {
                let mut t = target;
                'outer: loop {
                    for slot in slots.iter_mut() {
                        let d = slot
                            .iter_mut()
                            .map(|p| seek(p, t))
                            .min()
                            .unwrap_or(TERMINATED);
                        if d == TERMINATED {
                            break 'outer TERMINATED;
                        }
                        if d > t {
                            t = d;
                            continue 'outer;
                        }
                    }
                    break t;
                }
            }
            Eval::Or { parts, .. } => parts
                .iter_mut()
                .map(|p| p.candidate(target))
                .min()
                .unwrap_or(TERMINATED),
            Eval::Window { parts, .. } | Eval::Within { parts, .. } => intersect(parts, target),
        };
        self.set_cur(found);
        found
    }

    fn set_cur(&mut self, doc: DocId) {
        match self {
            Eval::Seq { cur, .. }
            | Eval::Or { cur, .. }
            | Eval::Window { cur, .. }
            | Eval::Within { cur, .. } => *cur = doc,
        }
    }

    /// The stretches where this matches in `doc` (its current candidate),
    /// sorted by start, appended to `out`.
    fn spans(&mut self, doc: DocId, out: &mut Vec<Stretch>) {
        self.find(doc, out, false);
    }

    /// [`Eval::spans`], or with `first_only` at least one stretch if there
    /// is any: whether the whole query matches needs no more, and a
    /// window or a sentence can stop at its first.
    fn find(&mut self, doc: DocId, out: &mut Vec<Stretch>, first_only: bool) {
        match self {
            Eval::Seq { slots, buf, .. } if slots.len() == 1 => {
                // One word (or its expansions): its positions are the
                // stretches, with no lists to build.
                let from = out.len();
                let slot = &mut slots[0];
                let several = slot.len() > 1;
                for p in slot.iter_mut().filter(|p| p.doc() == doc) {
                    p.positions(buf);
                    out.extend(buf.iter().map(|&q| (q, q)));
                }
                if several {
                    out[from..].sort_unstable();
                    dedup_tail(out, from);
                }
            }
            Eval::Seq { slots, buf, at, .. } => {
                at.resize_with(slots.len(), Vec::new);
                for (slot, positions) in slots.iter_mut().zip(at.iter_mut()) {
                    positions.clear();
                    for p in slot.iter_mut().filter(|p| p.doc() == doc) {
                        p.positions(buf);
                        positions.extend_from_slice(buf);
                    }
                    positions.sort_unstable();
                    positions.dedup();
                }
                let len = at.len() as u32;
                for &p in &at[0] {
                    let consecutive = at
                        .iter()
                        .enumerate()
                        .skip(1)
                        .all(|(i, ps)| ps.binary_search(&(p + i as u32)).is_ok());
                    if consecutive {
                        out.push((p, p + len - 1));
                    }
                }
            }
            Eval::Or { parts, .. } => {
                let from = out.len();
                for p in parts.iter_mut() {
                    if p.current() == doc {
                        p.spans(doc, out);
                    }
                }
                out[from..].sort_unstable();
                dedup_tail(out, from);
            }
            Eval::Window {
                parts, slop, lists, ..
            } => {
                if part_spans(parts, doc, lists) {
                    window(lists, *slop, first_only, out);
                }
            }
            Eval::Within {
                parts,
                marks,
                lists,
                bounds,
                buf,
                scratch,
                ..
            } => {
                if !part_spans(parts, doc, lists) {
                    return;
                }
                bounds.clear();
                for m in marks.iter_mut() {
                    if seek(m, doc) == doc {
                        m.positions(buf);
                        bounds.extend_from_slice(buf);
                    }
                }
                // Each mark's positions are sorted: a stable sort merges
                // the runs in linear time.
                bounds.sort();
                within(lists, bounds, scratch, first_only, out);
            }
        }
    }

    fn current(&self) -> DocId {
        match self {
            Eval::Seq { cur, .. }
            | Eval::Or { cur, .. }
            | Eval::Window { cur, .. }
            | Eval::Within { cur, .. } => *cur,
        }
    }
}

fn dedup_tail(out: &mut Vec<Stretch>, from: usize) {
    // In place: this runs once a document per part.
    let mut kept = from;
    for i in from..out.len() {
        if kept == from || out[i] != out[kept - 1] {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Fills `lists` with each part's stretches in `doc`; false as soon as a
/// part has none (then the whole cannot match there).
fn part_spans(parts: &mut [Eval], doc: DocId, lists: &mut Vec<Vec<Stretch>>) -> bool {
    lists.resize_with(parts.len(), Vec::new);
    for (p, list) in parts.iter_mut().zip(lists.iter_mut()) {
        list.clear();
        p.spans(doc, list);
        if list.is_empty() {
            return false;
        }
    }
    true
}

/// The stretches holding one stretch of every list with at most `slop`
/// other positions among them: for each choice of a leftmost stretch, the
/// nearest of every other list after it.
fn window(lists: &[Vec<Stretch>], slop: u32, first_only: bool, out: &mut Vec<Stretch>) {
    let from = out.len();
    let mut idx = vec![0usize; lists.len()];
    loop {
        let (mut lo, mut hi, mut covered, mut leftmost) = (u32::MAX, 0, 0u64, 0);
        for (k, (l, &i)) in lists.iter().zip(&idx).enumerate() {
            let s = l[i];
            if s.0 < lo {
                lo = s.0;
                leftmost = k;
            }
            hi = hi.max(s.1);
            covered += u64::from(s.1 - s.0) + 1;
        }
        let width = u64::from(hi - lo) + 1;
        if width.saturating_sub(covered) <= u64::from(slop) {
            out.push((lo, hi));
            if first_only {
                return;
            }
        }
        // Move the leftmost pick on; done when its list runs out.
        idx[leftmost] += 1;
        if idx[leftmost] == lists[leftmost].len() {
            break;
        }
    }
    out[from..].sort_unstable();
    dedup_tail(out, from);
}

/// For each sentence (or paragraph) that holds a stretch of every list,
/// the stretch from the first of them to the last. `bounds` are the sorted
/// positions of the marks between units; a stretch across one is dropped.
fn within(
    lists: &[Vec<Stretch>],
    bounds: &[u32],
    scratch: &mut WithinScratch,
    first_only: bool,
    out: &mut Vec<Stretch>,
) {
    let unit = |p: u32| bounds.partition_point(|&b| b < p);
    let WithinScratch { tagged, seen } = scratch;
    tagged.clear();
    for (k, list) in lists.iter().enumerate() {
        for &s in list {
            let u = unit(s.0);
            if unit(s.1) == u {
                tagged.push((u, k, s));
            }
        }
    }
    tagged.sort_unstable();
    for group in tagged.chunk_by(|a, b| a.0 == b.0) {
        seen.clear();
        seen.resize(lists.len(), false);
        for t in group {
            seen[t.1] = true;
        }
        if seen.iter().all(|&s| s) {
            let lo = group.iter().map(|t| t.2 .0).min().expect("group");
            let hi = group.iter().map(|t| t.2 .1).max().expect("group");
            out.push((lo, hi));
            if first_only {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_tail_leaves_the_head_alone() {
        let mut out = vec![
            (1, 1),
            (1, 1),
            (2, 2),
            (2, 2),
            (2, 2),
            (3, 4),
            (5, 5),
            (5, 5),
        ];
        dedup_tail(&mut out, 2);
        assert_eq!(out, [(1, 1), (1, 1), (2, 2), (3, 4), (5, 5)]);
        dedup_tail(&mut out, 5);
        assert_eq!(out.len(), 5);
    }

    #[test]
    fn window_counts_the_words_between_in_any_order() {
        let mut out = Vec::new();
        window(&[vec![(3, 3)], vec![(7, 7)]], 3, false, &mut out);
        assert_eq!(out, [(3, 7)]);
        out.clear();
        window(&[vec![(3, 3)], vec![(7, 7)]], 2, false, &mut out);
        assert!(out.is_empty());
        out.clear();
        window(&[vec![(9, 9)], vec![(7, 7)]], 1, false, &mut out);
        assert_eq!(out, [(7, 9)]);
        // A phrase part covers its own words.
        out.clear();
        window(&[vec![(1, 2)], vec![(5, 5)]], 2, false, &mut out);
        assert_eq!(out, [(1, 5)]);
    }

    #[test]
    fn within_needs_one_unit_for_all_parts() {
        let mut out = Vec::new();
        // Marks at 4 and 10: units 0..4, 5..10, 11..
        within(
            &[vec![(1, 1), (6, 6)], vec![(8, 8)]],
            &[4, 10],
            &mut WithinScratch::default(),
            false,
            &mut out,
        );
        assert_eq!(out, [(6, 8)]);
        out.clear();
        within(
            &[vec![(1, 1)], vec![(8, 8)]],
            &[4, 10],
            &mut WithinScratch::default(),
            false,
            &mut out,
        );
        assert!(out.is_empty());
        out.clear();
        within(
            &[vec![(1, 1)], vec![(8, 8)]],
            &[],
            &mut WithinScratch::default(),
            false,
            &mut out,
        );
        assert_eq!(out, [(1, 8)]);
    }
}
