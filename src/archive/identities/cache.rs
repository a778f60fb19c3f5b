//! The layout of `identities.cache`: a flat little-endian file that a
//! query reads in place (memory-mapped), touching only what it needs.
//!
//! Why not a serialised registry: a `dateline` process answers one query
//! and exits, and parsing (or even reading) the whole registry costs far
//! more than the query. Here opening the cache is a header read; a hit's
//! `people` reads one row and two strings; a `person:` query binary-searches
//! a sorted key table and reads a posting list per segment. The registry
//! itself (resolution tables, identity cards) is one section of its own,
//! decoded only when something needs it (`--people`, an unseen name).
//!
//! ```text
//! header   magic "DLIDENT\0" · format u32 · 0 u32 · fingerprint u64
//!          identities u32 · segments u32 · section offsets u64 × SECTIONS
//! NAMES    string table: display names, by identity
//! IDS      string table: ids, by identity
//! KINDS    u8 per identity (0 person, 1 surname, 2 ambiguous, 3 organisation)
//! DENOTES  sorted map: form key → identities stories resolve it to
//! BY_ID    sorted map: id (also ids merged away) → identity
//! SURNAME  sorted map: surname → identities with that surname
//! SEGMENTS per segment: uuid (32 bytes) · max_doc u32 · entries u32 ·
//!          postings u32 · row ends u32 × max_doc · entries (identity u32,
//!          top bit set for a speaker only; key hash u32) · posting ends u32 × identities · postings u32
//! REGISTRY the registry as JSON
//! ```
//!
//! People (`identities.cache`) and organisations (`orgs.cache`) are two
//! files of this one layout: anything that is a [`Table`] encodes to it
//! (for organisations, SURNAME maps a form to the identity its bare
//! uses resolve to, and REGISTRY holds only what a corrections file gave,
//! [`super::orgs::Notes`]: queries need only the maps).
//!
//! A string table is `count u32 · ends u32 × count · bytes`; a sorted map
//! is a string table of keys in byte order, `ends u32 × count` and the
//! values, `u32` each. Every read is bounds-checked: a damaged file reads
//! as empty rows rather than crashing, and its fingerprint or length
//! check sends the next reader to recompute it.

use std::ops::Deref;

use serde::de::DeserializeOwned;

use super::registry::{Identity, Kind};

/// A registry the cache can hold: its identities, the maps a query looks
/// names up in, and itself as JSON for what needs all of it.
pub trait Table {
    /// The identities, by number.
    fn identities(&self) -> &[Identity];
    /// Form key → the identities stories resolve it to.
    fn denoted_forms(&self) -> Vec<(String, Vec<u32>)>;
    /// Every id (also ids merged away) with its identity.
    fn all_ids(&self) -> Vec<(String, u32)>;
    /// The third map: surname → identities with it, for people.
    fn surnames(&self) -> Vec<(String, Vec<u32>)>;
    /// The whole registry as JSON, for what needs more than the maps
    /// (empty when nothing does).
    fn json(&self) -> Vec<u8>;
}

const MAGIC: &[u8; 8] = b"DLIDENT\0";

/// Bumped when the registry's rules or this layout change.
pub const FORMAT: u32 = 4;

const NAMES: usize = 0;
const IDS: usize = 1;
const KINDS: usize = 2;
const DENOTES: usize = 3;
const BY_ID: usize = 4;
const SURNAME: usize = 5;
const SEGMENTS: usize = 6;
const REGISTRY: usize = 7;
/// Sections, and the end of the last.
const SECTIONS: usize = 9;
const HEADER: usize = 32 + 8 * SECTIONS;

/// A segment's uuid as tantivy prints it: 32 hex digits.
const UUID: usize = 32;

/// The hash of a name's form key stored beside each identity of a row, so
/// that a story read back can order its identities as it orders its names
/// without the registry.
pub fn key_hash(key: &str) -> u32 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as u32
}

/// Marks a row entry that is a quoted speaker's identity only (a name
/// the story does not count among its people).
pub const SPEAKER: u32 = 1 << 31;

