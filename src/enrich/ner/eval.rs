//! Entity-level scoring, as conlleval computes it: an entity counts only if
//! its span and type both match exactly.

use super::labels::Tag;
use super::EntityKind;
use std::collections::BTreeSet;

/// An entity span `(start, end, kind)` over token indices.
pub type Span = (usize, usize, EntityKind);

/// Entity spans of a tag sequence. Like conlleval, an `I-X` after something
/// other than X starts a new entity, so IOB1 and IOB2 both work.
pub fn spans(tags: &[Tag]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let continues = matches!((t, open), (Tag::I(k), Some((_, o))) if k == o);
        if !continues {
            if let Some((s, k)) = open.take() {
                out.push((s, i, k));
            }
            if let Some(k) = t.kind() {
                open = Some((i, k));
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, tags.len(), k));
    }
    out
}

/// Counts of gold, predicted and correct entities.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

const KINDS: [EntityKind; 4] = [
    EntityKind::Person,
    EntityKind::Location,
    EntityKind::Organization,
    EntityKind::Misc,
];

/// Accumulated scores per kind.
#[derive(Debug, Default, Clone)]
pub struct Score {
    pub by_kind: [Counts; 4],
}

impl Score {
    /// Adds one sentence (or document: spans never cross sentences in
    /// practice, and a document-wide sequence scores the same way).
    pub fn add(&mut self, gold: &[Tag], predicted: &[Tag]) {
        self.add_where(gold, predicted, |_| true);
    }

    /// Like [`Score::add`], counting only the spans `keep` accepts, on
    /// either side (e.g. names never seen in training).
    pub fn add_where(&mut self, gold: &[Tag], predicted: &[Tag], keep: impl Fn(&Span) -> bool) {
        let g: BTreeSet<Span> = spans(gold).into_iter().filter(&keep).collect();
        let p: BTreeSet<Span> = spans(predicted).into_iter().filter(&keep).collect();
        for (k, c) in KINDS.iter().zip(&mut self.by_kind) {
            c.gold += g.iter().filter(|s| s.2 == *k).count();
            c.predicted += p.iter().filter(|s| s.2 == *k).count();
            c.correct += g.intersection(&p).filter(|s| s.2 == *k).count();
        }
    }

    /// All kinds together.
    pub fn overall(&self) -> Counts {
        self.by_kind.iter().fold(Counts::default(), |a, c| Counts {
            gold: a.gold + c.gold,
            predicted: a.predicted + c.predicted,
            correct: a.correct + c.correct,
        })
    }

    /// `{"PER": {"precision": …, "recall": …, "f1": …}, …, "overall": …}`.
    pub fn to_json(&self) -> serde_json::Value {
        let prf = |c: Counts| serde_json::json!({"precision": c.precision(), "recall": c.recall(), "f1": c.f1()});
        let mut m = serde_json::Map::new();
        for (k, c) in KINDS.iter().zip(self.by_kind) {
            m.insert(k.conll().to_string(), prf(c));
        }
        m.insert("overall".to_string(), prf(self.overall()));
        serde_json::Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<Tag> {
        s.split_whitespace()
            .map(|t| Tag::parse(t).unwrap())
            .collect()
    }

    #[test]
    fn spans_follow_conlleval() {
        let t = tags("I-PER I-PER B-PER O I-LOC B-ORG I-ORG I-MISC");
        assert_eq!(
            spans(&t),
            vec![
                (0, 2, EntityKind::Person),
                (2, 3, EntityKind::Person),
                (4, 5, EntityKind::Location),
                (5, 7, EntityKind::Organization),
                (7, 8, EntityKind::Misc),
            ]
        );
    }

    #[test]
    fn scores_hand_made_example() {
        let gold = tags("B-PER I-PER O B-LOC O B-ORG I-ORG");
        // PER right, LOC mistyped as ORG, ORG span too short.
        let pred = tags("B-PER I-PER O B-ORG O B-ORG O");
        let mut s = Score::default();
        s.add(&gold, &pred);
        let per = s.by_kind[0];
        assert_eq!((per.gold, per.predicted, per.correct), (1, 1, 1));
        let o = s.overall();
        assert_eq!((o.gold, o.predicted, o.correct), (3, 3, 1));
        assert!((o.f1() - 1.0 / 3.0).abs() < 1e-9);
        // Only the spans a filter keeps count, on both sides.
        let mut only_orgs = Score::default();
        only_orgs.add_where(&gold, &pred, |s| s.2 == EntityKind::Organization);
        let o = only_orgs.overall();
        assert_eq!((o.gold, o.predicted, o.correct), (1, 2, 0));
        let j = s.to_json();
        assert_eq!(j["LOC"]["recall"], 0.0);
        assert_eq!(j["PER"]["f1"], 1.0);
    }
}
