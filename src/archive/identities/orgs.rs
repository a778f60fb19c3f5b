//! Organisations as identities across the archive: "Fed", "FED" and
//! "Federal Reserve" one identity, "FSA" the "Free Syrian Army" where the
//! archive says so and left alone where it does not.
//!
//! A story already merges what it shows itself ([`crate::enrich::orgs`]):
//! an acronym into the name it spells, a few well-known names, capitals
//! into the body's spelling. What one story cannot know is what a bare
//! "FSA" means when the story does not spell it out. The archive can: the
//! stories that do pair it with a long form (the pairs each story keeps
//! as evidence, [`crate::enrich::orgs::Orgs::abbreviations`]). So:
//!
//! 1. **Forms** are names folded to one key ([`key`]): case (a headline's
//!    "FEDERAL RESERVE"), periods ("U.N."), a leading "the" and
//!    possessives do not make another form.
//! 2. **A short form resolves to the long form it is paired with** across
//!    the archive, when that long form has at least [`MIN_PAIRS`] stories
//!    and [`DOMINANCE`] of its pairings. Long forms that extend one
//!    another ("Federal Reserve", "Federal Reserve Board") count as one
//!    candidate, the shortest, so that the many ways of naming one
//!    organisation do not split its evidence.
//! 3. **When the pairings are split** between organisations, the bare
//!    short form stays an ambiguous value ("FSA (ambiguous)"), which a
//!    query for the short form still finds, beside the organisations it
//!    may be. A story that pairs the short form itself keeps its own
//!    pairing.
//! 4. Every other form is an identity of its own, displayed under its
//!    most common spelling that is not a headline's capitals.
//!
//! Like people, nothing of this is written into stories: the registry is
//! recomputed from the index's fast fields (the names and pairs of each
//! story) and applied at query time ([`super::store`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::registry::{self, Identity, IdentityId, Keyed, Kind, AMBIGUOUS_SUFFIX};
use crate::enrich::gazetteer::fold;

/// Stories that must pair a short form with one organisation before its
/// bare uses are taken for it.
pub const MIN_PAIRS: u32 = 2;

/// The share of a short form's pairings the leading organisation needs.
pub const DOMINANCE: f64 = 0.8;

/// Steps a chain of short forms is followed ("A" → "B" → "C").
const MAX_CHAIN: usize = 4;

/// What one story gives: its organisation names and abbreviation pairs.
#[derive(Debug, Clone, Default)]
pub struct OrgStory {
    pub day: Option<i32>,
    /// Names as the story writes them.
    pub orgs: Vec<String>,
    /// (short form, long form) pairs the story shows.
    pub pairs: Vec<(String, String)>,
}

/// The organisation identities of an archive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrgRegistry {
    /// Identities, indexed by [`IdentityId`].
    pub identities: Vec<Identity>,
    /// Form key → the identity a story's bare use of it is.
    resolves: HashMap<String, u32>,
    /// Form key → every identity it means: those stories resolved it to
    /// and, for an ambiguous form, the organisations it may be.
    denotes: HashMap<String, Vec<u32>>,
    by_id: HashMap<String, u32>,
}

/// The key of an organisation's name: folded, without a leading "the",
/// a possessive or an ambiguous value's suffix.
pub fn key(name: &str) -> String {
    let n = name.trim();
    let n = n.strip_suffix(AMBIGUOUS_SUFFIX).unwrap_or(n);
    let n = crate::enrich::people::strip_possessive(n);
    fold::key(n)
}

/// What a form's bare uses are, by the archive's pairings.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Own,
    To(String),
    Ambiguous(Vec<String>),
}

/// Whether the words of `short` begin those of `long` (both keys).
fn extends(short: &str, long: &str) -> bool {
    long.len() > short.len() && long.starts_with(short) && long.as_bytes()[short.len()] == b' '
}

/// Whether two keys are one name spelled two ways: the same number of
/// words, each the same but for at most one letter ("organisation" and
/// "organization"), and at least one word the same.
fn respelled(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    wa.len() == wb.len()
        && wa.iter().zip(&wb).any(|(x, y)| x == y)
        && wa.iter().zip(&wb).all(|(x, y)| one_letter_apart(x, y))
}

