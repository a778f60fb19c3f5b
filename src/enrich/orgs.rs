//! Organisations a story mentions, short and long forms merged.
//!
//! Two kinds of merging: a small built-in table of organisations whose
//! several names are all common in copy ("U.N.", "UN", "United Nations"),
//! and, within one article, an acronym that spells the initials of a
//! longer name the same article uses ("Free Syrian Army" … "FSA"), which
//! becomes that name.
//!
//! Each short form a story pairs with a long one (the acronym it merged,
//! or a shortening such as "Fed" beside "Federal Reserve") is also kept
//! as evidence, [`Orgs::abbreviations`]: the archive's organisation
//! identities ([`crate::archive::identities::orgs`]) learn from them what
//! a bare "Fed" elsewhere stands for.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::enrich::gazetteer::fold;
use crate::enrich::ner::{EntityKind, Mention};
use crate::enrich::people::strip_possessive;

/// Canonical names and the other names that mean them. The canonical form
/// is what wire copy spells out; NATO, OPEC, the FBI and the CIA are
/// known by their acronyms.
const KNOWN: &[(&str, &[&str])] = &[
    ("United Nations", &["U.N.", "UN"]),
    (
        "United Nations Security Council",
        &["U.N. Security Council", "UN Security Council", "UNSC"],
    ),
    (
        "United Nations General Assembly",
        &["U.N. General Assembly", "UN General Assembly"],
    ),
    ("European Union", &["EU", "E.U."]),
    ("NATO", &["North Atlantic Treaty Organization", "Nato"]),
    ("International Monetary Fund", &["IMF"]),
    ("World Health Organization", &["WHO"]),
    ("World Trade Organization", &["WTO"]),
    ("International Atomic Energy Agency", &["IAEA"]),
    (
        "OPEC",
        &[
            "Organization of the Petroleum Exporting Countries",
            "Organization of Petroleum Exporting Countries",
        ],
    ),
    ("FBI", &["Federal Bureau of Investigation", "F.B.I."]),
    ("CIA", &["Central Intelligence Agency", "C.I.A."]),
    ("Arab League", &["League of Arab States"]),
    ("Associated Press", &["AP"]),
];

/// Words left out of initials: "Organization of American States" is OAS.
const MINOR_WORDS: &[&str] = &[
    "of", "the", "and", "for", "on", "in", "de", "des", "du", "la", "le", "&",
];

/// The organisations of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Orgs {
    /// Canonical names, in order of first mention.
    pub names: Vec<String>,
    /// (short form, long form) pairs the article shows: an acronym merged
    /// into the name it spells, or a shortening of a name beside it. The
    /// long form is one of `names`.
    pub abbreviations: Vec<(String, String)>,
}

impl Orgs {
    /// Keeps the names (and the pairs of their long forms) for which
    /// `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&String) -> bool) {
        self.names.retain(&mut keep);
        let names = &self.names;
        self.abbreviations.retain(|(_, long)| names.contains(long));
    }
}

/// Canonical organisation names of one article, in order of first
/// mention, with the abbreviations it pairs with them.
pub fn canonicalize(mentions: &[Mention]) -> Orgs {
    // Each name with its key, well-known names already canonical.
    let written: Vec<(String, String)> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Organization)
        .filter_map(|m| clean(&m.text))
        .map(|t| {
            let k = fold::key(&t);
            match known(&k) {
                Some((canonical, key)) => (canonical.to_string(), key.clone()),
                None => (t, k),
            }
        })
        .collect();

    // Initials of every name, worked out once if some name is an acronym.
    let mut initials_of: Option<Vec<String>> = None;
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<&str> = Vec::new();
    let mut merged: Vec<(&str, usize)> = Vec::new();
    for (name, key) in &written {
        let (name, k) = match acronym(name) {
            Some(letters) => {
                let inits = initials_of
                    .get_or_insert_with(|| written.iter().map(|(n, _)| initials(n)).collect());
                match (0..written.len()).find(|&j| written[j].0 != *name && inits[j] == letters) {
                    Some(j) => {
                        merged.push((name, j));
                        (&written[j].0, written[j].1.as_str())
                    }
                    None => (name, key.as_str()),
                }
            }
            None => (name, key.as_str()),
        };
        match keys.iter().position(|x| *x == k) {
            None => {
                keys.push(k);
                out.push(name.clone());
            }
            // A headline's "KREMLIN" gives way to the body's "Kremlin".
            Some(i) if all_caps(&out[i]) && !all_caps(name) => out[i] = name.clone(),
            Some(_) => {}
        }
    }
    // The pairs, by the names as finally written (a headline's capitals
    // may have given way to the body's spelling).
    let final_name = |key: &str| keys.iter().position(|k| *k == key).map(|i| &out[i]);
    let mut abbreviations: Vec<(String, String)> = Vec::new();
    for (short, j) in merged {
        if let Some(long) = final_name(&written[j].1) {
            abbreviations.push((short.to_string(), long.clone()));
        }
    }
    for short in &out {
        for long in &out {
            if shortens(short, long) {
                abbreviations.push((short.clone(), long.clone()));
            }
        }
    }
    abbreviations.sort_unstable();
    abbreviations.dedup();
    Orgs {
        names: out,
        abbreviations,
    }
}

