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
//!
//! User corrections ([`super::corrections`]) act on the forms, before
//! the identities are numbered: `not-org NAME` drops a form from every
//! story; `merge` sends identities to the first one (after the archive's
//! pairings, so whatever resolved to them follows); `split ID | NAME`
//! makes a form that resolved to the identity one of its own (a story
//! that pairs it itself keeps its pairing); `rename` gives a display
//! name. Ids are those of the forms before corrections, so they stay.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::corrections::{is_org_id, Correction, Corrections, Located};
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
    /// Its dateline's place, for the cards (`--orgs`).
    pub dateline: Option<String>,
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
    /// Corrections that could not be applied: `PATH:LINE: reason`.
    #[serde(default)]
    pub problems: Vec<String>,
    /// What the cache keeps beside the maps ([`Notes`]).
    #[serde(skip)]
    pub notes: Notes,
}

/// What the organisations' cache keeps beyond the maps, small and read
/// only where a corrections file exists: the problems of its lines
/// (people's and organisations'), so that a reader that maps the cache
/// reports them as the one that built it did, and the lines of names only
/// the people left to the organisations, so that `--orgs` rebuilds the
/// registry the cache was built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notes {
    pub problems: Vec<String>,
    pub unplaced: Vec<usize>,
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

/// Follows a form to the form whose identity it is: along the archive's
/// pairings, then the corrections' merges.
fn settle(
    targets: &HashMap<String, Target>,
    merged: &HashMap<String, String>,
    start: &str,
) -> String {
    let mut at = start.to_string();
    for _ in 0..MAX_CHAIN {
        match targets.get(&at) {
            Some(Target::To(next)) if next != start => at = next.clone(),
            _ => break,
        }
    }
    // A chain that does not end on a form of its own stops at the start
    // rather than looping.
    if let Some(Target::To(_)) = targets.get(&at) {
        at = start.to_string();
    }
    // Merges point at identities that were final when made: no cycles.
    for _ in 0..=merged.len() {
        match merged.get(&at) {
            Some(into) => at = into.clone(),
            None => break,
        }
    }
    at
}

/// The identity (its form) a correction names: by id, or by a name the
/// archive has (a well-known organisation also by the name stories hold
/// it under).
fn locate(
    what: &str,
    targets: &HashMap<String, Target>,
    merged: &HashMap<String, String>,
    id_of: &HashMap<String, String>,
) -> Option<String> {
    if is_org_id(what) {
        return id_of
            .iter()
            .find(|(_, id)| id.as_str() == what)
            .map(|(k, _)| settle(targets, merged, k));
    }
    [
        what,
        crate::enrich::orgs::well_known_any_case(what).unwrap_or(what),
    ]
    .iter()
    .map(|w| key(w))
    .find(|k| targets.contains_key(k))
    .map(|k| settle(targets, merged, &k))
}

