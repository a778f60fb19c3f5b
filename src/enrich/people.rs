//! Canonical people: titles and possessives removed, surnames merged into
//! the full name the same article gives.
//!
//! Wire stories introduce a person once in full ("Syrian President Bashar
//! Assad") and then by surname ("Assad"). Within one article a shorter
//! form whose words all appear, in order and ending with the same surname,
//! in exactly one fuller form is the same person. A surname that fits two
//! people ("Clinton" after "Bill Clinton" and "Hillary Clinton") is left
//! out of the names rather than guessed; it stays searchable as both
//! people's alias.

use std::cmp::Reverse;

use crate::enrich::gazetteer::{fold, Gazetteer};
use crate::enrich::ner::{EntityKind, Mention};

/// The people of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct People {
    /// Canonical full names, in order of first mention.
    pub names: Vec<String>,
    /// Every searchable form (surname, full name) of those names.
    pub aliases: Vec<String>,
}

/// Words that, leading a PER mention, are a title or a description rather
/// than part of the name (compared lowercase, without periods). Lowercase
/// words leading a mention ("coalition leader") are dropped anyway.
const TITLES: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "foreign",
    "defense",
    "defence",
    "interior",
    "finance",
    "economy",
    "justice",
    "health",
    "secretary",
    "secretary-general",
    "general",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "cpl",
    "pvt",
    "adm",
    "cmdr",
    "brig",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "sheikh",
    "ayatollah",
    "grand",
    "chancellor",
    "premier",
    "judge",
    "chief",
    "ambassador",
    "envoy",
    "spokesman",
    "spokeswoman",
    "leader",
    "commander",
    "deputy",
    "state",
    "rev",
    "reverend",
    "father",
    "sir",
    "lord",
    "lady",
    "dame",
    "emir",
    "sultan",
    "crown",
    "cardinal",
    "archbishop",
    "bishop",
    "rabbi",
    "imam",
    "attorney",
    "coach",
    "former",
    "late",
    "supreme",
    "opposition",
    "rebel",
    "colonel",
    "lieutenant",
    "major",
    "captain",
    "sergeant",
    "admiral",
    "marshal",
    "field",
    "speaker",
    "house",
    "white",
    "majority",
    "minority",
    "un",
    "us",
    "eu",
    "president-elect",
    "first",
    "the",
];

/// Lowercase words that belong inside names: "Mouaz al-Khatib", "Charles
/// de Gaulle", "Osama bin Laden".
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "van", "von", "der", "den", "de", "da", "di", "du", "del",
    "della", "la", "le", "dos", "das", "ter", "ten", "ul", "ud",
];

/// Generational suffixes, which are not surnames: "Martin Luther King Jr.".
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Arabic article prefixes written joined to the name: "al-Assad".
const PREFIXES: &[&str] = &[
    "al-", "el-", "ad-", "as-", "ash-", "an-", "az-", "ul-", "ud-",
];

/// `text` without a trailing possessive: `Assad's`, `Assad’s` → `Assad`;
/// `Reuters’` → `Reuters`.
pub fn strip_possessive(text: &str) -> &str {
    let t = text.trim_end();
    for suffix in ["'s", "’s", "'S", "’S", "'", "’"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            return rest;
        }
    }
    t
}

