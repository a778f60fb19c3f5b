//! Greedy left-to-right decoding of a prepared document.

use super::features::{hint_features, history_features, static_features, Doc};
use super::labels::{NUM_LABELS, START};
use super::model::Scorer;

/// Whether label `next` may follow `prev` in IOB2: `I-X` only continues an
/// entity of kind X.
#[inline]
pub fn allowed(prev: u8, next: u8) -> bool {
    if next == 0 || next % 2 == 1 {
        return true;
    }
    prev != START && prev != 0 && prev.div_ceil(2) == next / 2
}

/// The best allowed label for one position.
#[inline]
pub fn best(scores: &[f32; NUM_LABELS], prev: u8) -> u8 {
    let mut best = 0u8;
    for y in 1..NUM_LABELS as u8 {
        if scores[y as usize] > scores[best as usize] && allowed(prev, y) {
            best = y;
        }
    }
    best
}

/// Tags every sentence of `doc`, writing label indices to `labels` (the
/// training path: static features computed afresh).
pub fn tag<S: Scorer>(w: &S, doc: &Doc, pass2: bool, feats: &mut Vec<u64>, labels: &mut Vec<u8>) {
    let mut statics = StaticFeatures::default();
    statics.fill(doc);
    tag_with(w, doc, pass2, &statics, feats, labels);
}

/// The label-independent features of every token of a document, computed
/// once and shared by both passes.
#[derive(Debug, Default)]
pub struct StaticFeatures {
    feats: Vec<u64>,
    ends: Vec<u32>,
}

impl StaticFeatures {
    /// Computes the features of `doc`, reusing the buffers.
    pub fn fill(&mut self, doc: &Doc) {
        self.feats.clear();
        self.ends.clear();
        for i in 0..doc.len() {
            if !doc.toks[i].skip {
                static_features(doc, i, &mut self.feats);
            }
            self.ends.push(self.feats.len() as u32);
        }
    }

    fn get(&self, i: usize) -> &[u64] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.feats[start..self.ends[i] as usize]
    }
}

/// Like [`tag`], with the static features precomputed (the run-time path).
pub fn tag_with<S: Scorer>(
    w: &S,
    doc: &Doc,
    pass2: bool,
    statics: &StaticFeatures,
    feats: &mut Vec<u64>,
    labels: &mut Vec<u8>,
) {
    labels.clear();
    labels.resize(doc.len(), 0);
    let mut scores = [0f32; NUM_LABELS];
    for s in &doc.sents {
        let (mut p1, mut p2) = (START, START);
        for i in s.clone() {
            if doc.toks[i].skip {
                (p2, p1) = (p1, 0);
                continue;
            }
            if i + 1 < doc.len() {
                w.prefetch(statics.get(i + 1));
            }
            feats.clear();
            feats.extend_from_slice(statics.get(i));
            if pass2 {
                hint_features(doc, i, feats);
            }
            history_features(doc, i, p1, p2, pass2, feats);
            w.score(feats, &mut scores);
            let y = best(&scores, p1);
            labels[i] = y;
            p2 = p1;
            p1 = y;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_transitions() {
        // 1 = B-PER, 2 = I-PER, 4 = I-LOC
        assert!(allowed(1, 2));
        assert!(allowed(2, 2));
        assert!(!allowed(0, 2));
        assert!(!allowed(START, 2));
        assert!(!allowed(1, 4));
        assert!(allowed(0, 3));
    }

    #[test]
    fn best_respects_transitions() {
        let mut s = [0.0; NUM_LABELS];
        s[2] = 5.0;
        s[1] = 1.0;
        assert_eq!(best(&s, 0), 1);
        assert_eq!(best(&s, 1), 2);
    }
}
