//! The registry of an index: computed from the index's fast fields, cached
//! beside it, and the per-segment tables that let queries and facets use
//! identities without reading a stored story.
//!
//! The cache (`identities.cache` in the index folder) holds the registry
//! and, for every segment, which identities each document names. It is
//! valid for one fingerprint: the index's segments (ids, sizes and
//! deletions) and the corrections file. Any commit or merge changes the
//! segments, so the next reader recomputes it; `dateline-index` does so at
//! the end of every run, so readers normally find it ready.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::columnar::StrColumn;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use super::context::Evidence;
use super::corrections::{self, Corrections};
use super::registry::{IdentityId, Registry};
use crate::article::{Article, SpeakerKind};
use crate::index::store::IndexHandle;

/// The cache file in an index folder.
pub const CACHE_FILE: &str = "identities.cache";

/// Bumped when the registry's rules or the cache layout change.
const FORMAT: u32 = 1;

/// Which identities each document of one segment names (compressed rows:
/// document `d` names `ids[offsets[d]..offsets[d + 1]]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SegmentTable {
    pub segment: String,
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl SegmentTable {
    /// The identities of one document.
    pub fn of(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.offsets.get(d), self.offsets.get(d + 1)) {
            (Some(&a), Some(&b)) => &self.ids[a as usize..b as usize],
            _ => &[],
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Cache {
    format: u32,
    fingerprint: u64,
    registry: Registry,
    segments: Vec<SegmentTable>,
}

/// An index's identities: the registry and its per-segment tables.
pub struct Identities {
    pub registry: Registry,
    segments: HashMap<String, Arc<SegmentTable>>,
    /// Per segment, identity → its documents (built on the first query).
    inverted: OnceLock<HashMap<String, HashMap<u32, Vec<DocId>>>>,
}

/// The fast fields the registry reads.
const COLUMNS: [&str; 5] = ["f_person", "f_hint", "f_org", "f_topic", "f_dateline"];

/// The identities of an index: from its cache when that is current, else
/// computed (and cached when the folder is writable). `corrections`
/// overrides the index folder's `corrections.txt`.
pub fn load(handle: &IndexHandle, corrections: Option<&Path>) -> Result<Identities> {
    let searcher = handle.searcher()?;
    let corrections_path = corrections
        .map(Path::to_path_buf)
        .or_else(|| handle.dir().map(|d| d.join(corrections::FILE_NAME)));
    let corrections = corrections_path
        .as_deref()
        .map(Corrections::read)
        .unwrap_or_default();
    let fingerprint = fingerprint(&searcher, corrections.hash);
    let cache_path: Option<PathBuf> = handle.dir().map(|d| d.join(CACHE_FILE));
    if let Some(cached) = cache_path
        .as_deref()
        .and_then(|p| read_cache(p, fingerprint))
    {
        let mut registry = cached.registry;
        // Problems are about the file as it is now: report them each time.
        registry.problems = corrections.problems.clone();
        registry.problems.extend(cached_problems(&registry));
        return Ok(Identities::new(registry, cached.segments));
    }
    let (registry, segments) = compute(&searcher, &corrections)?;
    let cache = Cache {
        format: FORMAT,
        fingerprint,
        registry,
        segments,
    };
    if let Some(p) = &cache_path {
        // A read-only index still answers; it only recomputes each time.
        let _ = write_cache(p, &cache);
    }
    Ok(Identities::new(cache.registry, cache.segments))
}

fn cached_problems(_registry: &Registry) -> Vec<String> {
    Vec::new()
}

fn fingerprint(searcher: &Searcher, corrections: u64) -> u64 {
    let mut s = format!("{FORMAT};{corrections};");
    for r in searcher.segment_readers() {
        s.push_str(&format!(
            "{}:{}:{};",
            r.segment_id().uuid_string(),
            r.max_doc(),
            r.num_deleted_docs()
        ));
    }
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

fn read_cache(path: &Path, fingerprint: u64) -> Option<Cache> {
    let bytes = std::fs::read(path).ok()?;
    let cache: Cache = serde_json::from_slice(&bytes).ok()?;
    (cache.format == FORMAT && cache.fingerprint == fingerprint).then_some(cache)
}

fn write_cache(path: &Path, cache: &Cache) -> Result<()> {
    let tmp = path.with_extension("cache.tmp");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    serde_json::to_writer(&mut f, cache)?;
    f.flush()?;
    drop(f);
    std::fs::rename(&tmp, path).context("replacing the identity cache")?;
    Ok(())
}

/// Every term of a string column, by ordinal.
fn dictionary(column: &StrColumn) -> Vec<String> {
    let n = column.dictionary().num_terms() as u64;
    let ords: Vec<u64> = (0..n).collect();
    let mut out = Vec::with_capacity(n as usize);
    let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        out.push(String::from_utf8_lossy(bytes).into_owned());
    });
    out
}

/// Reads every live document's evidence from the fast fields and builds
/// the registry.
fn compute(
    searcher: &Searcher,
    corrections: &Corrections,
) -> Result<(Registry, Vec<SegmentTable>)> {
    let mut stories: Vec<Evidence> = Vec::new();
    // (segment, doc) of each story.
    let mut places: Vec<(usize, DocId)> = Vec::new();
    let readers = searcher.segment_readers();
    for (s, reader) in readers.iter().enumerate() {
        let ff = reader.fast_fields();
        let columns: Vec<Option<(StrColumn, Vec<String>)>> = COLUMNS
            .iter()
            .map(|c| {
                ff.str(c).ok().flatten().map(|col| {
                    let dict = dictionary(&col);
                    (col, dict)
                })
            })
            .collect();
        let dates = ff.date("date").ok();
        let alive = reader.alive_bitset();
        let values = |i: usize, doc: DocId| -> Vec<String> {
            match &columns[i] {
                Some((col, dict)) => col
                    .term_ords(doc)
                    .filter_map(|o| dict.get(o as usize).cloned())
                    .collect(),
                None => Vec::new(),
            }
        };
        for doc in 0..reader.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let day = dates
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|d| d.into_timestamp_secs().div_euclid(86_400) as i32);
            let ev = Evidence {
                day,
                people: values(0, doc),
                hints: values(1, doc),
                orgs: values(2, doc),
                topics: values(3, doc),
                dateline: values(4, doc).into_iter().next(),
            }
            .normalized();
            stories.push(ev);
            places.push((s, doc));
        }
    }
    let (registry, resolved) = Registry::build(&stories, corrections);
    let mut tables: Vec<SegmentTable> = readers
        .iter()
        .map(|r| SegmentTable {
            segment: r.segment_id().uuid_string(),
            offsets: vec![0; r.max_doc() as usize + 1],
            ids: Vec::new(),
        })
        .collect();
    // Rows in document order: stories were read segment by segment, doc by doc.
    let mut rows: Vec<Vec<(DocId, &[u32])>> = vec![Vec::new(); readers.len()];
    for ((s, doc), ids) in places.iter().zip(&resolved) {
        rows[*s].push((*doc, ids));
    }
    for (t, rows) in tables.iter_mut().zip(rows) {
        let mut at = 0usize;
        for doc in 0..t.offsets.len() - 1 {
            if at < rows.len() && rows[at].0 as usize == doc {
                t.ids.extend_from_slice(rows[at].1);
                at += 1;
            }
            t.offsets[doc + 1] = t.ids.len() as u32;
        }
    }
    Ok((registry, tables))
}

