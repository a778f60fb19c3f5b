//! The IPTC Media Topics taxonomy, as a compact table shipped with the crate.
//!
//! The table (`assets/topics/iptc-medtop.tsv`) holds the current concepts of
//! the first four levels: code, parent code and English label. It is derived
//! from IPTC's own JSON export by [`derive_table`], so a new IPTC release is
//! one regeneration away.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The shipped table: IPTC Media Topics (CC BY 4.0), levels 1–4.
const TABLE: &str = include_str!("../../../assets/topics/iptc-medtop.tsv");

/// Deeper levels are mostly sport disciplines' events and fine-grained
/// procedure; four levels keep the table small yet reach concepts such as
/// `summit meeting`, `oil and gas` or `interest rates` that wire news uses.
pub const MAX_DEPTH: usize = 4;

/// The URI prefix of `broader` links in the IPTC export.
const URI_PREFIX: &str = "http://cv.iptc.org/newscodes/mediatopic/";

/// One concept of the taxonomy.
#[derive(Debug, Clone)]
pub struct Concept {
    /// IPTC qcode, e.g. `medtop:20000639`.
    pub code: &'static str,
    /// The English (en-GB) preferred label, e.g. `diplomacy`.
    pub label: &'static str,
    /// Index of the parent concept in [`Taxonomy::concepts`], `None` at the top.
    pub parent: Option<usize>,
    /// Index of the top-level ancestor (itself for a top-level concept).
    pub top: usize,
    /// 1 for the 17 top-level subjects.
    pub depth: usize,
}

/// The concepts with lookups by code and by label.
#[derive(Debug)]
pub struct Taxonomy {
    concepts: Vec<Concept>,
    by_code: HashMap<&'static str, usize>,
    by_label: HashMap<&'static str, usize>,
}

impl Taxonomy {
    /// The taxonomy shipped with the crate, parsed once.
    pub fn shipped() -> &'static Taxonomy {
        static T: OnceLock<Taxonomy> = OnceLock::new();
        T.get_or_init(|| Taxonomy::parse(TABLE).expect("shipped IPTC table is well formed"))
    }

    /// Parse a table in the format [`derive_table`] writes. Parents must come
    /// before their children.
    pub fn parse(table: &'static str) -> Result<Taxonomy, String> {
        let mut t = Taxonomy {
            concepts: Vec::new(),
            by_code: HashMap::new(),
            by_label: HashMap::new(),
        };
        for (n, line) in table.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(code), Some(parent), Some(label)) = (f.next(), f.next(), f.next()) else {
                return Err(format!("line {}: expected code, parent, label", n + 1));
            };
            let idx = t.concepts.len();
            let (parent, top, depth) = if parent.is_empty() {
                (None, idx, 1)
            } else {
                let &p = t
                    .by_code
                    .get(parent)
                    .ok_or_else(|| format!("line {}: parent {parent} not yet defined", n + 1))?;
                (Some(p), t.concepts[p].top, t.concepts[p].depth + 1)
            };
            if t.by_code.insert(code, idx).is_some() {
                return Err(format!("line {}: duplicate code {code}", n + 1));
            }
            if t.by_label.insert(label, idx).is_some() {
                return Err(format!("line {}: duplicate label {label}", n + 1));
            }
            t.concepts.push(Concept {
                code,
                label,
                parent,
                top,
                depth,
            });
        }
        Ok(t)
    }

    /// All concepts, parents before children.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concept at an index.
    pub fn get(&self, idx: usize) -> &Concept {
        &self.concepts[idx]
    }

    /// Index of a concept by qcode (`medtop:20000639`) or bare number.
    pub fn index_of_code(&self, code: &str) -> Option<usize> {
        let code = code.strip_prefix("medtop:").unwrap_or(code);
        self.by_code.get(format!("medtop:{code}").as_str()).copied()
    }

    /// Index of a concept by its exact label.
    pub fn index_of_label(&self, label: &str) -> Option<usize> {
        self.by_label.get(label).copied()
    }

    /// The concept and its ancestors, nearest first.
    pub fn ancestry(&self, idx: usize) -> impl Iterator<Item = &Concept> + '_ {
        let mut next = Some(idx);
        std::iter::from_fn(move || {
            let c = &self.concepts[next?];
            next = c.parent;
            Some(c)
        })
    }
}

/// The label of an IPTC code (`medtop:11000000` or `11000000`) in the
/// shipped table.
pub fn label_of(code: &str) -> Option<&'static str> {
    let t = Taxonomy::shipped();
    t.index_of_code(code).map(|i| t.get(i).label)
}