/// A new id for a form: `o-federal-reserve`, numbered when taken.
fn fresh_id(k: &str, ambiguous: bool, used: &mut HashSet<String>) -> String {
    let base = format!(
        "o-{}{}",
        registry::slug(k),
        if ambiguous { ".ambiguous" } else { "" }
    );
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

impl OrgRegistry {
    /// Builds the registry from every story's organisations, and resolves
    /// each story's names: (identity, form key) per distinct form.
    pub fn build(stories: &[OrgStory]) -> (OrgRegistry, Vec<Keyed>) {
        OrgRegistry::build_corrected(stories, &Corrections::default(), &[])
    }

    /// [`OrgRegistry::build`] with the corrections that are the
    /// organisations' ([`Correction::for_orgs`]) and the lines of names
    /// only that the people left (`unplaced`, by place in `corrections`).
    /// Lines that cannot be applied go to [`OrgRegistry::problems`].
    pub fn build_corrected(
        stories: &[OrgStory],
        corrections: &Corrections,
        unplaced: &[usize],
    ) -> (OrgRegistry, Vec<Keyed>) {
        let mut problems: Vec<String> = Vec::new();
        let mine: Vec<(usize, &Located)> = corrections
            .items
            .iter()
            .enumerate()
            .filter(|(n, c)| c.correction.for_orgs() || unplaced.contains(n))
            .collect();
        // Names that are not organisations never become forms.
        let mut not_org: HashMap<String, (&str, bool)> = HashMap::new();
        for (_, c) in &mine {
            if let Correction::NotOrg(name) = &c.correction {
                let k = key(name);
                if k.is_empty() {
                    problems.push(format!("{}: not a name: {name:?}", c.at));
                } else {
                    not_org.insert(k, (c.at.as_str(), false));
                }
            }
        }
        let mut dropped = |k: &str| -> bool {
            match not_org.get_mut(k) {
                Some(seen) => {
                    seen.1 = true;
                    true
                }
                None => false,
            }
        };

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
                if k.is_empty() || !seen.insert((k.clone(), name.as_str())) || dropped(&k) {
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
                if dropped(&sk) || dropped(&lk) {
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
        for (name, (at, seen)) in &not_org {
            if !seen {
                problems.push(format!("{at}: no organisation is named {name:?}"));
            }
        }

        let mut targets: HashMap<String, Target> = spellings
            .keys()
            .map(|k| {
                let t = paired.get(k).map_or(Target::Own, |p| decide(k, p));
                (k.clone(), t)
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
                if let Some((major, _)) = major {
                    if targets.get(minor.as_str()) == Some(&Target::Own) {
                        targets.insert(minor.to_string(), Target::To(major.to_string()));
                    }
                }
            }
        }

        // Ids from the forms that are identities before corrections, so
        // that a correction can name them and they stay as they were.
        let mut id_of: HashMap<String, String> = HashMap::new();
        let mut used_ids: HashSet<String> = HashSet::new();
        let mut own_keys: Vec<&String> = targets
            .keys()
            .filter(|k| settle(&targets, &HashMap::new(), k) == **k)
            .collect();
        own_keys.sort_unstable();
        for k in own_keys {
            let ambiguous = matches!(targets.get(k), Some(Target::Ambiguous(_)));
            id_of.insert(k.clone(), fresh_id(k, ambiguous, &mut used_ids));
        }

        // Corrections, in the file's order.
        let mut merged: HashMap<String, String> = HashMap::new();
        let mut renamed: HashMap<String, String> = HashMap::new();
        for (n, c) in &mine {
            let deferred = unplaced.contains(n);
            let find = |what: &str,
                        targets: &HashMap<String, Target>,
                        merged: &HashMap<String, String>,
                        id_of: &HashMap<String, String>| {
                locate(what, targets, merged, id_of).ok_or_else(|| {
                    if deferred {
                        format!("no person or organisation {what:?} (give its id or display name)")
                    } else {
                        format!("no organisation {what:?} (give its id or a name)")
                    }
                })
            };
            let done: Result<(), String> = match &c.correction {
                Correction::Merge(list) => list
                    .iter()
                    .map(|w| find(w, &targets, &merged, &id_of))
                    .collect::<Result<Vec<String>, String>>()
                    .map(|found| {
                        for other in &found[1..] {
                            if *other != found[0] {
                                merged.insert(other.clone(), found[0].clone());
                            }
                        }
                    }),
                Correction::Rename { identity, name } => find(identity, &targets, &merged, &id_of)
                    .map(|k| {
                        renamed.insert(k, name.clone());
                    }),
                Correction::Split { identity, form } => find(identity, &targets, &merged, &id_of)
                    .and_then(|into| {
                        let f = key(form);
                        if f == into {
                            Err(format!(
                                "{form:?} is the identity's own name; nothing to split"
                            ))
                        } else if targets.contains_key(&f) && settle(&targets, &merged, &f) == into
                        {
                            targets.insert(f.clone(), Target::Own);
                            merged.remove(&f);
                            if !id_of.contains_key(&f) {
                                id_of.insert(f.clone(), fresh_id(&f, false, &mut used_ids));
                            }
                            Ok(())
                        } else {
                            Err(format!("{form:?} is not a name of {identity:?}"))
                        }
                    }),
                Correction::NotOrg(_) | Correction::NotPerson(_) => Ok(()),
            };
            if let Err(e) = done {
                problems.push(format!("{}: {e}", c.at));
            }
        }

        // Identities: forms of their own and ambiguous forms, in key order.
        let mut reg = OrgRegistry::default();
        let mut keys: Vec<String> = targets
            .keys()
            .filter(|k| settle(&targets, &merged, k) == **k)
            .cloned()
            .collect();
        keys.sort_unstable();
        let number: HashMap<&str, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i as u32))
            .collect();
        let identity_of = |form: &str| -> u32 { number[settle(&targets, &merged, form).as_str()] };
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
                // A story's own pairing stands even against a split: the
                // split is of the uses that do not say.
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
            if let Some(new) = renamed.get(k) {
                name = new.clone();
            }
            let id = id_of
                .get(k)
                .cloned()
                .unwrap_or_else(|| fresh_id(k, ambiguous, &mut used_ids));
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
                name: if ambiguous && !renamed.contains_key(k) {
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
                co_people: Vec::new(),
            });
        }
        // Ids merged away still find the identity they went into.
        for k in merged.keys() {
            if let Some(id) = id_of.get(k) {
                reg.by_id.insert(id.clone(), identity_of(k));
            }
        }
        reg.problems = problems;
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

    /// The identities whose names match `query`, most stories first: those
    /// it means ([`OrgRegistry::lookup`], a well-known name also under
    /// the name stories hold it by), else those with an alias that has its
    /// words in a row ("Reserve" finds the Federal Reserve): for `--orgs`.
    pub fn search(&self, query: &str) -> Vec<IdentityId> {
        let mut out = self.lookup(query);
        if out.is_empty() {
            if let Some(name) = crate::enrich::orgs::well_known_any_case(query) {
                out = self.lookup(name);
            }
        }
        if out.is_empty() {
            let q = key(query);
            if q.is_empty() {
                return out;
            }
            let words: Vec<&str> = q.split(' ').collect();
            for (i, ident) in self.identities.iter().enumerate() {
                let hit = ident.aliases.iter().any(|(a, _)| {
                    let k = key(a);
                    let have: Vec<&str> = k.split(' ').collect();
                    have.windows(words.len()).any(|w| w == words.as_slice())
                });
                if hit {
                    out.push(i as u32);
                }
            }
        }
        out.sort_by_key(|&i| (std::cmp::Reverse(self.identities[i as usize].stories), i));
        out
    }

    /// The identity with this id (also one merged away).
    pub fn by_id(&self, id: &str) -> Option<IdentityId> {
        self.by_id.get(id).copied()
    }

    /// Fills each identity's card: its top datelines, the organisations
    /// and the people (`people`: each story's person ids) most often in
    /// its stories. `keyed` is what [`OrgRegistry::build_corrected`] gave
    /// for `stories`. Only `--orgs` needs this, so the build leaves it out.
    pub fn add_cards(&mut self, stories: &[OrgStory], keyed: &[Keyed], people: &[Vec<String>]) {
        let n = self.identities.len();
        let mut datelines: Vec<HashMap<String, u32>> = vec![HashMap::new(); n];
        let mut co: Vec<HashMap<u32, u32>> = vec![HashMap::new(); n];
        let mut with: Vec<HashMap<String, u32>> = vec![HashMap::new(); n];
        for (s, row) in keyed.iter().enumerate() {
            let mut ids: Vec<u32> = row.iter().map(|(i, _)| *i).collect();
            ids.sort_unstable();
            ids.dedup();
            for &a in &ids {
                let a_ = a as usize;
                if let Some(d) = stories.get(s).and_then(|st| st.dateline.as_ref()) {
                    *datelines[a_].entry(d.clone()).or_insert(0) += 1;
                }
                for &b in ids.iter().filter(|&&b| b != a) {
                    *co[a_].entry(b).or_insert(0) += 1;
                }
                for p in people.get(s).into_iter().flatten() {
                    *with[a_].entry(p.clone()).or_insert(0) += 1;
                }
            }
        }
        let ids: Vec<String> = self.identities.iter().map(|i| i.id.clone()).collect();
        for (i, ident) in self.identities.iter_mut().enumerate() {
            ident.datelines = registry::top(std::mem::take(&mut datelines[i]), registry::TOP);
            ident.co_mentioned = registry::top(std::mem::take(&mut co[i]), registry::TOP)
                .into_iter()
                .map(|(b, c)| (ids[b as usize].clone(), c))
                .collect();
            ident.co_people = registry::top(std::mem::take(&mut with[i]), registry::TOP);
        }
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
    /// file: they are left out (`--orgs` recomputes them), and only the
    /// [`Notes`] of a corrections file are kept.
    fn json(&self) -> Vec<u8> {
        if self.notes == Notes::default() {
            Vec::new()
        } else {
            serde_json::to_vec(&self.notes).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(orgs: &[&str], pairs: &[(&str, &str)]) -> OrgStory {
        OrgStory {
            day: Some(6000),
            orgs: orgs.iter().map(|s| s.to_string()).collect(),
            dateline: None,
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

    fn corrected(stories: &[OrgStory], text: &str) -> (OrgRegistry, Vec<Keyed>) {
        let c = Corrections::parse("c.txt", text);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let unplaced: Vec<usize> = (0..c.items.len())
            .filter(|&n| c.items[n].correction.names_only())
            .collect();
        OrgRegistry::build_corrected(stories, &c, &unplaced)
    }

    fn fed_archive() -> Vec<OrgStory> {
        vec![
            story(&["Federal Reserve", "Fed"], &[("Fed", "Federal Reserve")]),
            story(&["Fed", "Federal Reserve"], &[("Fed", "Federal Reserve")]),
            story(&["Fed"], &[]),
            story(&["World Health Organization"], &[]),
            story(&["World Health Organisation", "Reuters"], &[]),
            story(&["Reuters"], &[]),
        ]
    }

    #[test]
    fn corrections_merge_rename_split_and_drop_organisations() {
        let stories = fed_archive();
        let (plain, _) = OrgRegistry::build(&stories);
        assert_ne!(
            plain.lookup("World Health Organization"),
            plain.lookup("World Health Organisation")
        );
        let (r, keyed) = corrected(
            &stories,
            "merge o-world-health-organization | World Health Organisation\n\
             rename o-federal-reserve | US Federal Reserve\n\
             not-org Reuters\n",
        );
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        // Merged: one identity, two stories, under the first's id; the id
        // merged away still finds it.
        let who = r.lookup("World Health Organisation");
        assert_eq!(who, r.lookup("World Health Organization"));
        assert_eq!(r.get(who[0]).id, "o-world-health-organization");
        assert_eq!(r.get(who[0]).stories, 2);
        assert_eq!(r.lookup("o-world-health-organisation"), who);
        assert_eq!(keyed[3][0].0, keyed[4][0].0);
        // Renamed, same id.
        assert_eq!(one(&r, "Fed"), "US Federal Reserve");
        assert!(r.by_id("o-federal-reserve").is_some());
        // Not an organisation: in no story, no identity.
        assert!(r.lookup("Reuters").is_empty());
        assert_eq!(keyed[5], Vec::<(u32, String)>::new());
        assert_eq!(keyed[4].len(), 1);

        // Split: the bare "Fed" stories become their own identity; the
        // stories that pair it keep the Federal Reserve.
        let (r, keyed) = corrected(&stories, "split o-federal-reserve | Fed\n");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let fed = r.get(keyed[2][0].0);
        assert_eq!(fed.name, "Fed");
        assert_eq!(fed.id, "o-fed");
        let reserve = r.lookup("Federal Reserve")[0];
        assert_eq!(r.get(reserve).stories, 2);
        assert!(keyed[0].iter().all(|(i, _)| *i == reserve));
    }

    #[test]
    fn inapplicable_lines_are_located_and_the_rest_applied() {
        let stories = fed_archive();
        let (r, _) = corrected(
            &stories,
            "merge o-nobody | o-federal-reserve\n\
             split o-federal-reserve | Federal Reserve\n\
             split o-federal-reserve | Reuters\n\
             not-org Acme Widgets\n\
             merge Nobody Known | Reuters\n\
             rename o-reuters | Thomson Reuters\n",
        );
        assert_eq!(r.problems.len(), 5, "{:?}", r.problems);
        assert!(r.problems[0].starts_with("c.txt:4: no organisation is named"));
        assert!(r.problems[1].starts_with("c.txt:1: no organisation \"o-nobody\""));
        assert!(
            r.problems[2].starts_with("c.txt:2: \"Federal Reserve\" is the identity's own name")
        );
        assert!(r.problems[3].starts_with("c.txt:3: \"Reuters\" is not a name of"));
        assert!(r.problems[4].starts_with("c.txt:5: no person or organisation \"Nobody Known\""));
        // The good line still applied.
        assert_eq!(one(&r, "Reuters"), "Thomson Reuters");
        // And nothing else changed.
        assert_eq!(one(&r, "Fed"), "Federal Reserve");
    }

    #[test]
    fn cards_count_datelines_and_co_mentions() {
        let mut stories = fed_archive();
        for (s, d) in stories
            .iter_mut()
            .zip(["Washington", "Washington", "New York"])
        {
            s.dateline = Some(d.to_string());
        }
        let (mut r, keyed) = OrgRegistry::build(&stories);
        let people: Vec<Vec<String>> = (0..stories.len())
            .map(|n| {
                if n < 2 {
                    vec!["p-ben-bernanke".into()]
                } else {
                    vec![]
                }
            })
            .collect();
        r.add_cards(&stories, &keyed, &people);
        let fed = r.get(r.lookup("Federal Reserve")[0]);
        assert_eq!(
            fed.datelines,
            [("Washington".to_string(), 2), ("New York".to_string(), 1)]
        );
        assert_eq!(fed.co_people, [("p-ben-bernanke".to_string(), 2)]);
        let who = r.get(r.lookup("World Health Organisation")[0]);
        assert_eq!(who.co_mentioned, [("o-reuters".to_string(), 1)]);
        assert!(r.search("Reserve").contains(&r.lookup("Fed")[0]));
        assert!(r.search("serve").is_empty());
    }
}
