//! Places a story mentions, resolved against the gazetteer.
//!
//! Each LOC mention is resolved with the rest of the article as context,
//! so that "Paris" next to "Texas" is Paris, Texas, and "Georgia" next to
//! "Atlanta" is the state. A mention's own resolution never counts as its
//! context (otherwise "Georgia" would vouch for the country Georgia).
//!
//! Demonyms are a weaker signal than names: a MISC mention such as
//! "Syrian" or "Lebanese" adds its country to [`Places::countries`] (and
//! to the context) but nothing to [`Places::places`], because the story
//! talks about people or things from there, not necessarily about the
//! place. A LOC mention that is really a demonym (tagger noise) is treated
//! the same way.

use std::collections::HashMap;

use crate::article::Dateline;
use crate::enrich::gazetteer::{fold, Context, Gazetteer, Place};
use crate::enrich::ner::{EntityKind, Mention};
use crate::enrich::people::strip_possessive;

/// The places of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    /// Canonical names of the places mentioned (unresolved ones as written).
    pub places: Vec<String>,
    /// The GeoNames id of each of `places`, in the same order, as
    /// `geonames:ID`; `None` for a place the gazetteer does not know.
    pub ids: Vec<Option<String>>,
    /// Countries of those places and of the dateline.
    pub countries: Vec<String>,
    /// First-level regions of those places.
    pub regions: Vec<String>,
}

/// What one mention contributes.
enum Found {
    Place(Place),
    /// A demonym: its country only.
    Demonym(String),
    /// Unknown to the gazetteer: kept as written.
    Unresolved(String),
}

