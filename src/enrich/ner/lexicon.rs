//! Name lists the tagger consults: first names, surnames and place names.
//!
//! Built at training time from the shared data (Census name lists, GeoNames)
//! and stored inside the model file, because the shared folder is absent at
//! run time. Entries are hashes of lowercase token sequences with a small
//! "tier" (how common or how big), in open-addressing tables.

use super::hash;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// Longest place name, in tokens, that phrase lookup tries.
pub const MAX_PHRASE: usize = 4;

/// One list: hashed keys with a tier each (1 = most common / biggest),
/// stored as an open-addressing table (key 0 = empty slot) so a lookup is
/// usually one cache miss, and loading is a plain copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    keys: Vec<u64>,
    tiers: Vec<u8>,
}

impl Default for List {
    fn default() -> Self {
        List::from_entries(std::iter::empty())
    }
}

/// Keys are hashes; 0 marks an empty slot, so it is folded onto 1.
#[inline]
fn slot_key(k: u64) -> u64 {
    k.max(1)
}

impl List {
    /// Builds a list; for a key given twice, the smaller tier wins.
    pub fn from_entries(entries: impl IntoIterator<Item = (u64, u8)>) -> List {
        let mut m: BTreeMap<u64, u8> = BTreeMap::new();
        for (k, t) in entries {
            insert(&mut m, slot_key(k), t);
        }
        let size = (m.len() * 2).next_power_of_two().max(16);
        let mut keys = vec![0u64; size];
        let mut tiers = vec![0u8; size];
        for (k, t) in m {
            let mut i = k as usize & (size - 1);
            while keys[i] != 0 {
                i = (i + 1) & (size - 1);
            }
            keys[i] = k;
            tiers[i] = t;
        }
        List { keys, tiers }
    }

    /// A list from its stored table, if the table is well formed.
    pub fn from_table(keys: Vec<u64>, tiers: Vec<u8>) -> Option<List> {
        let ok = keys.len().is_power_of_two() && keys.len() == tiers.len() && keys.contains(&0);
        ok.then_some(List { keys, tiers })
    }

    /// The stored table.
    pub fn table(&self) -> (&[u64], &[u8]) {
        (&self.keys, &self.tiers)
    }

