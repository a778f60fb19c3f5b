//! The registry of an index: computed from the index's fast fields, cached
//! beside it, and the per-segment tables that let queries and facets use
//! identities without reading a stored story.
//!
//! The cache (`identities.cache` in the index folder, laid out in
//! [`super::cache`]) holds the registry and, for every segment, which
//! identities each document names and the documents of each identity. It
//! is valid for one fingerprint: the index's segments (ids, sizes and
//! deletions) and the corrections file. Any commit or merge changes the
//! segments, so the next reader recomputes it; `dateline-index` does so at
//! the end of every run, so readers normally find it ready and only map
//! it: nothing is parsed until a query needs it.
//!
//! Organisations ([`super::orgs`]) are computed in the same pass and kept
//! the same way, in `orgs.cache` beside it: one layout, one fingerprint.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{anyhow, Context, Result};
use tantivy::columnar::StrColumn;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

use super::book::OrgBook;
use super::cache::{self, Bytes, SegmentRows, View};
use super::context::Evidence;
use super::corrections::{self, Corrections};
use super::names::Name;
use super::orgs::{self, Notes, OrgRegistry, OrgStory};
use super::registry::{self, IdentityId, Keyed, Registry};
use crate::article::{Article, SpeakerKind};
use crate::index::store::IndexHandle;

/// The cache file in an index folder.
pub const CACHE_FILE: &str = "identities.cache";

/// The organisations' cache file, beside it.
pub const ORGS_CACHE_FILE: &str = "orgs.cache";

/// An index's identities: the caches' tables, read in place, and the
/// registries, decoded from them the first time something needs them.
pub struct Identities {
    people: Cached,
    registry: OnceLock<Option<Registry>>,
    orgs: Cached,
    /// Corrections that could not be applied: `PATH:LINE: reason`.
    pub problems: Vec<String>,
    /// The corrections the registries were built with, and the lines of
    /// names only the people left to the organisations: what `--orgs`
    /// needs to rebuild the organisations' registry as it was built.
    corrections: Corrections,
    unplaced: Vec<usize>,
}

/// One cache opened: its view and where each segment of the index is in
/// it.
struct Cached {
    view: View,
    /// Segment uuid → its position in the view.
    segments: HashMap<String, usize>,
}

impl Cached {
    /// The documents of the segment named `segment` that name any of
    /// `ids`, ascending.
    fn postings_in(&self, segment: &str, ids: &[IdentityId]) -> Vec<DocId> {
        let Some(&i) = self.segments.get(segment) else {
            return Vec::new();
        };
        let seg = &self.view.segments[i].1;
        let mut v: Vec<DocId> = ids
            .iter()
            .flat_map(|&id| self.view.postings(seg, id))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn new(view: View) -> Cached {
        let segments = view
            .segments
            .iter()
            .enumerate()
            .map(|(i, (uuid, _))| (uuid.clone(), i))
            .collect();
        Cached { view, segments }
    }

    fn segment(&self, reader: &SegmentReader) -> Option<&cache::Segment> {
        self.segments
            .get(&reader.segment_id().uuid_string())
            .map(|&i| &self.view.segments[i].1)
    }

    /// A query for the documents of any of `ids`.
    fn query(&self, ids: &[IdentityId]) -> IdentityQuery {
        let mut docs: HashMap<String, Arc<Vec<DocId>>> = HashMap::new();
        for (uuid, seg) in &self.view.segments {
            let mut v: Vec<DocId> = ids
                .iter()
                .flat_map(|&id| self.view.postings(seg, id))
                .collect();
            if ids.len() > 1 {
                v.sort_unstable();
                v.dedup();
            }
            docs.insert(uuid.clone(), Arc::new(v));
        }
        IdentityQuery {
            docs: Arc::new(docs),
        }
    }

    fn row_at(&self, searcher: &Searcher, address: tantivy::DocAddress) -> Option<Vec<(u32, u32)>> {
        let reader = searcher.segment_reader(address.segment_ord);
        let seg = self.segment(reader)?;
        Some(self.view.row(seg, address.doc_id).collect())
    }

    /// Document `doc`'s row in the segment named `segment`.
    fn row_in(&self, segment: &str, doc: DocId) -> Option<Vec<(u32, u32)>> {
        let &i = self.segments.get(segment)?;
        Some(self.view.row(&self.view.segments[i].1, doc).collect())
    }

    /// The identities a document names, each once, ascending.
    fn of(&self, seg: &cache::Segment, doc: DocId) -> impl Iterator<Item = IdentityId> + '_ {
        let mut last = None;
        self.view
            .row(seg, doc)
            .map(|(id, _)| id)
            .filter(move |&id| {
                let new = last != Some(id) && id & cache::SPEAKER == 0;
                last = Some(id);
                new
            })
    }
}

