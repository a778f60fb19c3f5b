//! Token properties and the feature templates of the tagger.
//!
//! [`Doc::fill`] reduces each token of a document to hashes and small codes
//! once; [`features`] then combines them into feature ids for one position
//! without touching strings, so tagging allocates nothing per token.

use super::hash::{self, Hasher};
use super::labels::{NUM_LABELS, START};
use super::lexicon::{Lexicon, MAX_PHRASE};
use std::ops::Range;

/// Capitalisation classes.
const LOWER: u8 = 0;
const TITLE: u8 = 1;
const CAPS: u8 = 2;
const NO_LETTERS: u8 = 3;

/// Per-token properties, all precomputed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokInfo {
    word: u64,
    lower: u64,
    shape: u64,
    short: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    /// Number of chars, capped.
    len: u8,
    class: u8,
    first_name: u8,
    surname: u8,
    /// Place-name match: 0 none, else `tier * 2 + inside`.
    place: u8,
    /// Bit 0: written capitalised mid-sentence elsewhere in the document;
    /// bit 1: written in lowercase elsewhere.
    doc_case: u8,
    /// Pass-2 only: what pass 1 called this word elsewhere in the document
    /// (0 nothing, `1 + kind` for a consistent kind, `5 + kind` for a
    /// majority among several).
    pub hint: u8,
    /// Like `hint`, but only from occurrences in ordinary sentences (not
    /// headlines or tables), where pass 1 is most reliable.
    pub hint_plain: u8,
    /// Pass-2 only: this token's pass-1 label, so pass 2 sees labels to
    /// its right too.
    pub first_pass: u8,
    /// The case prior from unlabelled news (0 unknown).
    case_prior: u8,
    coarse: u8,
    mid: u8,
    fine: u8,
    /// In a sentence made mostly of numbers (results tables).
    table: bool,
    /// The run of capitalised words this token is part of ("Test and
    /// County Cricket Board", joined by "of", "and" and the like): the
    /// document position of its last word, the token's place in it (0
    /// outside a run or in a capitalised headline, 1 alone, 2 first, 3
    /// inside, 4 last) and its length (capped). A run's last word often
    /// names its kind ("Board", "University", "Open") whatever the rest.
    run_last: u32,
    run_pos: u8,
    run_len: u8,
    /// Tokens available left and right inside the sentence (capped at 3).
    left: u8,
    right: u8,
    caps_sentence: bool,
    /// Plainly outside any name: lowercase or without letters, in an
    /// ordinary sentence, with no capitalised neighbour. Such tokens are
    /// labelled O without scoring (see [`Doc::fill`]).
    pub skip: bool,
    /// Scored, or next to a scored token: the only tokens whose detailed
    /// properties are computed.
    needed: bool,
}

/// Whether a token is written like part of a name.
#[inline]
fn named(t: &TokInfo) -> bool {
    t.class == TITLE || t.class == CAPS
}

/// A document prepared for tagging: token properties plus sentence ranges.
#[derive(Debug, Default)]
pub struct Doc {
    /// Treat all-lowercase sentences as capitalised headlines. Off for
    /// CoNLL data (its few lowercase sentences are fragments), on for raw
    /// articles, whose headlines may be in lowercase.
    pub lowercase_as_caps: bool,
    /// Label plainly-outside tokens O unscored (see `TokInfo::skip`). On
    /// at run time; off while training, where every token teaches.
    pub gate: bool,
    pub toks: Vec<TokInfo>,
    pub sents: Vec<Range<usize>>,
    /// Per sentence: read as if in capitals (see [`describe`]).
    upper: Vec<bool>,
    table: CaseTable,
}

/// Small open-addressing map from lowercase hash to a few bits or counters,
/// reused between documents so preparing one allocates nothing once warm.
#[derive(Debug, Default)]
struct CaseTable {
    keys: Vec<u64>,
    vals: Vec<[u16; 6]>,
    mask: usize,
}

impl CaseTable {
    fn reset(&mut self, n: usize) {
        let size = (n * 2).next_power_of_two().max(64);
        self.keys.clear();
        self.keys.resize(size, 0);
        self.vals.clear();
        self.vals.resize(size, [0; 6]);
        self.mask = size - 1;
    }