    /// The tier of a hashed entry, or 0 when absent.
    #[inline]
    pub fn tier(&self, key: u64) -> u8 {
        let key = slot_key(key);
        let mask = self.keys.len() - 1;
        let mut i = key as usize & mask;
        loop {
            match self.keys[i] {
                0 => return 0,
                k if k == key => return self.tiers[i],
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Starts loading the slot where a lookup of `key` begins.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(&self.keys[slot_key(key) as usize & (self.keys.len() - 1)]);
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.keys.iter().filter(|&&k| k != 0).count()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// All lists.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lexicon {
    pub first_names: List,
    pub surnames: List,
    pub places: List,
    /// First words of the place names of more than one word: a phrase is
    /// looked up only after one of them, which spares most lookups.
    pub place_starts: List,
    /// How words are usually written mid-sentence in unlabelled news
    /// (Reuters-21578 bodies, AG News): 1 capitalised, 2 mixed, 3 lowercase.
    /// Tells headline and sentence-initial words apart.
    pub case_prior: List,
    /// Distributional word classes (see [`super::clusters`]), coarse and
    /// fine; the tier is the class plus one.
    pub classes_coarse: List,
    pub classes_mid: List,
    pub classes_fine: List,
    /// The per-word lists merged, built on first use (see [`WordTiers`]).
    pub(super) words: OnceLock<WordTable>,
}

/// What the word lists say of one lowercase word.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WordTiers {
    pub first_name: u8,
    pub surname: u8,
    pub case_prior: u8,
    pub coarse: u8,
    pub mid: u8,
    pub fine: u8,
}

/// The six per-word lists in one open-addressing table, key and tiers side
/// by side: one cache miss per word instead of six.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WordTable {
    slots: Vec<(u64, WordTiers)>,
}

impl WordTable {
    fn build(l: &Lexicon) -> WordTable {
        let lists = [
            &l.first_names,
            &l.surnames,
            &l.case_prior,
            &l.classes_coarse,
            &l.classes_mid,
            &l.classes_fine,
        ];
        let mut keys: Vec<u64> = lists
            .iter()
            .flat_map(|list| list.keys.iter().copied().filter(|&k| k != 0))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let size = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u64, WordTiers::default()); size];
        for k in keys {
            let mut i = k as usize & (size - 1);
            while slots[i].0 != 0 {
                i = (i + 1) & (size - 1);
            }
            let t = |list: &List| list.tier(k);
            slots[i] = (
                k,
                WordTiers {
                    first_name: t(&l.first_names),
                    surname: t(&l.surnames),
                    case_prior: t(&l.case_prior),
                    coarse: t(&l.classes_coarse),
                    mid: t(&l.classes_mid),
                    fine: t(&l.classes_fine),
                },
            );
        }
        WordTable { slots }
    }

    /// Starts loading the slot where [`WordTable::get`] of `key` begins.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[slot_key(key) as usize & (self.slots.len() - 1)]);
        }
    }

    /// The tiers of a word's lowercase hash (all 0 when unknown).
    #[inline]
    pub fn get(&self, key: u64) -> WordTiers {
        let key = slot_key(key);
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            match self.slots[i] {
                (0, _) => return WordTiers::default(),
                (k, t) if k == key => return t,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

/// Asks the CPU to start loading `x`'s cache line: the lists are
/// megabytes, and a document's lookups are known before they are needed.
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

fn insert(m: &mut BTreeMap<u64, u8>, key: u64, tier: u8) {
    let e = m.entry(key).or_insert(tier);
    *e = (*e).min(tier);
}

/// Reads a Census `dist.*` file: NAME, frequency, cumulative frequency, rank.
/// Only names within `max_cum` percent of the population are kept; the tier
/// says which band of cumulative frequency the name falls in.
fn census(path: &Path, bands: &[f64], m: &mut BTreeMap<u64, u8>) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    for line in text.lines() {
        let mut it = line.split_whitespace();
        let (Some(name), _, Some(cum)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        let cum: f64 = cum.parse().unwrap_or(100.0);
        if let Some(band) = bands.iter().position(|&b| cum <= b) {
            insert(m, hash::lower(name), band as u8 + 1);
        }
    }
    Ok(())
}

/// Whether a GeoNames alternate name is worth keeping: Latin script,
/// capitalised, not trivially short.
fn latin_name(s: &str) -> bool {
    s.chars().count() >= 3
        && s.chars().next().is_some_and(char::is_uppercase)
        && s.chars().all(|c| {
            (c.is_alphabetic() && (c as u32) < 0x250) || matches!(c, ' ' | '-' | '\'' | '.')
        })
}

/// Adds a place name: its phrase key, and its first word when it has more.
/// Names of one or two letters are left out: in English text "Un", "Of",
/// "To" and "Pa" are words and abbreviations, not the towns of that name.
fn add_place(places: &mut BTreeMap<u64, u8>, starts: &mut BTreeMap<u64, u8>, name: &str, tier: u8) {
    if name.chars().count() < 3 {
        return;
    }
    insert(places, hash::phrase(name.split_whitespace()), tier);
    let mut words = name.split_whitespace();
    if let (Some(first), Some(_)) = (words.next(), words.next()) {
        insert(starts, hash::lower(first), 1);
    }
}

/// Builds the lexicon from the shared data folder (`names/`, `geonames/`).
pub fn build(shared_data: &Path) -> Result<Lexicon> {
    let names = shared_data.join("names");
    let mut first = BTreeMap::new();
    census(
        &names.join("dist.male.first"),
        &[50.0, 80.0, 95.0],
        &mut first,
    )?;
    census(
        &names.join("dist.female.first"),
        &[50.0, 80.0, 95.0],
        &mut first,
    )?;
    let mut last = BTreeMap::new();
    census(
        &names.join("dist.all.last"),
        &[40.0, 60.0, 75.0, 90.0],
        &mut last,
    )?;

    let geo = shared_data.join("geonames");
    let mut places = BTreeMap::new();
    let mut starts = BTreeMap::new();
    let read_json = |file: &str| -> Result<serde_json::Value> {
        let p = geo.join(file);
        let text =
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
        Ok(serde_json::from_str(&text)?)
    };
    if let serde_json::Value::Object(countries) = read_json("countries.json")? {
        for c in countries.values() {
            if let Some(n) = c["name"].as_str() {
                add_place(&mut places, &mut starts, n, 1);
            }
        }
    }
    if let serde_json::Value::Object(states) = read_json("us_states.json").unwrap_or_default() {
        for s in states.values() {
            if let Some(n) = s["name"].as_str() {
                add_place(&mut places, &mut starts, n, 1);
            }
        }
    }
    if let serde_json::Value::Object(cities) = read_json("cities15000.json")? {
        for c in cities.values() {
            let pop = c["population"].as_u64().unwrap_or(0);
            let tier = match pop {
                1_000_000.. => 2,
                100_000.. => 3,
                _ => 4,
            };
            if let Some(n) = c["name"].as_str() {
                add_place(&mut places, &mut starts, n, tier);
            }
            if let Some(alts) = c["alternatenames"].as_array() {
                for a in alts
                    .iter()
                    .filter_map(|a| a.as_str())
                    .filter(|a| latin_name(a))
                {
                    add_place(&mut places, &mut starts, a, tier);
                }
            }
        }
    }
    Ok(Lexicon {
        first_names: List::from_entries(first),
        surnames: List::from_entries(last),
        places: List::from_entries(places),
        place_starts: List::from_entries(starts),
        case_prior: case_prior(shared_data)?,
        classes_coarse: List::default(),
        classes_mid: List::default(),
        classes_fine: List::default(),
        words: OnceLock::new(),
    })
}

impl Lexicon {
    /// The merged per-word table.
    pub fn words(&self) -> &WordTable {
        self.words.get_or_init(|| WordTable::build(self))
    }

    /// Adds word classes learnt from the unlabelled news in the shared data
    /// plus the (unlabelled) tokens of `extra` documents.
    pub fn add_classes(
        &mut self,
        shared_data: &Path,
        extra: &[super::conll::Document],
    ) -> Result<()> {
        let texts = unlabelled_texts(shared_data)?;
        let mut sents = news_sentences(&texts);
        sents.extend(conll_sentences(extra));
        self.set_classes(&sents, &Default::default());
        Ok(())
    }

    /// Replaces the word classes with ones learnt from `sents`.
    pub fn set_classes(&mut self, sents: &[Vec<&str>], recipe: &super::clusters::Recipe) {
        let (coarse, mid, fine) = super::clusters::build(sents, recipe);
        self.classes_coarse = coarse;
        self.classes_mid = mid;
        self.classes_fine = fine;
        self.words = OnceLock::new();
    }
}

/// The sentences of unlabelled texts, as tokens.
pub fn news_sentences(texts: &[String]) -> Vec<Vec<&str>> {
    use super::tokenize::{sentences, tokenize};
    let mut out = Vec::new();
    for text in texts {
        let toks = tokenize(text);
        for s in sentences(text, &toks) {
            out.push(toks[s].iter().map(|t| t.text).collect());
        }
    }
    out
}

/// The sentences of CoNLL documents as unlabelled tokens.
pub fn conll_sentences(docs: &[super::conll::Document]) -> Vec<Vec<&str>> {
    docs.iter()
        .flat_map(|d| {
            d.sents
                .iter()
                .map(|s| d.tokens[s.clone()].iter().map(String::as_str).collect())
        })
        .collect()
}

/// Texts for the case prior: Reuters-21578 story bodies (Latin-1 SGML) and
/// AG News lines.
pub fn unlabelled_texts(shared_data: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let reuters = shared_data.join("reuters21578");
    for n in 0..22 {
        let p = reuters.join(format!("reut2-{n:03}.sgm"));
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let text: String = bytes.iter().map(|&b| b as char).collect();
        for chunk in text.split("<BODY>").skip(1) {
            let body = chunk.split("</BODY>").next().unwrap_or("");
            out.push(body.replace("&lt;", "<").replace("&amp;", "&"));
        }
    }
    if let Ok(text) = std::fs::read_to_string(shared_data.join("agnews/test.csv")) {
        out.extend(
            text.lines()
                .map(|l| l.replace("\\", " ").replace("\",\"", "\n")),
        );
    }
    Ok(out)
}

fn case_prior(shared_data: &Path) -> Result<List> {
    use super::tokenize::{sentences, tokenize};
    use std::collections::HashMap;
    let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
    for text in unlabelled_texts(shared_data)? {
        let toks = tokenize(&text);
        for s in sentences(&text, &toks) {
            for t in &toks[s.start + 1..s.end] {
                let Some(c) = t.text.chars().next().filter(|c| c.is_alphabetic()) else {
                    continue;
                };
                let e = counts.entry(hash::lower(t.text)).or_default();
                if c.is_uppercase() {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
    }
    let mut m = BTreeMap::new();
    for (k, (cap, low)) in counts {
        let n = cap + low;
        if n < 2 {
            continue;
        }
        let tier = if cap * 10 >= n * 9 {
            1
        } else if low * 10 >= n * 9 {
            3
        } else {
            2
        };
        m.insert(k, tier);
    }
    Ok(List::from_entries(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_table_agrees_with_each_list() {
        let l = Lexicon {
            first_names: List::from_entries([(3, 1), (9, 2)]),
            surnames: List::from_entries([(9, 4), (11, 1)]),
            case_prior: List::from_entries([(3, 3)]),
            classes_fine: List::from_entries([(0, 7), (11, 200)]),
            ..Lexicon::default()
        };
        for key in [0, 1, 3, 9, 11, 12, u64::MAX] {
            let w = l.words().get(key);
            assert_eq!(w.first_name, l.first_names.tier(key), "{key}");
            assert_eq!(w.surname, l.surnames.tier(key), "{key}");
            assert_eq!(w.case_prior, l.case_prior.tier(key), "{key}");
            assert_eq!(w.fine, l.classes_fine.tier(key), "{key}");
            assert_eq!(w.coarse, 0);
        }
    }

    #[test]
    fn list_lookup() {
        let mut m = BTreeMap::new();
        insert(&mut m, hash::lower("Paris"), 3);
        insert(&mut m, hash::lower("PARIS"), 2);
        let l = List::from_entries(m);
        assert_eq!(l.tier(hash::lower("paris")), 2);
        assert_eq!(l.tier(hash::lower("london")), 0);
    }

    #[test]
    fn alternate_name_filter() {
        assert!(latin_name("Les Escaldes"));
        assert!(!latin_name("\u{042d}\u{0441}\u{043a}"));
        assert!(!latin_name("lai sai si"));
    }
}