/// Which identities one segment's documents name: for each document, its
/// (identity, key hash) entries.
pub struct SegmentRows {
    pub segment: String,
    pub rows: Vec<Vec<(u32, u32)>>,
}

/// The cache's bytes: mapped from the file, or built in memory (an index
/// without a folder, or one whose folder is read-only).
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// Encodes the registry and the segments' rows.
pub fn encode(fingerprint: u64, registry: &impl Table, segments: &[SegmentRows]) -> Vec<u8> {
    let identities = registry.identities();
    let n = identities.len();
    let mut out = vec![0u8; HEADER];
    out[..8].copy_from_slice(MAGIC);
    out[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    out[16..24].copy_from_slice(&fingerprint.to_le_bytes());
    out[24..28].copy_from_slice(&(n as u32).to_le_bytes());
    out[28..32].copy_from_slice(&(segments.len() as u32).to_le_bytes());
    let mut starts = [0u64; SECTIONS];
    let mut section = |out: &mut Vec<u8>, s: usize| starts[s] = out.len() as u64;

    section(&mut out, NAMES);
    strings(&mut out, identities.iter().map(|i| i.name.as_str()));
    section(&mut out, IDS);
    strings(&mut out, identities.iter().map(|i| i.id.as_str()));
    section(&mut out, KINDS);
    out.extend(identities.iter().map(|i| match i.kind {
        Kind::Person => 0u8,
        Kind::Surname => 1,
        Kind::Ambiguous => 2,
        Kind::Organisation => 3,
    }));
    section(&mut out, DENOTES);
    sorted_map(&mut out, registry.denoted_forms());
    section(&mut out, BY_ID);
    sorted_map(
        &mut out,
        registry
            .all_ids()
            .into_iter()
            .map(|(id, i)| (id, vec![i]))
            .collect(),
    );
    section(&mut out, SURNAME);
    sorted_map(&mut out, registry.surnames());

    section(&mut out, SEGMENTS);
    let directory = out.len();
    out.resize(directory + 8 * segments.len(), 0);
    for (s, seg) in segments.iter().enumerate() {
        let at = out.len() as u64;
        out[directory + 8 * s..directory + 8 * s + 8].copy_from_slice(&at.to_le_bytes());
        segment(&mut out, seg, n);
    }
    section(&mut out, REGISTRY);
    // A registry always serialises; if it did not, its section is empty
    // and readers recompute.
    out.extend(registry.json());
    section(&mut out, SECTIONS - 1);
    for (s, at) in starts.iter().enumerate() {
        out[32 + 8 * s..40 + 8 * s].copy_from_slice(&at.to_le_bytes());
    }
    out
}

fn put(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn strings<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a str> + Clone) {
    let count = items.clone().count();
    put(out, count as u32);
    let mut end = 0u32;
    for s in items.clone() {
        end += s.len() as u32;
        put(out, end);
    }
    for s in items {
        out.extend_from_slice(s.as_bytes());
    }
}

fn sorted_map(out: &mut Vec<u8>, mut entries: Vec<(String, Vec<u32>)>) {
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries.dedup_by(|a, b| a.0 == b.0);
    strings(out, entries.iter().map(|(k, _)| k.as_str()));
    let mut end = 0u32;
    for (_, v) in &entries {
        end += v.len() as u32;
        put(out, end);
    }
    for (_, v) in &entries {
        for &x in v {
            put(out, x);
        }
    }
}

fn segment(out: &mut Vec<u8>, seg: &SegmentRows, identities: usize) {
    let mut uuid = [b'0'; UUID];
    let b = seg.segment.as_bytes();
    uuid[..b.len().min(UUID)].copy_from_slice(&b[..b.len().min(UUID)]);
    out.extend_from_slice(&uuid);
    let entries: usize = seg.rows.iter().map(Vec::len).sum();
    // Postings: each document once per identity it names.
    let mut postings: Vec<(u32, u32)> = Vec::new();
    for (doc, row) in seg.rows.iter().enumerate() {
        for (k, &(id, _)) in row.iter().enumerate() {
            if id & SPEAKER == 0 && (k == 0 || row[k - 1].0 != id) {
                postings.push((id, doc as u32));
            }
        }
    }
    postings.sort_unstable();
    put(out, seg.rows.len() as u32);
    put(out, entries as u32);
    put(out, postings.len() as u32);
    let mut end = 0u32;
    for row in &seg.rows {
        end += row.len() as u32;
        put(out, end);
    }
    for row in &seg.rows {
        for &(id, hash) in row {
            put(out, id);
            put(out, hash);
        }
    }
    let mut at = 0usize;
    for id in 0..identities as u32 {
        while at < postings.len() && postings[at].0 == id {
            at += 1;
        }
        put(out, at as u32);
    }
    for &(_, doc) in &postings {
        put(out, doc);
    }
}

/// Bounds-checked reads of the file.
#[derive(Clone, Copy)]
struct At<'a>(&'a [u8]);