/// Resolve the LOC mentions of an article (and its dateline's country).
/// The dateline's country comes first in `countries`; everything else is
/// in order of first mention, without duplicates.
pub fn resolve(mentions: &[Mention], dateline: Option<&Dateline>, gazetteer: &Gazetteer) -> Places {
    let mut base = Context::default();
    if let Some(d) = dateline {
        if let Some(p) = dateline_place(d, gazetteer) {
            base.add(&p);
        }
        if let Some(c) = &d.country {
            base.add_country(c);
        }
    }

    // Names of LOC mentions, and the countries of demonyms.
    let relevant: Vec<(EntityKind, &str)> = mentions
        .iter()
        .filter(|m| matches!(m.kind, EntityKind::Location | EntityKind::Misc))
        .map(|m| (m.kind, clean(&m.text)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    for (kind, text) in &relevant {
        if *kind == EntityKind::Misc {
            if let Some(c) = gazetteer.country_of_demonym(text) {
                base.add_country(c);
            }
        }
    }

    // Each distinct (kind, text) once: a mention's resolution depends only
    // on its text (its context leaves out guesses under its own key), and
    // stories repeat their places many times.
    let mut distinct: Vec<(EntityKind, &str)> = Vec::new();
    let mut slot: HashMap<(EntityKind, &str), usize> = HashMap::new();
    let slots: Vec<usize> = relevant
        .iter()
        .map(|&m| {
            *slot.entry(m).or_insert_with(|| {
                distinct.push(m);
                distinct.len() - 1
            })
        })
        .collect();

    // A first guess for every LOC name, to serve as context for the others.
    let locs: Vec<(String, &str)> = distinct
        .iter()
        .filter(|(k, _)| *k == EntityKind::Location)
        .map(|(_, t)| (fold::key(t), *t))
        .collect();
    let guesses: Vec<(&str, Place)> = locs
        .iter()
        .filter_map(|(k, t)| resolve_one(gazetteer, t, &base).map(|p| (k.as_str(), p)))
        .collect();

    let resolved: Vec<Option<Found>> = distinct
        .iter()
        .map(|(kind, text)| match kind {
            EntityKind::Location => {
                let key = fold::key(text);
                let mut ctx = base.clone();
                for (_, p) in guesses.iter().filter(|(k, _)| *k != key) {
                    ctx.add(p);
                }
                Some(match resolve_one(gazetteer, text, &ctx) {
                    Some(p) => Found::Place(p),
                    None => match gazetteer.country_of_demonym(text) {
                        Some(c) => Found::Demonym(c.to_string()),
                        None => Found::Unresolved(text.to_string()),
                    },
                })
            }
            _ => gazetteer
                .country_of_demonym(text)
                .map(|c| Found::Demonym(c.to_string())),
        })
        .collect();
    let found = slots.iter().filter_map(|&i| resolved[i].as_ref());

    let mut out = Places::default();
    if let Some(c) = dateline.and_then(|d| d.country.as_deref()) {
        push_unique(&mut out.countries, c);
    }
    for f in found {
        match f {
            Found::Place(p) => {
                if !out.places.contains(&p.name) {
                    out.places.push(p.name.clone());
                    out.ids.push(p.geonameid.map(geonames_id));
                }
                push_unique(&mut out.countries, &p.country);
                if let Some(r) = &p.region {
                    push_unique(&mut out.regions, r);
                }
            }
            Found::Demonym(c) => push_unique(&mut out.countries, c),
            Found::Unresolved(t) => {
                // Same place in other capitals: keep the body's spelling
                // over a headline's "GAZA STRIP".
                let k = fold::key(t);
                match out.places.iter().position(|p| fold::key(p) == k) {
                    None => {
                        out.places.push(t.clone());
                        out.ids.push(None);
                    }
                    Some(i) if all_caps(&out.places[i]) && !all_caps(t) => {
                        out.places[i] = t.clone()
                    }
                    Some(_) => {}
                }
            }
        }
    }
    out
}

/// How a GeoNames id is written in articles and queries: `geonames:2643743`.
pub fn geonames_id(id: u32) -> String {
    format!("geonames:{id}")
}

impl Places {
    /// Keeps the places (and their ids) for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&String) -> bool) {
        let mut ids = std::mem::take(&mut self.ids).into_iter();
        let mut kept = Vec::with_capacity(self.places.len());
        self.places.retain(|p| {
            let id = ids.next().flatten();
            let k = keep(p);
            if k {
                kept.push(id);
            }
            k
        });
        self.ids = kept;
    }
}

/// The dateline's place, re-resolved from its text for its region (the
/// dateline record keeps only place and country).
fn dateline_place(d: &Dateline, gazetteer: &Gazetteer) -> Option<Place> {
    let text = d.text.split(['(', '\u{2014}', '_']).next().unwrap_or("");
    let (place, qualifier) = match text.split_once(',') {
        Some((p, q)) => (p, Some(q.trim()).filter(|q| !q.is_empty())),
        None => (text, None),
    };
    gazetteer.resolve_dateline(place.trim(), qualifier)
}

/// A place mention followed by its state or country ("a mill in Florence,
/// S.C.", "based in Newark, N.J.", "Tripoli, Lebanon") takes it into its
/// text (`Florence, S.C.`, which [`resolve`] reads), so that the place is
/// resolved inside it; offsets stay those of the place. Only a qualifier
/// the gazetteer has a city of that name in is taken ("Syria, Lebanon and
/// Jordan" is a list), or a US state's AP abbreviation, which is never
/// one of a list ("Kingston, Penn.": a town too small for the table).
pub fn attach_qualifiers(mentions: &mut [Mention], text: &str, gazetteer: &Gazetteer) {
    for m in mentions.iter_mut() {
        if m.kind != EntityKind::Location {
            continue;
        }
        let Some(rest) = text.get(m.end..).and_then(|r| r.strip_prefix(", ")) else {
            continue;
        };
        let clause = rest.split([',', ';', '(', ')', '\n']).next().unwrap_or("");
        let words: Vec<&str> = clause.split_whitespace().take(2).collect();
        // Two words first ("South Carolina"), then one ("S.C.", "Texas").
        let found = (1..=words.len())
            .rev()
            .find_map(|n| {
                let q = words[..n].join(" ");
                gazetteer.resolve_within(&m.text, &q).map(|_| q)
            })
            // An AP state abbreviation is a qualifier whatever the town.
            .or_else(|| {
                let q = words.first()?;
                gazetteer
                    .resolve_in_state(&m.text, q)
                    .map(|_| q.to_string())
            });
        if let Some(q) = found {
            m.text = format!("{}, {q}", m.text);
        }
    }
}

/// One place mention, within the state or country written after it when
/// [`attach_qualifiers`] attached one ("Florence, S.C."); a US state's AP
/// abbreviation alone is the state.
fn resolve_one(gazetteer: &Gazetteer, text: &str, ctx: &Context) -> Option<Place> {
    match text.split_once(", ") {
        Some((place, within)) => gazetteer
            .resolve_within(place, within)
            .or_else(|| gazetteer.resolve_in_state(place, within))
            .or_else(|| gazetteer.resolve_in(place, ctx)),
        None => gazetteer
            .us_state(text, ctx)
            .or_else(|| gazetteer.resolve_in(text, ctx)),
    }
}

/// A mention's text without surrounding punctuation or a possessive.
fn clean(text: &str) -> &str {
    let t = text.trim_matches(|c: char| c.is_whitespace() || "\"“”‘,;:()[]".contains(c));
    strip_possessive(t).trim()
}

fn all_caps(s: &str) -> bool {
    !s.chars().any(char::is_lowercase)
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_takes_the_state_or_country_written_after_it() {
        let text =
            "A mill in Florence, S.C. and one in Paris, Texas. Talks in Syria, Lebanon and Jordan.";
        let loc = |s: &str| {
            let start = text.find(s).unwrap();
            Mention {
                kind: EntityKind::Location,
                text: s.to_string(),
                start,
                end: start + s.len(),
            }
        };
        let mut m = vec![loc("Florence"), loc("Paris"), loc("Syria")];
        attach_qualifiers(&mut m, text, Gazetteer::shipped());
        let texts: Vec<&str> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Florence, S.C.", "Paris, Texas.", "Syria"]);
        assert_eq!(&text[m[0].start..m[0].end], "Florence", "offsets unchanged");
    }

    #[test]
    fn ap_state_abbreviations_are_states() {
        let text = "KINGSTON, Penn. (AP) - A quarry in Kingston, Penn., and a plant in Hazleton, Pa. closed.";
        let at = |s: &str, from: usize| {
            let start = from + text[from..].find(s).unwrap();
            Mention {
                kind: EntityKind::Location,
                text: s.to_string(),
                start,
                end: start + s.len(),
            }
        };
        let mut m = vec![
            at("Kingston", 20),
            at("Penn.", 40),
            at("Hazleton", 0),
            at("Pa", 70),
        ];
        attach_qualifiers(&mut m, text, Gazetteer::shipped());
        let texts: Vec<&str> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Kingston, Penn.", "Penn.", "Hazleton, Pa.", "Pa"]);
        let d = dateline("KINGSTON, Penn. (AP) -", "United States");
        let p = run(&m, Some(&d));
        // Kingston, Pennsylvania is below the table's 15,000 people: kept
        // as written, in its state, rather than another Kingston.
        assert_eq!(p.places, ["Kingston", "Pennsylvania", "Hazleton"]);
        assert_eq!(p.ids[0], None);
        assert_eq!(p.regions, ["Pennsylvania"]);
        assert_eq!(p.countries, ["United States"]);
        // "Pa" without its period is the state only in a US story.
        let alone = run(&[loc("Pa")], None);
        assert!(
            !alone.places.contains(&"Pennsylvania".to_string()),
            "{alone:?}"
        );
        assert_eq!(run(&[loc("Calif.")], None).places, ["California"]);
    }

    fn m(kind: EntityKind, text: &str) -> Mention {
        Mention {
            kind,
            text: text.to_string(),
            start: 0,
            end: 0,
        }
    }

    fn loc(text: &str) -> Mention {
        m(EntityKind::Location, text)
    }

    fn run(mentions: &[Mention], dateline: Option<&Dateline>) -> Places {
        resolve(mentions, dateline, Gazetteer::shipped())
    }

    fn dateline(text: &str, country: &str) -> Dateline {
        Dateline {
            text: text.to_string(),
            place: None,
            country: Some(country.to_string()),
            agency: None,
        }
    }

    #[test]
    fn resolves_in_order_without_duplicates() {
        let p = run(
            &[loc("Moscow"), loc("Syria"), loc("Moscow"), loc("Kiev")],
            None,
        );
        assert_eq!(p.places, ["Moscow", "Syria", "Kyiv"]);
        assert_eq!(p.countries, ["Russia", "Syria", "Ukraine"]);
    }

    #[test]
    fn ids_follow_places_unresolved_have_none() {
        let mut p = run(&[loc("Moscow"), loc("Qwzxland"), loc("Syria")], None);
        assert_eq!(p.places, ["Moscow", "Qwzxland", "Syria"]);
        assert_eq!(p.ids.len(), 3);
        assert_eq!(p.ids[0].as_deref(), Some("geonames:524901"));
        assert_eq!(p.ids[1], None);
        let syria = p.ids[2].clone();
        assert!(syria.as_deref().is_some_and(|s| s.starts_with("geonames:")));
        p.retain(|name| name != "Moscow");
        assert_eq!(p.places, ["Qwzxland", "Syria"]);
        assert_eq!(p.ids, [None, syria]);
    }

    #[test]
    fn dateline_country_first() {
        let d = dateline("BEIRUT, Lebanon", "Lebanon");
        let p = run(&[loc("Damascus")], Some(&d));
        assert_eq!(p.countries, ["Lebanon", "Syria"]);
    }

    #[test]
    fn context_settles_paris_and_georgia() {
        let p = run(&[loc("Paris"), loc("France")], None);
        assert_eq!(p.countries, ["France"]);
        let p = run(&[loc("Paris"), loc("Texas")], None);
        assert_eq!(p.places, ["Paris", "Texas"]);
        assert_eq!(p.countries, ["United States"]);
        assert_eq!(p.regions, ["Texas"]);

        let p = run(&[loc("Georgia"), loc("Tbilisi")], None);
        assert_eq!(p.countries, ["Georgia"]);
        let p = run(&[loc("Atlanta"), loc("Georgia")], None);
        assert_eq!(p.countries, ["United States"]);
        assert_eq!(p.regions, ["Georgia"]);
        let p = run(&[loc("Georgia"), loc("United States")], None);
        assert_eq!(p.regions, ["Georgia"]);
        // An international story: the country.
        let p = run(&[loc("Georgia"), loc("Russia"), loc("United States")], None);
        assert_eq!(p.countries, ["Georgia", "Russia", "United States"]);
        assert!(p.regions.is_empty());
        let d = dateline("WASHINGTON", "United States");
        let p = run(&[loc("Georgia"), loc("Russia")], Some(&d));
        assert_eq!(p.countries, ["United States", "Georgia", "Russia"]);
        let d = dateline("ATLANTA", "United States");
        let p = run(&[loc("Georgia"), loc("Russia")], Some(&d));
        assert_eq!(p.regions, ["Georgia"]);
        let p = run(&[loc("Georgia")], None);
        assert_eq!(
            (p.countries.as_slice(), p.regions.len()),
            (&["Georgia".to_string()][..], 0)
        );
    }

    #[test]
    fn dateline_region_is_context() {
        let d = dateline("PARIS, Texas", "United States");
        let p = run(&[loc("Paris")], Some(&d));
        assert_eq!(p.regions, ["Texas"]);
    }

    #[test]
    fn unresolved_kept_as_written_possessives_removed() {
        let p = run(
            &[
                loc("Syria's"),
                loc("Homs’"),
                loc("Gaza Strip"),
                loc("the Middle East"),
            ],
            None,
        );
        assert_eq!(p.places, ["Syria", "Homs", "Gaza Strip", "the Middle East"]);
        let p = run(&[loc("GOLAN HEIGHTS"), loc("Golan Heights")], None);
        assert_eq!(p.places, ["Golan Heights"]);
    }

    #[test]
    fn demonyms_add_countries_only() {
        let p = run(
            &[
                m(EntityKind::Misc, "Syrian"),
                loc("Beirut"),
                m(EntityKind::Misc, "Lebanese"),
            ],
            None,
        );
        assert_eq!(p.places, ["Beirut"]);
        assert_eq!(p.countries, ["Syria", "Lebanon"]);
        let p = run(&[loc("Russian")], None);
        assert!(p.places.is_empty());
        assert_eq!(p.countries, ["Russia"]);
        let p = run(&[m(EntityKind::Misc, "Muslim")], None);
        assert_eq!(p, Places::default());
    }
}
