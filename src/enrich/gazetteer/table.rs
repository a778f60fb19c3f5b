//! The shipped table's format: gzip-compressed, tab-separated lines, one
//! place per line, countries first, then regions, then cities.
//!
//! ```text
//! C  geonameid  ISO  population  Name  key|key…
//! R  geonameid  ISO  admin1      Name  key|key…
//! P  geonameid  ISO  admin1      population  Name  key|key…
//! ```
//!
//! The geonameid is empty for a region the GeoNames extracts give no id.
//! Names are written as shown to readers (ASCII, as wire copy is); the
//! trailing list holds the already-folded keys of the name and then of
//! every other name the place goes by, so loading folds nothing.
//! Lines starting with `#` are comments (the attribution lives there).

use std::collections::HashMap;
use std::io::Read;

use super::{fold, names, Entry, Gazetteer, Hit, PlaceKind};

/// The first line of every table; a format change bumps the number.
pub const MAGIC: &str = "#dateline-gazetteer 2";

/// Decompress and parse a table.
pub fn load(gzipped: &[u8]) -> anyhow::Result<Gazetteer> {
    let mut text = String::with_capacity(gzipped.len() * 3);
    flate2::read::GzDecoder::new(gzipped).read_to_string(&mut text)?;
    parse(&text)
}

/// Parse a decompressed table.
pub fn parse(text: &str) -> anyhow::Result<Gazetteer> {
    let mut lines = text.lines();
    anyhow::ensure!(lines.next() == Some(MAGIC), "not a gazetteer table");
    let mut g = Gazetteer {
        entries: Vec::with_capacity(40_000),
        index: Vec::with_capacity(150_000),
        buckets: Vec::new(),
        countries: HashMap::new(),
        regions: HashMap::new(),
        demonyms: HashMap::new(),
    };
    // Borrowed views for the parse; the kept maps own their keys.
    let mut countries: HashMap<&str, u32> = HashMap::new();
    let mut regions: HashMap<(&str, &str), u32> = HashMap::new();
    for (n, line) in lines.enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let bad = || anyhow::anyhow!("gazetteer line {}: malformed: {line}", n + 2);
        let mut f = line.split('\t');
        let mut next = || f.next().ok_or_else(bad);
        let kind = next()?;
        let geonameid = match next()? {
            "" => None,
            id => Some(id.parse::<u32>().map_err(|_| bad())?),
        };
        let (kind, iso, admin1, population) = match kind {
            "C" => (PlaceKind::Country, next()?, "", next()?),
            "R" => (PlaceKind::Region, next()?, next()?, "0"),
            "P" => (PlaceKind::City, next()?, next()?, next()?),
            _ => return Err(bad()),
        };
        let (name, keys) = (next()?, next()?);
        let id = g.entries.len() as u32;
        let (country, region) = match kind {
            PlaceKind::Country => {
                countries.insert(iso, id);
                g.countries.insert(iso.to_string(), id);
                (id, None)
            }
            PlaceKind::Region => {
                regions.insert((iso, admin1), id);
                g.regions.insert((iso.to_string(), admin1.to_string()), id);
                (*countries.get(iso).ok_or_else(bad)?, Some(id))
            }
            PlaceKind::City => (
                *countries.get(iso).ok_or_else(bad)?,
                regions.get(&(iso, admin1)).copied(),
            ),
        };
        g.entries.push(Entry {
            name: name.to_string(),
            kind,
            country,
            region,
            population: population.parse().map_err(|_| bad())?,
            names: keys.split('|').count() as u32,
            geonameid,
        });
        // The first key is the place's own name's.
        for (i, k) in keys.split('|').enumerate() {
            g.index.push((
                hash(k),
                Hit {
                    entry: id,
                    primary: i == 0,
                },
            ));
        }
    }
    for (demonym, iso) in names::DEMONYMS {
        if let Some(&c) = g.countries.get(*iso) {
            g.demonyms.insert(fold::key(demonym), c);
        }
    }
    g.index.sort_unstable_by_key(|(h, hit)| (*h, hit.entry));
    g.index.dedup_by_key(|(h, hit)| (*h, hit.entry));
    g.buckets = bucket_starts(&g.index);
    Ok(g)
}

/// Bits of the hash that pick a bucket of the index: ~120,000 keys make
/// two or three entries a bucket.
const BUCKET_BITS: u32 = 16;

/// The bucket of a hash.
pub fn bucket(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
}

/// For a sorted index, where each bucket starts, followed by the index's
/// length (so bucket `b` is `starts[b]..starts[b + 1]`).
fn bucket_starts(index: &[(u64, Hit)]) -> Vec<u32> {
    let mut starts = Vec::with_capacity((1 << BUCKET_BITS) + 1);
    let mut i = 0;
    for b in 0..=1usize << BUCKET_BITS {
        while i < index.len() && bucket(index[i].0) < b {
            i += 1;
        }
        starts.push(i as u32);
    }
    starts
}

/// The hash under which a folded key is indexed. Keys are not kept: at 64
/// bits, two of the ~120,000 keys colliding is a one-in-a-billion event.
pub fn hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

/// One line of a table, for the builder.
pub fn line(
    kind: PlaceKind,
    geonameid: Option<u32>,
    iso: &str,
    admin1: &str,
    population: u64,
    name: &str,
    keys: &[String],
) -> String {
    let keys = keys.join("|");
    let id = geonameid.map(|i| i.to_string()).unwrap_or_default();
    match kind {
        PlaceKind::Country => format!("C\t{id}\t{iso}\t{population}\t{name}\t{keys}"),
        PlaceKind::Region => format!("R\t{id}\t{iso}\t{admin1}\t{name}\t{keys}"),
        PlaceKind::City => format!("P\t{id}\t{iso}\t{admin1}\t{population}\t{name}\t{keys}"),
    }
}