impl<'a> At<'a> {
    fn u32(self, pos: usize) -> u32 {
        self.0
            .get(pos..pos + 4)
            .map_or(0, |b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    fn u64(self, pos: usize) -> u64 {
        self.0
            .get(pos..pos + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    fn bytes(self, from: usize, to: usize) -> &'a [u8] {
        self.0.get(from..to).unwrap_or(&[])
    }
}

/// A string table or the keys of a sorted map, at a position.
#[derive(Clone, Copy, Default)]
struct Strings {
    at: usize,
    count: usize,
}

impl Strings {
    fn read(b: At<'_>, at: usize) -> Strings {
        Strings {
            at,
            count: b.u32(at) as usize,
        }
    }

    fn data(&self) -> usize {
        self.at + 4 + 4 * self.count
    }

    /// Where the table ends (and a map's value ends begin).
    fn end(&self, b: At<'_>) -> usize {
        self.data() + self.bound(b, self.count) as usize
    }

    fn bound(&self, b: At<'_>, i: usize) -> u32 {
        if i == 0 {
            0
        } else {
            b.u32(self.at + 4 * i)
        }
    }

    fn get<'a>(&self, b: At<'a>, i: usize) -> &'a str {
        if i >= self.count {
            return "";
        }
        let (from, to) = (self.bound(b, i) as usize, self.bound(b, i + 1) as usize);
        std::str::from_utf8(b.bytes(self.data() + from, self.data() + to)).unwrap_or("")
    }
}

/// A sorted map's position.
#[derive(Clone, Copy, Default)]
struct Map {
    keys: Strings,
    ends: usize,
}

impl Map {
    fn read(b: At<'_>, at: usize) -> Map {
        let keys = Strings::read(b, at);
        Map {
            keys,
            ends: keys.end(b),
        }
    }

    fn get(&self, b: At<'_>, key: &str) -> Vec<u32> {
        let (mut lo, mut hi) = (0usize, self.keys.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.keys.get(b, mid).as_bytes().cmp(key.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let end = |i: usize| {
                        if i == 0 {
                            0
                        } else {
                            b.u32(self.ends + 4 * (i - 1)) as usize
                        }
                    };
                    let values = self.ends + 4 * self.keys.count;
                    return (end(mid)..end(mid + 1))
                        .map(|v| b.u32(values + 4 * v))
                        .collect();
                }
            }
        }
        Vec::new()
    }
}

/// One segment's rows and postings, by position.
#[derive(Clone, Copy, Debug)]
pub struct Segment {
    max_doc: usize,
    row_ends: usize,
    entries: usize,
    posting_ends: usize,
    postings: usize,
}

/// The cache opened: positions of its sections, read in place.
pub struct View {
    bytes: Bytes,
    identities: usize,
    names: Strings,
    ids: Strings,
    kinds: usize,
    denotes: Map,
    by_id: Map,
    surnames: Map,
    /// Segment uuid → its tables.
    pub segments: Vec<(String, Segment)>,
    registry: (usize, usize),
}

