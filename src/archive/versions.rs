//! Version clusters: the write-thrus, updates, corrections and duplicates
//! of one story, grouped as they are indexed.
//!
//! Each story carries a [`Fingerprint`]. When a story is indexed, its band
//! keys are looked up among the stories already known: those of this run
//! and those of the last commit, whose signatures (a fast field, 64 bytes a
//! story) are read once when the run starts. A candidate filed within two
//! days whose estimated similarity reaches
//! [`MIN_SIMILARITY`](crate::enrich::fingerprint::MIN_SIMILARITY) gives
//! the story its cluster; else the story starts a cluster of its own, keyed
//! by a hash of its id ([`cluster_key`]). Grouping is therefore
//! incremental: a new story joins an existing cluster without the archive
//! being re-read or any stored story rewritten.
//!
//! The lead version of a cluster is its latest (the fullest, on equal
//! dates): the one a version list marks as the lead. A search hit shows the
//! version that ranks best for the query, since that is the one whose text
//! matched.

use std::collections::HashMap;

use tantivy::Searcher;

use crate::article::Article;
use crate::enrich::fingerprint::{bands, similarity, Fingerprint, Signature, SIGNATURE};
use crate::index::document::parse_date;
use crate::index::schema::Fields;

/// Versions are filed within one news cycle: a daily report with the same
/// wording ("FED ADDS RESERVES VIA CUSTOMER REPURCHASES") is a new story
/// each day, not a version of yesterday's.
const MAX_APART_SECS: i64 = 48 * 3600;

/// A story known to the grouper, as a candidate version.
struct Known {
    cluster: u64,
    signature: Signature,
    date: Option<i64>,
    /// The previous story with the same band key (`u32::MAX`: none): the
    /// table keeps one index per key and chains the rest, so that a large
    /// archive costs one small entry per band and story.
    next: [u32; BANDS_USED],
}

const BANDS_USED: usize = crate::enrich::fingerprint::BANDS;
const NONE: u32 = u32::MAX;

/// Whether two stories' dates allow them to be versions of one story (an
/// undated story may be a version of any).
fn close_in_time(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= MAX_APART_SECS,
        _ => true,
    }
}

/// Assigns each story of a run to a version cluster.
#[derive(Default)]
pub struct Grouper {
    known: Vec<Known>,
    /// Band key to the latest known story with it.
    heads: HashMap<u64, u32>,
}