impl Identities {
    fn new(registry: Registry, segments: Vec<SegmentTable>) -> Identities {
        Identities {
            registry,
            segments: segments
                .into_iter()
                .map(|t| (t.segment.clone(), Arc::new(t)))
                .collect(),
            inverted: OnceLock::new(),
        }
    }

    /// The table of one segment, if the registry knows it.
    pub fn segment(&self, reader: &SegmentReader) -> Option<&SegmentTable> {
        self.segments
            .get(&reader.segment_id().uuid_string())
            .map(|t| t.as_ref())
    }

    fn inverted(&self) -> &HashMap<String, HashMap<u32, Vec<DocId>>> {
        self.inverted.get_or_init(|| {
            self.segments
                .iter()
                .map(|(seg, t)| {
                    let mut inv: HashMap<u32, Vec<DocId>> = HashMap::new();
                    for doc in 0..t.offsets.len().saturating_sub(1) {
                        for &id in t.of(doc as DocId) {
                            inv.entry(id).or_default().push(doc as DocId);
                        }
                    }
                    (seg.clone(), inv)
                })
                .collect()
        })
    }

    /// A query for the stories of any of `ids` (constant score).
    pub fn query(&self, ids: &[IdentityId]) -> IdentityQuery {
        let mut docs: HashMap<String, Arc<Vec<DocId>>> = HashMap::new();
        for (seg, inv) in self.inverted() {
            let mut v: Vec<DocId> = ids
                .iter()
                .filter_map(|id| inv.get(id))
                .flatten()
                .copied()
                .collect();
            v.sort_unstable();
            v.dedup();
            docs.insert(seg.clone(), Arc::new(v));
        }
        IdentityQuery {
            docs: Arc::new(docs),
        }
    }