impl View {
    /// Opens cache bytes written for `fingerprint`; `None` when they are
    /// another format, another fingerprint or cut short.
    pub fn open(bytes: Bytes, fingerprint: u64) -> Option<View> {
        let b = At(&bytes);
        if bytes.len() < HEADER
            || &bytes[..8] != MAGIC
            || b.u32(8) != FORMAT
            || b.u64(16) != fingerprint
        {
            return None;
        }
        let section = |s: usize| b.u64(32 + 8 * s) as usize;
        if section(SECTIONS - 1) != bytes.len() {
            return None;
        }
        let identities = b.u32(24) as usize;
        let count = b.u32(28) as usize;
        let mut segments = Vec::with_capacity(count);
        for s in 0..count {
            let at = b.u64(section(SEGMENTS) + 8 * s) as usize;
            let uuid = String::from_utf8_lossy(b.bytes(at, at + UUID)).into_owned();
            let max_doc = b.u32(at + UUID) as usize;
            let entries = b.u32(at + UUID + 4) as usize;
            let row_ends = at + UUID + 12;
            let entries_at = row_ends + 4 * max_doc;
            let posting_ends = entries_at + 8 * entries;
            let postings = posting_ends + 4 * identities;
            segments.push((
                uuid,
                Segment {
                    max_doc,
                    row_ends,
                    entries: entries_at,
                    posting_ends,
                    postings,
                },
            ));
        }
        let view = View {
            identities,
            names: Strings::read(b, section(NAMES)),
            ids: Strings::read(b, section(IDS)),
            kinds: section(KINDS),
            denotes: Map::read(b, section(DENOTES)),
            by_id: Map::read(b, section(BY_ID)),
            surnames: Map::read(b, section(SURNAME)),
            segments,
            registry: (section(REGISTRY), section(SECTIONS - 1)),
            bytes,
        };
        Some(view)
    }

    fn at(&self) -> At<'_> {
        At(&self.bytes)
    }

    /// How many identities the registry has.
    pub fn len(&self) -> usize {
        self.identities
    }

    /// Whether the registry has none.
    pub fn is_empty(&self) -> bool {
        self.identities == 0
    }

    /// An identity's display name.
    pub fn name(&self, i: u32) -> &str {
        self.names.get(self.at(), i as usize)
    }

    /// An identity's id.
    pub fn id(&self, i: u32) -> &str {
        self.ids.get(self.at(), i as usize)
    }

    /// An identity's kind.
    pub fn kind(&self, i: u32) -> Kind {
        match self.bytes.get(self.kinds + i as usize) {
            Some(1) => Kind::Surname,
            Some(2) => Kind::Ambiguous,
            Some(3) => Kind::Organisation,
            _ => Kind::Person,
        }
    }

    /// The identities stories resolve a form key to.
    pub fn denoted(&self, key: &str) -> Vec<u32> {
        self.denotes.get(self.at(), key)
    }

    /// The identity with this id (also an id merged away).
    pub fn by_id(&self, id: &str) -> Option<u32> {
        self.by_id.get(self.at(), id).first().copied()
    }

    /// The identities with this surname.
    pub fn with_surname(&self, last: &str) -> Vec<u32> {
        self.surnames.get(self.at(), last)
    }

    /// A document's (identity, key hash) entries, sorted by identity.
    pub fn row(&self, seg: &Segment, doc: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let b = self.at();
        let d = doc as usize;
        let (from, to) = if d < seg.max_doc {
            let end = |i: usize| {
                if i == 0 {
                    0
                } else {
                    b.u32(seg.row_ends + 4 * (i - 1)) as usize
                }
            };
            (end(d), end(d + 1))
        } else {
            (0, 0)
        };
        let entries = seg.entries;
        (from..to).map(move |e| {
            let at = entries + 8 * e;
            (b.u32(at), b.u32(at + 4))
        })
    }

    /// The documents of one identity in a segment, ascending.
    pub fn postings(&self, seg: &Segment, id: u32) -> impl Iterator<Item = u32> + '_ {
        let b = self.at();
        let i = id as usize;
        let (from, to) = if i < self.identities {
            let end = |i: usize| {
                if i == 0 {
                    0
                } else {
                    b.u32(seg.posting_ends + 4 * (i - 1)) as usize
                }
            };
            (end(i), end(i + 1))
        } else {
            (0, 0)
        };
        let postings = seg.postings;
        (from..to).map(move |p| b.u32(postings + 4 * p))
    }

    /// The registry, decoded from its section.
    pub fn registry<R: DeserializeOwned>(&self) -> Option<R> {
        let (from, to) = self.registry;
        serde_json::from_slice(self.at().bytes(from, to)).ok()
    }
}

