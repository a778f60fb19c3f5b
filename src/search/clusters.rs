//! Counting stories rather than versions: each version cluster among the
//! matches once, read from the `cluster` fast field.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentReader};

use crate::index::schema::Fields;

/// Cluster keys are hashes already: hashing them again would cost more
/// than the set itself.
#[derive(Default)]
pub struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of cluster keys.
pub type Clusters = HashSet<u64, BuildHasherDefault<KeyHasher>>;

/// Wraps a collector so that it sees each version cluster once: a match
/// whose cluster an earlier match had is passed over. Wrapping the count
/// and the facets together keeps them in agreement: both count stories,
/// each by the first of its versions that the search meets.
pub struct Collapsed<C> {
    pub inner: C,
    /// The `cluster` fast field's name (the key, shared across segments).
    pub key_field: String,
    /// The `f_cluster` fast field's name (dense ordinals in a segment).
    pub ord_field: String,
    /// Shared by the segments, since a story's versions may lie in several.
    pub seen: Arc<Mutex<Clusters>>,
}

impl<C> Collapsed<C> {
    /// `inner`, seeing each version cluster of the index once.
    pub fn new(inner: C, fields: &Fields) -> Collapsed<C> {
        let name = |f| fields.schema.get_field_name(f).to_string();
        Collapsed {
            inner,
            key_field: name(fields.cluster),
            ord_field: name(fields.f_cluster),
            seen: Arc::default(),
        }
    }
}

impl<C: Collector> Collector for Collapsed<C> {
    type Fruit = C::Fruit;
    type Child = CollapsedSegment<C::Child>;

    fn for_segment(
        &self,
        segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let ords = fast.str(&self.ord_field)?;
        let here = ords.as_ref().map_or(0, |o| o.num_terms().div_ceil(64));
        Ok(CollapsedSegment {
            inner: self.inner.for_segment(segment_local_id, segment)?,
            keys: fast.u64(&self.key_field).ok(),
            ords: ords.map(|o| o.ords().clone()),
            seen: Arc::clone(&self.seen),
            here: vec![0; here],
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        segment_fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(segment_fruits)
    }
}

/// One segment of a [`Collapsed`] collector.
pub struct CollapsedSegment<S> {
    inner: S,
    keys: Option<Column<u64>>,
    /// Each story's cluster as an ordinal of this segment's clusters.
    ords: Option<Column<u64>>,
    seen: Arc<Mutex<Clusters>>,
    /// The clusters this segment has met, a bit per ordinal: a repeat is
    /// passed over at the cost of a bit test, and the shared set (and its
    /// lock) is met once a cluster per segment rather than once a match.
    here: Vec<u64>,
}

impl<S: SegmentCollector> SegmentCollector for CollapsedSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Every story the indexer writes has a cluster (its own, at least).
        if let Some(ord) = self.ords.as_ref().and_then(|c| c.first(doc)) {
            let (word, bit) = ((ord / 64) as usize, 1u64 << (ord % 64));
            if self.here[word] & bit != 0 {
                return;
            }
            self.here[word] |= bit;
            if let Some(key) = self.keys.as_ref().and_then(|c| c.first(doc)) {
                let fresh = self
                    .seen
                    .lock()
                    .map(|mut seen| seen.insert(key))
                    .unwrap_or(true);
                if !fresh {
                    return;
                }
            }
        }
        self.inner.collect(doc, score);
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}