    fn slot(&mut self, key: u64) -> &mut [u16; 6] {
        // 0 marks an empty slot; hashes are never 0 in practice, and a clash
        // would only merge two words' statistics.
        let key = key | 1;
        let mut i = (key as usize) & self.mask;
        while self.keys[i] != 0 && self.keys[i] != key {
            i = (i + 1) & self.mask;
        }
        self.keys[i] = key;
        &mut self.vals[i]
    }
}

fn class_of(s: &str) -> u8 {
    let mut letters = 0;
    let mut upper = 0;
    let mut first_upper = false;
    for (i, c) in s.chars().enumerate() {
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 || letters == 1 {
                    first_upper = true;
                }
            }
        }
    }
    match () {
        _ if letters == 0 => NO_LETTERS,
        _ if upper == letters => CAPS,
        _ if first_upper => TITLE,
        _ => LOWER,
    }
}

fn shape_char(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// The first char of `c`'s lowercase form (fast for ASCII).
#[inline]
fn to_lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// The first char of `c`'s uppercase form (fast for ASCII).
#[inline]
fn to_upper(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_uppercase()
    } else {
        c.to_uppercase().next().unwrap_or(c)
    }
}

/// The properties every token needs: its lowercase hash (document-level
/// statistics), capitalisation class and length.
///
/// With `upper`, the token is seen as if written in capitals: an
/// all-lowercase headline then looks like the capitalised headlines the
/// model learnt from, where casing is known to say nothing.
fn basics(s: &str, upper: bool) -> TokInfo {
    let mut t = TokInfo::default();
    let mut lower = Hasher::default();
    let mut n = 0usize;
    for c in s.chars() {
        let c = if upper { to_upper(c) } else { c };
        lower.char(to_lower(c));
        n += 1;
    }
    t.lower = lower.finish();
    t.len = n.min(255) as u8;
    t.class = class_of(s);
    if upper && t.class == LOWER {
        t.class = CAPS;
    }
    t
}

/// Fills the remaining hashes of a token prepared by [`basics`].
fn describe(s: &str, upper: bool, t: &mut TokInfo) {
    let mut word = Hasher::default();
    let mut lower = Hasher::default();
    let mut shape = Hasher::with_seed(1);
    let mut short = Hasher::with_seed(2);
    let (mut last_shape, mut run) = ('\0', 0);
    let mut n = 0usize;
    for c in s.chars() {
        let c = if upper { to_upper(c) } else { c };
        word.char(c);
        lower.char(to_lower(c));
        if n < 4 {
            let mut p = lower;
            p.word(0xA0 + n as u64);
            t.prefix[n] = p.finish();
        }
        let sc = shape_char(c);
        if sc == last_shape {
            run += 1;
        } else {
            run = 1;
            short.char(sc);
        }
        // Long runs look alike: "Xxxxx" and "Xxxxxxxxx" share a shape.
        if run <= 4 {
            shape.char(sc);
        }
        last_shape = sc;
        n += 1;
    }
    let mut suf = Hasher::with_seed(3);
    for (k, c) in s.chars().rev().take(4).enumerate() {
        suf.char(to_lower(c));
        t.suffix[k] = suf.finish();
    }
    t.word = word.finish();
    debug_assert_eq!(t.lower, lower.finish());
    debug_assert_eq!(t.len as usize, n.min(255));
    t.shape = shape.finish();
    t.short = short.finish();
}

/// Lowercase words that join capitalised words into one name ("Bank of
/// England", "Procter and Gamble", "Casa de Narino").
fn joining_words() -> &'static [u64] {
    static JOINS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    JOINS.get_or_init(|| {
        [
            "of", "and", "&", "for", "the", "de", "del", "della", "di", "da", "du", "des", "la",
            "le", "van", "von", "der", "den", "y", "on",
        ]
        .iter()
        .map(|w| hash::lower(w))
        .collect()
    })
}

/// Whether a sentence is written entirely in lowercase (several words, no
/// capital anywhere), like some headlines.
fn all_lowercase<S: AsRef<str>>(tokens: &[S]) -> bool {
    let words = tokens
        .iter()
        .filter(|t| t.as_ref().chars().any(char::is_alphabetic))
        .count();
    words >= 3
        && !tokens
            .iter()
            .any(|t| t.as_ref().chars().any(char::is_uppercase))
}