/// Which identities: people or organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    People,
    Orgs,
}

/// The fast fields the registries read.
const COLUMNS: [&str; 7] = [
    "f_person",
    "f_hint",
    "f_org",
    "f_topic",
    "f_dateline",
    "f_speaker",
    "f_org_pair",
];

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
    let files = handle.dir().map(CacheFiles::in_index);
    if let Some(found) = files
        .as_ref()
        .and_then(|f| f.open(fingerprint, &corrections))
    {
        return Ok(found);
    }
    let computed = compute(&searcher, &corrections)?;
    // A read-only index still answers; it only recomputes each time.
    computed.into_identities(fingerprint, files.as_ref(), corrections)
}

/// The two files the identities are cached in: the people's and the
/// organisations'.
pub struct CacheFiles {
    pub people: PathBuf,
    pub orgs: PathBuf,
}

impl CacheFiles {
    /// An index folder's caches.
    fn in_index(dir: &Path) -> CacheFiles {
        CacheFiles {
            people: dir.join(CACHE_FILE),
            orgs: dir.join(ORGS_CACHE_FILE),
        }
    }

    /// Both caches, mapped, when both were built from what `fingerprint`
    /// names.
    pub fn open(&self, fingerprint: u64, corrections: &Corrections) -> Option<Identities> {
        let view = map_cache(&self.people, fingerprint)?;
        let orgs = map_cache(&self.orgs, fingerprint)?;
        // Problems are about the file as it is now: report them each time.
        // Those of applying it are in the cache; only a corrections file
        // makes them worth reading.
        let notes = match corrections.hash {
            0 => Notes::default(),
            _ => orgs.registry::<Notes>().unwrap_or_default(),
        };
        let mut identities = Identities::new(view, None, orgs, Vec::new());
        identities.problems = if notes.problems.is_empty() {
            corrections.problems.clone()
        } else {
            notes.problems
        };
        identities.unplaced = notes.unplaced;
        identities.corrections = corrections.clone();
        Some(identities)
    }
}

impl Computed {
    /// The identities of the computed registries, written to `files` when
    /// given (a cache that cannot be written only costs the next process
    /// the computing).
    fn into_identities(
        self,
        fingerprint: u64,
        files: Option<&CacheFiles>,
        corrections: Corrections,
    ) -> Result<Identities> {
        let bytes = cache::encode(fingerprint, &self.people, &self.people_rows);
        let org_bytes = cache::encode(fingerprint, &self.orgs, &self.org_rows);
        // The organisations go first: a reader maps both or recomputes.
        if let Some(f) = files {
            let _ = write_cache(&f.orgs, &org_bytes).and_then(|_| write_cache(&f.people, &bytes));
        }
        let back = |bytes| {
            View::open(Bytes::Owned(bytes), fingerprint)
                .ok_or_else(|| anyhow!("the identity cache does not read back"))
        };
        let problems = self.orgs.notes.problems.clone();
        let unplaced = self.orgs.notes.unplaced.clone();
        let mut identities =
            Identities::new(back(bytes)?, Some(self.people), back(org_bytes)?, problems);
        identities.unplaced = unplaced;
        identities.corrections = corrections;
        Ok(identities)
    }
}

/// Both registries and their per-segment rows.
struct Computed {
    people: Registry,
    people_rows: Vec<SegmentRows>,
    orgs: OrgRegistry,
    org_rows: Vec<SegmentRows>,
}

/// A story's row: its keyed identities, each with the hash of the form
/// key it came from, sorted.
fn keyed_row(names: &[(u32, String)]) -> Vec<(u32, u32)> {
    let mut row: Vec<(u32, u32)> = names
        .iter()
        .map(|(id, key)| (*id, cache::key_hash(key)))
        .collect();
    row.sort_unstable();
    row.dedup();
    row
}