/// Canonicalise the PER mentions of one article. Names in `byline` are
/// credits, not mentions, and are left out.
pub fn canonicalize(mentions: &[Mention], byline: &[String]) -> People {
    let mut forms: Vec<String> = Vec::new();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        for piece in split_glued(&m.text) {
            if let Some(f) = clean(piece) {
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
    }
    let keys: Vec<Vec<String>> = forms.iter().map(|f| key(f)).collect();

    // Fullest forms first, so that every shorter one finds its owner.
    let mut order: Vec<usize> = (0..forms.len()).collect();
    order.sort_by_key(|&i| (Reverse(keys[i].len()), i));
    let mut persons: Vec<Person> = Vec::new();
    for i in order {
        let owners: Vec<usize> = (0..persons.len())
            .filter(|&p| within(&keys[i], &keys[persons[p].canonical]))
            .collect();
        match owners.as_slice() {
            [] => persons.push(Person {
                canonical: i,
                forms: vec![i],
            }),
            [p] => {
                let p = &mut persons[*p];
                p.forms.push(i);
                // Same words, better spelling: "Bashar al-Assad" over
                // "Bashar Assad", "Putin" over a headline's "PUTIN".
                if keys[i] == keys[p.canonical] && better(&forms[i], &forms[p.canonical]) {
                    p.canonical = i;
                }
            }
            _ => {}
        }
    }
    persons.sort_by_key(|p| p.forms.iter().min().copied());

    let credits: Vec<Vec<String>> = byline
        .iter()
        .map(|b| key(strip_by(b)))
        .filter(|k| !k.is_empty())
        .collect();
    let mut out = People::default();
    for p in persons {
        let k = &keys[p.canonical];
        let credited = credits
            .iter()
            .any(|c| is_subsequence(c, k) || (k.len() == 1 && c.last() == k.last()));
        if credited {
            continue;
        }
        // A name the story only gives in capitals (a headline's "REAGAN")
        // is written as a name, not as a shout.
        let full = &proper_case(&forms[p.canonical]);
        out.names.push(full.clone());
        let mut aliases = vec![full.clone()];
        let mut sorted = p.forms.clone();
        sorted.sort_unstable();
        aliases.extend(sorted.iter().map(|&i| forms[i].clone()));
        let surname = surname(full);
        aliases.push(surname.to_string());
        if let Some(bare) = PREFIXES
            .iter()
            .find_map(|p| strip_prefix_ignore_case(surname, p))
        {
            aliases.push(bare.to_string());
        }
        for a in aliases {
            if !out.aliases.contains(&a) {
                out.aliases.push(a);
            }
        }
    }
    out
}

/// The names of a mention that a headline glued together: "BAKER AND
/// VOLCKER", "Baker and Volcker", "BAKER, VOLCKER". One person's name
/// never holds a conjunction; a mention without one is returned whole.
fn split_glued(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let cut = [" AND ", " and ", " & ", ", "]
            .iter()
            .filter_map(|sep| rest.find(sep).map(|i| (i, sep.len())))
            .min();
        match cut {
            Some((i, len)) => {
                let (head, tail) = (&rest[..i], &rest[i + len..]);
                // "Baker, Jr." and "Smith, 42," are not two people.
                if tail.starts_with(char::is_uppercase)
                    && !SUFFIXES
                        .iter()
                        .any(|s| tail.trim_end_matches([',', '.']) == s.trim_end_matches('.'))
                {
                    out.push(head);
                    rest = tail;
                } else {
                    out.push(rest);
                    return out;
                }
            }
            None => {
                out.push(rest);
                return out;
            }
        }
    }
}

/// Proper case for a name written wholly in capitals: `REAGAN` → `Reagan`,
/// `KARL-OTTO POEHL` → `Karl-Otto Poehl`; other names as they are.
pub fn proper_case(name: &str) -> String {
    crate::archive::identities::names::proper_case(name)
}

/// The one canonical name among `names` (from [`canonicalize`]) that a
/// written form such as `Lavrov` or `Foreign Minister Sergey Lavrov` refers
/// to; `None` when none does or when it fits several people.
pub fn owner<'a>(names: &'a [String], form: &str) -> Option<&'a str> {
    let k = key(&clean(form)?);
    if k.is_empty() {
        return None;
    }
    let mut fits = names.iter().filter(|n| within(&k, &key(n)));
    let first = fits.next()?;
    fits.next().is_none().then_some(first.as_str())
}

/// Whether spelling `a` of a name is preferable to `b`: mixed case over
/// all capitals, then longer.
fn better(a: &str, b: &str) -> bool {
    let caps = |s: &str| !s.chars().any(char::is_lowercase);
    (caps(b), a.len()) > (caps(a), b.len())
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
        .filter(|rest| !rest.is_empty())
}

/// A byline credit without a leading "By".
fn strip_by(credit: &str) -> &str {
    let c = credit.trim();
    match c.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => c[3..].trim(),
        _ => c,
    }
}

/// One person: indices into the article's forms.
struct Person {
    canonical: usize,
    forms: Vec<usize>,
}