impl Doc {
    /// Prepares a document: `tokens` flat, `sents` ranges into it.
    pub fn fill<S: AsRef<str>>(&mut self, lex: &Lexicon, tokens: &[S], sents: &[Range<usize>]) {
        self.toks.clear();
        self.sents.clear();
        self.sents.extend_from_slice(sents);
        self.toks.resize(tokens.len(), TokInfo::default());
        self.upper.clear();
        for s in sents {
            let upper = self.lowercase_as_caps && all_lowercase(&tokens[s.clone()]);
            self.upper.push(upper);
            for i in s.clone() {
                self.toks[i] = basics(tokens[i].as_ref(), upper);
            }
        }
        for s in sents {
            let caps = self.toks[s.clone()]
                .iter()
                .all(|t| t.class != LOWER && t.class != TITLE)
                && self.toks[s.clone()].iter().any(|t| t.class == CAPS);
            let numbers = self.toks[s.clone()]
                .iter()
                .filter(|t| t.class == NO_LETTERS)
                .count();
            let table = numbers >= 2 && numbers * 3 >= s.len();
            for i in s.clone() {
                let t = &mut self.toks[i];
                t.caps_sentence = caps;
                t.table = table;
                t.left = (i - s.start).min(3) as u8;
                t.right = (s.end - 1 - i).min(3) as u8;
            }
            self.mark_skips(s.clone());
            if !caps {
                self.mark_runs(s.clone());
            }
        }
        // Only tokens that are scored, and their neighbours, need the rest.
        let words = lex.words();
        for (k, s) in sents.iter().enumerate() {
            let upper = self.upper[k];
            for i in s.clone() {
                let scored = |j: usize| s.contains(&j) && !self.toks[j].skip;
                self.toks[i].needed = scored(i) || scored(i + 1) || (i > 0 && scored(i - 1));
            }
            // The list lookups below each miss the cache: start them all
            // for the sentence first, so they overlap.
            for (t, tok) in self.toks[s.clone()].iter().zip(&tokens[s.clone()]) {
                if t.needed {
                    let key = hash::lower(tok.as_ref());
                    lex.places.prefetch(key);
                    lex.place_starts.prefetch(key);
                    if t.class != NO_LETTERS {
                        words.prefetch(t.lower);
                    }
                }
            }
            for i in s.clone() {
                if self.toks[i].needed {
                    describe(tokens[i].as_ref(), upper, &mut self.toks[i]);
                }
            }
            self.mark_places(lex, tokens, s.clone());
        }
        for t in &mut self.toks {
            if t.needed && t.class != NO_LETTERS {
                let w = words.get(t.lower);
                t.first_name = w.first_name;
                t.surname = w.surname;
                t.case_prior = w.case_prior;
                t.coarse = w.coarse;
                t.mid = w.mid;
                t.fine = w.fine;
            }
        }
        self.doc_case();
    }

    /// Marks the tokens both passes may label O unscored. Entity tokens are
    /// capitalised, or lowercase words and numbers joined to a capitalised
    /// one ("Bank of England", "1860 Munich"); in news prose most tokens are
    /// neither, and skipping them is most of the tagger's speed.
    fn mark_skips(&mut self, s: Range<usize>) {
        if !self.gate {
            return;
        }
        for i in s.clone() {
            let t = &self.toks[i];
            if t.caps_sentence || t.table || named(t) {
                continue;
            }
            let prev = (i > s.start).then(|| &self.toks[i - 1]).is_some_and(named);
            let next = (i + 1 < s.end)
                .then(|| &self.toks[i + 1])
                .is_some_and(named);
            self.toks[i].skip = !(prev || next);
        }
    }

