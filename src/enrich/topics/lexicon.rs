//! The weighted word and phrase lexicons, one per topic, read once from
//! `assets/topics/lexicon.txt`.
//!
//! The file lists, under `@ <IPTC label>` headers, lines of the form
//! `<weight>: term, term, two-word term`. A term may appear under several
//! topics. Terms are folded with the same tokeniser as story text, so
//! `refugees` in the file matches `refugee` in a story. A one-word term
//! written with a capital (`Labour`, `Commons`) is a proper noun: it matches
//! the word only where the story capitalises it inside a sentence, and there
//! it replaces the lower-case term of the same word (`labour`, work).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::taxonomy::Taxonomy;
use super::tokens::Words;

const LEXICON: &str = include_str!("../../../assets/topics/lexicon.txt");

/// Evidence a term gives: a weight for one concept.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// Index of the concept in the shipped [`Taxonomy`].
    pub concept: u16,
    /// How strongly the term points to the concept (1 hints … 4 all but proves).
    pub weight: f32,
}

/// What the lexicon knows about one folded word or phrase.
#[derive(Debug, Default)]
pub struct Entry {
    /// Stable id of the term, for counting repeats; `None` when the phrase is
    /// only the start of longer terms.
    pub term: Option<u32>,
    /// The concepts the term points to.
    pub hits: Vec<Hit>,
    /// Some longer term starts with this one.
    pub is_prefix: bool,
    /// The same word as a proper noun, when the lexicon lists it so.
    pub proper: Option<Box<Entry>>,
}

/// Terms and phrase prefixes, keyed by their folded text.
#[derive(Debug)]
pub struct Lexicon {
    // Looked up for every word of every story: a fast hash, not SipHash.
    entries: HashMap<String, Entry, BuildHasherDefault<KeyHasher>>,
    terms: u32,
    longest: usize,
}

/// Hashes a string key with one-shot xxh3. The streaming `Xxh3Default`
/// sets up and finalises a large state for every short word; a `str`
/// key is one `write` of its bytes and a terminating `write_u8`.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn write_u8(&mut self, b: u8) {
        // A bijection of the hash so far: the terminator costs nothing.
        self.0 ^= u64::from(b).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Lexicon {
    /// The lexicon shipped with the crate, built once.
    pub fn shipped() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| {
            Lexicon::parse(LEXICON, Taxonomy::shipped()).expect("shipped lexicon is well formed")
        })
    }

    /// Parse a lexicon file against a taxonomy.
    pub fn parse(text: &str, taxonomy: &Taxonomy) -> Result<Lexicon, String> {
        let mut lex = Lexicon {
            entries: HashMap::default(),
            terms: 0,
            longest: 1,
        };
        let mut concept: Option<u16> = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(label) = line.strip_prefix('@') {
                let label = label.trim();
                let idx = taxonomy
                    .index_of_label(label)
                    .ok_or_else(|| format!("lexicon line {}: unknown topic {label:?}", n + 1))?;
                concept = Some(idx as u16);
                continue;
            }
            let c = concept.ok_or_else(|| format!("lexicon line {}: no topic yet", n + 1))?;
            let (weight, terms) = line
                .split_once(':')
                .ok_or_else(|| format!("lexicon line {}: expected weight: terms", n + 1))?;
            let weight: f32 = weight
                .trim()
                .parse()
                .map_err(|_| format!("lexicon line {}: bad weight {weight:?}", n + 1))?;
            for term in terms.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let hit = Hit { concept: c, weight };
                if term.starts_with(char::is_uppercase) {
                    lex.add_proper(term, hit)
                        .map_err(|e| format!("lexicon line {}: {e}", n + 1))?;
                } else {
                    lex.add(term, hit);
                }
            }
        }
        Ok(lex)
    }

    fn add_proper(&mut self, term: &str, hit: Hit) -> Result<(), String> {
        let words = Words::new(term);
        let (1, Some(key)) = (words.len(), words.phrase(0, 1)) else {
            return Err(format!("proper noun {term:?} must be one word"));
        };
        let next_id = self.terms;
        let e = self
            .entries
            .entry(key.to_string())
            .or_default()
            .proper
            .get_or_insert_with(Default::default);
        if e.term.is_none() {
            e.term = Some(next_id);
            self.terms += 1;
        }
        Self::add_hit(e, hit);
        Ok(())
    }

    fn add(&mut self, term: &str, hit: Hit) {
        let words = Words::new(term);
        let n = words.len();
        if n == 0 {
            return;
        }
        self.longest = self.longest.max(n);
        for k in 1..n {
            if let Some(prefix) = words.phrase(0, k) {
                self.entries
                    .entry(prefix.to_string())
                    .or_default()
                    .is_prefix = true;
            }
        }
        let Some(key) = words.phrase(0, n) else {
            return;
        };
        let next_id = self.terms;
        let e = self.entries.entry(key.to_string()).or_default();
        if e.term.is_none() {
            e.term = Some(next_id);
            self.terms += 1;
        }
        Self::add_hit(e, hit);
    }

    fn add_hit(e: &mut Entry, hit: Hit) {
        // The same term listed twice for one topic keeps the larger weight.
        match e.hits.iter_mut().find(|h| h.concept == hit.concept) {
            Some(h) => h.weight = h.weight.max(hit.weight),
            None => e.hits.push(hit),
        }
    }

    /// Number of distinct terms.
    #[cfg(test)]
    pub fn term_count(&self) -> usize {
        self.terms as usize
    }

    /// The longest term starting at word `i`: its entry and length in words.
    pub fn longest_match(&self, words: &Words, i: usize) -> Option<(&Entry, usize)> {
        let mut best = None;
        for n in 1..=self.longest {
            let Some(key) = words.phrase(i, n) else { break };
            let Some(e) = self.entries.get(key) else {
                break;
            };
            // A capitalised word inside a sentence is the proper noun, when
            // the lexicon knows one.
            let own = match &e.proper {
                Some(p) if n == 1 && words.is_proper(i) => p,
                _ => e,
            };
            if own.term.is_some() {
                best = Some((own, n));
            }
            if !e.is_prefix {
                break;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicon_parses() {
        let lex = Lexicon::shipped();
        assert!(lex.term_count() > 500, "{} terms", lex.term_count());
    }

    #[test]
    fn longest_phrase_wins() {
        let lex = Lexicon::shipped();
        let w = Words::new("the prime minister said");
        let (_, n) = lex.longest_match(&w, 1).unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn a_capitalised_word_inside_a_sentence_is_the_proper_noun() {
        let tax = Taxonomy::shipped();
        let lex =
            Lexicon::parse("@ labour\n4: labour\n@ political party\n3: Labour\n", tax).unwrap();
        let concept = |text: &str, i: usize| {
            let w = Words::new(text);
            let (e, _) = lex.longest_match(&w, i).unwrap();
            tax.get(e.hits[0].concept as usize).label
        };
        assert_eq!(concept("cheap labour is scarce", 1), "labour");
        assert_eq!(concept("He said Labour would win.", 2), "political party");
        // At the start of a sentence a capital says nothing.
        assert_eq!(concept("Labour costs rose. Labour said", 0), "labour");
        assert_eq!(concept("Labour costs rose. Labour said", 3), "labour");
        // Nor in a title-case headline.
        assert_eq!(concept("Cheap Labour Is Scarce", 1), "labour");
        let err = Lexicon::parse("@ labour\n4: Labour Party\n", tax).unwrap_err();
        assert!(err.contains("line 2") && err.contains("one word"), "{err}");
    }
}