/// Whether `short` is a one-word shortening of `long`'s first word
/// ("Fed" of "Federal Reserve", "FED" of "Federal Reserve Board"): three
/// or four letters, at least three fewer than that word (a whole word
/// such as "Congress" beside "Congressional Budget Office" is not a
/// shortening), and `long` has more words than its first.
pub fn shortens(short: &str, long: &str) -> bool {
    let mut words = long.split_whitespace();
    let (Some(first), Some(_)) = (words.next(), words.next()) else {
        return false;
    };
    let letters = short.chars().count();
    (3..=4).contains(&letters)
        && letters + 3 <= first.chars().count()
        && short.chars().all(char::is_alphabetic)
        && short.chars().next().is_some_and(char::is_uppercase)
        && first
            .chars()
            .zip(short.chars())
            .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
}

/// The canonical name of a well-known organisation by any name it goes
/// by ("U.N." → "United Nations"), as stories are enriched.
pub fn well_known(name: &str) -> Option<&'static str> {
    clean(name).and_then(|t| known(&fold::key(&t)).map(|(canonical, _)| *canonical))
}

/// [`well_known`] for a name a user typed (`org:un`, `--orgs fed`): there
/// case says nothing, where in a story's text a lowercase "un" is a word.
pub fn well_known_any_case(name: &str) -> Option<&'static str> {
    let t = name.trim();
    let t = strip_possessive(t).trim();
    let t = t
        .strip_prefix("the ")
        .or_else(|| t.strip_prefix("The "))
        .unwrap_or(t);
    known(&fold::key(t)).map(|(canonical, _)| *canonical)
}

/// A mention's text trimmed, without possessive or leading "the"; `None`
/// when nothing capitalised is left.
fn clean(text: &str) -> Option<String> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || "\"“”‘,;:()[]".contains(c));
    let t = strip_possessive(t).trim();
    let t = t
        .strip_prefix("the ")
        .or_else(|| t.strip_prefix("The "))
        .unwrap_or(t)
        .trim();
    t.chars().any(char::is_uppercase).then(|| t.to_string())
}

fn all_caps(s: &str) -> bool {
    !s.chars().any(char::is_lowercase)
}

/// The canonical name of a well-known organisation, and that name's key,
/// by the key of a name it goes by.
fn known(key: &str) -> Option<&'static (&'static str, String)> {
    /// Folded name → canonical name and its key, folded once rather than
    /// per lookup. Where two entries share a key the first in [`KNOWN`]
    /// wins.
    static BY_KEY: LazyLock<HashMap<String, (&'static str, String)>> = LazyLock::new(|| {
        let mut map = HashMap::new();
        for &(canonical, others) in KNOWN {
            for name in std::iter::once(&canonical).chain(others) {
                map.entry(fold::key(name))
                    .or_insert_with(|| (canonical, fold::key(canonical)));
            }
        }
        map
    });
    BY_KEY.get(key)
}

