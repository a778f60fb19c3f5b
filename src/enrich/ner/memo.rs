//! What the tagger remembers between the documents of one thread, so that
//! a word seen before costs a lookup instead of its hashing, its word-list
//! lookups and most of its weight-table rows.
//!
//! Two memos, both exact:
//! - [`Words`]: each distinct token text (with its sentence's capitals
//!   flag) to its [`WordFacts`], keyed on the text itself.
//! - [`Partials`], one per pass: the summed weight rows of a token's
//!   token-only features ([`features::token_features`]), keyed on the word
//!   id and the few document values those features read
//!   ([`TokInfo::token_key`]). Integer sums do not depend on the order of
//!   the rows, so a remembered sum plus the context rows is the score the
//!   plain path computes.
//!
//! Both are tied to one model and emptied when they grow past a bound.
//!
//! [`TokInfo::token_key`]: features::TokInfo::token_key

use super::features::{self, Doc, WordFacts, WordSource};
use super::hash::mix;
use super::labels::NUM_LABELS;
use super::lexicon::Lexicon;
use super::model::Weights;

/// Distinct words kept before the memos are emptied (checked between
/// documents).
const MAX_WORDS: usize = 1 << 15;
/// Remembered sums kept per pass before that pass's memo is emptied.
const MAX_SUMS: usize = 1 << 16;

/// Both memos, for one model.
#[derive(Default)]
pub struct Memo {
    /// The model the memos were filled from (see [`Memo::begin`]).
    model: Option<u64>,
    pub words: Words,
    pub pass1: Partials,
    pub pass2: Partials,
}

impl Memo {
    /// Readies the memos for a document tagged with the model numbered
    /// `model`: another model's, or memos past their bound, are emptied.
    pub fn begin(&mut self, model: u64) {
        if self.model != Some(model) || self.words.entries.len() > MAX_WORDS {
            self.words.clear();
            self.pass1.clear();
            self.pass2.clear();
            self.model = Some(model);
        }
        for p in [&mut self.pass1, &mut self.pass2] {
            if p.sums.len() > MAX_SUMS {
                p.clear();
            }
        }
    }
}

/// Open addressing from non-zero 64-bit keys to indices.
#[derive(Default)]
struct Table {
    keys: Vec<u64>,
    vals: Vec<u32>,
    len: usize,
}

impl Table {
    fn clear(&mut self) {
        self.keys.iter_mut().for_each(|k| *k = 0);
        self.len = 0;
    }

    /// The slot of `key`: where it is, or the empty slot where it goes.
    #[inline]
    fn slot(&self, key: u64) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = key as usize & mask;
        while self.keys[i] != 0 && self.keys[i] != key {
            i = (i + 1) & mask;
        }
        i
    }

    #[inline]
    fn get(&self, key: u64) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let i = self.slot(key);
        (self.keys[i] == key).then(|| self.vals[i])
    }

    /// Sets `key` (absent) to `val`, growing to stay at most half full.
    fn insert(&mut self, key: u64, val: u32) {
        debug_assert_ne!(key, 0);
        if (self.len + 1) * 2 > self.keys.len() {
            let old = std::mem::take(&mut self.keys);
            let vals = std::mem::take(&mut self.vals);
            let size = (old.len() * 2).max(1024);
            self.keys = vec![0; size];
            self.vals = vec![0; size];
            for (k, v) in old.into_iter().zip(vals).filter(|p| p.0 != 0) {
                let i = self.slot(k);
                self.keys[i] = k;
                self.vals[i] = v;
            }
        }
        let i = self.slot(key);
        self.keys[i] = key;
        self.vals[i] = val;
        self.len += 1;
    }
}

/// Distinct token texts and their facts.
#[derive(Default)]
pub struct Words {
    index: Table,
    /// The texts, end to end.
    text: String,
    entries: Vec<Word>,
}

struct Word {
    start: u32,
    end: u32,
    upper: bool,
    facts: WordFacts,
}

/// A hash of a token's text and capitals flag, never 0. Only to find the
/// entry: a match is confirmed on the text itself.
fn text_key(s: &str, upper: bool) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (s.len() as u64) << 1 | upper as u64;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        h = (h ^ u64::from_le_bytes(c.try_into().unwrap()))
            .wrapping_mul(K)
            .rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(K);
    }
    mix(h) | 1
}

