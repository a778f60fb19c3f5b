//! Counting stories rather than versions: the distinct version clusters
//! among the matches, read from the `cluster` fast field.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Collects the distinct clusters of the matching stories.
pub struct ClusterSet {
    /// The fast field's name (`cluster`).
    pub field: String,
}

impl Collector for ClusterSet {
    type Fruit = Clusters;
    type Child = SegmentClusters;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentClusters> {
        Ok(SegmentClusters {
            column: segment.fast_fields().u64(&self.field).ok(),
            set: Clusters::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Clusters>) -> tantivy::Result<Clusters> {
        let mut all = Clusters::default();
        for s in segments {
            if all.is_empty() {
                all = s;
            } else {
                all.extend(s);
            }
        }
        Ok(all)
    }
}

/// One segment's clusters.
pub struct SegmentClusters {
    column: Option<Column<u64>>,
    set: Clusters,
}

impl SegmentCollector for SegmentClusters {
    type Fruit = Clusters;

    fn collect(&mut self, doc: DocId, _score: Score) {
        // Every story the indexer writes has a cluster (its own, at least).
        if let Some(key) = self.column.as_ref().and_then(|c| c.first(doc)) {
            self.set.insert(key);
        }
    }

    fn harvest(self) -> Clusters {
        self.set
    }
}
