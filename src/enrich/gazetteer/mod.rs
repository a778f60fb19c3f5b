//! The place gazetteer: countries, first-level regions and cities of 15,000
//! people or more, derived from GeoNames (CC BY 4.0, "GeoNames,
//! geonames.org"; see [`build`]).
//!
//! The table ships inside the binary (`assets/gazetteer.tsv.gz`) and is
//! parsed once per process. Names are found through folded keys (see
//! [`fold`]), so "Kiev" and "Kyiv", "Bombay" and "Mumbai", "Sao Paulo" and
//! "São Paulo" meet.
//!
//! Canonical names are the ones wire copy uses: GeoNames' names folded to
//! ASCII ("Sao Paulo"), with a few countries renamed (the United Kingdom
//! is "Britain", as AP and Reuters write it; "United Kingdom", "UK" and
//! "Great Britain" resolve to it) and a few cities too ("New York",
//! "Mecca"). Regions are the US states and the District of Columbia, the
//! UK's four nations, Canada's provinces and territories and Australia's
//! states and territories; other cities have no region.
//!
//! Ambiguous names are settled by what the article itself says (the
//! countries and regions it mentions, see [`Context`]) and otherwise by
//! population; see [`Gazetteer::resolve_in`] for the exact order.

pub mod build;
pub mod fold;
mod names;
mod table;

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// The compressed table, built by `dateline-train gazetteer`.
static SHIPPED: &[u8] = include_bytes!("../../../assets/gazetteer.tsv.gz");

/// A city must have this many people, and lie in the same country, to
/// beat a region of the same name: "New York" and "Washington" in copy mean
/// the cities, "Delaware", "Florida" and "Quebec" the states and province,
/// "Victoria" the Australian state rather than the Hong Kong district.
const CITY_OVER_REGION: u64 = 600_000;

/// A place found only through an alternate name counts as this many times
/// smaller than one found by its own name: "New Delhi" is New Delhi, not
/// Delhi (which also goes by that name, and is 35 times bigger), while
/// "Calcutta" is still Kolkata rather than the South African town of that
/// name (130 times smaller).
const ALTERNATE_PENALTY: u64 = 100;

/// A city in a country the article mentions wins unless the most populous
/// candidate stands this many times higher: "Moscow" in a story that also
/// mentions the United States is still Moscow, Russia, not Moscow, Idaho.
/// Standing is population times the number of names a city goes by in
/// Latin script: a place the world's languages name is known beyond its
/// size ("Geneva" beside the United States is still Geneva, Switzerland,
/// 9 times the people of Geneva, Illinois but 7 times the names), while a
/// namesake of much the same standing wins where the story is set
/// (Cambridge, Massachusetts in a Boston story). Which city is the most
/// populous is decided by population alone: counting names there would
/// lift big cities through their historic and foreign alternate names.
const CONTEXT_RATIO: u64 = 20;

/// A city below this many people, in a country the story does not
/// otherwise name, is more likely a word misread as a place or a town the
/// table lacks than a namesake abroad ("One" is not Onex, Switzerland, in
/// a Toronto story): the name stays unresolved. Only where the story names
/// some country; a bare dateline has no context and still takes the most
/// populous. At 100,000 over Reuters-21578, Venice, Calais, Aqaba and Ras
/// Tanura were lost too.
const FOREIGN_TOWN: u64 = 50_000;

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Region,
    City,
}

/// One resolved place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Canonical name, e.g. `Moscow`.
    pub name: String,
    pub kind: PlaceKind,
    /// Canonical country name, e.g. `Russia` (the place itself for a country).
    pub country: String,
    /// First-level region, e.g. `Texas`, where known (the place itself for
    /// a region).
    pub region: Option<String>,
    pub population: u64,
    /// The GeoNames id of the entry (`None` for regions GeoNames does not
    /// give one in the extracts, and for places made from a dateline).
    pub geonameid: Option<u32>,
}

/// One place of the table.
struct Entry {
    name: String,
    kind: PlaceKind,
    /// Entry of the country (itself for a country).
    country: u32,
    /// Entry of the region (itself for a region), where known.
    region: Option<u32>,
    population: u64,
    /// How many names (lookup keys) the place goes by, at least 1.
    names: u32,
    geonameid: Option<u32>,
}

/// One way a key leads to an entry.
#[derive(Clone, Copy)]
struct Hit {
    entry: u32,
    /// Found by the entry's own name rather than an alternate one.
    primary: bool,
}

/// The places an article points at, used to settle ambiguous names.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Canonical country names.
    countries: Vec<String>,
    /// Canonical (region, country) names.
    regions: Vec<(String, String)>,
}