/// A PER mention as a name: trimmed, possessive removed, leading titles,
/// demonyms, possessors ("Russia's") and lowercase descriptions removed.
/// `None` for junk: nothing left, or no capitalised word.
fn clean(text: &str) -> Option<String> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || "\"“”‘,;:()[]".contains(c));
    let t = strip_possessive(t).trim_end_matches([',', ' ']);
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let gazetteer = Gazetteer::shipped();
    let mut start = 0;
    while start + 1 < tokens.len() {
        let tok = tokens[start];
        let bare = tok.replace('.', "").to_lowercase();
        let lowercase = tok.chars().next().is_some_and(char::is_lowercase);
        let drop = TITLES.contains(&bare.as_str())
            || (lowercase && !is_particle(tok))
            || strip_possessive(tok).len() < tok.len()
            || gazetteer.country_of_demonym(tok).is_some();
        if !drop {
            break;
        }
        start += 1;
    }
    let name = tokens[start..].join(" ");
    let words = &tokens[start..];
    let capitalised = words.iter().any(|w| {
        let w = PREFIXES.iter().find_map(|p| w.strip_prefix(p)).unwrap_or(w);
        w.chars().next().is_some_and(char::is_uppercase)
    });
    let all_titles = words
        .iter()
        .all(|w| TITLES.contains(&w.replace('.', "").to_lowercase().as_str()));
    (capitalised && !all_titles && !name.is_empty()).then_some(name)
}

/// Whether a word is a title (`Minister`, `Gen.`, `Secretary`).
pub fn is_title(word: &str) -> bool {
    TITLES.contains(&word.replace('.', "").to_lowercase().as_str())
}

fn is_particle(tok: &str) -> bool {
    PARTICLES.contains(&tok)
        || PREFIXES
            .iter()
            .any(|p| tok.len() > p.len() && tok.starts_with(p))
}