/// The letters of an acronym ("FSA", "U.N."), if `name` is one.
fn acronym(name: &str) -> Option<String> {
    let letters: String = name.chars().filter(|c| *c != '.').collect();
    let ok = (2..=6).contains(&letters.len()) && letters.chars().all(|c| c.is_ascii_uppercase());
    ok.then_some(letters)
}

/// Initials of the significant words of a name, uppercase.
fn initials(name: &str) -> String {
    name.split_whitespace()
        // ASCII case suffices: the only non-ASCII letter that lowercases to
        // ASCII is the Kelvin sign, and no minor word has a "k".
        .filter(|w| !MINOR_WORDS.iter().any(|m| w.eq_ignore_ascii_case(m)))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs_of(texts: &[&str]) -> Orgs {
        let mentions: Vec<Mention> = texts
            .iter()
            .map(|t| Mention {
                kind: EntityKind::Organization,
                text: t.to_string(),
                start: 0,
                end: 0,
            })
            .collect();
        canonicalize(&mentions)
    }

    fn run(texts: &[&str]) -> Vec<String> {
        orgs_of(texts).names
    }

    fn pairs(texts: &[&str]) -> Vec<(String, String)> {
        orgs_of(texts).abbreviations
    }

    fn pair(s: &str, l: &str) -> (String, String) {
        (s.to_string(), l.to_string())
    }

    #[test]
    fn typed_names_find_well_known_organisations_in_any_case() {
        assert_eq!(well_known("un"), None, "a lowercase word in a story");
        assert_eq!(well_known_any_case("un"), well_known("UN"));
        assert_eq!(well_known_any_case("u.n."), well_known("U.N."));
        assert!(well_known_any_case("un").is_some());
        assert_eq!(well_known_any_case("the fed"), well_known("Fed"));
        assert_eq!(well_known_any_case("quarterly"), None);
    }

    #[test]
    fn abbreviations_are_kept_as_evidence() {
        assert_eq!(
            pairs(&["FSA", "Free Syrian Army", "SOHR"]),
            [pair("FSA", "Free Syrian Army")]
        );
        // Shortenings stay names of their own in the story, paired.
        assert_eq!(
            run(&["the Fed", "Federal Reserve Board"]),
            ["Fed", "Federal Reserve Board"]
        );
        assert_eq!(
            pairs(&["FEDERAL RESERVE", "Fed", "Federal Reserve"]),
            [pair("Fed", "Federal Reserve")]
        );
        // Not a shortening: a whole first word, or too short.
        assert!(pairs(&["Bank", "Bank of England"]).is_empty());
        assert!(pairs(&["Fe", "Federal Reserve"]).is_empty());
        assert!(pairs(&["Congress", "Congressional Budget Office"]).is_empty());
        assert!(pairs(&["Fed"]).is_empty());
        // Names the well-known table merges need no evidence.
        assert!(pairs(&["U.N.", "United Nations"]).is_empty());
    }

    #[test]
    fn united_nations_forms_merge() {
        assert_eq!(run(&["U.N.", "United Nations", "UN"]), ["United Nations"]);
        assert_eq!(
            run(&["UN's", "U.N. Security Council"]),
            ["United Nations", "United Nations Security Council"]
        );
        assert_eq!(
            run(&["EU", "NATO", "North Atlantic Treaty Organization"]),
            ["European Union", "NATO"]
        );
    }

    #[test]
    fn acronyms_merge_into_long_forms_of_the_article() {
        assert_eq!(
            run(&[
                "FSA",
                "Free Syrian Army",
                "Syrian Observatory for Human Rights",
                "SOHR"
            ]),
            ["Free Syrian Army", "Syrian Observatory for Human Rights"]
        );
        // Without the long form the acronym stays.
        assert_eq!(run(&["FSA"]), ["FSA"]);
    }

    #[test]
    fn trimmed_and_possessives_removed() {
        assert_eq!(
            run(&["the Kremlin", "Kremlin’s", " Hezbollah ", "Reuters'"]),
            ["Kremlin", "Hezbollah", "Reuters"]
        );
        assert_eq!(run(&["the", ""]), Vec::<String>::new());
        assert_eq!(
            run(&["HEZBOLLAH", "Hezbollah", "FSA"]),
            ["Hezbollah", "FSA"]
        );
    }
}
