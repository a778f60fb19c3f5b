//! Counting stories rather than versions: each version cluster among the
//! matches once, read from the `cluster` fast field.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentReader};

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
    /// The fast field's name (`cluster`).
    pub field: String,
    /// Shared by the segments, since a story's versions may lie in several.
    pub seen: Arc<Mutex<Clusters>>,
}

impl<C> Collapsed<C> {
    /// `inner`, seeing each cluster of the `field` column once.
    pub fn new(inner: C, field: &str) -> Collapsed<C> {
        Collapsed {
            inner,
            field: field.to_string(),
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
        Ok(CollapsedSegment {
            inner: self.inner.for_segment(segment_local_id, segment)?,
            column: segment.fast_fields().u64(&self.field).ok(),
            seen: Arc::clone(&self.seen),
            here: Clusters::default(),
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
    column: Option<Column<u64>>,
    seen: Arc<Mutex<Clusters>>,
    /// The clusters this segment has met: a repeat is passed over without
    /// taking the shared set's lock, so the lock is taken once a cluster
    /// per segment rather than once a match.
    here: Clusters,
}

impl<S: SegmentCollector> SegmentCollector for CollapsedSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Every story the indexer writes has a cluster (its own, at least).
        if let Some(key) = self.column.as_ref().and_then(|c| c.first(doc)) {
            if !self.here.insert(key) {
                return;
            }
            let fresh = self
                .seen
                .lock()
                .map(|mut seen| seen.insert(key))
                .unwrap_or(true);
            if !fresh {
                return;
            }
        }
        self.inner.collect(doc, score);
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}