/// Derive the shipped table from IPTC's JSON export (`cptall-en-GB.json`):
/// current (not retired) concepts down to [`MAX_DEPTH`], parents first, as
/// `qcode<TAB>parent qcode<TAB>en-GB label` lines under an attribution
/// header.
pub fn derive_table(json: &str) -> Result<String, String> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let concepts = v["conceptSet"].as_array().ok_or("no conceptSet array")?;
    struct Row {
        code: String,
        parent: Option<String>,
        label: String,
    }
    let mut rows: HashMap<String, Row> = HashMap::new();
    for c in concepts {
        if c.get("retired").is_some() {
            continue;
        }
        let code = c["qcode"].as_str().ok_or("concept without qcode")?;
        let label = c["prefLabel"]["en-GB"]
            .as_str()
            .ok_or_else(|| format!("{code}: no en-GB label"))?;
        let parent = match c["broader"].as_array().and_then(|b| b.first()) {
            Some(uri) => {
                let uri = uri.as_str().ok_or("broader is not a string")?;
                let num = uri
                    .strip_prefix(URI_PREFIX)
                    .ok_or_else(|| format!("{code}: unexpected broader {uri}"))?;
                Some(format!("medtop:{num}"))
            }
            None => None,
        };
        rows.insert(
            code.to_string(),
            Row {
                code: code.to_string(),
                parent,
                label: label.trim().to_string(),
            },
        );
    }
    // A current concept never has a retired parent in the export, but one
    // that did is reported rather than silently dropped.
    let depth_of = |code: &str| -> Result<usize, String> {
        let mut d = 1;
        let mut cur = rows.get(code).ok_or("unknown code")?;
        while let Some(p) = &cur.parent {
            cur = rows
                .get(p)
                .ok_or_else(|| format!("{}: parent {p} missing or retired", cur.code))?;
            d += 1;
        }
        Ok(d)
    };
    let mut keep: Vec<(usize, &Row)> = Vec::new();
    for r in rows.values() {
        let d = depth_of(&r.code)?;
        if d <= MAX_DEPTH {
            keep.push((d, r));
        }
    }
    // Depth first, then code: parents precede children and the output is
    // the same from run to run.
    keep.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    let released = v["dateReleased"].as_str().unwrap_or("unknown");
    let mut out = String::new();
    out.push_str("# IPTC Media Topics (https://iptc.org/standards/media-topics/), (c) IPTC,\n");
    out.push_str("# licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).\n");
    out.push_str(&format!(
        "# Derived from cptall-en-GB.json released {released}: current concepts, levels 1-{MAX_DEPTH}.\n"
    ));
    out.push_str(
        "# Regenerate with dateline::enrich::topics::derive_table. Columns: code, parent, label.\n",
    );
    for (_, r) in keep {
        out.push_str(&r.code);
        out.push('\t');
        out.push_str(r.parent.as_deref().unwrap_or(""));
        out.push('\t');
        out.push_str(&r.label);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_has_the_17_subjects() {
        let t = Taxonomy::shipped();
        let tops = t.concepts().iter().filter(|c| c.depth == 1).count();
        assert_eq!(tops, 17);
        assert_eq!(label_of("medtop:16000000"), Some("conflict, war and peace"));
        assert_eq!(label_of("11000000"), Some("politics and government"));
    }

    #[test]
    fn ancestry_climbs_to_the_top() {
        let t = Taxonomy::shipped();
        let d = t.index_of_label("diplomacy").unwrap();
        let chain: Vec<_> = t.ancestry(d).map(|c| c.label).collect();
        assert_eq!(
            chain,
            [
                "diplomacy",
                "international relations",
                "politics and government"
            ]
        );
    }

    /// Also the way to regenerate: `DATELINE_WRITE_TABLE=1 cargo test --lib shipped_table_matches`.
    #[test]
    fn shipped_table_matches_the_iptc_export() {
        let Some(p) = crate::shared_data::require("data/iptc/cptall-en-GB.json") else {
            return;
        };
        let json = std::fs::read_to_string(p).unwrap();
        let derived = derive_table(&json).unwrap();
        if std::env::var_os("DATELINE_WRITE_TABLE").is_some() {
            let out = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/topics/iptc-medtop.tsv");
            std::fs::write(out, &derived).unwrap();
            return;
        }
        assert!(
            derived == TABLE,
            "assets/topics/iptc-medtop.tsv is stale: DATELINE_WRITE_TABLE=1 cargo test --lib shipped_table_matches"
        );
    }
}
