//! The shipped table's format: gzip-compressed, tab-separated lines, one
//! place per line, countries first, then regions, then cities.
//!
//! ```text
//! C  ISO  population  Name  key|key…
//! R  ISO  admin1      Name  key|key…
//! P  ISO  admin1      population  Name  key|key…
//! ```
//!
//! Names are written as shown to readers (ASCII, as wire copy is); the
//! trailing lists hold the already-folded keys of every other name the
//! place goes by, so loading does no folding of alternate names.
//! Lines starting with `#` are comments (the attribution lives there).

use std::collections::HashMap;
use std::io::Read;

use super::{fold, Entry, Gazetteer, Hit, PlaceKind};

/// The first line of every table; a format change bumps the number.
pub const MAGIC: &str = "#dateline-gazetteer 1";

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
        entries: Vec::new(),
        index: HashMap::new(),
        countries: HashMap::new(),
        regions: HashMap::new(),
    };
    for (n, line) in lines.enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || anyhow::anyhow!("gazetteer line {}: malformed: {line}", n + 2);
        let (kind, iso, admin1, population, name, keys) = match (f[0], f.len()) {
            ("C", 5) => (PlaceKind::Country, f[1], "", f[2], f[3], f[4]),
            ("R", 5) => (PlaceKind::Region, f[1], f[2], "0", f[3], f[4]),
            ("P", 6) => (PlaceKind::City, f[1], f[2], f[3], f[4], f[5]),
            _ => return Err(bad()),
        };
        let id = g.entries.len() as u32;
        let (country, region) = match kind {
            PlaceKind::Country => {
                g.countries.insert(iso.to_string(), id);
                (id, None)
            }
            PlaceKind::Region => {
                g.regions.insert((iso.to_string(), admin1.to_string()), id);
                (*g.countries.get(iso).ok_or_else(bad)?, Some(id))
            }
            PlaceKind::City => {
                let region = g.regions.get(&(iso.to_string(), admin1.to_string())).copied();
                (*g.countries.get(iso).ok_or_else(bad)?, region)
            }
        };
        g.entries.push(Entry {
            name: name.to_string(),
            kind,
            country,
            region,
            population: population.parse().map_err(|_| bad())?,
        });
        g.add_key(fold::key(name), Hit { entry: id, primary: true });
        for k in keys.split('|').filter(|k| !k.is_empty()) {
            g.add_key(k.to_string(), Hit { entry: id, primary: false });
        }
    }
    Ok(g)
}

/// One line of a table, for the builder.
pub fn line(kind: PlaceKind, iso: &str, admin1: &str, population: u64, name: &str, keys: &[String]) -> String {
    let keys = keys.join("|");
    match kind {
        PlaceKind::Country => format!("C\t{iso}\t{population}\t{name}\t{keys}"),
        PlaceKind::Region => format!("R\t{iso}\t{admin1}\t{name}\t{keys}"),
        PlaceKind::City => format!("P\t{iso}\t{admin1}\t{population}\t{name}\t{keys}"),
    }
}