/// Per-story rows laid out by segment: story `n` is document `places[n]`.
fn by_segment(
    readers: &[SegmentReader],
    places: &[(usize, DocId)],
    rows: Vec<Vec<(u32, u32)>>,
) -> Vec<SegmentRows> {
    let mut tables: Vec<SegmentRows> = readers
        .iter()
        .map(|r| SegmentRows {
            segment: r.segment_id().uuid_string(),
            rows: vec![Vec::new(); r.max_doc() as usize],
        })
        .collect();
    for ((s, doc), row) in places.iter().zip(rows) {
        tables[*s].rows[*doc as usize] = row;
    }
    tables
}

fn fingerprint(searcher: &Searcher, corrections: u64) -> u64 {
    let mut s = format!("{};{corrections};", cache::FORMAT);
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

fn map_cache(path: &Path, fingerprint: u64) -> Option<View> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: the cache is only ever replaced whole, by renaming a new file
    // over it (`write_cache`), never written in place, so the mapped bytes
    // do not change under us; a file cut short or foreign fails
    // `View::open`'s checks and every read of it is bounds-checked.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    View::open(Bytes::Mapped(map), fingerprint)
}

fn write_cache(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("cache.tmp");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
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

/// Every live document's evidence, as the fast fields hold it.
struct Scan {
    stories: Vec<Evidence>,
    org_stories: Vec<OrgStory>,
    speakers: Vec<Vec<String>>,
    /// (segment, doc) of each story.
    places: Vec<(usize, DocId)>,
}

/// Reads every live document's evidence from the fast fields.
/// The columns of `COLUMNS` that only the people's registry reads.
const PEOPLE_ONLY: [usize; 4] = [0, 1, 3, 5];

/// `people`: whether the people's columns are wanted (`--orgs` reads
/// only the organisations', their dates and datelines).
fn scan(searcher: &Searcher, people: bool) -> Scan {
    let mut stories: Vec<Evidence> = Vec::new();
    let mut org_stories: Vec<OrgStory> = Vec::new();
    let mut speakers: Vec<Vec<String>> = Vec::new();
    let mut places: Vec<(usize, DocId)> = Vec::new();
    let readers = searcher.segment_readers();
    for (s, reader) in readers.iter().enumerate() {
        let ff = reader.fast_fields();
        let columns: Vec<Option<(StrColumn, Vec<String>)>> = COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if !people && PEOPLE_ONLY.contains(&i) {
                    return None;
                }
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
            let pairs = values(6, doc)
                .into_iter()
                .filter_map(|p| {
                    let (short, long) = p.split_once(crate::index::document::PAIR)?;
                    Some((short.to_string(), long.to_string()))
                })
                .collect();
            org_stories.push(OrgStory {
                day,
                orgs: ev.orgs.clone(),
                pairs,
                dateline: ev.dateline.clone(),
            });
            stories.push(ev);
            speakers.push(values(5, doc));
            places.push((s, doc));
        }
    }
    Scan {
        stories,
        org_stories,
        speakers,
        places,
    }
}

/// Both registries from the index's evidence, with the corrections:
/// the people's first, then the organisations' with the lines of names
/// the people do not have.
fn build_both(
    stories: &[Evidence],
    org_stories: &[OrgStory],
    corrections: &Corrections,
) -> (Registry, Vec<Keyed>, OrgRegistry, Vec<Keyed>) {
    let (mut registry, keyed) = Registry::build_keyed(stories, corrections);
    let (mut orgs, org_keyed) =
        OrgRegistry::build_corrected(org_stories, corrections, &registry.unplaced);
    let mut problems = registry.problems.clone();
    problems.extend(orgs.problems.iter().cloned());
    // In the file's order, whichever registry found them.
    problems.sort_by_key(|p| line_of(p));
    registry.problems = problems.clone();
    orgs.notes = Notes {
        problems,
        unplaced: registry.unplaced.clone(),
    };
    (registry, keyed, orgs, org_keyed)
}

/// The line number of a `PATH:LINE: reason` message (0 when it has none).
fn line_of(problem: &str) -> usize {
    problem
        .split_once(": ")
        .and_then(|(at, _)| at.rsplit_once(':'))
        .and_then(|(_, line)| line.parse().ok())
        .unwrap_or(0)
}