impl Grouper {
    /// A grouper that knows the stories of the searcher's commit (none for
    /// a rebuild, whose old stories are going).
    pub fn new(fields: &Fields, searcher: Option<&Searcher>) -> tantivy::Result<Grouper> {
        let mut grouper = Grouper::default();
        let Some(searcher) = searcher else {
            return Ok(grouper);
        };
        let schema = &fields.schema;
        let mut bytes = Vec::with_capacity(SIGNATURE);
        for reader in searcher.segment_readers() {
            let ff = reader.fast_fields();
            let Some(signatures) = ff.bytes(schema.get_field_name(fields.signature))? else {
                continue;
            };
            let clusters = ff.u64(schema.get_field_name(fields.cluster))?;
            let dates = ff.date(schema.get_field_name(fields.date)).ok();
            let alive = reader.alive_bitset();
            for doc in 0..reader.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let (Some(ord), Some(cluster)) =
                    (signatures.term_ords(doc).next(), clusters.first(doc))
                else {
                    continue;
                };
                bytes.clear();
                if !signatures.ord_to_bytes(ord, &mut bytes)? || bytes.len() != SIGNATURE {
                    continue;
                }
                let mut signature = [0u8; SIGNATURE];
                signature.copy_from_slice(&bytes);
                let date = dates
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .map(|d| d.into_timestamp_secs());
                grouper.remember(cluster, signature, date);
            }
        }
        Ok(grouper)
    }

    /// Sets the article's cluster: an earlier version's, or its own.
    pub fn assign(&mut self, article: &mut Article) {
        let own = cluster_key(&article.id);
        let Some(fp) = article.fingerprint else {
            article.cluster = Some(own);
            return;
        };
        let date = article
            .date
            .as_deref()
            .and_then(parse_date)
            .map(|d| d.and_utc().timestamp());
        let cluster = self.best_version(&fp, date).unwrap_or(own);
        self.remember(cluster, fp.signature, date);
        article.cluster = Some(cluster);
    }

    /// The cluster of the most similar known version, if any.
    fn best_version(&self, fp: &Fingerprint, date: Option<i64>) -> Option<u64> {
        let mut best: Option<(f64, u64)> = None;
        for (b, key) in bands(&fp.signature).enumerate() {
            let mut at = self.heads.get(&key).copied().unwrap_or(NONE);
            while at != NONE {
                let k = &self.known[at as usize];
                if close_in_time(date, k.date) && fp.is_version(&k.signature) {
                    let s = similarity(&fp.signature, &k.signature);
                    if best.is_none_or(|(bs, _)| s > bs) {
                        best = Some((s, k.cluster));
                    }
                }
                at = k.next[b];
            }
        }
        best.map(|(_, c)| c)
    }

    fn remember(&mut self, cluster: u64, signature: Signature, date: Option<i64>) {
        let Ok(index) = u32::try_from(self.known.len()) else {
            return; // four billion stories: the rest start clusters alone
        };
        let mut next = [NONE; BANDS_USED];
        for (b, key) in bands(&signature).enumerate() {
            next[b] = self.heads.insert(key, index).unwrap_or(NONE);
        }
        self.known.push(Known {
            cluster,
            signature,
            date,
            next,
        });
    }
}

/// The key of the cluster a story starts: a hash of its id.
pub fn cluster_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// A cluster key as printed: 16 hex digits.
pub fn cluster_name(key: u64) -> String {
    format!("{key:016x}")
}

/// What changed from one version to the next, for `--show ID --versions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Paragraphs of the newer version that the older lacks.
    pub added: usize,
    /// Paragraphs of the older version that the newer lacks.
    pub removed: usize,
    /// Figures of the older version gone from the newer, and new ones, in
    /// order of appearance (`44,000` → `45,000`).
    pub figures_removed: Vec<String>,
    pub figures_added: Vec<String>,
}

/// Compares two versions' bodies paragraph by paragraph and figure by
/// figure.
pub fn changes(older: &str, newer: &str) -> Changes {
    let paras = |b: &str| -> Vec<String> {
        b.split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    };
    let (old_p, new_p) = (paras(older), paras(newer));
    let figures = |b: &str| -> Vec<String> {
        b.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | '"'))
            .map(|w| w.trim_matches(|c: char| !c.is_ascii_digit()))
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    };
    let (old_f, new_f) = (figures(older), figures(newer));
    Changes {
        added: new_p.iter().filter(|p| !old_p.contains(p)).count(),
        removed: old_p.iter().filter(|p| !new_p.contains(p)).count(),
        figures_removed: multiset_minus(&old_f, &new_f),
        figures_added: multiset_minus(&new_f, &old_f),
    }
}

/// The items of `a` not matched one for one in `b`, in `a`'s order.
fn multiset_minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for x in b {
        *left.entry(x).or_insert(0) += 1;
    }
    let mut out = Vec::new();
    for x in a {
        match left.get_mut(x.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(x.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_count_paragraphs_and_figures() {
        let old = "The war has killed 44,000 people.\n\nTalks go on.";
        let new = "The war has killed 45,000 people.\n\nTalks go on.\n\nThe envoy left.";
        let c = changes(old, new);
        assert_eq!(c.added, 2);
        assert_eq!(c.removed, 1);
        assert_eq!(c.figures_removed, ["44,000"]);
        assert_eq!(c.figures_added, ["45,000"]);
    }
}
