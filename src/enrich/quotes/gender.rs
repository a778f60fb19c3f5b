//! Grammatical gender, so that `he` and `she` can tell two people apart:
//! "Merkel met Putin. She said …" is Merkel's.
//!
//! A person's gender comes from the story alone: an honorific or a gendered
//! word that describes them (`Mrs`, `spokeswoman`, `father`), else their
//! first name, looked up in a table derived from the 1990 US census lists
//! (`assets/quotes/first-names.tsv`; see [`derive_table`]). Names the table
//! lacks — most Arabic, Russian and Chinese ones — have no gender, and such
//! a person is a fit for either pronoun: the gender only ever rules out.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// A pronoun's or a person's grammatical gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// First names, lower-cased, that the census gives overwhelmingly to one
/// sex: `name<TAB>m` or `name<TAB>f`.
const TABLE: &str = include_str!("../../../assets/quotes/first-names.tsv");

/// A first name counts as one sex's when its share among that sex is at
/// least this many times its share among the other.
const DOMINANCE: f64 = 10.0;

fn table() -> &'static HashMap<&'static str, Gender> {
    static TABLE_MAP: OnceLock<HashMap<&'static str, Gender>> = OnceLock::new();
    TABLE_MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, g) = l.split_once('\t')?;
                let g = match g.trim() {
                    "m" => Gender::Male,
                    "f" => Gender::Female,
                    _ => return None,
                };
                Some((name, g))
            })
            .collect()
    })
}

/// The gender a pronoun refers to (`he`, `him`, `his`, `she`, `her`).
pub fn of_pronoun(word: &str) -> Option<Gender> {
    match word.to_lowercase().as_str() {
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    }
}

/// Words that describe a man or a woman wherever they stand before or
/// beside a name.
fn of_word(word: &str) -> Option<Gender> {
    let w = word.trim_end_matches('.');
    const MALE: &[&str] = &[
        "mr",
        "sir",
        "lord",
        "king",
        "prince",
        "father",
        "husband",
        "son",
        "brother",
        "uncle",
        "grandfather",
        "widower",
        "spokesman",
        "chairman",
        "businessman",
        "congressman",
        "councilman",
        "sportsman",
        "statesman",
        "actor",
        "monsieur",
        "herr",
    ];
    const FEMALE: &[&str] = &[
        "mrs",
        "ms",
        "miss",
        "madam",
        "madame",
        "dame",
        "lady",
        "queen",
        "princess",
        "mother",
        "wife",
        "daughter",
        "sister",
        "aunt",
        "grandmother",
        "widow",
        "spokeswoman",
        "chairwoman",
        "businesswoman",
        "congresswoman",
        "councilwoman",
        "sportswoman",
        "stateswoman",
        "actress",
        "frau",
    ];
    if MALE.contains(&w) {
        Some(Gender::Male)
    } else if FEMALE.contains(&w) {
        Some(Gender::Female)
    } else {
        None
    }
}

/// A person's gender from their canonical name and the lower-cased words
/// the story describes them with; `None` when nothing says, or the
/// evidence disagrees.
pub fn of_person(name: &str, descriptions: &[String]) -> Option<Gender> {
    let mut said: Option<Gender> = None;
    for g in descriptions.iter().filter_map(|w| of_word(w)) {
        match said {
            Some(s) if s != g => return None,
            _ => said = Some(g),
        }
    }
    if said.is_some() {
        return said;
    }
    let first = name
        .split_whitespace()
        .find(|w| of_word(&w.to_lowercase()).is_none() && !w.ends_with('.'))?;
    // A name given alone is a surname ("Merkel"): it says nothing.
    if name.split_whitespace().count() < 2 {
        return None;
    }
    table().get(first.to_lowercase().as_str()).copied()
}

/// Whether `word` is a first name the census table knows.
pub fn is_first_name(word: &str) -> bool {
    table().contains_key(word.to_lowercase().as_str())
}

/// Whether a person of gender `person` can be the referent of a pronoun of
/// gender `pronoun`.
pub fn fits(pronoun: Option<Gender>, person: Option<Gender>) -> bool {
    match (pronoun, person) {
        (Some(p), Some(q)) => p == q,
        _ => true,
    }
}

/// The table's text, derived from the census lists in `names/`
/// (`dist.male.first`, `dist.female.first`): each name whose frequency in
/// one list is [`DOMINANCE`] times its frequency in the other.
pub fn derive_table(names: &Path) -> std::io::Result<String> {
    let read = |file: &str| -> std::io::Result<HashMap<String, f64>> {
        let text = std::fs::read_to_string(names.join(file))?;
        Ok(text
            .lines()
            .filter_map(|l| {
                let mut cols = l.split_whitespace();
                let name = cols.next()?.to_lowercase();
                let freq: f64 = cols.next()?.parse().ok()?;
                Some((name, freq))
            })
            .collect())
    };
    let male = read("dist.male.first")?;
    let female = read("dist.female.first")?;
    // Absent from a list: below its smallest listed frequency.
    let floor = |m: &HashMap<String, f64>| m.values().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let (male_floor, female_floor) = (floor(&male), floor(&female));
    let mut rows: Vec<(String, char)> = Vec::new();
    for (name, &m) in &male {
        let f = female.get(name).copied().unwrap_or(female_floor);
        if m >= DOMINANCE * f {
            rows.push((name.clone(), 'm'));
        }
    }
    for (name, &f) in &female {
        let m = male.get(name).copied().unwrap_or(male_floor);
        if f >= DOMINANCE * m {
            rows.push((name.clone(), 'f'));
        }
    }
    rows.sort();
    let mut out = String::from(
        "# First names and the sex the 1990 US census gives them overwhelmingly\n\
         # (public domain lists; derived by dateline::enrich::quotes::gender::derive_table).\n",
    );
    for (name, g) in rows {
        out.push_str(&format!("{name}\t{g}\n"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_get_a_gender_from_words_then_first_names() {
        let none: Vec<String> = Vec::new();
        assert_eq!(of_person("Mary Robinson", &none), Some(Gender::Female));
        assert_eq!(of_person("James Baker", &none), Some(Gender::Male));
        // A surname alone, or a first name the census lacks, says nothing.
        assert_eq!(of_person("Merkel", &none), None);
        assert_eq!(of_person("Sergey Lavrov", &none), None);
        let words = vec!["spokeswoman".to_string()];
        assert_eq!(of_person("Maria Zakharova", &words), Some(Gender::Female));
        let mixed = vec!["mr".to_string(), "mrs".to_string()];
        assert_eq!(of_person("Pat Smith", &mixed), None);
    }

    #[test]
    fn pronouns_rule_out_only_the_other_gender() {
        assert!(fits(of_pronoun("She"), Some(Gender::Female)));
        assert!(!fits(of_pronoun("she"), Some(Gender::Male)));
        assert!(fits(of_pronoun("he"), None));
        assert!(fits(of_pronoun("they"), Some(Gender::Male)));
    }

    #[test]
    fn the_shipped_table_is_the_derived_one() {
        let Some(names) = crate::shared_data::path("data/names") else {
            eprintln!("skipped: no shared census names");
            return;
        };
        let derived = derive_table(&names).expect("census lists");
        if std::env::var_os("DATELINE_WRITE_GENDER_TABLE").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/assets/quotes/first-names.tsv"),
                &derived,
            )
            .expect("write table");
        }
        assert_eq!(
            derived, TABLE,
            "regenerate with DATELINE_WRITE_GENDER_TABLE=1"
        );
    }
}
