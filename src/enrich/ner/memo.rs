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

use super::features::{self, Doc, WordFacts};
use super::hash::mix;
use super::labels::NUM_LABELS;
use super::lexicon::Lexicon;
use super::model::{Scorer, Weights};

/// Distinct words kept before the memos are emptied (checked between
/// documents).
const MAX_WORDS: usize = 1 << 12;
/// Remembered sums kept per pass before that pass's memo is emptied.
const MAX_SUMS: usize = 1 << 13;
/// Longest token text remembered, in bytes (kept inline, so that checking
/// a match touches no other memory).
const MAX_TEXT: usize = 22;
/// The word id of a token without one (not needed, or not remembered).
pub const NO_WORD: u32 = u32::MAX;

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
            if p.index.len > MAX_SUMS {
                p.clear();
            }
        }
    }
}

/// Asks the CPU to start loading `x`'s cache line.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; the address is that of a live value.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Open addressing from non-zero 64-bit keys to small values kept in the
/// slot. Keys need not be well mixed (token keys keep small fields in
/// their low bits): the slot comes from a mix of the key.
struct Table<V> {
    slots: Vec<(u64, V)>,
    len: usize,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table {
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl<V: Copy + Default> Table<V> {
    fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| s.0 = 0);
        self.len = 0;
    }

    /// The slot of `key`: where it is, or the empty slot where it goes.
    #[inline]
    fn slot(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = mix(key) as usize & mask;
        while self.slots[i].0 != 0 && self.slots[i].0 != key {
            i = (i + 1) & mask;
        }
        i
    }

    /// Starts loading the first slot `key` may be in.
    #[inline]
    fn prefetch(&self, key: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[mix(key) as usize & (self.slots.len() - 1)]);
        }
    }

    #[inline]
    fn get(&self, key: u64) -> Option<V> {
        if self.slots.is_empty() {
            return None;
        }
        let s = self.slots[self.slot(key)];
        (s.0 == key).then_some(s.1)
    }

    /// Sets `key` (absent) to `val`, growing to stay at most half full.
    fn insert(&mut self, key: u64, val: V) {
        debug_assert_ne!(key, 0);
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![(0, V::default()); size]);
            for (k, v) in old.into_iter().filter(|s| s.0 != 0) {
                let i = self.slot(k);
                self.slots[i] = (k, v);
            }
        }
        let i = self.slot(key);
        self.slots[i] = (key, val);
        self.len += 1;
    }
}

/// Distinct token texts and their facts.
#[derive(Default)]
pub struct Words {
    index: Table<u32>,
    entries: Vec<Word>,
    /// Per token of the current document: its key, then its candidate id.
    keys: Vec<u64>,
}

struct Word {
    text: [u8; MAX_TEXT],
    len: u8,
    upper: bool,
    facts: WordFacts,
}

impl Word {
    fn is(&self, s: &str, upper: bool) -> bool {
        self.upper == upper && &self.text[..self.len as usize] == s.as_bytes()
    }
}

/// A key from a token's text and capitals flag, never 0 (the table mixes
/// it). Only to find the entry: a match is confirmed on the text itself.
#[inline]
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
    h | 1
}

impl Words {
    fn clear(&mut self) {
        self.index.clear();
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

    /// Sets `ids[i]` for each `(i, text, upper)` of `tokens` to the word's
    /// id, remembering new words; every other id of the `n` tokens is
    /// [`NO_WORD`]. The table and entries are loaded a document at a time,
    /// each step's memory requested before it is read.
    pub fn lookup<'a>(
        &mut self,
        lex: &Lexicon,
        tokens: impl Iterator<Item = (usize, &'a str, bool)> + Clone,
        n: usize,
        ids: &mut Vec<u32>,
    ) {
        ids.clear();
        ids.resize(n, NO_WORD);
        self.keys.clear();
        self.keys.resize(n, 0);
        for (i, s, upper) in tokens.clone() {
            if s.len() <= MAX_TEXT {
                self.keys[i] = text_key(s, upper);
                self.index.prefetch(self.keys[i]);
            }
        }
        for (i, _, _) in tokens.clone() {
            if self.keys[i] != 0 {
                if let Some(id) = self.index.get(self.keys[i]) {
                    ids[i] = id;
                    prefetch(&self.entries[id as usize].facts);
                }
            }
        }
        for (i, s, upper) in tokens {
            let key = self.keys[i];
            if key == 0 {
                continue;
            }
            if ids[i] == NO_WORD {
                // Perhaps added by an earlier token of this document.
                ids[i] = self.index.get(key).unwrap_or(NO_WORD);
            }
            if ids[i] != NO_WORD && self.entries[ids[i] as usize].is(s, upper) {
                continue;
            }
            // New, or another text with the same key: then it is kept
            // unindexed, right for this document and not found again.
            let indexed = ids[i] == NO_WORD;
            let id = self.entries.len() as u32;
            let mut text = [0; MAX_TEXT];
            text[..s.len()].copy_from_slice(s.as_bytes());
            self.entries.push(Word {
                text,
                len: s.len() as u8,
                upper,
                facts: WordFacts::of(lex, s, upper),
            });
            if indexed {
                self.index.insert(key, id);
            }
            ids[i] = id;
        }
    }

    /// The facts of a word by id; `None` for [`NO_WORD`].
    #[inline]
    pub fn facts(&self, id: u32) -> Option<&WordFacts> {
        self.entries.get(id as usize).map(|w| &w.facts)
    }
}

/// Remembered sums of token-only weight rows for one pass.
#[derive(Default)]
pub struct Partials {
    index: Table<[i32; NUM_LABELS]>,
    /// Per token of the current document: its key (0 for none).
    keys: Vec<u64>,
    /// The tokens not found, with the end of their features.
    misses: Vec<(usize, usize)>,
}

impl Partials {
    fn clear(&mut self) {
        self.index.clear();
    }