    /// Finds the runs of capitalised words in a sentence (see
    /// `TokInfo::run_pos`).
    fn mark_runs(&mut self, s: Range<usize>) {
        let joins = joining_words();
        let mut i = s.start;
        while i < s.end {
            if !named(&self.toks[i]) {
                i += 1;
                continue;
            }
            // Extend over named tokens and over joining words between two.
            let mut end = i + 1;
            while end < s.end {
                if named(&self.toks[end]) {
                    end += 1;
                } else if end + 1 < s.end
                    && joins.contains(&self.toks[end].lower)
                    && named(&self.toks[end + 1])
                {
                    end += 2;
                } else {
                    break;
                }
            }
            let last = end as u32 - 1;
            let len = (end - i).min(6) as u8;
            for k in i..end {
                let t = &mut self.toks[k];
                t.run_last = last;
                t.run_len = len;
                t.run_pos = match () {
                    _ if end - i == 1 => 1,
                    _ if k == i => 2,
                    _ if k == end - 1 => 4,
                    _ => 3,
                };
            }
            i = end;
        }
    }

    /// Longest place-name match starting at each token.
    fn mark_places<S: AsRef<str>>(&mut self, lex: &Lexicon, tokens: &[S], s: Range<usize>) {
        let mut i = s.start;
        while i < s.end {
            if !self.toks[i].needed {
                i += 1;
                continue;
            }
            let mut h = Hasher::default();
            let mut best = None;
            for (k, tok) in tokens[i..s.end.min(i + MAX_PHRASE)].iter().enumerate() {
                if k > 0 {
                    h.char(' ');
                }
                hash::lower_into(&mut h, tok.as_ref());
                let key = h.finish();
                let tier = lex.places.tier(key);
                if tier > 0 {
                    best = Some((k + 1, tier));
                }
                if k == 0 && lex.place_starts.tier(key) == 0 {
                    break;
                }
            }
            match best {
                Some((len, tier)) => {
                    for (k, t) in self.toks[i..i + len].iter_mut().enumerate() {
                        t.place = tier * 2 + (k > 0) as u8;
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
    }

    /// How each word is capitalised elsewhere in the document.
    fn doc_case(&mut self) {
        self.table.reset(self.toks.len());
        for s in &self.sents {
            for i in s.clone() {
                let t = self.toks[i];
                let v = self.table.slot(t.lower);
                if t.class == LOWER {
                    v[0] += 1;
                } else if i > s.start && !t.caps_sentence && t.class != NO_LETTERS {
                    v[1] += 1;
                }
            }
        }
        for t in self.toks.iter_mut().filter(|t| t.needed) {
            let v = *self.table.slot(t.lower);
            t.doc_case = (v[1] > 0) as u8 | (((v[0] > 0) as u8) << 1);
        }
    }

    /// Sets pass-2 hints from pass-1 labels: what the same word was tagged
    /// as elsewhere in the document.
    pub fn set_hints(&mut self, labels: &[u8]) {
        for (t, &l) in self.toks.iter_mut().zip(labels) {
            t.first_pass = l;
        }
        // Every occurrence counts; only described tokens are read back.
        self.count_labels(labels, false);
        for (t, &l) in self.toks.iter_mut().zip(labels) {
            if t.needed {
                t.hint = summarise(*self.table.slot(t.lower), l);
            }
        }
        self.count_labels(labels, true);
        for (t, &l) in self.toks.iter_mut().zip(labels) {
            if !t.needed {
                continue;
            }
            let own = if t.caps_sentence || t.table { 0xff } else { l };
            t.hint_plain = summarise(*self.table.slot(t.lower), own);
        }
    }

    /// Makes one-token entities agree with what the same word is called in
    /// most of the document: "Assad" tagged PER seven times and ORG once
    /// becomes PER throughout. Labels are IOB2 indices.
    pub fn harmonise(&mut self, labels: &mut [u8]) {
        self.count_labels(labels, false);
        for i in 0..labels.len() {
            let l = labels[i];
            let single = l % 2 == 1 && labels.get(i + 1).is_none_or(|&n| n != l + 1);
            if !single {
                continue;
            }
            let v = *self.table.slot(self.toks[i].lower);
            let own = label_kind(l);
            let best = (1..5).max_by_key(|&k| (v[k], 5 - k)).unwrap();
            if best != own && v[best] >= 2 && v[best] >= 2 * v[own] {
                labels[i] = 1 + 2 * (best as u8 - 1);
            }
        }
    }

    /// Counts pass-1 kinds per word, optionally only in ordinary sentences.
    fn count_labels(&mut self, labels: &[u8], plain_only: bool) {
        self.table.reset(self.toks.len());
        for (t, &l) in self.toks.iter().zip(labels) {
            if plain_only && (t.caps_sentence || t.table) {
                continue;
            }
            self.table.slot(t.lower)[label_kind(l)] += 1;
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Whether the document has no tokens.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }
}

/// The hint for one token from its word's kind counts, leaving out the
/// token's own label (`own`, or 0xff when it was not counted).
fn summarise(mut v: [u16; 6], own: u8) -> u8 {
    if own != 0xff {
        v[label_kind(own)] -= 1;
    }
    // The majority kind, marked when other kinds were seen too.
    let kinds = (1..5).filter(|&k| v[k] > 0).count();
    let major = (1..5).max_by_key(|&k| (v[k], 5 - k)).unwrap_or(0);
    match kinds {
        0 => 0,
        1 => major as u8,
        _ => 4 + major as u8,
    }
}

/// 0 for O, else 1 + entity kind.
fn label_kind(l: u8) -> usize {
    if l == 0 {
        0
    } else {
        1 + ((l as usize - 1) / 2)
    }
}

const _: () = assert!(NUM_LABELS == 9);

/// A token with its sentence neighbourhood, for the feature templates.
struct View<'a> {
    toks: &'a [TokInfo],
    i: usize,
    t: &'a TokInfo,
}

const NONE_L: u64 = 0x5eed_0001;
const NONE_R: u64 = 0x5eed_0002;

impl<'a> View<'a> {
    fn new(doc: &'a Doc, i: usize) -> Self {
        View {
            toks: &doc.toks,
            i,
            t: &doc.toks[i],
        }
    }

    /// The token `d` positions away, if inside the sentence.
    #[inline]
    fn at(&self, d: isize) -> Option<&'a TokInfo> {
        let ok = if d < 0 {
            self.t.left as isize >= -d
        } else {
            self.t.right as isize >= d
        };
        ok.then(|| &self.toks[(self.i as isize + d) as usize])
    }

    #[inline]
    fn get(&self, d: isize, f: impl Fn(&TokInfo) -> u64) -> u64 {
        self.at(d).map_or(if d < 0 { NONE_L } else { NONE_R }, f)
    }

    /// Sentence-initial and all-caps-sentence bits.
    fn ctx(&self) -> u64 {
        (self.t.left == 0) as u64 | (self.t.caps_sentence as u64) << 1
    }
}

/// All feature ids for position `i` given the two previous labels (`START`
/// at sentence start). With `pass2`, the document hints are used too.
pub fn features(doc: &Doc, i: usize, p1: u8, p2: u8, pass2: bool, out: &mut Vec<u64>) {
    out.clear();
    static_features(doc, i, out);
    if pass2 {
        hint_features(doc, i, out);
    }
    history_features(doc, i, p1, p2, pass2, out);
}

/// Features that depend on neither the labels nor the pass: computed once
/// per token and shared by both passes.
pub fn static_features(doc: &Doc, i: usize, out: &mut Vec<u64>) {
    let v = View::new(doc, i);
    let t = v.t;
    let mut f = |tpl: u64, a: u64, b: u64, c: u64| out.push(hash::feat(tpl, a, b, c));
    let lower = |d: isize| v.get(d, |x| x.lower);
    let short = |d: isize| v.get(d, |x| x.short);
    let shape = |d: isize| v.get(d, |x| x.shape);
    let (l_1, l1, l_2, l2) = (lower(-1), lower(1), lower(-2), lower(2));
    let (s_1, s1) = (short(-1), short(1));
    let ctx = v.ctx();

    f(0, 0, 0, 0);
    f(1, t.word, 0, 0);
    f(2, t.lower, 0, 0);
    f(3, t.shape, 0, 0);
    f(4, t.short, ctx, 0);
    for k in 0..4 {
        if (t.len as usize) > k + 1 {
            f(10 + k as u64, t.prefix[k], 0, 0);
            f(14 + k as u64, t.suffix[k], 0, 0);
        }
    }
    f(20, l_1, 0, 0);
    f(21, l1, 0, 0);
    f(22, l_2, 0, 0);
    f(23, l2, 0, 0);
    f(24, l_1, t.lower, 0);
    f(25, t.lower, l1, 0);
    f(26, s_1, t.short, s1);
    f(27, shape(-1), t.shape, 0);
    f(28, t.shape, shape(1), 0);
    f(29, l_1, t.short, 0);
    f(30, t.short, l1, 0);
    f(31, s_1, 0, 0);
    f(32, s1, 0, 0);
    f(33, l_1, l1, 0);
    f(34, lower(-3), 0, 0);
    f(35, lower(3), 0, 0);
    if t.caps_sentence {
        // Headlines: the casing says nothing, so lean on the word itself.
        f(50, t.lower, 0, 0);
        f(51, l_1, t.lower, 0);
        f(52, t.lower, t.doc_case as u64, 0);
    }
    f(53, ctx, t.doc_case as u64, t.class as u64);
    f(54, t.class as u64, t.first_name as u64, t.surname as u64);
    f(55, t.first_name as u64, t.class as u64, 0);
    f(56, t.surname as u64, t.class as u64, 0);
    f(57, t.place as u64, t.class as u64, 0);
    if let Some(n) = v.at(-1) {
        f(58, n.first_name as u64, n.class as u64, t.class as u64);
        f(59, n.place as u64, n.class as u64, t.place as u64);
    }
    if let Some(n) = v.at(1) {
        f(60, n.surname as u64, n.class as u64, t.class as u64);
        f(61, n.place as u64, n.class as u64, t.place as u64);
    }
    f(62, t.place as u64, t.first_name as u64, t.surname as u64);
    f(63, t.case_prior as u64, t.class as u64, ctx);
    f(
        64,
        v.at(-1).map_or(9, |n| n.case_prior) as u64,
        t.case_prior as u64,
        v.at(1).map_or(9, |n| n.case_prior) as u64,
    );
    if t.table {
        f(65, t.lower, 0, 0);
        f(66, t.short, s_1, s1);
    }
    let coarse = |d: isize| v.at(d).map_or(0x100, |n| n.coarse as u64);
    f(90, t.coarse as u64, 0, 0);
    f(91, t.fine as u64, 0, 0);
    f(92, coarse(-1), t.coarse as u64, 0);
    f(93, t.coarse as u64, coarse(1), 0);
    f(94, t.fine as u64, t.class as u64, ctx);
    f(95, coarse(-1), 0, 0);
    f(96, coarse(1), 0, 0);
    let mid = |d: isize| v.at(d).map_or(0x100, |n| n.mid as u64);
    f(98, t.mid as u64, 0, 0);
    f(99, mid(-1), t.mid as u64, 0);
    f(101, t.mid as u64, mid(1), 0);
    f(102, mid(-1), 0, 0);
    f(103, mid(1), 0, 0);
    // A wider window: the word pairs on either side ("chairman of" before
    // a company, "said on" after a person), and the neighbours' fine
    // classes. Only basics are read two away: a gated neighbour's neighbour
    // is not described.
    let fine = |d: isize| v.at(d).map_or(0x100, |n| n.fine as u64);
    f(36, l_2, l_1, 0);
    f(37, l1, l2, 0);
    f(107, fine(-1), 0, 0);
    f(108, fine(1), 0, 0);
    f(109, fine(-1), t.fine as u64, 0);
    if t.run_pos > 0 {
        let last = &v.toks[t.run_last as usize];
        f(110, last.lower, t.run_pos as u64, 0);
        f(112, t.run_len as u64, t.run_pos as u64, t.class as u64);
    }
}

/// Pass-2 features from the document hints and pass-1 labels, which do
/// not depend on pass 2's own history.
pub fn hint_features(doc: &Doc, i: usize, out: &mut Vec<u64>) {
    let v = View::new(doc, i);
    let t = v.t;
    let ctx = v.ctx();
    let mut f = |tpl: u64, a: u64, b: u64, c: u64| out.push(hash::feat(tpl, a, b, c));
    f(70, t.hint as u64, 0, 0);
    f(71, t.hint as u64, t.class as u64, ctx);
    f(
        73,
        v.at(-1).map_or(9, |n| n.hint) as u64,
        t.hint as u64,
        v.at(1).map_or(9, |n| n.hint) as u64,
    );
    f(74, t.hint as u64, t.lower, 0);
    f(75, t.hint_plain as u64, t.hint as u64, ctx);
    f(76, t.hint_plain as u64, t.class as u64, t.table as u64);
    let fp = |d: isize| v.at(d).map_or(START as u64, |n| n.first_pass as u64);
    f(77, fp(0), 0, 0);
    f(78, fp(0), fp(1), 0);
    f(79, fp(1), fp(2), 0);
    f(81, fp(0), t.lower, 0);
    f(82, fp(1), t.short, 0);
    f(83, t.hint as u64, t.mid as u64, 0);
    f(84, fp(-1), fp(0), 0);
    f(85, fp(-1), t.lower, 0);
    f(86, fp(-1), fp(0), fp(1));
    f(87, fp(0), t.hint as u64, t.class as u64);
    f(88, fp(1), v.get(1, |x| x.lower), 0);
    f(89, fp(-2), fp(-1), 0);
    f(104, fp(0), t.first_name as u64, t.surname as u64);
    f(105, fp(0), t.coarse as u64, 0);
    f(106, t.hint as u64, t.first_name as u64, t.surname as u64);
}

/// Features conjoined with the previous labels of the current pass.
pub fn history_features(doc: &Doc, i: usize, p1: u8, p2: u8, pass2: bool, out: &mut Vec<u64>) {
    let v = View::new(doc, i);
    let t = v.t;
    let (p1, p2) = (p1 as u64, p2 as u64);
    let mut f = |tpl: u64, a: u64, b: u64, c: u64| out.push(hash::feat(tpl, a, b, c));
    f(40, p1, 0, 0);
    f(41, p1, p2, 0);
    f(42, p1, t.lower, 0);
    f(43, p1, t.short, 0);
    f(44, p1, v.get(-1, |x| x.lower), 0);
    f(97, p1, t.coarse as u64, 0);
    if pass2 {
        let fp = |d: isize| v.at(d).map_or(START as u64, |n| n.first_pass as u64);
        f(72, t.hint as u64, p1, 0);
        f(80, p1, fp(0), fp(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(s: &str, upper: bool) -> TokInfo {
        let mut t = basics(s, upper);
        super::describe(s, upper, &mut t);
        t
    }

    fn doc(text: &[&[&str]]) -> Doc {
        let mut toks = Vec::new();
        let mut sents = Vec::new();
        for s in text {
            let b = toks.len();
            toks.extend_from_slice(s);
            sents.push(b..toks.len());
        }
        let mut d = Doc {
            lowercase_as_caps: true,
            ..Doc::default()
        };
        d.fill(&Lexicon::default(), &toks, &sents);
        d
    }

    #[test]
    fn shapes_and_classes() {
        let a = describe("Brussels", false);
        let b = describe("Brusselsss", false);
        assert_eq!(a.shape, b.shape, "long runs collapse");
        assert_eq!(describe("Xy", false).short, a.short);
        assert_ne!(describe("U.S.", false).shape, describe("US", false).shape);
        assert_eq!(class_of("EU"), CAPS);
        assert_eq!(class_of("McDonald"), TITLE);
        assert_eq!(class_of("1996"), NO_LETTERS);
        assert_eq!(class_of("iPhone"), LOWER);
    }

    #[test]
    fn lowercase_headlines_look_like_capitalised_ones() {
        let a = doc(&[&["putin", "meets", "merkel"]]);
        let b = doc(&[&["PUTIN", "MEETS", "MERKEL"]]);
        assert!(a.toks[0].caps_sentence);
        assert_eq!(a.toks[2].word, b.toks[2].word);
        assert_eq!(a.toks[2].shape, b.toks[2].shape);
        let c = doc(&[&["putin", "met", "Merkel"]]);
        assert!(!c.toks[0].caps_sentence);
    }

    #[test]
    fn caps_sentences_and_document_case() {
        let d = doc(&[
            &["GERMANY", "BEAT", "WALES"],
            &["Germany", "beat", "Wales", "."],
            &["They", "beat", "it"],
        ]);
        assert!(d.toks[0].caps_sentence);
        assert!(!d.toks[3].caps_sentence);
        // "beat" appears in lowercase elsewhere; "wales" capitalised mid-sentence.
        assert_eq!(d.toks[1].doc_case & 2, 2);
        assert_eq!(d.toks[2].doc_case & 1, 1);
        assert_eq!(
            d.toks[0].doc_case & 1,
            0,
            "sentence-initial Germany does not count"
        );
    }

    #[test]
    fn features_are_deterministic_and_context_sensitive() {
        let d = doc(&[&["Mr.", "Smith", "spoke"], &["Smith", "spoke"]]);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        features(&d, 1, 3, 9, false, &mut a);
        features(&d, 1, 3, 9, false, &mut b);
        assert_eq!(a, b);
        features(&d, 3, 9, 9, false, &mut b);
        assert_ne!(a, b);
        features(&d, 1, 3, 9, true, &mut b);
        assert!(b.len() > a.len());
    }

    #[test]
    fn gating_skips_only_tokens_away_from_names() {
        let mut d = Doc {
            gate: true,
            ..Doc::default()
        };
        let toks = [
            "the", "bank", "said", "Bank", "of", "England", "rates", "rose", "in", "1860",
            "Munich", ".",
        ];
        let all = 0..toks.len();
        d.fill(&Lexicon::default(), &toks, std::slice::from_ref(&all));
        let skipped: Vec<&str> = (0..toks.len())
            .filter(|&i| d.toks[i].skip)
            .map(|i| toks[i])
            .collect();
        // "said" and "rates" touch a name; "of" and "1860" sit inside one.
        assert_eq!(skipped, ["the", "bank", "rose", "in"]);
        // Neighbours of scored tokens are described; far tokens are not.
        assert!(d.toks[1].needed && !d.toks[0].needed);
        // Headlines in capitals are never gated, nor is anything in training.
        let caps = ["PUTIN", "MEETS", "the", "PRESS"];
        d.fill(&Lexicon::default(), &caps, std::slice::from_ref(&(0..4)));
        assert!(d.toks.iter().all(|t| !t.skip));
        d.gate = false;
        d.fill(&Lexicon::default(), &toks, std::slice::from_ref(&all));
        assert!(d.toks.iter().all(|t| !t.skip && t.needed));
    }

    #[test]
    fn runs_join_capitalised_words_across_joining_words() {
        let d = doc(&[
            &[
                "the", "Test", "and", "County", "Cricket", "Board", "met", "Smith", "of", "the",
                "club", "in", "Bank", "of", "England", "rooms", "and",
            ],
            &["CRICKET", "BOARD", "MEETS"],
        ]);
        let pos: Vec<u8> = d.toks.iter().map(|t| t.run_pos).collect();
        // "Smith of the club": "of" joins only two capitalised words.
        assert_eq!(
            pos,
            [0, 2, 3, 3, 3, 4, 0, 1, 0, 0, 0, 0, 2, 3, 4, 0, 0, 0, 0, 0]
        );
        let t = d.toks[3];
        assert_eq!((t.run_last, t.run_len), (5, 5));
        assert_eq!(d.toks[12].run_last, 14);
        // The run's words show in its members' features; a lone word has
        // none of another run's.
        let (mut f3, mut f7) = (Vec::new(), Vec::new());
        features(&d, 3, 0, 0, false, &mut f3);
        features(&d, 7, 0, 0, false, &mut f7);
        let board = hash::feat(110, d.toks[5].lower, 3, 0);
        assert!(f3.contains(&board));
        assert!(!f7.contains(&board));
    }

    #[test]
    fn harmonise_follows_the_document_majority() {
        let mut d = doc(&[
            &["Assad", "spoke"],
            &["Bashar", "Assad"],
            &["Assad", "left"],
            &["with", "Assad"],
        ]);
        // ORG, O | B-PER I-PER | B-PER O | O B-LOC
        let mut labels = vec![5, 0, 1, 2, 1, 0, 0, 3];
        d.harmonise(&mut labels);
        assert_eq!(labels, vec![1, 0, 1, 2, 1, 0, 0, 1]);
    }

    #[test]
    fn hints_exclude_the_token_itself() {
        let mut d = doc(&[&["Assad", "spoke"], &["Bashar", "Assad"]]);
        d.set_hints(&[0, 0, 1, 2]);
        assert_eq!(d.toks[0].hint, 1, "Assad is PER elsewhere");
        assert_eq!(d.toks[3].hint, 0, "the other Assad is O");
    }
}