/// Equal, or of one length and differing in one letter past the first.
fn one_letter_apart(a: &str, b: &str) -> bool {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    ca.len() == cb.len()
        && ca.first() == cb.first()
        && ca.len() >= 4
        && ca.iter().zip(&cb).filter(|(x, y)| x != y).count() <= 1
        || a == b
}

/// Decides a form's target from the long forms it is paired with.
fn decide(form: &str, paired: &HashMap<String, u32>) -> Target {
    let candidates: Vec<(&String, u32)> = paired
        .iter()
        .filter(|(l, _)| l.as_str() != form)
        .map(|(l, &n)| (l, n))
        .collect();
    if candidates.is_empty() {
        return Target::Own;
    }
    // Each candidate counts for the shortest candidate it extends, and
    // spellings of one name for the most paired of them.
    let mut by_count = candidates.clone();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let spelled = |long: &str| -> String {
        by_count
            .iter()
            .map(|(c, _)| c.as_str())
            .find(|c| *c == long || respelled(c, long))
            .unwrap_or(long)
            .to_string()
    };
    let mut groups: BTreeMap<String, u32> = BTreeMap::new();
    for &(long, n) in &candidates {
        let root = candidates
            .iter()
            .map(|(c, _)| c.as_str())
            .filter(|c| *c == long.as_str() || extends(c, long))
            .min_by_key(|c| c.len())
            .unwrap_or(long.as_str());
        *groups.entry(spelled(root)).or_insert(0) += n;
    }
    let total: u32 = groups.values().sum();
    let (best, top) = groups
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, &n)| (k.to_string(), n))
        .unwrap_or_default();
    if top >= MIN_PAIRS && f64::from(top) >= DOMINANCE * f64::from(total) {
        Target::To(best)
    } else if groups.len() > 1 && total >= MIN_PAIRS {
        Target::Ambiguous(groups.keys().map(|k| k.to_string()).collect())
    } else {
        Target::Own
    }
}

/// Whether a spelling is a headline's capitals rather than how the name
/// is written: all capitals, and more than one word or longer than an
/// acronym.
fn shouted(s: &str) -> bool {
    !s.chars().any(char::is_lowercase)
        && (s.split_whitespace().count() > 1 || s.chars().count() > 6)
}

/// The spelling to show: the most common one that is not shouted (all
/// spellings when every one is).
fn display(spellings: &HashMap<String, u32>) -> String {
    let pick = |allow_shouted: bool| {
        spellings
            .iter()
            .filter(|(s, _)| allow_shouted || !shouted(s))
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(s, _)| s.clone())
    };
    pick(false).or_else(|| pick(true)).unwrap_or_default()
}