impl Context {
    /// Count `place` as something the article mentions: its country, and
    /// its region if it has one.
    pub fn add(&mut self, place: &Place) {
        if !self.countries.contains(&place.country) {
            self.countries.push(place.country.clone());
        }
        if let Some(r) = &place.region {
            let pair = (r.clone(), place.country.clone());
            if !self.regions.contains(&pair) {
                self.regions.push(pair);
            }
        }
    }

    /// Count a country, by canonical name, as mentioned.
    pub fn add_country(&mut self, country: &str) {
        if !self.countries.iter().any(|c| c == country) {
            self.countries.push(country.to_string());
        }
    }
}

/// The gazetteer.
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// (hash of a folded key, an entry it names), sorted: one flat array
    /// rather than a map of lists, because it loads several times faster.
    index: Vec<(u64, Hit)>,
    /// Where each run of `index` sharing the top bits of the hash starts
    /// (see [`table::bucket`]), and the end: a lookup searches a handful of
    /// entries instead of binary-searching the whole array, which missed
    /// the cache at almost every step.
    buckets: Vec<u32>,
    /// ISO code → country entry.
    countries: HashMap<String, u32>,
    /// (ISO code, admin1 code) → region entry.
    regions: HashMap<(String, String), u32>,
    /// Folded demonym → country entry.
    demonyms: HashMap<String, u32>,
}

