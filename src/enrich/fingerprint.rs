//! A near-duplicate fingerprint of a story: MinHash over word shingles.
//!
//! Wire services file one story many times (write-thrus, updates,
//! corrections, the same copy in two feeds). Two versions share most of
//! their four-word shingles; the share (Jaccard similarity) is estimated
//! from [`SIGNATURE`] min-hashes, of which only the low byte is kept
//! (b-bit MinHash: 64 bytes a story, at a small, corrected cost in
//! variance). Two bytes agree with a probability close to the similarity,
//! so the first [`BANDS`] × [`ROWS`] bytes, taken [`ROWS`] at a time, are
//! also the bands of locality-sensitive hashing: two stories that agree on
//! a whole band are candidates (two unrelated stories do so by chance once
//! in 2³² per band), and a candidate is a version only when its estimated
//! similarity reaches [`MIN_SIMILARITY`].

use xxhash_rust::xxh3::xxh3_64;

/// Min-hashes per story (one byte each).
pub const SIGNATURE: usize = 64;

/// Bands for candidate lookup, and the signature bytes in each. Eight
/// bands of four find a pair of similarity 0.7 nine times in ten, 0.8
/// nearly always.
pub const BANDS: usize = 8;
pub const ROWS: usize = 4;

/// Words per shingle.
const SHINGLE: usize = 4;

/// Estimated Jaccard similarity at or above which two stories are versions
/// of one story. Rewritten leads and added paragraphs keep most shingles;
/// two stories on one subject from one day share well under half (see the
/// tests and the README's figures).
pub const MIN_SIMILARITY: f64 = 0.6;

/// Stories with fewer shingles than this have no fingerprint.
const MIN_SHINGLES: usize = 4;

/// Below this many shingles, a story is short: two one-line briefs of one
/// template ("UNOCAL RAISED CRUDE POSTINGS 50 CTS", "SOUTHLAND RAISED …")
/// share most of their few shingles by their shape, not their story, so a
/// short story is a version only of an identical one.
const SHORT: usize = 40;

/// A story's signature: the low byte of each min-hash.
pub type Signature = [u8; SIGNATURE];

/// The fingerprint of one story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub signature: Signature,
    /// Fewer than [`SHORT`] shingles: a version only of an identical story.
    pub short: bool,
}

impl Fingerprint {
    /// The fingerprint of a story's headline and body, or `None` when the
    /// story is too short to be told apart from others of its shape.
    pub fn of(headline: Option<&str>, body: &str) -> Option<Fingerprint> {
        let mut mins = [u64::MAX; SIGNATURE];
        // The last words' hashes, in a ring: a shingle's hash combines them
        // in order, so no shingle text is built.
        let mut ring = [0u64; SHINGLE];
        let mut seen = 0usize;
        let mut shingles = 0usize;
        let mut lower = String::new();
        let words = headline
            .into_iter()
            .chain(std::iter::once(body))
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty());
        for word in words {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            ring[seen % SHINGLE] = xxh3_64(lower.as_bytes());
            seen += 1;
            if seen < SHINGLE {
                continue;
            }
            let mut h = 0u64;
            for j in 0..SHINGLE {
                h = (h.rotate_left(23) ^ ring[(seen + j) % SHINGLE])
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            shingles += 1;
            for (i, m) in mins.iter_mut().enumerate() {
                let v = permute(h, i);
                if v < *m {
                    *m = v;
                }
            }
        }
        if shingles < MIN_SHINGLES {
            return None;
        }
        let mut signature = [0u8; SIGNATURE];
        for (s, m) in signature.iter_mut().zip(&mins) {
            *s = *m as u8;
        }
        Some(Fingerprint {
            signature,
            short: shingles < SHORT,
        })
    }

    /// Estimated Jaccard similarity of the two stories' shingle sets.
    pub fn similarity(&self, other: &Fingerprint) -> f64 {
        similarity(&self.signature, &other.signature)
    }

