//! Cheap, deterministic string hashing for feature ids.
//!
//! Features are never stored as strings: every token property is reduced to a
//! 64-bit hash once per token, and features combine those hashes. The hash must
//! not depend on the process (no random seeds), because model weights are
//! indexed by it.

const K: u64 = 0x517c_c1b7_2722_0a95;

/// An incremental hasher over characters, with the text normalisations the
/// tagger wants (curly quotes and dashes look like CoNLL's ASCII forms).
#[derive(Clone, Copy)]
pub struct Hasher(u64);

impl Default for Hasher {
    fn default() -> Self {
        Hasher(0x9e37_79b9_7f4a_7c15)
    }
}

impl Hasher {
    /// A hasher seeded with a feature-template id, so equal strings under
    /// different templates get unrelated ids.
    #[inline]
    pub fn with_seed(seed: u64) -> Self {
        let mut h = Hasher::default();
        h.word(seed);
        h
    }

    #[inline]
    pub fn word(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(K);
    }

    /// Feeds one character, normalised.
    #[inline]
    pub fn char(&mut self, c: char) {
        match c {
            '\u{2018}' | '\u{2019}' | '`' => self.word('\'' as u64),
            '\u{201C}' | '\u{201D}' => self.word('"' as u64),
            '\u{2014}' => {
                self.word('-' as u64);
                self.word('-' as u64);
            }
            '\u{2013}' => self.word('-' as u64),
            c => self.word(c as u64),
        }
    }

    /// The final, well-mixed value.
    #[inline]
    pub fn finish(&self) -> u64 {
        mix(self.0)
    }
}

/// splitmix64 finaliser: spreads the bits so that masking the low bits of a
/// hash gives a good bucket index.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Combines a template id with up to three property hashes.
#[inline]
pub fn feat(template: u64, a: u64, b: u64, c: u64) -> u64 {
    let mut h = Hasher::with_seed(template);
    h.word(a);
    h.word(b);
    h.word(c);
    h.finish()
}

/// The lowercase hash of a string, as used for gazetteer keys.
pub fn lower(s: &str) -> u64 {
    let mut h = Hasher::default();
    lower_into(&mut h, s);
    h.finish()
}

/// Feeds the lowercase form of `s` into `h` without allocating.
#[inline]
pub fn lower_into(h: &mut Hasher, s: &str) {
    for c in s.chars() {
        if c.is_ascii() {
            h.char(c.to_ascii_lowercase());
        } else {
            for l in c.to_lowercase() {
                h.char(l);
            }
        }
    }
}

/// The hash of a phrase: lowercase tokens separated by one space. Built the
/// same way at training time (gazetteer entries) and at tagging time.
pub fn phrase<'a>(tokens: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h = Hasher::default();
    for (i, t) in tokens.into_iter().enumerate() {
        if i > 0 {
            h.char(' ');
        }
        lower_into(&mut h, t);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_and_straight_quotes_hash_alike() {
        assert_eq!(lower("Russia\u{2019}s"), lower("russia's"));
        assert_ne!(lower("Russia"), lower("Russian"));
    }

    #[test]
    fn phrase_matches_incremental_form() {
        assert_eq!(phrase(["New", "York"]), phrase(["new", "york"]));
        assert_ne!(phrase(["New", "York"]), phrase(["NewYork"]));
    }
}