/// Reads every live document's evidence from the fast fields and builds
/// the registries.
fn compute(searcher: &Searcher, corrections: &Corrections) -> Result<Computed> {
    let Scan {
        stories,
        org_stories,
        speakers,
        places,
    } = scan(searcher, true);
    let readers = searcher.segment_readers();
    let (registry, keyed, orgs, org_keyed) = build_both(&stories, &org_stories, corrections);
    let tables = by_segment(
        readers,
        &places,
        person_rows(&registry, &stories, &speakers, &keyed),
    );
    let org_rows = by_segment(
        readers,
        &places,
        org_keyed.iter().map(|k| keyed_row(k)).collect(),
    );
    Ok(Computed {
        people: registry,
        people_rows: tables,
        orgs,
        org_rows,
    })
}

/// The segment name of identities built by [`from_evidence`] (32
/// characters, as the cache keeps a tantivy segment uuid).
pub const STORIES: &str = "00000000000000000000000000000000";

/// The identities of stories given by their evidence and quoted speakers
/// (a backend without tantivy segments: SolrCloud): one segment,
/// [`STORIES`], whose document `n` is story `n`. With `cache`, the
/// registries are read from its files when they were built from evidence
/// with the same `fingerprint`, else built and written there.
pub fn from_evidence(
    stories: &[Evidence],
    speakers: &[Vec<String>],
    org_stories: &[OrgStory],
    corrections: &Corrections,
    cache: Option<(&CacheFiles, u64)>,
) -> Result<Identities> {
    let fingerprint = cache.map_or(0, |(_, f)| f);
    if let Some(found) = cache.and_then(|(files, f)| files.open(f, corrections)) {
        return Ok(found);
    }
    let (registry, keyed, orgs, org_keyed) = build_both(stories, org_stories, corrections);
    let rows = person_rows(&registry, stories, speakers, &keyed);
    let one_segment = |rows| {
        vec![SegmentRows {
            segment: STORIES.to_string(),
            rows,
        }]
    };
    let org_rows = org_keyed.iter().map(|k| keyed_row(k)).collect();
    let computed = Computed {
        people: registry,
        people_rows: one_segment(rows),
        orgs,
        org_rows: one_segment(org_rows),
    };
    computed.into_identities(fingerprint, cache.map(|(f, _)| f), corrections.clone())
}

/// The organisations of stories given by their evidence and each one's
/// (short, long) abbreviation pairs, as the index's fast fields give them.
pub fn org_stories_of(stories: &[Evidence], pairs: &[Vec<(String, String)>]) -> Vec<OrgStory> {
    stories
        .iter()
        .enumerate()
        .map(|(n, ev)| OrgStory {
            day: ev.day,
            orgs: ev.orgs.clone(),
            pairs: pairs.get(n).cloned().unwrap_or_default(),
            dateline: ev.dateline.clone(),
        })
        .collect()
}

/// Each story's row of (identity, name key hash) entries: the identities
/// its names resolve to, and its quoted speakers'.
fn person_rows(
    registry: &Registry,
    stories: &[Evidence],
    speakers: &[Vec<String>],
    keyed: &[Keyed],
) -> Vec<Vec<(u32, u32)>> {
    let mut out = Vec::with_capacity(keyed.len());
    for (n, names) in keyed.iter().enumerate() {
        let mut row = keyed_row(names);
        // A speaker the story names among its people is found by that
        // name's key; another (a surname alone) is resolved here, in the
        // story's context, as a speaker-only entry.
        for name in &speakers[n] {
            let Some(key) = form_key(name) else { continue };
            let hash = cache::key_hash(&key);
            if row.iter().any(|&(_, h)| h == hash) {
                continue;
            }
            // The name alone: the story's headline names would answer
            // when it does not resolve.
            let one = Evidence {
                people: vec![name.clone()],
                hints: Vec::new(),
                ..stories[n].clone()
            };
            if let Some(&id) = registry.resolve_story(&one).first() {
                row.push((id | cache::SPEAKER, hash));
            }
        }
        row.sort_unstable();
        row.dedup();
        out.push(row);
    }
    out
}