    /// Whether a story with this signature is a version of this story.
    pub fn is_version(&self, signature: &Signature) -> bool {
        if self.short {
            return self.signature == *signature;
        }
        similarity(&self.signature, signature) >= MIN_SIMILARITY
    }
}

/// The band keys of a signature, for candidate lookup.
pub fn bands(signature: &Signature) -> impl Iterator<Item = u64> + '_ {
    (0..BANDS).map(move |b| {
        let mut key = [0u8; 8];
        key[0] = b as u8;
        key[1..=ROWS].copy_from_slice(&signature[b * ROWS..(b + 1) * ROWS]);
        u64::from_le_bytes(key)
    })
}

/// Estimated Jaccard similarity from two b-bit signatures: the share of
/// equal bytes, corrected for bytes that are equal by chance (1 in 256).
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE as f64;
    let chance = 1.0 / 256.0;
    ((equal - chance) / (1.0 - chance)).max(0.0)
}

/// The `i`th of a family of hash functions, derived from one hash: a
/// multiply by an odd constant and an xor-shift, different for each `i`.
fn permute(h: u64, i: usize) -> u64 {
    let a = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(2 * i as u64 + 1) | 1;
    let x = (h ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93)).wrapping_mul(a);
    x ^ (x >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "MOSCOW (AP) — Russia's foreign minister said Saturday that there is no possibility of persuading Syrian President Bashar Assad to step down, and called on the opposition to open talks with the government. \n\nThe minister spoke after meeting the international envoy, who has warned that the civil war could turn into a regional conflict if the fighting does not stop soon. \n\nThe envoy is expected to travel to Damascus next week for further meetings with officials and opposition leaders.";

    fn fp(body: &str) -> Fingerprint {
        Fingerprint::of(Some("Russia rules out pressure on Assad"), body).unwrap()
    }

    #[test]
    fn the_same_story_is_identical() {
        assert_eq!(fp(STORY), fp(STORY));
        assert_eq!(fp(STORY).similarity(&fp(STORY)), 1.0);
    }

    #[test]
    fn a_version_with_an_added_paragraph_or_changed_figures_is_similar() {
        let added = format!("{STORY}\n\nThe war has killed more than 44,000 people, activists say, and driven hundreds of thousands from their homes.");
        assert!(fp(STORY).similarity(&fp(&added)) >= MIN_SIMILARITY);
        let changed = STORY.replace("next week", "on Sunday");
        assert!(fp(STORY).similarity(&fp(&changed)) >= MIN_SIMILARITY);
    }

    #[test]
    fn a_different_story_on_the_same_subject_is_not() {
        let other = "DAMASCUS (AP) — Syrian rebels said Saturday they had seized a military base near Aleppo after days of fighting, as the government pounded suburbs of the capital with artillery and air strikes. \n\nActivists said dozens of people were killed across the country, and aid groups warned of food shortages in the north as winter sets in.";
        assert!(fp(STORY).similarity(&fp(other)) < 0.2);
    }

    #[test]
    fn short_texts_group_only_when_identical() {
        assert!(Fingerprint::of(Some("Bank raises"), "rates.").is_none());
        let a = Fingerprint::of(
            None,
            "UNOCAL RAISED CRUDE OIL POSTINGS 50 CTS/BBL, WTI NOW 19 DLRS/BBL",
        )
        .unwrap();
        let b = Fingerprint::of(
            None,
            "SOUTHLAND CORP RAISED CRUDE OIL POSTINGS 50 CTS/BBL, WTI NOW 19 DLRS/BBL",
        )
        .unwrap();
        assert!(a.short && !a.is_version(&b.signature));
        assert!(a.is_version(&a.signature));
    }

    #[test]
    fn chance_agreement_is_corrected() {
        let a = [0u8; SIGNATURE];
        let mut b = [1u8; SIGNATURE];
        assert_eq!(similarity(&a, &b), 0.0);
        b[..SIGNATURE / 2].copy_from_slice(&[0; SIGNATURE / 2]);
        assert!((similarity(&a, &b) - 0.498).abs() < 0.01);
    }
}
