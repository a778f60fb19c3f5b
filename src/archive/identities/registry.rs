//! The registry: every person of the archive as one identity, built from
//! the names each story gives, and the rules that resolve a story's names
//! to identities.
//!
//! How names become identities, in three passes over the stories:
//!
//! 1. **Full names found identities.** A name with a first name written
//!    out and a surname ("James Baker", "George W. Bush") is a *root* unless
//!    another full name is a fuller way of writing it ("George Bush" next to
//!    "George W. Bush"). Roots that are spellings of one name (`Sergei` and
//!    `Sergey`, `Karl-Otto Pöhl` and `Karl Otto Poehl`, `H.W.` and
//!    `Herbert Walker`) are one identity. Two names with different first
//!    names are never one identity.
//! 2. **Shorter full names resolve per story** ("George Bush", "J. Baker"):
//!    to the one root they can abbreviate that is active in the story's
//!    period, or, among several, to the one the story's context favours by
//!    a clear margin ([`context`](super::context)); when none fits, the
//!    name is an identity of its own, and when several fit equally, an
//!    ambiguous value.
//! 3. **Bare surnames resolve per story** ("Baker"): the story's own full
//!    name was already applied when the story was enriched; here the
//!    surname goes to the archive's identity with that surname in the
//!    story's period, chosen by context among several. A surname no one
//!    is known by in full stays itself ("Lyng"); one that context cannot
//!    settle stays an ambiguous value ("Baker (ambiguous)"), which a query
//!    for the surname still finds. Capitalised-headline subjects
//!    ([`crate::enrich::headline_names`]) resolve the same way, but only to
//!    people the archive knows.
//!
//! The registry keeps the tables these passes froze, so a story read back
//! for a hit resolves exactly as it did when the registry was built.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::context::{self, Evidence, Profile, Vocabulary};
use super::corrections::{Correction, Corrections};
use super::names::{proper_case, Name};

/// Days either side of an identity's first and last full-name story within
/// which its bare surname can still be that identity.
const PERIOD_DAYS: i32 = 730;

/// The same for a shorter full name ("George Bush" for "George W. Bush"):
/// first name and surname agree, so only a generation apart (a father and
/// a son of one name) is another person.
const FULL_NAME_PERIOD_DAYS: i32 = 3650;

/// Stories an identity needs before a capitalised headline's bare
/// surname is taken for it: a headline's "WHITE" or "PRICE" is a word
/// unless the archive writes about someone of that name.
const MIN_HINT_STORIES: u32 = 3;

/// Log-likelihood ratio, over the background, a story needs for a
/// headline's word to be taken as a person known by that surname.
const HINT_FIT: f64 = 0.0;

/// What kind of value an identity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person named in full somewhere in the archive.
    Person,
    /// A surname never given in full with a first name.
    Surname,
    /// A name that stories use for several people (or organisations)
    /// without saying which.
    Ambiguous,
    /// An organisation ([`super::orgs`]).
    Organisation,
}

/// One person (or one unresolved name) across the archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// Stable id, e.g. `p-james-baker`: from the name, not from counts.
    pub id: String,
    /// The most common full form, e.g. `James Baker`.
    pub name: String,
    pub kind: Kind,
    /// Every form stories use for it, with the number of stories.
    pub aliases: Vec<(String, u32)>,
    /// Stories that mention it.
    pub stories: u32,
    /// First and last story dates (`YYYY-MM-DD`).
    pub first: Option<String>,
    pub last: Option<String>,
    /// Most frequent datelines of its stories, with counts.
    pub datelines: Vec<(String, u32)>,
    /// Identities of its kind most often in the same stories: (id,
    /// stories).
    pub co_mentioned: Vec<(String, u32)>,
    /// For an organisation, the people most often in its stories: (id,
    /// stories). Filled only for `--orgs` ([`super::orgs::OrgRegistry::add_cards`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_people: Vec<(String, u32)>,
}

/// Rows kept in an identity's top lists.
pub(super) const TOP: usize = 10;

/// What a name in a story resolved to before corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Identity(u32),
    /// The name is its own identity (found or made by `fallback`).
    Own,
    Ambiguous,
}

/// The frozen tables of resolution, in raw (before-corrections) identity
/// numbers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Tables {
    /// Root form key → identity.
    roots: HashMap<String, u32>,
    /// Shorter full form key → the roots it can abbreviate.
    partials: HashMap<String, Vec<u32>>,
    /// Surname → identities known by a full name with it.
    surnames: HashMap<String, Vec<u32>>,
    /// Name key → the identity it is when it resolves to itself.
    own: HashMap<String, u32>,
    /// Name key → its ambiguous value.
    ambiguous: HashMap<String, u32>,
    /// Each raw identity's span of full-name stories (days).
    active: Vec<Option<(i32, i32)>>,
    /// Each raw identity's full-name stories.
    support: Vec<u32>,
    /// Context profiles of the identities that share a name with another.
    profiles: HashMap<u32, Profile>,
    vocab: Vocabulary,
    /// Surnames for whose stories context is recorded.
    contested: HashSet<String>,
    /// Name keys that are not people (corrections).
    not_person: HashSet<String>,
    /// Leading words that are titles, not first names.
    #[serde(default)]
    titles: Titles,
    /// (raw identity, form key, final identity): corrections' splits.
    splits: Vec<(u32, String, u32)>,
    /// Raw identity → final identity.
    remap: Vec<u32>,
}

/// The identity registry of an archive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registry {
    /// Final identities, indexed by [`IdentityId`].
    pub identities: Vec<Identity>,
    tables: Tables,
    /// Form key → final identities it was resolved to, with stories.
    denotes: HashMap<String, Vec<(u32, u32)>>,
    /// Surname → final identities with that surname.
    by_surname: HashMap<String, Vec<u32>>,
    /// Id (including ids merged away) → final identity.
    by_id: HashMap<String, u32>,
    /// Corrections that could not be applied: `PATH:LINE: reason`.
    pub problems: Vec<String>,
    /// Lines of names only (by their place in the corrections) that no
    /// person has: the organisations' to try.
    #[serde(default)]
    pub unplaced: Vec<usize>,
}

/// An index into [`Registry::identities`].
pub type IdentityId = u32;

/// Why a correction's name found no one identity.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Miss {
    None(String),
    Several(String),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::None(what) => write!(f, "no identity {what:?} (give its id or display name)"),
            Miss::Several(what) => write!(f, "{what:?} names several identities; give an id"),
        }
    }
}

/// A story's names resolved: one entry per identity, in name order.
pub type Resolved = Vec<IdentityId>;

/// A story's names resolved, with the form key each came from.
pub type Keyed = Vec<(IdentityId, String)>;

/// The identities of a keyed story, each once, in name order.
pub fn distinct(keyed: &Keyed) -> Resolved {
    let mut out = Resolved::with_capacity(keyed.len());
    for &(id, _) in keyed {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Names parsed once per distinct spelling, with the archive's leading
/// title words ([`Tables::titles`]) taken off.
#[derive(Default)]
struct Parsed<'a> {
    cache: HashMap<String, Option<Name>>,
    titles: Option<&'a Titles>,
}

/// Leading words the archive shows are not first names, and the full
/// forms a name stripped of them must end in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Titles {
    words: HashSet<String>,
    forms: HashSet<String>,
}

