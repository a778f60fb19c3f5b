//! Person names as the registry compares them: first name, middle names
//! and surname, each spelling-folded, so that variants meet and different
//! people stay apart.
//!
//! Folding makes one key of the spellings wire copy uses for one name:
//! case (`REAGAN`), accents and their German transcriptions (`Pöhl`,
//! `Poehl`), hyphens (`Karl-Otto`, `Karl Otto`), Arabic articles
//! (`al-Assad`, `Assad`), and the y/i and doubled letters of
//! transliteration (`Sergei`, `Sergey`). Titles were already removed per
//! story ([`crate::enrich::people`]).

use crate::enrich::gazetteer::fold;

/// Particles that are not compared: "Charles de Gaulle" is "Gaulle" to the
/// registry as it is to the per-story canonicaliser.
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "van", "von", "der", "den", "de", "da", "di", "du", "del",
    "della", "la", "le", "dos", "das", "ter", "ten", "ul", "ud",
];

/// Generational suffixes, which are not part of the compared name.
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Arabic articles written joined to a name.
const PREFIXES: &[&str] = &[
    "al-", "el-", "ad-", "as-", "ash-", "an-", "az-", "ul-", "ud-",
];

/// One compared word of a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Part {
    /// The folded word (a single letter for an initial).
    pub text: String,
    /// Written as an initial: `J.`, or one of `H.W.`.
    pub initial: bool,
}

/// A name split into what the registry compares.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name {
    /// Every part, first to last.
    pub parts: Vec<Part>,
}

impl Name {
    /// Parses a name; `None` when no word is left.
    pub fn parse(name: &str) -> Option<Name> {
        let mut parts = Vec::new();
        for word in name.split_whitespace() {
            let lower = word.to_lowercase();
            let bare = lower.trim_end_matches([',', '.']);
            if PARTICLES.contains(&bare) || SUFFIXES.contains(&bare) {
                continue;
            }
            // "H.W.": initials written together.
            if is_dotted_initials(word) {
                for c in word.chars().filter(|c| c.is_alphabetic()) {
                    parts.push(Part {
                        text: skeleton(&c.to_string()),
                        initial: true,
                    });
                }
                continue;
            }
            let word = PREFIXES
                .iter()
                .find_map(|p| strip_prefix_ignore_case(word, p))
                .unwrap_or(word);
            for piece in word.split('-').filter(|p| !p.is_empty()) {
                let text = skeleton(piece);
                if text.is_empty() {
                    continue;
                }
                let initial = text.chars().count() == 1;
                parts.push(Part { text, initial });
            }
        }
        (!parts.is_empty()).then_some(Name { parts })
    }

    /// Whether the name ends in a company's designator ("Staley Co.",
    /// "Hutton International Inc"): the tagger's mistake, not a person.
    pub fn is_company(&self) -> bool {
        const DESIGNATORS: &[&str] = &[
            "inc",
            "co",
            "cos",
            "corp",
            "corporation",
            "company",
            "ltd",
            "plc",
            "lc",
            "ag",
            "sa",
            "nv",
            "bv",
            "gmbh",
            "spa",
            "bhd",
            "pty",
            "group",
            "holdings",
        ];
        self.parts.len() > 1 && DESIGNATORS.contains(&self.last())
    }

    /// The folded surname.
    pub fn last(&self) -> &str {
        &self.parts[self.parts.len() - 1].text
    }

    /// The first part, when the name has more than a surname.
    pub fn first(&self) -> Option<&Part> {
        (self.parts.len() > 1).then(|| &self.parts[0])
    }

    /// The parts between first name and surname.
    pub fn middles(&self) -> &[Part] {
        if self.parts.len() > 2 {
            &self.parts[1..self.parts.len() - 1]
        } else {
            &[]
        }
    }

    /// A surname alone: "Baker".
    pub fn is_bare(&self) -> bool {
        self.parts.len() == 1
    }

    /// A first name written out (not an initial) and a surname: a name
    /// that can found an identity.
    pub fn is_complete(&self) -> bool {
        self.first().is_some_and(|f| !f.initial)
    }

    /// The folded words joined by spaces: equal for spellings of one name.
    pub fn key(&self) -> String {
        let mut k = String::new();
        for p in &self.parts {
            if !k.is_empty() {
                k.push(' ');
            }
            k.push_str(&p.text);
        }
        k
    }

    /// Whether this name could be a less complete way of writing `full`
    /// (same surname; first names equal or one the other's initial; its
    /// middle names, if any, those of `full` in order), without being the
    /// same key.
    pub fn could_abbreviate(&self, full: &Name) -> bool {
        if self.last() != full.last() || self.key() == full.key() {
            return false;
        }
        let Some(first) = self.first() else {
            return true; // a bare surname
        };
        let Some(full_first) = full.first() else {
            return false;
        };
        if !part_compatible(first, full_first) {
            return false;
        }
        let (m, fm) = (self.middles(), full.middles());
        if m.is_empty() {
            return true;
        }
        // With middle names, the same number of them, each compatible:
        // "George W. Bush" is not an abbreviation of "George H. W. Bush".
        m.len() == fm.len() && m.iter().zip(fm).all(|(a, b)| part_compatible(a, b))
    }