/// The words of a name as compared: ASCII, lowercase, without periods,
/// joined articles ("al-") or separate particles.
fn key(name: &str) -> Vec<String> {
    name.split_whitespace()
        .filter(|w| !PARTICLES.contains(w) && !SUFFIXES.contains(w))
        .map(|w| {
            let w = fold::ascii(w).to_lowercase().replace('.', "");
            // "Al-Assad" at the start of a sentence is still "Assad".
            match PREFIXES.iter().find_map(|p| w.strip_prefix(p)) {
                Some(rest) => rest.to_string(),
                None => w,
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether a form with words `short` can be the person named `long`: same
/// last word, and every word of `short` in `long`, in order.
fn within(short: &[String], long: &[String]) -> bool {
    short.last().is_some() && short.last() == long.last() && is_subsequence(short, long)
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

/// The surname of a full name, with its particles: "de Gaulle",
/// "al-Khatib", "Assad".
fn surname(full: &str) -> &str {
    let mut words: Vec<&str> = full.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
        words.pop();
    }
    let mut first = words.len().saturating_sub(1);
    while first > 1 && PARTICLES.contains(&words[first - 1]) {
        first -= 1;
    }
    // Byte offsets of the words: names are single-spaced after clean().
    let skip: usize = words[..first].iter().map(|w| w.len() + 1).sum();
    let end: usize = words
        .iter()
        .map(|w| w.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    &full[skip.min(end)..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per(texts: &[&str]) -> Vec<Mention> {
        texts
            .iter()
            .map(|t| Mention {
                kind: EntityKind::Person,
                text: t.to_string(),
                start: 0,
                end: 0,
            })
            .collect()
    }

    fn run(texts: &[&str], byline: &[&str]) -> People {
        let byline: Vec<String> = byline.iter().map(|b| b.to_string()).collect();
        canonicalize(&per(texts), &byline)
    }

    #[test]
    fn surnames_merge_into_full_names() {
        let p = run(&["Bashar Assad", "Sergey Lavrov", "Assad", "Lavrov"], &[]);
        assert_eq!(p.names, ["Bashar Assad", "Sergey Lavrov"]);
        // A surname seen first still takes the full name's place.
        let p = run(&["Assad", "Lavrov", "Bashar Assad"], &[]);
        assert_eq!(p.names, ["Bashar Assad", "Lavrov"]);
        assert!(p.aliases.contains(&"Assad".to_string()));
        assert!(p.aliases.contains(&"Bashar Assad".to_string()));
        assert!(p.aliases.contains(&"Lavrov".to_string()));
    }

    #[test]
    fn arabic_articles() {
        let p = run(&["coalition leader Mouaz al-Khatib", "al-Khatib"], &[]);
        assert_eq!(p.names, ["Mouaz al-Khatib"]);
        assert_eq!(p.aliases, ["Mouaz al-Khatib", "al-Khatib", "Khatib"]);
        let p = run(
            &["Al-Assad", "Bashar al-Assad", "Assad", "Bashar Assad"],
            &[],
        );
        assert_eq!(p.names, ["Bashar al-Assad"]);
        assert!(p.aliases.contains(&"Assad".to_string()));
    }

    #[test]
    fn titles_removed() {
        let p = run(
            &[
                "President Bashar Assad",
                "Foreign Minister Sergey Lavrov",
                "Syrian President Bashar Assad",
                "Mr. Obama",
                "Prime Minister David Cameron",
                "Gen. Salim Idris",
                "Pope Francis",
                "Russia's Foreign Minister Sergey Lavrov",
                "U.N. envoy Lakhdar Brahimi",
            ],
            &[],
        );
        assert_eq!(
            p.names,
            [
                "Bashar Assad",
                "Sergey Lavrov",
                "Obama",
                "David Cameron",
                "Salim Idris",
                "Francis",
                "Lakhdar Brahimi"
            ]
        );
    }

    #[test]
    fn possessives_removed() {
        let p = run(&["Assad's", "Lavrov’s", "Jesus’", "Bashar Assad’s"], &[]);
        assert_eq!(p.names, ["Bashar Assad", "Lavrov", "Jesus"]);
    }

    #[test]
    fn bylines_excluded() {
        let p = run(&["Jim Heintz", "Heintz", "Vladimir Putin"], &["Jim Heintz"]);
        assert_eq!(p.names, ["Vladimir Putin"]);
        assert!(!p.aliases.iter().any(|a| a.contains("Heintz")));
        let p = run(&["Heintz", "Putin"], &["By JIM HEINTZ"]);
        assert_eq!(p.names, ["Putin"]);
        let p = run(&["Heintz", "Putin"], &["By JIM HEINTZ"]);
        assert_eq!(p.names, ["Putin"]);
    }

    #[test]
    fn junk_rejected() {
        let p = run(&["he", "President", "Mr.", "  ", "the minister"], &[]);
        assert_eq!(p, People::default());
    }

    #[test]
    fn shared_surname_not_guessed() {
        let p = run(&["Bill Clinton", "Hillary Clinton", "Clinton"], &[]);
        assert_eq!(p.names, ["Bill Clinton", "Hillary Clinton"]);
        assert!(p.aliases.contains(&"Clinton".to_string()));
    }

    #[test]
    fn suffixes_and_capitals() {
        let p = run(&["Martin Luther King Jr.", "King"], &[]);
        assert_eq!(p.names, ["Martin Luther King Jr."]);
        assert!(p.aliases.contains(&"King".to_string()));
        let p = run(&["PUTIN", "Putin"], &[]);
        assert_eq!(p.names, ["Putin"]);
    }

    #[test]
    fn glued_names_split_and_capitals_fold() {
        let p = run(&["BAKER AND VOLCKER", "James Baker"], &[]);
        assert_eq!(p.names, ["James Baker", "Volcker"]);
        let p = run(&["REAGAN"], &[]);
        assert_eq!(p.names, ["Reagan"]);
        assert!(p.aliases.contains(&"REAGAN".to_string()));
        let p = run(&["Baker, Volcker and Greenspan"], &[]);
        assert_eq!(p.names, ["Baker", "Volcker", "Greenspan"]);
        let p = run(&["Martin Luther King, Jr."], &[]);
        assert_eq!(p.names.len(), 1);
        let p = run(&["Procter and gamble"], &[]);
        assert_eq!(p.names, ["Procter and gamble"]);
    }

    #[test]
    fn owners_of_written_forms() {
        let names = [
            "Sergey Lavrov".to_string(),
            "Bill Clinton".to_string(),
            "Hillary Clinton".to_string(),
        ];
        assert_eq!(owner(&names, "Lavrov"), Some("Sergey Lavrov"));
        assert_eq!(
            owner(&names, "Foreign Minister Sergey Lavrov’s"),
            Some("Sergey Lavrov")
        );
        assert_eq!(owner(&names, "Clinton"), None);
        assert_eq!(owner(&names, "Putin"), None);
    }

    #[test]
    fn middle_initials_merge() {
        let p = run(&["John McCain", "John S. McCain", "McCain"], &[]);
        assert_eq!(p.names, ["John S. McCain"]);
    }
}