impl Titles {
    /// Finds the words that lead a full form ("Exchequer Nigel Lawson",
    /// "Chairman Paul Volcker") whose rest is a full form of its own
    /// ("Nigel Lawson") and that never lead a two-word name: a tagger's
    /// span that took in a title its list did not know. A real first name
    /// ("John" of "John Paul Jones") leads some two-word name somewhere.
    fn find(forms: &BTreeMap<String, FormStats>) -> Titles {
        let mut firsts: HashSet<&str> = HashSet::new();
        for f in forms.values() {
            if let Some(n) = &f.name {
                if n.parts.len() == 2 {
                    firsts.insert(&n.parts[0].text);
                }
            }
        }
        let mut t = Titles {
            words: HashSet::new(),
            forms: forms
                .iter()
                .filter(|(_, f)| f.name.as_ref().is_some_and(Name::is_complete))
                .map(|(k, _)| k.clone())
                .collect(),
        };
        for f in forms.values() {
            let Some(n) = &f.name else { continue };
            for i in 1..n.parts.len().saturating_sub(1) {
                let lead = &n.parts[..i];
                if lead
                    .iter()
                    .any(|p| p.initial || firsts.contains(p.text.as_str()))
                {
                    break;
                }
                if t.forms.contains(&key_of(&n.parts[i..])) {
                    t.words.extend(lead.iter().map(|p| p.text.clone()));
                    break;
                }
            }
        }
        t
    }

    /// The name without its leading title words, when what is left is a
    /// full form of the archive.
    fn strip(&self, n: Name) -> Name {
        for i in 1..n.parts.len().saturating_sub(1) {
            if !self.words.contains(&n.parts[i - 1].text) {
                break;
            }
            if self.forms.contains(&key_of(&n.parts[i..])) {
                return Name {
                    parts: n.parts[i..].to_vec(),
                };
            }
        }
        n
    }
}