/// The form key of a name as the registry keys it (`None` for what it
/// does not take for a person's name).
fn form_key(raw: &str) -> Option<String> {
    Name::parse(raw)
        .filter(|n| !n.is_company())
        .map(|n| n.key())
}

impl Identities {
    fn new(
        view: View,
        registry: Option<Registry>,
        orgs: View,
        problems: Vec<String>,
    ) -> Identities {
        let cell = OnceLock::new();
        if let Some(r) = registry {
            let _ = cell.set(Some(r));
        }
        Identities {
            people: Cached::new(view),
            registry: cell,
            orgs: Cached::new(orgs),
            problems,
            corrections: Corrections::default(),
            unplaced: Vec::new(),
        }
    }

    /// The organisations' registry with its cards, for `--orgs`: built
    /// again from the index's fast fields (one column scan, as the cache
    /// was) with the same corrections, each story's people read from the
    /// people's cache. Neither indexing nor a query pays for the cards.
    pub fn org_book(&self, searcher: &Searcher) -> OrgBook {
        let Scan {
            org_stories,
            places,
            ..
        } = scan(searcher, false);
        let segments: Vec<String> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id().uuid_string())
            .collect();
        self.book(&org_stories, |n| {
            let (s, doc) = places[n];
            self.people.row_in(&segments[s], doc).unwrap_or_default()
        })
    }

    /// [`Identities::org_book`] for identities built by [`from_evidence`]
    /// from these stories.
    pub fn org_book_of(&self, stories: &[OrgStory]) -> OrgBook {
        self.book(stories, |n| {
            self.people.row_in(STORIES, n as DocId).unwrap_or_default()
        })
    }

    fn book(&self, org_stories: &[OrgStory], row: impl Fn(usize) -> Vec<(u32, u32)>) -> OrgBook {
        let (mut orgs, keyed) =
            OrgRegistry::build_corrected(org_stories, &self.corrections, &self.unplaced);
        let mut names: HashMap<String, String> = HashMap::new();
        let people: Vec<Vec<String>> = (0..org_stories.len())
            .map(|n| {
                let mut ids: Vec<String> = Vec::new();
                for (i, _) in row(n) {
                    if i & cache::SPEAKER != 0 {
                        continue;
                    }
                    let id = self.id(i).to_string();
                    if !ids.contains(&id) {
                        names
                            .entry(id.clone())
                            .or_insert_with(|| self.name(i).to_string());
                        ids.push(id);
                    }
                }
                ids
            })
            .collect();
        orgs.add_cards(org_stories, &keyed, &people);
        OrgBook::new(orgs, names)
    }

    /// The whole registry (resolution tables, identity cards), decoded
    /// from the cache the first time it is asked for.
    pub fn registry(&self) -> Result<&Registry> {
        self.registry
            .get_or_init(|| self.people.view.registry())
            .as_ref()
            .ok_or_else(|| anyhow!("the identity cache's registry does not read back"))
    }

    fn cached(&self, which: Which) -> &Cached {
        match which {
            Which::People => &self.people,
            Which::Orgs => &self.orgs,
        }
    }

    /// How many identities of a kind there are.
    pub fn count(&self, which: Which) -> usize {
        self.cached(which).view.len()
    }

    /// An organisation identity's display name.
    pub fn org_name(&self, id: IdentityId) -> &str {
        self.orgs.view.name(id)
    }

    /// The organisation identities a query name means.
    pub fn lookup_org(&self, query: &str) -> Vec<IdentityId> {
        if let Some(id) = self.orgs.view.by_id(query.trim()) {
            return vec![id];
        }
        // Stories hold a well-known organisation under its canonical name.
        let name = crate::enrich::orgs::well_known_any_case(query).unwrap_or(query);
        self.orgs.view.denoted(&orgs::key(name))
    }

    /// A query for the stories of any of the organisations `ids`.
    pub fn org_query(&self, ids: &[IdentityId]) -> IdentityQuery {
        self.orgs.query(ids)
    }

    /// Sets `orgs` to the display names of the story's organisation
    /// identities, in story order, and `org_ids` to their ids.
    fn name_orgs(&self, row: Option<Vec<(u32, u32)>>, a: &mut Article) {
        // A row is what the registry made of the story: when it is empty,
        // the story names no organisation (`not-org` took them all).
        let authoritative = row.is_some() && !self.orgs.view.is_empty();
        let ids: Vec<u32> = match row {
            Some(row) => {
                let order: Vec<u32> = a
                    .orgs
                    .iter()
                    .map(|o| cache::key_hash(&orgs::key(o)))
                    .collect();
                in_order(&row, &order)
            }
            // From outside the index: each name as the archive resolves
            // its bare uses (the surname slot of the organisations' cache).
            None => {
                let mut ids: Vec<u32> = Vec::new();
                for o in &a.orgs {
                    if let Some(&i) = self.orgs.view.with_surname(&orgs::key(o)).first() {
                        if !ids.contains(&i) {
                            ids.push(i);
                        }
                    }
                }
                ids
            }
        };
        if ids.is_empty() && !a.orgs.is_empty() && !authoritative {
            // Not in the registry (an empty one): leave the story's own.
            return;
        }
        a.orgs = ids
            .iter()
            .map(|&i| self.orgs.view.name(i).to_string())
            .collect();
        a.org_ids = ids
            .iter()
            .map(|&i| self.orgs.view.id(i).to_string())
            .collect();
    }

    /// How many person identities there are.
    pub fn len(&self) -> usize {
        self.people.view.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.people.view.is_empty()
    }

    /// A person identity's display name.
    pub fn name(&self, id: IdentityId) -> &str {
        self.people.view.name(id)
    }

    /// A person identity's stable id.
    pub fn id(&self, id: IdentityId) -> &str {
        self.people.view.id(id)
    }

    /// The identities a query name means (see [`Registry::lookup`]).
    pub fn lookup(&self, query: &str) -> Vec<IdentityId> {
        registry::lookup_in(&self.people.view, query)
    }

    fn segment(&self, reader: &SegmentReader) -> Option<&cache::Segment> {
        self.people.segment(reader)
    }

    /// A query for the stories of any of `ids` (constant score).
    pub fn query(&self, ids: &[IdentityId]) -> IdentityQuery {
        self.people.query(ids)
    }

    /// The article at `address`, with `people` as identity display names
    /// in story order and their ids in `person_ids`, from the cache's row
    /// for it: the identities the registry resolved the story's names to.
    /// Likewise `orgs` and `org_ids`, from the organisations' row.
    pub fn apply_at(&self, searcher: &Searcher, address: tantivy::DocAddress, a: &mut Article) {
        self.name_orgs(self.orgs.row_at(searcher, address), a);
        match self.row_at(searcher, address) {
            Some(row) => self.apply_row(&row, a),
            None => self.apply_people(a),
        }
    }

    /// [`Identities::apply_at`] for document `doc` of the segment named
    /// `segment` (for [`from_evidence`]'s, [`STORIES`]).
    pub fn apply_in(&self, segment: &str, doc: DocId, a: &mut Article) {
        self.name_orgs(self.orgs.row_in(segment, doc), a);
        match self.people.row_in(segment, doc) {
            Some(row) => self.apply_row(&row, a),
            None => self.apply_people(a),
        }
    }

    /// The documents of the segment named `segment` that name any of `ids`,
    /// ascending.
    pub fn postings_in(&self, segment: &str, ids: &[IdentityId]) -> Vec<DocId> {
        self.people.postings_in(segment, ids)
    }

    fn apply_row(&self, row: &[(u32, u32)], a: &mut Article) {
        // A quoted person is the identity the story's name for them
        // resolves to, which the row holds under that name's key.
        let speakers = quoted_people(a, |name| {
            let hash = form_key(name).map(|k| cache::key_hash(&k))?;
            row.iter()
                .find(|&&(_, h)| h == hash)
                .map(|&(id, _)| id & !cache::SPEAKER)
        });
        let ids = Self::in_story_order(row, &a.people, &a.person_hints);
        self.name_people(a, &ids, &speakers);
    }

    /// A stored document's row: its (identity, key hash) entries.
    fn row_at(&self, searcher: &Searcher, address: tantivy::DocAddress) -> Option<Vec<(u32, u32)>> {
        self.people.row_at(searcher, address)
    }

    /// The identities a stored story names, in the order of its names:
    /// `people` as stored (the story's order), then its headline's names.
    /// `None` for a document the cache does not know.
    pub fn people_at(
        &self,
        searcher: &Searcher,
        address: tantivy::DocAddress,
        people: &[String],
        hints: &[String],
    ) -> Option<Vec<IdentityId>> {
        let row = self.row_at(searcher, address)?;
        Some(Self::in_story_order(&row, people, hints))
    }

    /// [`Identities::people_at`] for document `doc` of the segment named
    /// `segment` (for [`from_evidence`]'s, [`STORIES`]).
    pub fn people_in(
        &self,
        segment: &str,
        doc: DocId,
        people: &[String],
        hints: &[String],
    ) -> Option<Vec<IdentityId>> {
        let row = self.people.row_in(segment, doc)?;
        Some(Self::in_story_order(&row, people, hints))
    }

    /// [`Identities::postings_in`] for organisation identities.
    pub fn org_postings_in(&self, segment: &str, ids: &[IdentityId]) -> Vec<DocId> {
        self.orgs.postings_in(segment, ids)
    }

    /// [`Identities::of`] for document `doc` of the segment named
    /// `segment`: the identities it names, each once, ascending.
    pub fn of_in(&self, segment: &str, doc: DocId) -> Vec<IdentityId> {
        let Some(&i) = self.people.segments.get(segment) else {
            return Vec::new();
        };
        self.people
            .of(&self.people.view.segments[i].1, doc)
            .collect()
    }

    fn in_story_order(row: &[(u32, u32)], people: &[String], hints: &[String]) -> Vec<u32> {
        // Where each name key stands in the story: its people, then its
        // headline's names (which the registry reads after them).
        let order: Vec<u32> = people
            .iter()
            .chain(hints)
            .map(|p| form_key(p).map_or(0, |k| cache::key_hash(&k)))
            .collect();
        in_order(row, &order)
    }

    /// A segment's tables, for [`Identities::of`]; `None` when the
    /// segment is not the cache's.
    pub fn tables(&self, reader: &SegmentReader) -> Option<cache::Segment> {
        self.segment(reader).copied()
    }

    /// The identities a document names, each once, ascending.
    pub fn of(&self, seg: &cache::Segment, doc: DocId) -> impl Iterator<Item = IdentityId> + '_ {
        self.people.of(seg, doc)
    }

    /// The identity a speaker's name resolves to in the story's context,
    /// by the registry.
    fn resolve_in(&self, a: &Article, name: &str) -> Option<u32> {
        let registry = self.registry().ok()?;
        let one = Evidence {
            people: vec![name.to_string()],
            hints: Vec::new(),
            ..Evidence::of_article(a)
        };
        registry.resolve_story(&one).first().copied()
    }

    fn name_people(&self, a: &mut Article, ids: &[u32], speakers: &[Option<u32>]) {
        a.people = ids.iter().map(|&i| self.name(i).to_string()).collect();
        a.person_ids = ids.iter().map(|&i| self.id(i).to_string()).collect();
        for (q, found) in a.quotes.iter_mut().zip(speakers) {
            if let (Some(s), Some(i)) = (q.speaker.as_mut(), found) {
                s.name = self.name(*i).to_string();
                s.id = Some(self.id(*i).to_string());
            }
        }
    }

    /// [`Identities::apply_at`] for an article from outside the index's
    /// segments: its names resolved by the registries.
    pub fn apply(&self, a: &mut Article) {
        self.name_orgs(None, a);
        self.apply_people(a);
    }

    fn apply_people(&self, a: &mut Article) {
        let Ok(registry) = self.registry() else {
            return;
        };
        let mut ev = Evidence::of_article(a);
        // Story order for display; resolution does not depend on order.
        ev.people = dedup_in_order(&a.people);
        let ids = registry.resolve_story(&ev);
        let speakers = quoted_people(a, |name| self.resolve_in(a, name));
        self.name_people(a, &ids, &speakers);
    }
}