impl super::registry::NameIndex for View {
    fn id_named(&self, id: &str) -> Option<u32> {
        self.by_id(id)
    }
    fn denoted(&self, key: &str) -> Vec<u32> {
        View::denoted(self, key)
    }
    fn with_surname(&self, last: &str) -> Vec<u32> {
        View::with_surname(self, last)
    }
    fn name_of(&self, i: u32) -> &str {
        self.name(i)
    }
    fn kind_of(&self, i: u32) -> Kind {
        self.kind(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::identities::context::Evidence;
    use crate::archive::identities::corrections::Corrections;
    use crate::archive::identities::registry::{lookup_in, Registry};

    fn story(day: i32, people: &[&str]) -> Evidence {
        Evidence {
            day: Some(day),
            people: people.iter().map(|s| s.to_string()).collect(),
            ..Evidence::default()
        }
        .normalized()
    }

    fn encoded() -> (Registry, Vec<u8>, Vec<SegmentRows>) {
        let stories = vec![
            story(6000, &["James Baker", "Paul Volcker"]),
            story(6001, &["Baker", "Volcker"]),
            story(6002, &["Sergei Lavrov"]),
            story(6003, &["Sergey Lavrov", "James Baker"]),
        ];
        let (registry, keyed) = Registry::build_keyed(&stories, &Corrections::default());
        let rows = keyed
            .iter()
            .map(|k| {
                let mut r: Vec<(u32, u32)> = k.iter().map(|(i, key)| (*i, key_hash(key))).collect();
                r.sort_unstable();
                r
            })
            .collect();
        let segments = vec![SegmentRows {
            segment: "0123456789abcdef0123456789abcdef".into(),
            rows,
        }];
        let bytes = encode(7, &registry, &segments);
        (registry, bytes, segments)
    }

    #[test]
    fn reads_back_what_was_written() {
        let (registry, bytes, segments) = encoded();
        let view = View::open(Bytes::Owned(bytes), 7).expect("opens");
        assert_eq!(view.len(), registry.identities.len());
        for (i, ident) in registry.identities.iter().enumerate() {
            assert_eq!(view.name(i as u32), ident.name);
            assert_eq!(view.id(i as u32), ident.id);
            assert_eq!(view.kind(i as u32), ident.kind);
            assert_eq!(view.by_id(&ident.id), Some(i as u32));
        }
        let (uuid, seg) = &view.segments[0];
        assert_eq!(uuid, &segments[0].segment);
        for (doc, row) in segments[0].rows.iter().enumerate() {
            assert_eq!(&view.row(seg, doc as u32).collect::<Vec<_>>(), row);
        }
        assert_eq!(view.row(seg, 99).count(), 0);
        // Postings invert the rows.
        let baker = registry.lookup("James Baker");
        assert_eq!(baker.len(), 1);
        let docs: Vec<u32> = view.postings(seg, baker[0]).collect();
        assert_eq!(docs, [0, 1, 3]);
        // Lookups through the file agree with the registry's own.
        for q in [
            "Baker",
            "BAKER",
            "James Baker",
            "Lavrov",
            "Sergey Lavrov",
            "Volcker",
            "Nobody",
        ] {
            assert_eq!(lookup_in(&view, q), registry.lookup(q), "{q}");
        }
        assert_eq!(
            view.registry::<Registry>().expect("decodes").identities,
            registry.identities
        );
    }

    #[test]
    fn refuses_other_fingerprints_and_damage() {
        let (_, bytes, _) = encoded();
        assert!(View::open(Bytes::Owned(bytes.clone()), 8).is_none());
        assert!(View::open(Bytes::Owned(bytes[..bytes.len() - 1].to_vec()), 7).is_none());
        assert!(View::open(Bytes::Owned(b"not a cache".to_vec()), 7).is_none());
    }
}