impl OrgRegistry {
    /// Builds the registry from every story's organisations, and resolves
    /// each story's names: (identity, form key) per distinct form.
    pub fn build(stories: &[OrgStory]) -> (OrgRegistry, Vec<Keyed>) {
        // Forms: spellings with their stories, and pairings.
        let mut spellings: BTreeMap<String, HashMap<String, u32>> = BTreeMap::new();
        let mut paired: HashMap<String, HashMap<String, u32>> = HashMap::new();
        let mut story_forms: Vec<Vec<String>> = Vec::with_capacity(stories.len());
        let mut story_pairs: Vec<HashMap<String, String>> = Vec::with_capacity(stories.len());
        for s in stories {
            let mut forms: Vec<String> = Vec::new();
            let mut seen: HashSet<(String, &str)> = HashSet::new();
            for name in &s.orgs {
                let k = key(name);
                if k.is_empty() || !seen.insert((k.clone(), name.as_str())) {
                    continue;
                }
                *spellings
                    .entry(k.clone())
                    .or_default()
                    .entry(name.trim().to_string())
                    .or_insert(0) += 1;
                if !forms.contains(&k) {
                    forms.push(k);
                }
            }
            let mut own: HashMap<String, String> = HashMap::new();
            for (short, long) in &s.pairs {
                let (sk, lk) = (key(short), key(long));
                if sk.is_empty() || lk.is_empty() || sk == lk || own.contains_key(&sk) {
                    continue;
                }
                *paired
                    .entry(sk.clone())
                    .or_default()
                    .entry(lk.clone())
                    .or_insert(0) += 1;
                // The short spelling is an alias even where the story
                // merged it away.
                spellings.entry(sk.clone()).or_default();
                spellings.entry(lk.clone()).or_default();
                own.insert(sk, lk);
            }
            story_forms.push(forms);
            story_pairs.push(own);
        }

        let mut targets: HashMap<&str, Target> = spellings
            .keys()
            .map(|k| {
                let t = paired.get(k).map_or(Target::Own, |p| decide(k, p));
                (k.as_str(), t)
            })
            .collect();
        // Two spellings of the long form one short form stands for are
        // one organisation: the less paired gives way to the more.
        let mut shorts: Vec<&String> = paired.keys().collect();
        shorts.sort_unstable();
        for short in shorts {
            let mut longs: Vec<(&String, u32)> =
                paired[short].iter().map(|(l, &n)| (l, n)).collect();
            longs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            for (i, (minor, _)) in longs.iter().enumerate() {
                let major = longs[..i].iter().find(|(m, _)| respelled(m, minor));
                if let (Some((major, _)), Some((k, _))) = (major, spellings.get_key_value(*minor)) {
                    if targets.get(k.as_str()) == Some(&Target::Own) {
                        targets.insert(k.as_str(), Target::To(major.to_string()));
                    }
                }
            }
        }
        // Follows a form to the form whose identity it is.
        let settle = |start: &str| -> String {
            let mut at = start.to_string();
            for _ in 0..MAX_CHAIN {
                match targets.get(at.as_str()) {
                    Some(Target::To(next)) if next != start => at = next.clone(),
                    _ => break,
                }
            }
            // A chain that does not end on a form of its own stops at the
            // start rather than looping.
            match targets.get(at.as_str()) {
                Some(Target::To(_)) => start.to_string(),
                _ => at,
            }
        };

        // Identities: forms of their own and ambiguous forms, in key order.
        let mut reg = OrgRegistry::default();
        let mut number: HashMap<String, u32> = HashMap::new();
        for (k, t) in &targets {
            if !matches!(t, Target::To(_)) || settle(k) == *k {
                number.insert(k.to_string(), 0);
            }
        }
        let mut keys: Vec<String> = number.keys().cloned().collect();
        keys.sort_unstable();
        for (i, k) in keys.iter().enumerate() {
            number.insert(k.clone(), i as u32);
        }
        let identity_of = |form: &str| -> u32 { number[&settle(form)] };
        for (form, t) in &targets {
            let id = identity_of(form);
            reg.resolves.insert(form.to_string(), id);
            let mut means = vec![id];
            if let Target::Ambiguous(roots) = t {
                means.extend(roots.iter().map(|r| identity_of(r)));
            }
            reg.denotes.insert(form.to_string(), means);
        }

        // Each story's forms: its own pairing first, else the archive's.
        let mut keyed: Vec<Keyed> = Vec::with_capacity(stories.len());
        let n = keys.len();
        let mut aliases: Vec<HashMap<String, u32>> = vec![HashMap::new(); n];
        let mut count: Vec<u32> = vec![0; n];
        let mut span: Vec<Option<(i32, i32)>> = vec![None; n];
        for (s, story) in stories.iter().enumerate() {
            let mut row: Keyed = Vec::with_capacity(story_forms[s].len());
            for form in &story_forms[s] {
                let id = match story_pairs[s].get(form) {
                    Some(long) => identity_of(long),
                    None => identity_of(form),
                };
                row.push((id, form.clone()));
                let ds = reg.denotes.entry(form.clone()).or_default();
                if !ds.contains(&id) {
                    ds.push(id);
                }
            }
            // Spellings of the story, under the identities they took.
            let mut counted: HashSet<(u32, &str)> = HashSet::new();
            for name in &story.orgs {
                let k = key(name);
                if let Some(&(id, _)) = row.iter().find(|(_, f)| *f == k) {
                    if counted.insert((id, name.trim())) {
                        *aliases[id as usize]
                            .entry(name.trim().to_string())
                            .or_insert(0) += 1;
                    }
                }
            }
            for (short, long) in &story.pairs {
                if let Some(&(id, _)) = row.iter().find(|(_, f)| *f == key(long)) {
                    if key(short) != key(long) && counted.insert((id, short.trim())) {
                        *aliases[id as usize]
                            .entry(short.trim().to_string())
                            .or_insert(0) += 1;
                    }
                }
            }
            let mut ids: Vec<u32> = row.iter().map(|(i, _)| *i).collect();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                count[id as usize] += 1;
                if let Some(d) = story.day {
                    let sp = &mut span[id as usize];
                    *sp = Some(sp.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
                }
            }
            keyed.push(row);
        }

        let mut used_ids: HashSet<String> = HashSet::new();
        for (i, k) in keys.iter().enumerate() {
            let ambiguous = matches!(targets.get(k.as_str()), Some(Target::Ambiguous(_)));
            let own: HashMap<String, u32> = aliases[i]
                .iter()
                .filter(|(s, _)| key(s) == *k)
                .map(|(s, &c)| (s.clone(), c))
                .collect();
            let mut name = display(&own);
            if name.is_empty() {
                name = display(&spellings[k]);
            }
            if name.is_empty() {
                name = k.clone();
            }
            let base = format!(
                "o-{}{}",
                registry::slug(k),
                if ambiguous { ".ambiguous" } else { "" }
            );
            let mut id = base.clone();
            let mut n = 2;
            while !used_ids.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            let mut alias_list: Vec<(String, u32)> =
                aliases[i].iter().map(|(s, &c)| (s.clone(), c)).collect();
            alias_list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let day = |d: i32| {
                chrono::DateTime::from_timestamp(i64::from(d) * 86_400, 0)
                    .map(|t| t.date_naive().to_string())
            };
            reg.by_id.insert(id.clone(), i as u32);
            reg.identities.push(Identity {
                id,
                name: if ambiguous {
                    format!("{name}{AMBIGUOUS_SUFFIX}")
                } else {
                    name
                },
                kind: if ambiguous {
                    Kind::Ambiguous
                } else {
                    Kind::Organisation
                },
                aliases: alias_list,
                stories: count[i],
                first: span[i].and_then(|(a, _)| day(a)),
                last: span[i].and_then(|(_, b)| day(b)),
                datelines: Vec::new(),
                co_mentioned: Vec::new(),
            });
        }
        (reg, keyed)
    }