/// The identities of a row (not speakers only) ordered by where the
/// form each came from stands in `order` (key hashes), each once.
fn in_order(row: &[(u32, u32)], order: &[u32]) -> Vec<u32> {
    let rank = |hash: u32| order.iter().position(|&h| h == hash).unwrap_or(usize::MAX);
    let mut ids: Vec<(usize, u32)> = Vec::with_capacity(row.len());
    for &(id, hash) in row.iter().filter(|(id, _)| id & cache::SPEAKER == 0) {
        let r = rank(hash);
        match ids.iter_mut().find(|(_, i)| *i == id) {
            Some(entry) => entry.0 = entry.0.min(r),
            None => ids.push((r, id)),
        }
    }
    ids.sort_unstable();
    ids.into_iter().map(|(_, i)| i).collect()
}

/// The identity of each quotation's speaker, by `resolve` of its name;
/// `None` for organisations and unattributed quotations.
fn quoted_people(a: &Article, resolve: impl Fn(&str) -> Option<u32>) -> Vec<Option<u32>> {
    a.quotes
        .iter()
        .map(|q| {
            let s = q
                .speaker
                .as_ref()
                .filter(|s| s.kind == SpeakerKind::Person)?;
            resolve(&s.name)
        })
        .collect()
}

impl crate::search::query::PersonExpansion for Identities {
    fn person(&self, text: &str) -> Option<Box<dyn Query>> {
        let ids = self.lookup(text);
        (!ids.is_empty()).then(|| Box::new(self.query(&ids)) as Box<dyn Query>)
    }