    /// The article with `people` as identity display names, in story
    /// order, and their ids in `person_ids`.
    pub fn apply(&self, a: &mut Article) {
        let mut ev = Evidence::of_article(a);
        // Story order for display; resolution does not depend on order.
        ev.people = dedup_in_order(&a.people);
        let ids = self.registry.resolve_story(&ev);
        a.people = ids
            .iter()
            .map(|&i| self.registry.get(i).name.clone())
            .collect();
        a.person_ids = ids
            .iter()
            .map(|&i| self.registry.get(i).id.clone())
            .collect();
        // A quoted person is the identity the story's name for them
        // resolves to, in the story's own context.
        for q in &mut a.quotes {
            let Some(s) = q.speaker.as_mut() else {
                continue;
            };
            if s.kind != SpeakerKind::Person {
                continue;
            }
            let one = Evidence {
                people: vec![s.name.clone()],
                ..ev.clone()
            };
            if let Some(&i) = self.registry.resolve_story(&one).first() {
                let identity = self.registry.get(i);
                s.name = identity.name.clone();
                s.id = Some(identity.id.clone());
            }
        }
    }
}

impl crate::search::query::PersonExpansion for Identities {
    fn person(&self, text: &str) -> Option<Box<dyn Query>> {
        let ids = self.registry.lookup(text);
        (!ids.is_empty()).then(|| Box::new(self.query(&ids)) as Box<dyn Query>)
    }
}

/// Counts, over the matching stories, the identities each names: the
/// person facet, one row per identity.
pub struct IdentityFacet {
    pub identities: Arc<Identities>,
}

impl tantivy::collector::Collector for IdentityFacet {
    type Fruit = HashMap<u32, u64>;
    type Child = SegmentIdentityFacet;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentIdentityFacet> {
        Ok(SegmentIdentityFacet {
            table: self
                .identities
                .segments
                .get(&segment.segment_id().uuid_string())
                .cloned(),
            counts: vec![0; self.identities.registry.identities.len()],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<HashMap<u32, u64>>) -> tantivy::Result<HashMap<u32, u64>> {
        let mut total = HashMap::new();
        for s in segments {
            for (k, v) in s {
                *total.entry(k).or_insert(0) += v;
            }
        }
        Ok(total)
    }
}

/// [`IdentityFacet`] for one segment.
pub struct SegmentIdentityFacet {
    table: Option<Arc<SegmentTable>>,
    counts: Vec<u32>,
}

impl tantivy::collector::SegmentCollector for SegmentIdentityFacet {
    type Fruit = HashMap<u32, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(t) = &self.table {
            for &id in t.of(doc) {
                if let Some(n) = self.counts.get_mut(id as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> HashMap<u32, u64> {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (i as u32, u64::from(n)))
            .collect()
    }
}

fn dedup_in_order(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for s in v {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// Matches the documents of some identities, per segment, from the
/// registry's tables; scores nothing (a clause beside it ranks).
#[derive(Clone, Debug)]
pub struct IdentityQuery {
    docs: Arc<HashMap<String, Arc<Vec<DocId>>>>,
}

impl Query for IdentityQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(IdentityWeight {
            docs: self.docs.clone(),
        }))
    }
}

struct IdentityWeight {
    docs: Arc<HashMap<String, Arc<Vec<DocId>>>>,
}

impl Weight for IdentityWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self
            .docs
            .get(&reader.segment_id().uuid_string())
            .cloned()
            .unwrap_or_default();
        Ok(Box::new(ListScorer { docs, at: 0 }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) == doc {
            Ok(Explanation::new("identity", 0.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(
                "document does not match".into(),
            ))
        }
    }
}

struct ListScorer {
    docs: Arc<Vec<DocId>>,
    at: usize,
}

impl DocSet for ListScorer {
    fn advance(&mut self) -> DocId {
        if self.at < self.docs.len() {
            self.at += 1;
        }
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        let rest = &self.docs[self.at..];
        self.at += rest.partition_point(|&d| d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at.min(self.docs.len())) as u32
    }
}

impl Scorer for ListScorer {
    fn score(&mut self) -> Score {
        0.0
    }
}