    /// The identities a query name means: by id, or by the form's key.
    pub fn lookup(&self, query: &str) -> Vec<IdentityId> {
        if let Some(&i) = self.by_id.get(query.trim()) {
            return vec![i];
        }
        let mut out = self.denotes.get(&key(query)).cloned().unwrap_or_default();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The identities of a story's names, in their order, each once (by
    /// the archive's resolution; a story's own pairs are not known here).
    pub fn resolve_story(&self, orgs: &[String]) -> Vec<IdentityId> {
        let mut out = Vec::with_capacity(orgs.len());
        for o in orgs {
            if let Some(&i) = self.resolves.get(&key(o)) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// An identity.
    pub fn get(&self, id: IdentityId) -> &Identity {
        &self.identities[id as usize]
    }
}

impl super::cache::Table for OrgRegistry {
    fn identities(&self) -> &[Identity] {
        &self.identities
    }
    fn denoted_forms(&self) -> Vec<(String, Vec<u32>)> {
        self.denotes
            .iter()
            .map(|(k, v)| {
                let mut v = v.clone();
                v.sort_unstable();
                v.dedup();
                (k.clone(), v)
            })
            .collect()
    }
    fn all_ids(&self) -> Vec<(String, u32)> {
        self.by_id.iter().map(|(k, &v)| (k.clone(), v)).collect()
    }
    /// A form's bare resolution, in the people's surname slot.
    fn surnames(&self) -> Vec<(String, Vec<u32>)> {
        self.resolves
            .iter()
            .map(|(k, &v)| (k.clone(), vec![v]))
            .collect()
    }
    /// Nothing at query time needs more than the maps and rows, and the
    /// cards of tens of thousands of organisations would be most of the
    /// file: they are left out.
    fn json(&self) -> Vec<u8> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(orgs: &[&str], pairs: &[(&str, &str)]) -> OrgStory {
        OrgStory {
            day: Some(6000),
            orgs: orgs.iter().map(|s| s.to_string()).collect(),
            pairs: pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    fn names(r: &OrgRegistry, ids: &[u32]) -> Vec<String> {
        ids.iter().map(|&i| r.get(i).name.clone()).collect()
    }

    fn one(r: &OrgRegistry, q: &str) -> String {
        let ids = r.lookup(q);
        assert_eq!(ids.len(), 1, "{q}: {:?}", names(r, &ids));
        r.get(ids[0]).name.clone()
    }

    #[test]
    fn short_forms_fold_into_the_long_form_the_archive_pairs_them_with() {
        let stories = vec![
            story(&["Federal Reserve", "Fed"], &[("Fed", "Federal Reserve")]),
            story(
                &["Federal Reserve Board", "Fed"],
                &[("Fed", "Federal Reserve Board")],
            ),
            story(&["Fed", "Federal Reserve"], &[("Fed", "Federal Reserve")]),
            story(&["FED"], &[]),
            story(&["the Fed's"], &[]),
            story(&["FEDERAL RESERVE"], &[]),
            story(&["Free Syrian Army"], &[("FSA", "Free Syrian Army")]),
            story(&["Free Syrian Army"], &[("FSA", "Free Syrian Army")]),
            story(&["FSA"], &[]),
        ];
        let (r, keyed) = OrgRegistry::build(&stories);
        for q in [
            "Federal Reserve",
            "FEDERAL RESERVE",
            "the Federal Reserve's",
        ] {
            assert_eq!(one(&r, q), "Federal Reserve", "{q}");
        }
        // "Fed" means the Federal Reserve, and also the Board in the story
        // that pairs it so.
        for q in ["Fed", "FED", "fed", "the Fed"] {
            assert_eq!(
                names(&r, &r.lookup(q)),
                ["Federal Reserve", "Federal Reserve Board"],
                "{q}"
            );
        }
        // A longer name stays itself; its own pairing is its story's.
        assert_eq!(one(&r, "Federal Reserve Board"), "Federal Reserve Board");
        let fed = r.lookup("Federal Reserve")[0];
        assert_eq!(keyed[3], vec![(fed, "fed".to_string())]);
        assert_eq!(keyed[5], vec![(fed, "federal reserve".to_string())]);
        let board = r.lookup("Federal Reserve Board")[0];
        assert!(keyed[1].iter().all(|(i, _)| *i == board));
        // The headline's capitals are an alias, not the display name.
        let card = r.get(fed);
        assert!(card.aliases.iter().any(|(a, _)| a == "FEDERAL RESERVE"));
        assert!(card.aliases.iter().any(|(a, _)| a == "FED"));
        assert_eq!(card.kind, Kind::Organisation);
        assert_eq!(card.id, "o-federal-reserve");
        // An acronym merged in its stories still resolves its bare uses.
        assert_eq!(one(&r, "FSA"), "Free Syrian Army");
        assert_eq!(keyed[8][0].0, r.lookup("Free Syrian Army")[0]);
    }

    #[test]
    fn organisations_sharing_an_acronym_stay_apart_when_the_evidence_is_split() {
        let mut stories = vec![
            story(&["Free Syrian Army"], &[("FSA", "Free Syrian Army")]),
            story(&["Free Syrian Army"], &[("FSA", "Free Syrian Army")]),
            story(
                &["Financial Services Authority"],
                &[("FSA", "Financial Services Authority")],
            ),
            story(
                &["Financial Services Authority"],
                &[("FSA", "Financial Services Authority")],
            ),
            story(&["FSA", "Damascus"], &[]),
        ];
        let (r, keyed) = OrgRegistry::build(&stories);
        let army = one(&r, "Free Syrian Army");
        let authority = one(&r, "Financial Services Authority");
        assert_ne!(army, authority);
        // The bare acronym is neither: an ambiguous value, which a query
        // for the acronym finds beside both organisations.
        let bare = r.get(keyed[4][0].0);
        assert_eq!(bare.kind, Kind::Ambiguous);
        assert_eq!(bare.name, "FSA (ambiguous)");
        let mut found = names(&r, &r.lookup("FSA"));
        found.sort();
        assert_eq!(
            found,
            [
                "FSA (ambiguous)",
                "Financial Services Authority",
                "Free Syrian Army"
            ]
        );
        // Nothing merged the two long forms.
        assert_eq!(r.lookup("Free Syrian Army").len(), 1);
        assert_ne!(keyed[0][0].0, keyed[2][0].0);

        // With the evidence clearly one way, the acronym resolves.
        for _ in 0..8 {
            stories.push(story(&["Free Syrian Army"], &[("FSA", "Free Syrian Army")]));
        }
        let (r, keyed) = OrgRegistry::build(&stories);
        assert_eq!(r.get(keyed[4][0].0).name, "Free Syrian Army");
        // A story's own pairing is kept against the archive's.
        assert_eq!(r.get(keyed[2][0].0).name, "Financial Services Authority");
    }

    #[test]
    fn spellings_of_one_long_form_do_not_split_its_evidence() {
        let stories = vec![
            story(
                &["Organisation for Economic Cooperation and Development"],
                &[(
                    "OECD",
                    "Organisation for Economic Cooperation and Development",
                )],
            ),
            story(
                &["Organization for Economic Cooperation and Development"],
                &[(
                    "OECD",
                    "Organization for Economic Cooperation and Development",
                )],
            ),
            story(
                &["Organization for Economic Cooperation and Development"],
                &[(
                    "OECD",
                    "Organization for Economic Cooperation and Development",
                )],
            ),
            story(&["OECD"], &[]),
        ];
        let (r, keyed) = OrgRegistry::build(&stories);
        assert_eq!(
            r.get(keyed[3][0].0).name,
            "Organization for Economic Cooperation and Development"
        );
        // And the two spellings are one organisation.
        assert_eq!(keyed[0][0].0, keyed[1][0].0);
        assert_eq!(
            one(&r, "Organisation for Economic Cooperation and Development"),
            "Organization for Economic Cooperation and Development"
        );
        assert!(respelled(
            "international coffee organisation",
            "international coffee organization"
        ));
        assert!(!respelled("free syrian army", "free syrian navy"));
        assert!(!respelled("bank of england", "bank of ireland"));
    }

    #[test]
    fn one_pairing_is_not_enough_and_chains_do_not_loop() {
        let stories = vec![
            story(
                &["Asian Development Bank"],
                &[("ADB", "Asian Development Bank")],
            ),
            story(&["ADB"], &[]),
            story(&["Xa Yb"], &[("XA", "YB")]),
            story(&["Xa Yb"], &[("XA", "YB")]),
            story(&["Yb Xa"], &[("YB", "XA")]),
            story(&["Yb Xa"], &[("YB", "XA")]),
            story(&["XA", "YB"], &[]),
        ];
        let (r, _) = OrgRegistry::build(&stories);
        assert_eq!(one(&r, "ADB"), "ADB");
        assert_eq!(one(&r, "Asian Development Bank"), "Asian Development Bank");
        assert!(r.lookup("Nothing known").is_empty());
        // Two forms each the other's short form stay themselves.
        assert_eq!(one(&r, "XA"), "XA");
        assert_eq!(one(&r, "YB"), "YB");
    }
}