    /// Number of sums held.
    pub fn len(&self) -> usize {
        self.index.len
    }

    /// Whether no sum is held.
    pub fn is_empty(&self) -> bool {
        self.index.len == 0
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
        self.keys.clear();
        for (t, &id) in doc.toks.iter().zip(ids) {
            let key = match id {
                _ if t.skip || id == NO_WORD => 0,
                _ => t.token_key(id, pass2).unwrap_or(0),
            };
            if key != 0 {
                self.index.prefetch(key);
            }
            self.keys.push(key);
        }
        out.clear();
        feats.clear();
        self.misses.clear();
        for (i, t) in doc.toks.iter().enumerate() {
            let key = self.keys[i];
            match (key != 0).then(|| self.index.get(key)).flatten() {
                Some(sum) => out.push(sum),
                None => {
                    out.push([0; NUM_LABELS]);
                    if !t.skip {
                        // Summed below, once all their rows are requested.
                        let start = feats.len();
                        features::token_features(doc, i, pass2, feats);
                        w.prefetch(&feats[start..]);
                        self.misses.push((i, feats.len()));
                    }
                }
            }
        }
        let mut start = 0;
        for &(i, end) in &self.misses {
            out[i] = w.sum(&feats[start..end]);
            if self.keys[i] != 0 {
                self.index.insert(self.keys[i], out[i]);
            }
            start = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One word's id.
    fn id(w: &mut Words, s: &str, upper: bool) -> u32 {
        let mut ids = Vec::new();
        w.lookup(&Lexicon::default(), [(0, s, upper)].into_iter(), 1, &mut ids);
        ids[0]
    }

    #[test]
    fn words_are_told_apart_by_text_and_capitals() {
        let mut w = Words::default();
        let a = id(&mut w, "Reuters", false);
        assert_eq!(id(&mut w, "Reuters", false), a);
        assert_ne!(id(&mut w, "Reuters", true), a);
        assert_ne!(id(&mut w, "reuters", false), a);
        assert_ne!(id(&mut w, "Reuter", false), a);
        assert_eq!(w.len(), 4);
        // Long texts are not remembered.
        assert_eq!(id(&mut w, &"x".repeat(MAX_TEXT + 1), false), NO_WORD);
        assert!(w.facts(NO_WORD).is_none());
        // Several at once, repeats included.
        let mut ids = Vec::new();
        let toks = [(0, "Paris", false), (2, "Reuters", false), (3, "Paris", false)];
        w.lookup(&Lexicon::default(), toks.into_iter(), 4, &mut ids);
        assert_eq!(ids[1], NO_WORD);
        assert_eq!((ids[0], ids[2]), (ids[3], a));
    }

    #[test]
    fn memos_follow_the_model_and_their_bound() {
        let lex = Lexicon::default();
        let mut m = Memo::default();
        m.begin(1);
        id(&mut m.words, "Paris", false);
        m.begin(1);
        assert_eq!(m.words.len(), 1, "same model: kept");
        m.begin(2);
        assert!(m.words.is_empty(), "another model: emptied");
        let many: Vec<String> = (0..=MAX_WORDS).map(|i| i.to_string()).collect();
        let toks = many.iter().enumerate().map(|(i, s)| (i, s.as_str(), false));
        m.words.lookup(&lex, toks, many.len(), &mut Vec::new());
        assert_eq!(m.words.len(), MAX_WORDS + 1);
        m.begin(2);
        assert!(m.words.is_empty(), "past the bound: emptied");
        // An emptied index finds nothing stale.
        assert_eq!(id(&mut m.words, "7", false), 0);
        assert_eq!(id(&mut m.words, "7", false), 0);
    }

    #[test]
    fn table_grows_and_finds_everything() {
        let mut t = Table::<u32>::default();
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