    fn org(&self, text: &str) -> Option<Box<dyn Query>> {
        let ids = self.lookup_org(text);
        (!ids.is_empty()).then(|| Box::new(self.org_query(&ids)) as Box<dyn Query>)
    }
}

/// Counts, over the matching stories, the identities each names: the
/// person (or organisation) facet, one row per identity.
pub struct IdentityFacet {
    pub identities: Arc<Identities>,
    pub which: Which,
}

impl tantivy::collector::Collector for IdentityFacet {
    type Fruit = HashMap<u32, u64>;
    type Child = SegmentIdentityFacet;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentIdentityFacet> {
        let identities = self.identities.clone();
        let segment = identities.cached(self.which).segment(segment).copied();
        Ok(SegmentIdentityFacet {
            counts: vec![0; identities.count(self.which)],
            identities,
            which: self.which,
            segment,
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
    identities: Arc<Identities>,
    which: Which,
    segment: Option<cache::Segment>,
    counts: Vec<u32>,
}

impl tantivy::collector::SegmentCollector for SegmentIdentityFacet {
    type Fruit = HashMap<u32, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(seg) = &self.segment {
            for id in self.identities.cached(self.which).of(seg, doc) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stories(people: &[&str]) -> Vec<Evidence> {
        people
            .iter()
            .map(|p| Evidence {
                day: Some(6000),
                people: vec![p.to_string()],
                orgs: vec!["Federal Reserve".into()],
                ..Evidence::default()
            })
            .collect()
    }

    fn build(ev: &[Evidence], cache: Option<(&CacheFiles, u64)>) -> Identities {
        let speakers = vec![Vec::new(); ev.len()];
        let orgs = org_stories_of(ev, &[]);
        from_evidence(ev, &speakers, &orgs, &Corrections::default(), cache).unwrap()
    }

    #[test]
    fn evidence_identities_are_read_back_while_the_fingerprint_holds() {
        let dir = tempfile::tempdir().unwrap();
        let files = CacheFiles {
            people: dir.path().join("p.cache"),
            orgs: dir.path().join("o.cache"),
        };
        let (a, b) = (stories(&["James Baker"]), stories(&["Paul Volcker"]));
        let first = build(&a, Some((&files, 7)));
        assert!(!first.lookup("Baker").is_empty());
        assert!(files.people.exists() && files.orgs.exists());
        // The same fingerprint: the cache answers, whatever is passed in.
        let cached = build(&b, Some((&files, 7)));
        assert!(!cached.lookup("Baker").is_empty());
        assert!(cached.lookup("Volcker").is_empty());
        assert!(!cached.lookup_org("Federal Reserve").is_empty());
        // Other evidence, another fingerprint: built afresh and replaced.
        let fresh = build(&b, Some((&files, 8)));
        assert!(!fresh.lookup("Volcker").is_empty());
        assert!(fresh.lookup("Baker").is_empty());
        assert!(!build(&a, Some((&files, 8))).lookup("Volcker").is_empty());
    }
}
