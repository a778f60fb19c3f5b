//! Organisations a story mentions, short and long forms merged.
//!
//! Two kinds of merging: a small built-in table of organisations whose
//! several names are all common in copy ("U.N.", "UN", "United Nations"),
//! and, within one article, an acronym that spells the initials of a
//! longer name the same article uses ("Free Syrian Army" … "FSA"), which
//! becomes that name.

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

/// Canonical organisation names of one article, in order of first mention.
pub fn canonicalize(mentions: &[Mention]) -> Vec<String> {
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
    for (name, key) in &written {
        let (name, k) = match acronym(name) {
            Some(letters) => {
                let inits = initials_of
                    .get_or_insert_with(|| written.iter().map(|(n, _)| initials(n)).collect());
                match (0..written.len()).find(|&j| written[j].0 != *name && inits[j] == letters) {
                    Some(j) => (&written[j].0, written[j].1.as_str()),
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
    out
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

    fn run(texts: &[&str]) -> Vec<String> {
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