fn key_of(parts: &[super::names::Part]) -> String {
    parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

impl<'a> Parsed<'a> {
    fn with(titles: &'a Titles) -> Parsed<'a> {
        Parsed {
            cache: HashMap::new(),
            titles: Some(titles),
        }
    }

    fn get(&mut self, raw: &str) -> Option<Name> {
        if let Some(n) = self.cache.get(raw) {
            return n.clone();
        }
        let n = Name::parse(raw)
            .filter(|n| !n.is_company())
            .map(|n| match self.titles {
                Some(t) => t.strip(n),
                None => n,
            });
        self.cache.insert(raw.to_string(), n.clone());
        n
    }
}

/// One form's statistics while building.
#[derive(Default)]
struct FormStats {
    name: Option<Name>,
    stories: u32,
}

impl Registry {
    /// Builds the registry from every story's evidence, applying
    /// corrections. Returns the registry and each story's identities.
    pub fn build(stories: &[Evidence], corrections: &Corrections) -> (Registry, Vec<Resolved>) {
        let (registry, keyed) = Registry::build_keyed(stories, corrections);
        let resolved = keyed.iter().map(distinct).collect();
        (registry, resolved)
    }

    /// [`Registry::build`], with each story's names as (identity, form
    /// key) in name order, a name per entry.
    pub fn build_keyed(stories: &[Evidence], corrections: &Corrections) -> (Registry, Vec<Keyed>) {
        let mut parsed = Parsed::default();
        let mut t = Tables::default();
        let mut problems = corrections.problems.clone();
        for c in &corrections.items {
            if let Correction::NotPerson(n) = &c.correction {
                match Name::parse(n) {
                    Some(name) => {
                        t.not_person.insert(name.key());
                    }
                    None => problems.push(format!("{}: not a name: {n:?}", c.at)),
                }
            }
        }

        // Forms of full names and how many stories give each: first as
        // written, to find the title words, then without them.
        let collect = |parsed: &mut Parsed| {
            let mut forms: BTreeMap<String, FormStats> = BTreeMap::new();
            for ev in stories {
                for raw in &ev.people {
                    if let Some(n) = parsed.get(raw) {
                        let k = n.key();
                        if n.is_bare() || t.not_person.contains(&k) {
                            continue;
                        }
                        let f = forms.entry(k).or_default();
                        f.stories += 1;
                        f.name.get_or_insert(n);
                    }
                }
            }
            forms
        };
        let titles = Titles::find(&collect(&mut parsed));
        let mut parsed = Parsed::with(&titles);
        let forms = collect(&mut parsed);

        // Pass 1: roots, grouped by (first name, surname).
        let mut buckets: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        let mut by_last: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, f) in &forms {
            let n = f.name.as_ref().expect("every form has a name");
            by_last
                .entry(n.last().to_string())
                .or_default()
                .push(k.clone());
            if n.is_complete() {
                let first = n.first().expect("complete").text.clone();
                buckets
                    .entry((first, n.last().to_string()))
                    .or_default()
                    .push(k.clone());
            }
        }
        let name_of = |k: &str| forms[k].name.as_ref().expect("named");
        let mut next = 0u32;
        for keys in buckets.values() {
            let roots: Vec<&String> = keys
                .iter()
                .filter(|k| {
                    let n = name_of(k);
                    !keys.iter().any(|g| {
                        let gn = name_of(g);
                        n.could_abbreviate(gn) && !n.same_as(gn)
                    })
                })
                .collect();
            // Spellings of one name are one identity (a small union-find:
            // buckets are a handful of forms).
            let mut group: Vec<usize> = (0..roots.len()).collect();
            for i in 0..roots.len() {
                for j in 0..i {
                    if name_of(roots[i]).same_as(name_of(roots[j])) {
                        let (gi, gj) = (group[i], group[j]);
                        for g in group.iter_mut() {
                            if *g == gi {
                                *g = gj;
                            }
                        }
                    }
                }
            }
            let mut ids: HashMap<usize, u32> = HashMap::new();
            for (i, k) in roots.iter().enumerate() {
                let id = *ids.entry(group[i]).or_insert_with(|| {
                    next += 1;
                    next - 1
                });
                t.roots.insert((*k).clone(), id);
            }
        }
        let roots_count = next;
        t.active = vec![None; roots_count as usize];
        t.support = vec![0; roots_count as usize];

        // Shorter full forms and the roots they can abbreviate.
        for keys in by_last.values() {
            for k in keys {
                if t.roots.contains_key(k) {
                    continue;
                }
                let n = name_of(k);
                let mut cands: Vec<u32> = keys
                    .iter()
                    .filter_map(|g| t.roots.get(g).map(|&id| (g, id)))
                    .filter(|(g, _)| n.could_abbreviate(name_of(g)))
                    .map(|(_, id)| id)
                    .collect();
                cands.sort_unstable();
                cands.dedup();
                t.partials.insert(k.clone(), cands);
            }
        }

        // Surnames where context may be needed: two or more full forms.
        for (last, keys) in &by_last {
            if keys.len() >= 2 {
                t.contested.insert(last.clone());
            }
        }

        // Background and direct stories of each root.
        let mut features: Vec<Option<Vec<u32>>> = Vec::with_capacity(stories.len());
        for ev in stories {
            features.push(Some(t.vocab.count(&ev.features(""))));
        }
        let mut direct: Vec<Vec<u32>> = vec![Vec::new(); stories.len()];
        for (s, ev) in stories.iter().enumerate() {
            for raw in &ev.people {
                if let Some(n) = parsed.get(raw) {
                    if let Some(&id) = t.roots.get(&n.key()) {
                        if !direct[s].contains(&id) {
                            direct[s].push(id);
                        }
                    }
                }
            }
            for &id in &direct[s] {
                t.support[id as usize] += 1;
                widen(&mut t.active[id as usize], ev.day);
            }
        }
        // Profiles of roots that share a surname with another identity,
        // or that a headline could name.
        let mut profiled: HashSet<u32> = HashSet::new();
        for (last, keys) in &by_last {
            for k in keys {
                if let Some(&id) = t.roots.get(k) {
                    if t.contested.contains(last) || t.support[id as usize] >= MIN_HINT_STORIES {
                        profiled.insert(id);
                    }
                }
            }
        }
        add_profiles(&mut t, &profiled, &direct, &features, stories);

        // Pass 2: shorter full forms, per story; unresolved ones become
        // identities of their own.
        // Every story that names an identity in full counts for it,
        // whichever full form it uses: a root written out once ("Paul A.
        // Volcker") is known by the stories of its shorter form ("Paul
        // Volcker"): its support, its period and its context profile.
        let mut named = direct;
        for (s, ev) in stories.iter().enumerate() {
            for raw in &ev.people {
                let Some(n) = parsed.get(raw) else { continue };
                let k = n.key();
                if !t.partials.contains_key(&k) || t.not_person.contains(&k) {
                    continue;
                }
                let feats = features[s].as_deref().unwrap_or(&[]);
                let id = match t.resolve_partial(&k, ev.day, feats) {
                    Outcome::Own => t.own_id(&k, &mut next),
                    Outcome::Identity(id) => id,
                    Outcome::Ambiguous => continue,
                };
                if !named[s].contains(&id) {
                    named[s].push(id);
                    t.support[id as usize] += 1;
                    widen(&mut t.active[id as usize], ev.day);
                }
            }
        }
        // Surname candidates: roots and the full names of their own.
        for (k, &id) in t.roots.iter().chain(t.own.iter()) {
            let last = name_of(k).last().to_string();
            let v = t.surnames.entry(last).or_default();
            if !v.contains(&id) {
                v.push(id);
            }
        }
        for v in t.surnames.values_mut() {
            v.sort_unstable();
        }
        // Profiles again, from every full-name story of each identity that
        // shares its surname with another or that a headline could name.
        for v in t.surnames.values() {
            profiled.extend(
                v.iter()
                    .filter(|&&id| v.len() >= 2 || t.support[id as usize] >= MIN_HINT_STORIES),
            );
        }
        t.profiles.clear();
        add_profiles(&mut t, &profiled, &named, &features, stories);

        // Pass 3: every story resolved with the frozen tables.
        let mut raw_resolved: Vec<Vec<(u32, String, String)>> = Vec::with_capacity(stories.len());
        for ev in stories {
            let targets = t.resolve(ev, &mut parsed);
            raw_resolved.push(place(targets, |kind, key| {
                Some(t.fallback(kind, key, &mut next))
            }));
        }
        t.active.resize(next as usize, None);
        t.support.resize(next as usize, 0);
        drop(parsed);
        t.titles = titles;

        let registry = Registry {
            tables: t,
            ..Registry::default()
        };
        registry.finish(stories, raw_resolved, next, corrections, problems)
    }

    /// Names the identities, applies corrections and gathers statistics.
    fn finish(
        mut self,
        stories: &[Evidence],
        raw: Vec<Vec<(u32, String, String)>>,
        count: u32,
        corrections: &Corrections,
        mut problems: Vec<String>,
    ) -> (Registry, Vec<Keyed>) {
        // Spellings per raw identity, to name and identify them.
        let mut spellings: Vec<HashMap<String, u32>> = vec![HashMap::new(); count as usize];
        for story in &raw {
            for (id, _, spelling) in story {
                *spellings[*id as usize].entry(spelling.clone()).or_insert(0) += 1;
            }
        }
        let ambiguous: HashSet<u32> = self.tables.ambiguous.values().copied().collect();
        let surname_only: HashSet<u32> = self
            .tables
            .own
            .iter()
            .filter(|(k, _)| !k.contains(' '))
            .map(|(_, &id)| id)
            .collect();
        let kind_of = |id: u32| {
            if ambiguous.contains(&id) {
                Kind::Ambiguous
            } else if surname_only.contains(&id) {
                Kind::Surname
            } else {
                Kind::Person
            }
        };
        let mut names: Vec<String> = (0..count)
            .map(|id| display_name(&spellings[id as usize], kind_of(id)))
            .collect();
        // Ids read as the names do: the display name's words, folded.
        let id_keys: Vec<String> = names
            .iter()
            .map(|n| {
                let n = n.strip_suffix(AMBIGUOUS_SUFFIX).unwrap_or(n);
                slug(n).replace('-', " ")
            })
            .collect();
        let kinds_now: Vec<Kind> = (0..count).map(kind_of).collect();
        let mut ids = unique_ids(&id_keys, &spellings, &kinds_now);

        // Corrections: splits add identities; merges map several to one.
        let mut remap: Vec<u32> = (0..count).collect();
        let mut kinds: Vec<Kind> = (0..count).map(kind_of).collect();
        let lookup = |reg: &Registry, ids: &[String], names: &[String], raw_name: &str| {
            reg.raw_lookup(ids, names, raw_name)
        };
        for (n, c) in corrections.items.iter().enumerate() {
            if c.correction.for_orgs() {
                continue;
            }
            // A line of names the people do not have may be the
            // organisations' (`OrgRegistry`): left to them.
            if c.correction.names_only()
                && c.correction
                    .identities()
                    .iter()
                    .any(|a| self.raw_lookup(&ids, &names, a) == Err(Miss::None(a.to_string())))
            {
                self.unplaced.push(n);
                continue;
            }
            match &c.correction {
                Correction::Split { identity, form } => {
                    match lookup(&self, &ids, &names, identity) {
                        Ok(id) => {
                            let Some(key) = Name::parse(form).map(|n| n.key()) else {
                                problems.push(format!("{}: not a name: {form:?}", c.at));
                                continue;
                            };
                            let new = remap.len() as u32;
                            remap.push(new);
                            kinds.push(Kind::Person);
                            names.push(form.clone());
                            ids.push(format!("{}-{}", ids[id as usize], slug(form)));
                            spellings.push(HashMap::new());
                            self.tables.splits.push((id, key, new));
                        }
                        Err(e) => problems.push(format!("{}: {e}", c.at)),
                    }
                }
                Correction::Rename { identity, name } => {
                    match lookup(&self, &ids, &names, identity) {
                        Ok(id) => names[id as usize] = name.clone(),
                        Err(e) => problems.push(format!("{}: {e}", c.at)),
                    }
                }
                Correction::Merge(list) => {
                    let found: Result<Vec<u32>, Miss> = list
                        .iter()
                        .map(|n| lookup(&self, &ids, &names, n))
                        .collect();
                    match found {
                        Ok(found) => {
                            let into = resolve_remap(&remap, found[0]);
                            for &other in &found[1..] {
                                let other = resolve_remap(&remap, other);
                                if other != into {
                                    remap[other as usize] = into;
                                }
                            }
                        }
                        Err(e) => problems.push(format!("{}: {e}", c.at)),
                    }
                }
                Correction::NotPerson(_) | Correction::NotOrg(_) => {}
            }
        }
        // Final numbering: every raw identity that is its own final one.
        let total = remap.len() as u32;
        let roots: Vec<u32> = (0..total)
            .filter(|&i| resolve_remap(&remap, i) == i)
            .collect();
        let mut final_of: HashMap<u32, u32> = HashMap::new();
        for (n, &r) in roots.iter().enumerate() {
            final_of.insert(r, n as u32);
        }
        self.tables.remap = (0..total)
            .map(|i| final_of[&resolve_remap(&remap, i)])
            .collect();
        for (i, id) in ids.iter().enumerate() {
            self.by_id.insert(id.clone(), self.tables.remap[i]);
        }

        // Each story's final identities, and the statistics of each.
        let mut resolved: Vec<Keyed> = Vec::with_capacity(raw.len());
        let mut stats: Vec<Stats> = vec![Stats::default(); roots.len()];
        for (s, story) in raw.iter().enumerate() {
            let mut ids_here: Resolved = Vec::new();
            let mut keyed: Keyed = Vec::with_capacity(story.len());
            for (raw_id, key, spelling) in story {
                let f = self.final_id(*raw_id, key);
                keyed.push((f, key.clone()));
                let st = &mut stats[f as usize];
                if !ids_here.contains(&f) {
                    ids_here.push(f);
                    st.stories += 1;
                    widen(&mut st.span, stories[s].day);
                    if let Some(d) = &stories[s].dateline {
                        *st.datelines.entry(d.clone()).or_insert(0) += 1;
                    }
                }
                *st.aliases.entry(spelling.clone()).or_insert(0) += 1;
                let d = self.denotes.entry(key.clone()).or_default();
                match d.iter_mut().find(|(i, _)| *i == f) {
                    Some((_, n)) => *n += 1,
                    None => d.push((f, 1)),
                }
            }
            for &a in &ids_here {
                for &b in &ids_here {
                    if a != b {
                        *stats[a as usize].co.entry(b).or_insert(0) += 1;
                    }
                }
            }
            resolved.push(keyed);
        }
        for d in self.denotes.values_mut() {
            d.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        let final_ids: Vec<String> = roots.iter().map(|&r| ids[r as usize].clone()).collect();
        self.identities = roots
            .iter()
            .zip(stats)
            .map(|(&r, st)| {
                let name = names[r as usize].clone();
                Identity {
                    id: ids[r as usize].clone(),
                    name,
                    kind: kinds[r as usize],
                    aliases: top(st.aliases, usize::MAX),
                    stories: st.stories,
                    first: st.span.map(|s| day_string(s.0)),
                    last: st.span.map(|s| day_string(s.1)),
                    datelines: top(st.datelines, TOP),
                    co_mentioned: top(st.co, TOP)
                        .into_iter()
                        .map(|(i, n)| (final_ids[i as usize].clone(), n))
                        .collect(),
                    co_people: Vec::new(),
                }
            })
            .collect();
        for (i, ident) in self.identities.iter().enumerate() {
            let bare = ident
                .name
                .strip_suffix(AMBIGUOUS_SUFFIX)
                .unwrap_or(&ident.name);
            if let Some(n) = Name::parse(bare) {
                self.by_surname
                    .entry(n.last().to_string())
                    .or_default()
                    .push(i as u32);
            }
        }
        self.problems = problems;
        (self, resolved)
    }

    fn final_id(&self, raw: u32, key: &str) -> u32 {
        let raw = self
            .tables
            .splits
            .iter()
            .find(|(id, k, _)| *id == raw && k == key)
            .map_or(raw, |&(_, _, new)| new);
        self.tables.remap[raw as usize]
    }

    /// A raw identity named by id, by display name or by a name that
    /// resolved to one identity, for corrections.
    fn raw_lookup(&self, ids: &[String], names: &[String], what: &str) -> Result<u32, Miss> {
        if let Some(i) = ids.iter().position(|id| id == what) {
            return Ok(i as u32);
        }
        let found: Vec<u32> = (0..names.len() as u32)
            .filter(|&i| names[i as usize] == what)
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(Miss::None(what.to_string())),
            _ => Err(Miss::Several(what.to_string())),
        }
    }

    /// Resolves one story's names to identities, as the registry resolved
    /// it when it was built. Names it has never seen resolve when a rule
    /// allows; otherwise they are left out.
    pub fn resolve_story(&self, ev: &Evidence) -> Resolved {
        let mut parsed = Parsed::with(&self.tables.titles);
        let targets = self.tables.resolve(ev, &mut parsed);
        let raw = place(targets, |kind, key| self.tables.existing(kind, key));
        let mut out = Resolved::new();
        for (id, key, _) in raw {
            let f = self.final_id(id, &key);
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// The identity one name denotes in a story of `day`, without context:
    /// for callers (quotations) that have a speaker's name and a date.
    pub fn resolve(&self, name: &str, day: Option<i32>) -> Option<IdentityId> {
        let ev = Evidence {
            day,
            people: vec![name.to_string()],
            ..Evidence::default()
        };
        self.resolve_story(&ev).first().copied()
    }

    /// The identities a query name means: those the archive's stories
    /// resolve this name to (with its ambiguous value) and, for a bare
    /// surname, every identity with it; failing that, the identities it
    /// could abbreviate. Empty when the registry does not
    /// know the name.
    pub fn lookup(&self, query: &str) -> Vec<IdentityId> {
        lookup_in(self, query)
    }

    /// Every form key with the identities it was resolved to, most
    /// stories first: for the cache.
    pub(super) fn denoted_forms(&self) -> Vec<(String, Vec<u32>)> {
        self.denotes
            .iter()
            .map(|(k, d)| (k.clone(), d.iter().map(|&(i, _)| i).collect()))
            .collect()
    }

    /// Every id, including ids merged away, with its identity.
    pub(super) fn ids(&self) -> impl Iterator<Item = (&str, u32)> {
        self.by_id.iter().map(|(k, &v)| (k.as_str(), v))
    }

    /// Every surname with the identities that have it.
    pub(super) fn surnames(&self) -> Vec<(String, Vec<u32>)> {
        self.by_surname
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Identities whose names or aliases contain `query` (folded), most
    /// stories first: for `--people NAME`.
    pub fn search(&self, query: &str) -> Vec<IdentityId> {
        let mut out = self.lookup(query);
        if out.is_empty() {
            let q = Name::parse(query).map(|n| n.key()).unwrap_or_default();
            if q.is_empty() {
                return out;
            }
            for (i, ident) in self.identities.iter().enumerate() {
                let hit = ident
                    .aliases
                    .iter()
                    .any(|(a, _)| Name::parse(a).is_some_and(|n| n.key().contains(&q)));
                if hit {
                    out.push(i as u32);
                }
            }
        }
        out.sort_by_key(|&i| (std::cmp::Reverse(self.identities[i as usize].stories), i));
        out
    }

    /// For a bare surname in a story: each candidate identity in period
    /// with its score (log prior plus context fit) and its fit alone, for
    /// diagnostics.
    pub fn explain(&self, ev: &Evidence, surname: &str) -> Vec<(String, f64, f64)> {
        let t = &self.tables;
        let feats = t.vocab.known(&ev.features(""));
        let key = Name::parse(surname).map(|n| n.key()).unwrap_or_default();
        let empty = Profile::default();
        t.surnames
            .get(&key)
            .map_or(&[][..], |v| v)
            .iter()
            .filter(|&&c| t.in_period(c, ev.day, PERIOD_DAYS))
            .map(|&c| {
                let p = t.profiles.get(&c).unwrap_or(&empty);
                let fit = p.fit(&t.vocab, &feats);
                let name = self.get(t.remap[c as usize]).name.clone();
                (
                    name,
                    context::score(&t.vocab, p, &feats, context::FIT_WEIGHT),
                    fit,
                )
            })
            .collect()
    }

    /// Calibration of context resolution: for every story that names a
    /// person in full whose surname other identities of the period share,
    /// the first name is hidden and the candidates scored with that story
    /// left out of its person's profile. Returns (margin of the best over
    /// the next, whether the best is the person) per such story.
    pub fn calibration(&self, stories: &[Evidence], weight: f64) -> Vec<(f64, bool)> {
        let t = &self.tables;
        let mut out = Vec::new();
        let empty = Profile::default();
        for ev in stories {
            let feats = t.vocab.known(&ev.features(""));
            for raw in &ev.people {
                let Some(n) = Name::parse(raw).filter(|n| !n.is_company()) else {
                    continue;
                };
                let Some(&truth) = t.roots.get(&n.key()) else {
                    continue;
                };
                let cands: Vec<u32> = t
                    .surnames
                    .get(n.last())
                    .map_or(&[][..], |v| v)
                    .iter()
                    .copied()
                    .filter(|&c| t.in_period(c, ev.day, PERIOD_DAYS))
                    .collect();
                // Someone named in only a story or two has nobody's
                // profile to be recognised by once that story is left out.
                if cands.len() < 2 || !cands.contains(&truth) || t.support[truth as usize] < 3 {
                    continue;
                }
                // A story that names two of them in full says nothing of
                // how a bare surname would resolve.
                let named: Vec<u32> = ev
                    .people
                    .iter()
                    .filter_map(|p| Name::parse(p))
                    .filter_map(|n| t.roots.get(&n.key()).copied())
                    .collect();
                if cands.iter().filter(|c| named.contains(c)).count() > 1 {
                    continue;
                }
                let scores: Vec<f64> = cands
                    .iter()
                    .map(|&c| {
                        let p = t.profiles.get(&c).unwrap_or(&empty);
                        if c == truth {
                            context::score(&t.vocab, &p.without(&feats), &feats, weight)
                        } else {
                            context::score(&t.vocab, p, &feats, weight)
                        }
                    })
                    .collect();
                let mut order: Vec<usize> = (0..scores.len()).collect();
                order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
                let margin = scores[order[0]] - scores[order[1]];
                out.push((margin, cands[order[0]] == truth));
            }
        }
        out
    }

    /// The identity with this id.
    pub fn by_id(&self, id: &str) -> Option<IdentityId> {
        self.by_id.get(id).copied()
    }

    /// The identity of an index.
    pub fn get(&self, id: IdentityId) -> &Identity {
        &self.identities[id as usize]
    }
}

impl super::cache::Table for Registry {
    fn identities(&self) -> &[Identity] {
        &self.identities
    }
    fn denoted_forms(&self) -> Vec<(String, Vec<u32>)> {
        Registry::denoted_forms(self)
    }
    fn all_ids(&self) -> Vec<(String, u32)> {
        self.ids().map(|(k, v)| (k.to_string(), v)).collect()
    }
    fn surnames(&self) -> Vec<(String, Vec<u32>)> {
        Registry::surnames(self)
    }
    fn json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The tables a query name is looked up in: the registry's own, or the
/// cache's as it lies on disk ([`super::cache::View`]).
pub(super) trait NameIndex {
    fn id_named(&self, id: &str) -> Option<u32>;
    fn denoted(&self, key: &str) -> Vec<u32>;
    fn with_surname(&self, last: &str) -> Vec<u32>;
    fn name_of(&self, i: u32) -> &str;
    fn kind_of(&self, i: u32) -> Kind;
}

impl NameIndex for Registry {
    fn id_named(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }
    fn denoted(&self, key: &str) -> Vec<u32> {
        self.denotes
            .get(key)
            .map(|d| d.iter().map(|&(i, _)| i).collect())
            .unwrap_or_default()
    }
    fn with_surname(&self, last: &str) -> Vec<u32> {
        self.by_surname.get(last).cloned().unwrap_or_default()
    }
    fn name_of(&self, i: u32) -> &str {
        &self.identities[i as usize].name
    }
    fn kind_of(&self, i: u32) -> Kind {
        self.identities[i as usize].kind
    }
}

/// [`Registry::lookup`] over any [`NameIndex`].
pub(super) fn lookup_in(ix: &impl NameIndex, query: &str) -> Vec<IdentityId> {
    let q = query.trim();
    if let Some(id) = ix.id_named(q) {
        return vec![id];
    }
    let q = q.strip_suffix(AMBIGUOUS_SUFFIX).unwrap_or(q);
    let Some(name) = Name::parse(q) else {
        return Vec::new();
    };
    let mut out = ix.denoted(&name.key());
    // A surname alone means everyone known by it: also those whose
    // stories never use it bare.
    if name.is_bare() {
        out.extend(ix.with_surname(name.last()));
    }
    if out.is_empty() {
        out = ix
            .with_surname(name.last())
            .into_iter()
            .filter(|&i| {
                ix.kind_of(i) != Kind::Ambiguous
                    && Name::parse(ix.name_of(i)).is_some_and(|full| {
                        name.is_bare() || name.could_abbreviate(&full) || name.same_as(&full)
                    })
            })
            .collect();
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What an ambiguous value's display name ends with.
pub const AMBIGUOUS_SUFFIX: &str = " (ambiguous)";

/// Which fallback a name needs.
#[derive(Clone, Copy)]
enum Fallback {
    Own,
    Ambiguous,
}

/// Names resolved, with their fallbacks still to be given ids.
type Targets = Vec<(Outcome, String, String)>;

/// Gives fallbacks their identities and drops repeats: (raw identity,
/// form key, spelling) per name.
fn place(
    targets: Targets,
    mut fallback: impl FnMut(Fallback, &str) -> Option<u32>,
) -> Vec<(u32, String, String)> {
    let mut out: Vec<(u32, String, String)> = Vec::new();
    for (outcome, key, spelling) in targets {
        let id = match outcome {
            Outcome::Identity(id) => Some(id),
            Outcome::Own => fallback(Fallback::Own, &key),
            Outcome::Ambiguous => fallback(Fallback::Ambiguous, &key),
        };
        if let Some(id) = id {
            if !out.iter().any(|(i, _, _)| *i == id) {
                out.push((id, key, spelling));
            }
        }
    }
    out
}

impl Tables {
    fn own_id(&mut self, key: &str, next: &mut u32) -> u32 {
        if let Some(&id) = self.own.get(key) {
            return id;
        }
        let id = *next;
        *next += 1;
        self.active.push(None);
        self.support.push(0);
        self.own.insert(key.to_string(), id);
        id
    }

    fn fallback(&mut self, kind: Fallback, key: &str, next: &mut u32) -> u32 {
        match kind {
            Fallback::Own => self.own_id(key, next),
            Fallback::Ambiguous => {
                if let Some(&id) = self.ambiguous.get(key) {
                    return id;
                }
                let id = *next;
                *next += 1;
                self.active.push(None);
                self.support.push(0);
                self.ambiguous.insert(key.to_string(), id);
                id
            }
        }
    }

    fn existing(&self, kind: Fallback, key: &str) -> Option<u32> {
        match kind {
            Fallback::Own => self.own.get(key).copied(),
            Fallback::Ambiguous => self.ambiguous.get(key).copied(),
        }
    }

    fn in_period(&self, id: u32, day: Option<i32>, within: i32) -> bool {
        match (self.active.get(id as usize).copied().flatten(), day) {
            (Some((first, last)), Some(d)) => d >= first - within && d <= last + within,
            _ => true,
        }
    }

    /// Chooses among candidates: the one in period, or the one context
    /// favours. `None` when nothing fits, `Some(None)` when several fit
    /// equally.
    fn choose(
        &self,
        cands: &[u32],
        day: Option<i32>,
        within: i32,
        feats: &[u32],
    ) -> Option<Option<u32>> {
        let live: Vec<u32> = cands
            .iter()
            .copied()
            .filter(|&c| self.in_period(c, day, within))
            .collect();
        match live.as_slice() {
            [] => None,
            [one] => Some(Some(*one)),
            _ => {
                let empty = Profile::default();
                let profiles: Vec<&Profile> = live
                    .iter()
                    .map(|c| self.profiles.get(c).unwrap_or(&empty))
                    .collect();
                Some(
                    context::choose(&self.vocab, feats, &profiles, context::MARGIN)
                        .map(|i| live[i]),
                )
            }
        }
    }

    /// Whether a story's context is more like an identity's stories than
    /// like the archive's.
    fn fits(&self, id: u32, feats: &[u32]) -> bool {
        self.profiles
            .get(&id)
            .is_some_and(|p| p.fit(&self.vocab, feats) >= HINT_FIT)
    }

    fn resolve_partial(&self, key: &str, day: Option<i32>, feats: &[u32]) -> Outcome {
        let cands = self.partials.get(key).map_or(&[][..], |v| v);
        match self.choose(cands, day, FULL_NAME_PERIOD_DAYS, feats) {
            None => Outcome::Own,
            Some(None) => Outcome::Ambiguous,
            Some(Some(id)) => Outcome::Identity(id),
        }
    }

    /// A story's names as (outcome, form key, spelling), in name order.
    fn resolve(&self, ev: &Evidence, parsed: &mut Parsed) -> Targets {
        let mut out: Targets = Vec::new();
        let mut feats: Option<Vec<u32>> = None;
        for raw in &ev.people {
            out.extend(self.resolve_name(ev, parsed, &mut feats, false, raw));
        }
        for raw in &ev.hints {
            match self.resolve_name(ev, parsed, &mut feats, true, raw) {
                Some(found) => out.push(found),
                // A headline's capitals run a name into the words beside
                // it ("REAGAN IRAN SPEECH"): each word on its own, under
                // the same rules as a one-word headline name.
                None if raw.split_whitespace().nth(1).is_some() => {
                    for word in raw.split_whitespace() {
                        out.extend(self.resolve_name(ev, parsed, &mut feats, true, word));
                    }
                }
                None => {}
            }
        }
        out
    }

    /// One name of a story; a headline's name (`hint`) only when it is
    /// someone the archive knows.
    fn resolve_name(
        &self,
        ev: &Evidence,
        parsed: &mut Parsed,
        feats: &mut Option<Vec<u32>>,
        hint: bool,
        raw: &str,
    ) -> Option<(Outcome, String, String)> {
        let n = parsed.get(raw)?;
        let key = n.key();
        if self.not_person.contains(&key) {
            return None;
        }
        let mut context = |t: &Tables| -> Vec<u32> {
            feats
                .get_or_insert_with(|| t.vocab.known(&ev.features("")))
                .clone()
        };
        let outcome = if let Some(&id) = self.roots.get(&key) {
            Outcome::Identity(id)
        } else if self.partials.contains_key(&key) {
            let f = context(self);
            self.resolve_partial(&key, ev.day, &f)
        } else if n.is_bare() {
            let cands: Vec<u32> = self
                .surnames
                .get(&key)
                .map_or(&[][..], |v| v)
                .iter()
                .copied()
                .filter(|&c| !hint || self.support[c as usize] >= MIN_HINT_STORIES)
                .collect();
            let f = context(self);
            match self.choose(&cands, ev.day, PERIOD_DAYS, &f) {
                None => Outcome::Own,
                Some(None) => Outcome::Ambiguous,
                // A headline's word is that person only if the story
                // reads like the person's stories.
                Some(Some(id)) if hint && !self.fits(id, &f) => Outcome::Own,
                Some(Some(id)) => Outcome::Identity(id),
            }
        } else {
            Outcome::Own
        };
        if hint && !matches!(outcome, Outcome::Identity(_)) {
            return None;
        }
        let mut spelling = if hint {
            proper_case(raw)
        } else {
            raw.to_string()
        };
        // Without the title words the name was stripped of.
        let stripped = Name::parse(raw).map_or(0, |w| w.parts.len()) - n.parts.len();
        if stripped > 0 {
            spelling = spelling
                .split_whitespace()
                .skip(stripped)
                .collect::<Vec<_>>()
                .join(" ");
        }
        Some((outcome, key, spelling))
    }
}

/// Adds the profiles of `ids` from the stories each is directly named in.
fn add_profiles(
    t: &mut Tables,
    ids: &HashSet<u32>,
    direct: &[Vec<u32>],
    features: &[Option<Vec<u32>>],
    stories: &[Evidence],
) {
    if ids.is_empty() {
        return;
    }
    let _ = stories;
    for (s, named) in direct.iter().enumerate() {
        for id in named.iter().filter(|id| ids.contains(id)) {
            let f = features[s].as_deref().unwrap_or(&[]);
            t.profiles.entry(*id).or_default().add(f);
        }
    }
}

fn widen(span: &mut Option<(i32, i32)>, day: Option<i32>) {
    if let Some(d) = day {
        *span = Some(match *span {
            Some((a, b)) => (a.min(d), b.max(d)),
            None => (d, d),
        });
    }
}

fn resolve_remap(remap: &[u32], mut i: u32) -> u32 {
    while remap[i as usize] != i {
        i = remap[i as usize];
    }
    i
}

#[derive(Clone, Default)]
struct Stats {
    stories: u32,
    span: Option<(i32, i32)>,
    aliases: HashMap<String, u32>,
    datelines: HashMap<String, u32>,
    co: HashMap<u32, u32>,
}

pub(super) fn top<K: Ord + Clone>(counts: HashMap<K, u32>, n: usize) -> Vec<(K, u32)> {
    let mut v: Vec<(K, u32)> = counts.into_iter().collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// The display name of an identity: its most common full spelling, mixed
/// case before capitals.
fn display_name(spellings: &HashMap<String, u32>, kind: Kind) -> String {
    let full = |s: &str| kind != Kind::Person || s.contains(' ');
    let best = spellings
        .iter()
        .filter(|(s, _)| full(s))
        .max_by(|a, b| {
            let mixed = |s: &str| s.chars().any(char::is_lowercase);
            (mixed(a.0), a.1, std::cmp::Reverse(a.0)).cmp(&(
                mixed(b.0),
                b.1,
                std::cmp::Reverse(b.0),
            ))
        })
        .or_else(|| {
            spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        })
        .map(|(s, _)| proper_case(s))
        .unwrap_or_default();
    match kind {
        Kind::Ambiguous => format!("{best}{AMBIGUOUS_SUFFIX}"),
        _ => best,
    }
}

/// Ids from names: `p-james-baker` (first name and surname); identities
/// that would share one (a father and son, George H. W. and George W.
/// Bush) add their middle initials, then a number, in a fixed order, so an
/// id stays the same while the archive's names do.
fn unique_ids(keys: &[String], spellings: &[HashMap<String, u32>], kinds: &[Kind]) -> Vec<String> {
    let forms: Vec<(String, String)> = keys
        .iter()
        .zip(kinds)
        .map(|(k, kind)| {
            let parts: Vec<&str> = k.split(' ').collect();
            let short = match parts.as_slice() {
                [first, .., last] => format!("{first} {last}"),
                _ => k.clone(),
            };
            let long: String = match parts.as_slice() {
                [first, middle @ .., last] if !middle.is_empty() => {
                    let initials: Vec<String> = middle
                        .iter()
                        .filter_map(|m| m.chars().next())
                        .map(String::from)
                        .collect();
                    format!("{first} {} {last}", initials.join(" "))
                }
                _ => short.clone(),
            };
            let tag = |s: &str| match kind {
                Kind::Ambiguous => format!("p-{}.ambiguous", slug(s)),
                _ => format!("p-{}", slug(s)),
            };
            (tag(&short), tag(&long))
        })
        .collect();
    let mut short_count: HashMap<&str, u32> = HashMap::new();
    for (short, _) in &forms {
        *short_count.entry(short).or_insert(0) += 1;
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    // The identity most written about keeps the plainer id.
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(spellings[i].values().sum::<u32>()),
            keys[i].clone(),
        )
    });
    let mut taken: HashSet<String> = HashSet::new();
    let mut out = vec![String::new(); keys.len()];
    for i in order {
        let (short, long) = &forms[i];
        let mut id = if short_count[short.as_str()] > 1 && !taken.contains(long) {
            long.clone()
        } else {
            short.clone()
        };
        let mut n = 1;
        while taken.contains(&id) {
            n += 1;
            id = format!("{short}-{n}");
        }
        taken.insert(id.clone());
        out[i] = id;
    }
    out
}

/// Lowercase ASCII letters and digits joined by hyphens.
pub fn slug(s: &str) -> String {
    let folded = crate::enrich::gazetteer::fold::ascii(s).to_lowercase();
    let mut out = String::new();
    for w in folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(w);
    }
    out
}

fn day_string(day: i32) -> String {
    chrono::DateTime::from_timestamp(i64::from(day) * 86_400, 0)
        .map(|d| d.date_naive().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str) -> Option<i32> {
        let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        Some((d - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32)
    }

    fn story(date: &str, people: &[&str], orgs: &[&str], topics: &[&str]) -> Evidence {
        Evidence {
            day: day(date),
            people: people.iter().map(|s| s.to_string()).collect(),
            orgs: orgs.iter().map(|s| s.to_string()).collect(),
            topics: topics.iter().map(|s| s.to_string()).collect(),
            ..Evidence::default()
        }
        .normalized()
    }

    /// An archive with the hard cases: two Bakers of one year, Wilsons,
    /// Browns and Kims, a father and son, a woman who changes her name and
    /// an initial.
    fn archive() -> Vec<Evidence> {
        let mut s = Vec::new();
        for i in 0..40 {
            let date = format!("1987-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            s.push(story(
                &date,
                &["James Baker", "Paul Volcker", "Kiichi Miyazawa"],
                &["Treasury", "Federal Reserve", "IMF"],
                &["currency", "economy"],
            ));
        }
        for i in 0..40 {
            let date = format!("1987-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
            s.push(story(
                &date,
                &["Howard Baker", "Donald Regan", "Robert Dole"],
                &["White House", "Senate", "Congress"],
                &["government", "politics"],
            ));
        }
        // The rest of the archive: stories about other things.
        for i in 0..1500 {
            let org = format!("Company {}", i % 400);
            s.push(story(
                &format!("{}-06-01", 1970 + i % 40),
                &[],
                &[&org],
                &["business"],
            ));
        }
        for (name, year) in [
            ("Harold Wilson", "1975"),
            ("Woodrow Wilson", "1917"),
            ("Pete Wilson", "1991"),
        ] {
            for m in 1..=5 {
                s.push(story(&format!("{year}-{m:02}-10"), &[name], &[], &[]));
            }
        }
        for (name, org) in [("Gordon Brown", "Labour"), ("Jerry Brown", "California")] {
            for m in 1..=5 {
                s.push(story(&format!("2008-{m:02}-10"), &[name], &[org], &[]));
            }
        }
        for name in ["Kim Jong Il", "Kim Jong Un", "Kim Dae-jung"] {
            for m in 1..=5 {
                s.push(story(&format!("2010-{m:02}-10"), &[name], &[], &[]));
            }
        }
        for m in 1..=9 {
            s.push(story(
                &format!("1990-{m:02}-10"),
                &["George H.W. Bush"],
                &[],
                &[],
            ));
            s.push(story(
                &format!("1990-{m:02}-12"),
                &["George Bush"],
                &[],
                &[],
            ));
            s.push(story(
                &format!("2005-{m:02}-10"),
                &["George W. Bush"],
                &[],
                &[],
            ));
            s.push(story(
                &format!("2005-{m:02}-12"),
                &["George Bush"],
                &[],
                &[],
            ));
        }
        for m in 1..=5 {
            s.push(story(
                &format!("1975-{m:02}-10"),
                &["Hillary Rodham"],
                &[],
                &[],
            ));
            s.push(story(
                &format!("2000-{m:02}-10"),
                &["Hillary Rodham Clinton"],
                &[],
                &[],
            ));
            s.push(story(
                &format!("2008-{m:02}-10"),
                &["Hillary Clinton", "Bill Clinton"],
                &[],
                &[],
            ));
            s.push(story(
                &format!("1998-{m:02}-10"),
                &["Bill Clinton"],
                &[],
                &[],
            ));
        }
        s
    }

    fn one(r: &Registry, name: &str) -> u32 {
        let ids = r.lookup(name);
        assert_eq!(
            ids.len(),
            1,
            "{name} → {:?}",
            ids.iter().map(|&i| &r.get(i).name).collect::<Vec<_>>()
        );
        ids[0]
    }

    #[test]
    fn hard_cases_stay_apart() {
        let (r, _) = Registry::build(&archive(), &Corrections::default());
        // No identity holds two full names with different first names or
        // different middle initials.
        for ident in &r.identities {
            let full: Vec<Name> = ident
                .aliases
                .iter()
                .filter_map(|(a, _)| Name::parse(a))
                .filter(|n| n.is_complete())
                .collect();
            for a in &full {
                for b in &full {
                    assert!(
                        a.same_as(b) || a.could_abbreviate(b) || b.could_abbreviate(a),
                        "{} merges {:?} and {:?}",
                        ident.name,
                        a.key(),
                        b.key()
                    );
                }
            }
        }
        let distinct = [
            "James Baker",
            "Howard Baker",
            "Harold Wilson",
            "Woodrow Wilson",
            "Pete Wilson",
            "Gordon Brown",
            "Jerry Brown",
            "Kim Jong Il",
            "Kim Jong Un",
            "Kim Dae-jung",
            "George H.W. Bush",
            "George W. Bush",
            "Bill Clinton",
            "Hillary Rodham",
        ];
        let ids: HashSet<u32> = distinct.iter().map(|n| one(&r, n)).collect();
        assert_eq!(ids.len(), distinct.len());
        // A woman who changes her name: the fuller forms are one person,
        // her maiden name stays apart (a correction may merge it).
        assert_eq!(
            one(&r, "Hillary Clinton"),
            one(&r, "Hillary Rodham Clinton")
        );
        assert_ne!(one(&r, "Hillary Clinton"), one(&r, "Bill Clinton"));
        // Father and son: "George Bush" is each in his own period.
        let hw = one(&r, "George H.W. Bush");
        let w = one(&r, "George W. Bush");
        let bush = r.lookup("George Bush");
        assert_eq!(bush, {
            let mut v = vec![hw, w];
            v.sort_unstable();
            v
        });
        assert_eq!(r.get(hw).stories, 18);
        assert_eq!(r.get(w).stories, 18);
        assert_eq!(
            r.resolve("George Bush", day("1990-06-01"))
                .map(|i| r.get(i).id.clone()),
            Some(r.get(hw).id.clone())
        );
    }

    #[test]
    fn surnames_resolve_by_context_or_stay_ambiguous() {
        let mut stories = archive();
        let james_ctx = story(
            "1987-05-05",
            &["Baker", "Volcker", "Miyazawa"],
            &["Treasury", "Federal Reserve", "IMF"],
            &["currency", "economy"],
        );
        let howard_ctx = story(
            "1987-05-05",
            &["Baker", "Regan", "Dole"],
            &["White House", "Senate", "Congress"],
            &["government", "politics"],
        );
        let bare = story("1987-05-05", &["Baker"], &[], &[]);
        let initial = story("1987-05-06", &["J. Baker"], &[], &[]);
        stories.extend([
            james_ctx.clone(),
            howard_ctx.clone(),
            bare.clone(),
            initial.clone(),
        ]);
        let (r, resolved) = Registry::build(&stories, &Corrections::default());
        let n = stories.len();
        let james = one(&r, "James Baker");
        let howard = one(&r, "Howard Baker");
        assert!(resolved[n - 4].contains(&james));
        assert!(resolved[n - 3].contains(&howard));
        let ambiguous = resolved[n - 2][0];
        assert_eq!(r.get(ambiguous).kind, Kind::Ambiguous);
        assert_eq!(r.get(ambiguous).name, "Baker (ambiguous)");
        assert_eq!(resolved[n - 1], vec![james]);
        // The query "Baker" finds both Bakers and the ambiguous stories;
        // "James Baker", "BAKER"-free spellings and ids only James.
        let baker = r.lookup("baker");
        for id in [james, howard, ambiguous] {
            assert!(baker.contains(&id));
        }
        assert_eq!(r.lookup("JAMES BAKER"), vec![james]);
        assert_eq!(r.lookup(&r.get(james).id), vec![james]);
        // Resolving a stored story again gives what the build gave.
        assert_eq!(r.resolve_story(&james_ctx), resolved[n - 4]);
        assert_eq!(r.resolve_story(&bare), resolved[n - 2]);
    }

    #[test]
    fn corrections_apply_and_bad_lines_are_reported() {
        let stories = archive();
        let (plain, _) = Registry::build(&stories, &Corrections::default());
        let rodham = plain.get(one(&plain, "Hillary Rodham")).id.clone();
        let text = format!(
            "merge {} | Hillary Rodham\nrename Bill Clinton | William Jefferson Clinton\nnot-person Kim Jong Un\nsplit {} | George Bush\nmerge nobody | Hillary Rodham\nfrobnicate\n",
            plain.get(one(&plain, "Hillary Clinton")).id,
            plain.get(one(&plain, "George W. Bush")).id,
        );
        let c = Corrections::parse("corrections.txt", &text);
        let (r, _) = Registry::build(&stories, &c);
        assert_eq!(one(&r, "Hillary Rodham"), one(&r, "Hillary Clinton"));
        assert_eq!(one(&r, &rodham), one(&r, "Hillary Clinton"));
        assert_eq!(
            r.get(one(&r, "Bill Clinton")).name,
            "William Jefferson Clinton"
        );
        assert!(r.lookup("Kim Jong Un").is_empty());
        // The 2005 "George Bush" stories are their own identity now.
        let w = one(&r, "George W. Bush");
        assert_eq!(r.get(w).stories, 9);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert!(r.problems[0].starts_with("corrections.txt:6: unknown correction"));
        // A line of names no person has is left to the organisations
        // (which report it when they do not have them either).
        assert_eq!(r.unplaced, [4]);
        // One with a person's id is the people's to report.
        let c = Corrections::parse("c.txt", "merge p-nobody | Hillary Rodham\n");
        let (r, _) = Registry::build(&stories, &c);
        assert!(r.unplaced.is_empty());
        assert!(
            r.problems[0].starts_with("c.txt:1: no identity"),
            "{:?}",
            r.problems
        );
    }
}