    /// Whether two complete names are spellings of one name: same first
    /// name and surname, and middle names that agree (both none, or as
    /// many, each equal or an initial of the other).
    pub fn same_as(&self, other: &Name) -> bool {
        let (Some(a), Some(b)) = (self.first(), other.first()) else {
            return self.key() == other.key();
        };
        if self.last() != other.last() || a.initial || b.initial || a.text != b.text {
            return false;
        }
        let (m, om) = (self.middles(), other.middles());
        m.len() == om.len() && m.iter().zip(om).all(|(x, y)| part_compatible(x, y))
    }
}

/// Equal words, or an initial and a word it begins.
fn part_compatible(a: &Part, b: &Part) -> bool {
    match (a.initial, b.initial) {
        (false, false) | (true, true) => a.text == b.text,
        (true, false) => b.text.starts_with(&a.text),
        (false, true) => a.text.starts_with(&b.text),
    }
}

fn is_dotted_initials(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && word.contains('.')
        && word
            .split('.')
            .filter(|s| !s.is_empty())
            .all(|s| s.chars().count() == 1)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
        .filter(|rest| !rest.is_empty())
}

/// One word folded to the registry's spelling skeleton: lowercase ASCII
/// letters and digits, German umlaut transcriptions (`oe`, `ue`) as the plain
/// vowel, `y` as `i`, doubled letters single.
pub fn skeleton(word: &str) -> String {
    let ascii = fold::ascii(word).to_lowercase();
    let letters: Vec<char> = ascii.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut out = String::with_capacity(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let c = letters[i];
        // "Poehl" and "Pöhl" (folded "Pohl") meet, as do "Mueller" and
        // "Müller". ("ae" is left alone: "Michael" is not "Michal".)
        if matches!(c, 'o' | 'u') && letters.get(i + 1) == Some(&'e') && i > 0 {
            out.push(c);
            i += 2;
            continue;
        }
        let c = if c == 'y' { 'i' } else { c };
        if !out.ends_with(c) {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// Proper case for a name written in capitals: `REAGAN` → `Reagan`,
/// `KARL-OTTO POEHL` → `Karl-Otto Poehl`, `O'NEILL` → `O'Neill`. Names with
/// lowercase letters are returned as they are.
pub fn proper_case(name: &str) -> String {
    if name.chars().any(char::is_lowercase) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if c.is_alphabetic() {
            if start {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = matches!(c, ' ' | '-' | '\'' | '’' | '.');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse(s).unwrap()
    }

    #[test]
    fn spellings_share_a_key() {
        assert_eq!(n("Karl Otto Poehl").key(), n("Karl-Otto Pöhl").key());
        assert_eq!(n("Sergei Lavrov").key(), n("Sergey Lavrov").key());
        assert_eq!(n("Bashar al-Assad").key(), n("Bashar Assad").key());
        assert_eq!(n("REAGAN").key(), n("Reagan").key());
        assert_eq!(n("Martin Luther King Jr.").key(), "martin luther king");
        assert_ne!(n("James Baker").key(), n("Howard Baker").key());
    }

    #[test]
    fn initials_and_middles() {
        let hw = n("George H.W. Bush");
        assert_eq!(hw.parts.len(), 4);
        let w = n("George W. Bush");
        assert!(!w.same_as(&hw));
        assert!(!w.could_abbreviate(&hw));
        assert!(n("George Bush").could_abbreviate(&hw));
        assert!(n("George Bush").could_abbreviate(&w));
        assert!(n("George Herbert Walker Bush").same_as(&hw));
        assert!(n("J. Baker").could_abbreviate(&n("James Baker")));
        assert!(!n("J. Baker").could_abbreviate(&n("Howard Baker")));
        assert!(!n("J. Baker").is_complete());
        assert!(n("Baker").could_abbreviate(&n("Howard Baker")));
        assert!(!n("Bill Clinton").could_abbreviate(&n("Hillary Clinton")));
        assert!(!n("Bill Clinton").same_as(&n("William Clinton")));
        assert!(n("Hillary Clinton").could_abbreviate(&n("Hillary Rodham Clinton")));
        assert!(!n("Hillary Rodham").could_abbreviate(&n("Hillary Rodham Clinton")));
    }

    #[test]
    fn capitals_to_proper_case() {
        assert_eq!(proper_case("REAGAN"), "Reagan");
        assert_eq!(proper_case("KARL-OTTO POEHL"), "Karl-Otto Poehl");
        assert_eq!(proper_case("O'NEILL"), "O'Neill");
        assert_eq!(proper_case("McCain"), "McCain");
    }
}