impl Gazetteer {
    /// The table shipped with this build, loaded once per process.
    pub fn shipped() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| table::load(SHIPPED).expect("the shipped gazetteer table is valid"))
    }

    /// Load a table written by [`build::build`].
    pub fn load(gzipped: &[u8]) -> anyhow::Result<Gazetteer> {
        table::load(gzipped)
    }

    /// Number of places in the table.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty (it never is when shipped).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Canonical names of all countries.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.kind == PlaceKind::Country)
            .map(|e| e.name.as_str())
    }

    /// The country a demonym points to: `Syrian` → `Syria`, `Russians` →
    /// `Russia`, `Syrian-backed` → `Syria`.
    pub fn country_of_demonym(&self, word: &str) -> Option<&str> {
        let word = word.trim();
        let first = word.split('-').next().unwrap_or(word);
        [word, word.strip_suffix('s').unwrap_or(""), first]
            .into_iter()
            .filter(|w| !w.is_empty() && starts_upper(w))
            .find_map(|w| self.demonyms.get(&fold::key(w)))
            .map(|&i| self.entries[i as usize].name.as_str())
    }

    /// Canonical name of a country by ISO code, e.g. `GB` → `Britain`.
    pub fn country_by_iso(&self, iso: &str) -> Option<&str> {
        self.countries
            .get(iso)
            .map(|&i| self.entries[i as usize].name.as_str())
    }

    /// Resolve a place name (capitalised or in capitals; alternate names
    /// allowed), preferring places in `context_countries` and then the most
    /// populous. Names of regions (`Texas`) are accepted in
    /// `context_countries` as well and count as stronger evidence. See
    /// [`Gazetteer::resolve_in`] for the rules.
    pub fn resolve(&self, name: &str, context_countries: &[&str]) -> Option<Place> {
        let mut ctx = Context::default();
        for c in context_countries {
            for hit in self.hits(c) {
                let e = &self.entries[hit.entry as usize];
                match e.kind {
                    PlaceKind::Country => ctx.add_country(&e.name),
                    PlaceKind::Region => ctx.add(&self.place(hit.entry)),
                    PlaceKind::City => {}
                }
            }
        }
        self.resolve_in(name, &ctx)
    }

    /// Resolve a name mentioned in an article, given what else the article
    /// mentions.
    ///
    /// Lowercase words are never places. A country wins over a city of
    /// the same name ("Lebanon", not Lebanon, Tennessee), and over a region
    /// unless the context is about the region's country and not about the
    /// other ("Georgia" is the country, or the state in a story about the
    /// US; see `region_over_country`).
    /// A region wins over a city unless the city is very big and in the
    /// same country ("Florida" is the state, "New York" the city). Among
    /// cities, one whose region is in context wins, then one whose country
    /// is (unless far smaller than the biggest), then the most populous; a
    /// name matching only a place's alternate name counts for less. Cities
    /// whose names are common words ("Nice", "Reading") need their country
    /// in context.
    pub fn resolve_in(&self, name: &str, ctx: &Context) -> Option<Place> {
        if !starts_upper(name) {
            return None;
        }
        let hits = self.candidates(name, ctx);
        let best_city = self.pick_city(&hits, ctx);
        let best_of = |kind: PlaceKind| {
            hits.iter()
                .filter(|h| self.entries[h.entry as usize].kind == kind)
                .max_by_key(|h| {
                    (
                        self.in_country_ctx(h.entry, ctx),
                        h.primary,
                        self.entries[h.entry as usize].population,
                    )
                })
                .copied()
        };
        let region = best_of(PlaceKind::Region);
        if let Some(country) = best_of(PlaceKind::Country) {
            if let Some(r) = region {
                if self.region_over_country(r.entry, country.entry, ctx) {
                    return Some(self.place(r.entry));
                }
            }
            return Some(self.place(country.entry));
        }
        // After today's names ("Zaire" is an alternate name of DR Congo in
        // GeoNames), before towns of the same name.
        if let Some(p) = self.former_country(name) {
            return Some(p);
        }
        if let Some(r) = region {
            return match best_city {
                Some(c)
                    if self.entries[c as usize].population >= CITY_OVER_REGION
                        && self.entries[c as usize].country
                            == self.entries[r.entry as usize].country =>
                {
                    Some(self.place(c))
                }
                _ => Some(self.place(r.entry)),
            };
        }
        best_city.map(|c| self.place(c))
    }

    /// Resolve a dateline place such as `MOSCOW` or `BEIRUT` with its
    /// optional qualifier (`Lebanon`, `Ill.`, `Texas`, `England`).
    ///
    /// A bare dateline names a city, so cities are preferred ("WASHINGTON"
    /// is the capital, not the state). With a qualifier only places inside
    /// it count; when the qualifier is known but the place is not (a small
    /// town), the result is the place as written, title-cased, with the
    /// qualifier's country and region and a population of 0, so the
    /// caller still learns the country. An unknown bare place
    /// ("UNITED NATIONS") gives `None`.
    pub fn resolve_dateline(&self, place: &str, qualifier: Option<&str>) -> Option<Place> {
        let place = place.trim().trim_end_matches(',').trim();
        if place.is_empty() {
            return None;
        }
        let Some(within) = qualifier.and_then(|q| self.qualifier(q)) else {
            let ctx = Context::default();
            let hits = self.candidates(place, &ctx);
            return match self.pick_city(&hits, &ctx) {
                Some(c) => Some(self.place(c)),
                None => self.resolve_in(place, &ctx),
            };
        };
        let outer = self.place(within);
        let (hits, ctx) = self.hits_inside(place, within, &outer);
        if let Some(c) = self.pick_city(&hits, &ctx) {
            return Some(self.place(c));
        }
        if let Some(h) = hits.first() {
            return Some(self.place(h.entry));
        }
        Some(Place {
            name: title_case(place),
            kind: PlaceKind::City,
            country: outer.country,
            region: outer.region,
            population: 0,
            geonameid: None,
        })
    }

    /// A city written with its state or country, as in running text
    /// ("Florence, S.C.", "Newark, N.J.", "Tripoli, Lebanon"): the city
    /// of that name inside the qualifier, or `None` when the qualifier is
    /// no country or region or has no such city (then the words were
    /// likely a list: "Syria, Lebanon and Jordan").
    pub fn resolve_within(&self, place: &str, qualifier: &str) -> Option<Place> {
        let within = self.qualifier(qualifier)?;
        let outer = self.place(within);
        let (hits, ctx) = self.hits_inside(place.trim(), within, &outer);
        self.pick_city(&hits, &ctx).map(|c| self.place(c))
    }

    /// A country of the past by the name archives use ("West Germany",
    /// "Upper Volta"): kept as written, in the country that holds its land
    /// today, without an id of its own, so that `place:Germany` finds the
    /// stories of 1987 and a namesake town is not taken for it.
    pub fn former_country(&self, name: &str) -> Option<Place> {
        let key = fold::key(name);
        let &(_, iso) = names::FORMER_COUNTRIES.iter().find(|(n, _)| *n == key)?;
        let country = self.country_by_iso(iso)?.to_string();
        Some(Place {
            name: title_case(name.trim()),
            kind: PlaceKind::Country,
            country,
            region: None,
            population: 0,
            geonameid: None,
        })
    }

    /// The US state an AP abbreviation names, written as AP writes it
    /// ("Pa.", "Calif.", "S.C."). Without its period ("Pa", as a
    /// tokenizer may leave it before a full stop) only in a story about
    /// the United States: Pa is also a town in Burkina Faso.
    pub fn us_state(&self, written: &str, ctx: &Context) -> Option<Place> {
        let written = written.trim();
        let state = self.ap_state_entry(written).or_else(|| {
            let us = self.country_by_iso("US")?;
            (!written.ends_with('.') && ctx.countries.iter().any(|c| c == us))
                .then(|| self.ap_state_entry(&format!("{written}.")))
                .flatten()
        })?;
        Some(self.place(state))
    }

    /// A place written with a US state's AP abbreviation in running text
    /// ("Kingston, Penn."): the city of that name in the state, else the
    /// place as written, in that state, without a GeoNames id (the table's
    /// cities have 15,000 people or more). `None` when `abbreviation` is
    /// not one AP uses.
    pub fn resolve_in_state(&self, place: &str, abbreviation: &str) -> Option<Place> {
        let state = self.ap_state_entry(abbreviation.trim())?;
        let outer = self.place(state);
        let (hits, ctx) = self.hits_inside(place.trim(), state, &outer);
        if let Some(c) = self.pick_city(&hits, &ctx) {
            return Some(self.place(c));
        }
        Some(Place {
            name: title_case(place.trim()),
            kind: PlaceKind::City,
            country: outer.country,
            region: Some(outer.name),
            population: 0,
            geonameid: None,
        })
    }

    /// The state entry of an AP abbreviation written exactly as AP does.
    fn ap_state_entry(&self, written: &str) -> Option<u32> {
        let &(_, code) = names::AP_STATES.iter().find(|(a, _)| *a == written)?;
        self.regions
            .get(&("US".to_string(), code.to_string()))
            .copied()
    }

    /// The candidates for `place` inside the country or region `within`,
    /// and a context of that country or region.
    fn hits_inside(&self, place: &str, within: u32, outer: &Place) -> (Vec<Hit>, Context) {
        let mut ctx = Context::default();
        ctx.add(outer);
        let inside = |h: &Hit| {
            let e = &self.entries[h.entry as usize];
            h.entry != within
                && match outer.kind {
                    PlaceKind::Country => e.country == within,
                    _ => e.region == Some(within),
                }
        };
        let hits = self
            .candidates(place, &ctx)
            .into_iter()
            .filter(inside)
            .collect();
        (hits, ctx)
    }

    /// The country or region a dateline qualifier names.
    fn qualifier(&self, q: &str) -> Option<u32> {
        let q = q.trim();
        let k = fold::key(q);
        let postal = ap_state(&k)
            .or_else(|| (q.len() == 2 && q.bytes().all(|b| b.is_ascii_uppercase())).then_some(q));
        if let Some(code) = postal {
            if let Some(&r) = self.regions.get(&("US".to_string(), code.to_string())) {
                return Some(r);
            }
        }
        let hits = self.hits_of_key(&k);
        let of_kind = |kind| {
            hits.iter()
                .find(|h| h.primary && self.entries[h.entry as usize].kind == kind)
                .or_else(|| {
                    hits.iter()
                        .find(|h| self.entries[h.entry as usize].kind == kind)
                })
        };
        of_kind(PlaceKind::Country)
            .or_else(|| of_kind(PlaceKind::Region))
            .map(|h| h.entry)
    }

    /// Every entry a name's key leads to.
    fn hits(&self, name: &str) -> Vec<Hit> {
        self.hits_of_key(&fold::key(name))
    }

    /// Every entry an already-folded key leads to.
    fn hits_of_key(&self, key: &str) -> Vec<Hit> {
        let h = table::hash(key);
        let b = table::bucket(h);
        let run = &self.index[self.buckets[b] as usize..self.buckets[b + 1] as usize];
        let from = run.partition_point(|(k, _)| *k < h);
        run[from..]
            .iter()
            .take_while(|(k, _)| *k == h)
            .map(|(_, hit)| *hit)
            .collect()
    }

    /// The entries a name may mean, minus cities whose names are common
    /// words unless their country is in context; nothing for continents
    /// and the like.
    fn candidates(&self, name: &str, ctx: &Context) -> Vec<Hit> {
        let k = fold::key(name);
        if names::NOT_PLACES.contains(&k.as_str()) {
            return Vec::new();
        }
        // "To", "Bo", "Ho": one or two letters are as often a word or an
        // initial as a town.
        let common = names::COMMON_WORDS.contains(&k.as_str()) || k.chars().count() <= 2;
        self.hits_of_key(&k)
            .into_iter()
            .filter(|h| {
                !common
                    || self.entries[h.entry as usize].kind != PlaceKind::City
                    || self.in_country_ctx(h.entry, ctx)
            })
            .collect()
    }

    /// The best city among `hits` (see [`Gazetteer::resolve_in`]).
    fn pick_city(&self, hits: &[Hit], ctx: &Context) -> Option<u32> {
        let cities: Vec<Hit> = hits
            .iter()
            .filter(|h| self.entries[h.entry as usize].kind == PlaceKind::City)
            .copied()
            .collect();
        let weight = |h: &Hit| {
            let pop = self.entries[h.entry as usize].population;
            let pop = if h.primary {
                pop
            } else {
                pop / ALTERNATE_PENALTY
            };
            // Ties go to the earlier (table order) entry.
            (pop, std::cmp::Reverse(h.entry))
        };
        let best = |f: &dyn Fn(&Hit) -> bool| {
            cities
                .iter()
                .filter(|h| f(h))
                .max_by_key(|h| weight(h))
                .copied()
        };
        if let Some(h) = best(&|h| self.in_region_ctx(h.entry, ctx)) {
            return Some(h.entry);
        }
        let top = best(&|_| true)?;
        // Standing weighs population by the names a place goes by.
        let standing = |h: &Hit| {
            let names = self.entries[h.entry as usize].names as u64;
            weight(h).0.saturating_mul(names)
        };
        if let Some(h) = best(&|h| self.in_country_ctx(h.entry, ctx)) {
            if standing(&top) <= standing(&h).saturating_mul(CONTEXT_RATIO) {
                return Some(h.entry);
            }
        }
        let foreign_town = !ctx.countries.is_empty()
            && !self.in_country_ctx(top.entry, ctx)
            && self.entries[top.entry as usize].population < FOREIGN_TOWN;
        (!foreign_town).then_some(top.entry)
    }

    /// Whether a region beats the country of the same name: its country is
    /// in context and the other is not, and the context is about the
    /// region's country in particular: one of its other regions or cities
    /// is mentioned, or no other country is. "Georgia" with "Atlanta", or
    /// with only "United States", is the state; with "United States" and
    /// "Russia" it is the country. Washington, D.C. is no evidence: it is
    /// where foreign policy is made and datelined.
    fn region_over_country(&self, region: u32, country: u32, ctx: &Context) -> bool {
        if !self.in_country_ctx(region, ctx) || self.in_country_ctx(country, ctx) {
            return false;
        }
        let home = &self.entries[self.entries[region as usize].country as usize].name;
        let local = ctx
            .regions
            .iter()
            .any(|(r, c)| c == home && r != "District of Columbia");
        local || ctx.countries.iter().all(|c| c == home)
    }

    fn in_country_ctx(&self, id: u32, ctx: &Context) -> bool {
        let country = &self.entries[self.entries[id as usize].country as usize].name;
        ctx.countries.iter().any(|c| c == country)
    }

    fn in_region_ctx(&self, id: u32, ctx: &Context) -> bool {
        let e = &self.entries[id as usize];
        let Some(r) = e.region else { return false };
        let region = &self.entries[r as usize].name;
        let country = &self.entries[e.country as usize].name;
        ctx.regions
            .iter()
            .any(|(rn, cn)| rn == region && cn == country)
    }

    /// The public view of an entry.
    fn place(&self, id: u32) -> Place {
        let e = &self.entries[id as usize];
        Place {
            name: e.name.clone(),
            kind: e.kind,
            country: self.entries[e.country as usize].name.clone(),
            region: e.region.map(|r| self.entries[r as usize].name.clone()),
            population: e.population,
            geonameid: e.geonameid,
        }
    }
}

/// Whether `s` is a US state as AP or the post abbreviates it ("N.Y.",
/// "Ky", "Calif.", "TX").
pub fn is_us_state_abbreviation(s: &str) -> bool {
    ap_state(&fold::key(s)).is_some() || names::AP_STATES.iter().any(|(_, code)| *code == s)
}

/// The postal code of a US state by the folded key of its AP
/// abbreviation (`ill` → `IL`). The abbreviations are folded once.
fn ap_state(key: &str) -> Option<&'static str> {
    static BY_KEY: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        let mut map = HashMap::new();
        for &(abbr, code) in names::AP_STATES {
            // The first abbreviation with a key wins, as a scan would.
            map.entry(fold::key(abbr)).or_insert(code);
        }
        map
    });
    BY_KEY.get(key).copied()
}

/// Whether the first letter of `s` is uppercase (place names are proper
/// nouns; "nice" and "reading" are not places). A leading "the" is
/// allowed: "the United States".
fn starts_upper(s: &str) -> bool {
    let s = s.trim_start();
    let s = s.strip_prefix("the ").unwrap_or(s);
    s.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

/// `AL-QUSAIR` → `Al-Qusair`; names already in mixed case are kept.
pub fn title_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

#[cfg(test)]
mod tests;