impl Words {
    fn clear(&mut self) {
        self.index.clear();
        self.text.clear();
        self.entries.clear();
    }

    /// Number of distinct words held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no word is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl WordSource for Words {
    #[inline]
    fn id(&mut self, lex: &Lexicon, s: &str, upper: bool) -> u32 {
        let key = text_key(s, upper);
        if let Some(id) = self.index.get(key) {
            let w = &self.entries[id as usize];
            if w.upper == upper && &self.text[w.start as usize..w.end as usize] == s {
                return id;
            }
        }
        // New, or another text with the same key (then it is stored
        // unindexed: right for this document, not found again).
        let id = self.entries.len() as u32;
        let indexed = self.index.get(key).is_none();
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.entries.push(Word {
            start,
            end: self.text.len() as u32,
            upper,
            facts: WordFacts::of(lex, s, upper),
        });
        if indexed {
            self.index.insert(key, id);
        }
        id
    }

    #[inline]
    fn facts(&self, id: u32) -> &WordFacts {
        &self.entries[id as usize].facts
    }
}

/// Remembered sums of token-only weight rows for one pass.
#[derive(Default)]
pub struct Partials {
    index: Table,
    sums: Vec<[i32; NUM_LABELS]>,
}

impl Partials {
    fn clear(&mut self) {
        self.index.clear();
        self.sums.clear();
    }

    /// Number of sums held.
    pub fn len(&self) -> usize {
        self.sums.len()
    }

    /// Whether no sum is held.
    pub fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    /// For every token of `doc` (word ids `ids`), the sum of its token-only
    /// rows in `w` for pass 1 or 2 (zeros for skipped tokens), from the
    /// memo or computed and remembered.
    pub fn fill(
        &mut self,
        w: &Weights,
        doc: &Doc,
        ids: &[u32],
        pass2: bool,
        feats: &mut Vec<u64>,
        out: &mut Vec<[i32; NUM_LABELS]>,
    ) {
        out.clear();
        for (i, (t, &id)) in doc.toks.iter().zip(ids).enumerate() {
            if t.skip {
                out.push([0; NUM_LABELS]);
                continue;
            }
            let key = t.token_key(id, pass2);
            if let Some(j) = key.and_then(|k| self.index.get(k)) {
                out.push(self.sums[j as usize]);
                continue;
            }
            feats.clear();
            features::token_features(doc, i, pass2, feats);
            let sum = w.sum(feats);
            if let Some(k) = key {
                self.index.insert(k, self.sums.len() as u32);
                self.sums.push(sum);
            }
            out.push(sum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_told_apart_by_text_and_capitals() {
        let lex = Lexicon::default();
        let mut w = Words::default();
        let a = w.id(&lex, "Reuters", false);
        assert_eq!(w.id(&lex, "Reuters", false), a);
        assert_ne!(w.id(&lex, "Reuters", true), a);
        assert_ne!(w.id(&lex, "reuters", false), a);
        assert_ne!(w.id(&lex, "Reuter", false), a);
        assert_eq!(w.len(), 4);
    }

    #[test]
    fn memos_follow_the_model_and_their_bound() {
        let lex = Lexicon::default();
        let mut m = Memo::default();
        m.begin(1);
        m.words.id(&lex, "Paris", false);
        m.begin(1);
        assert_eq!(m.words.len(), 1, "same model: kept");
        m.begin(2);
        assert!(m.words.is_empty(), "another model: emptied");
        for i in 0..=MAX_WORDS {
            m.words.id(&lex, &i.to_string(), false);
        }
        m.begin(2);
        assert!(m.words.is_empty(), "past the bound: emptied");
        // An emptied index finds nothing stale.
        let a = m.words.id(&lex, "7", false);
        assert_eq!(a, 0);
        assert_eq!(m.words.id(&lex, "7", false), 0);
    }

    #[test]
    fn table_grows_and_finds_everything() {
        let mut t = Table::default();
        for k in 1..5000u64 {
            t.insert(mix(k) | 1, k as u32);
        }
        for k in 1..5000u64 {
            assert_eq!(t.get(mix(k) | 1), Some(k as u32));
        }
        assert_eq!(t.get(12345 << 20 | 1), None);
        t.clear();
        assert_eq!(t.get(mix(1) | 1), None);
    }
}
