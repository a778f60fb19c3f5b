//! The top hits with each version cluster once, in one pass over the
//! matches.
//!
//! Ranking versions and dropping the repeats afterwards needs a guess at
//! how deep to rank, and a second search when a page of stories filed many
//! times over runs short. Instead each segment keeps its best `limit`
//! clusters, each by its best version: a match below the worst of them is
//! passed over at the cost of one comparison, and a cluster's best version
//! always survives, because every cluster that outranks it in the archive
//! outranks it in its segment too.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::clusters::KeyHasher;
use super::Sort;

/// What hits are ordered on, largest first: for relevance (score, date),
/// for dates (date, score); the last part is the BM25 score itself.
pub type SortKey = (f64, f64, f32);

/// One ranked story: its best version's key and address, and its cluster.
pub type Ranked = (SortKey, DocAddress, u64);

/// Larger first; equal keys in index order, as tantivy's `TopDocs` gives.
fn rank(a: &Ranked, b: &Ranked) -> Ordering {
    b.0 .0
        .total_cmp(&a.0 .0)
        .then(b.0 .1.total_cmp(&a.0 .1))
        .then(a.1.cmp(&b.1))
}

/// The sort key of a match; undated stories sort last whichever way
/// dates run.
pub fn sort_key(sort: Sort, score: Score, date: Option<DateTime>) -> SortKey {
    let date = date.map(|d| d.into_timestamp_secs());
    match sort {
        Sort::Relevance => (f64::from(score), date.unwrap_or(i64::MIN) as f64, score),
        Sort::Newest => (date.map_or(f64::MIN, |d| d as f64), f64::from(score), score),
        Sort::Oldest => (
            date.map_or(f64::MIN, |d| -(d as f64)),
            f64::from(score),
            score,
        ),
    }
}

/// The best `limit` clusters among the matches, each by its best version,
/// in rank order.
pub struct TopStories {
    pub limit: usize,
    pub sort: Sort,
    /// The `cluster` fast field's name.
    pub cluster_field: String,
    /// The `date` fast field's name.
    pub date_field: String,
}

impl Collector for TopStories {
    type Fruit = Vec<Ranked>;
    type Child = SegmentTopStories;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTopStories> {
        let fast = segment.fast_fields();
        Ok(SegmentTopStories {
            clusters: fast.u64(&self.cluster_field).ok(),
            dates: fast.date(&self.date_field).ok(),
            ..SegmentTopStories::new(segment_local_id, self.limit, self.sort)
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut best: HashMap<u64, Ranked, BuildHasherDefault<KeyHasher>> = HashMap::default();
        for r in segments.into_iter().flatten() {
            match best.get_mut(&r.2) {
                Some(b) if rank(&r, b) == Ordering::Less => *b = r,
                Some(_) => {}
                None => {
                    best.insert(r.2, r);
                }
            }
        }
        let mut all: Vec<Ranked> = best.into_values().collect();
        all.sort_by(rank);
        all.truncate(self.limit);
        Ok(all)
    }
}

/// One segment's [`TopStories`].
pub struct SegmentTopStories {
    segment: SegmentOrdinal,
    limit: usize,
    sort: Sort,
    clusters: Option<Column<u64>>,
    dates: Option<Column<DateTime>>,
    /// Each kept cluster's best version so far: up to twice `limit`, cut
    /// back to the best `limit` when full, so that matches arriving in
    /// rank order (dates, for `--sort`) cost a constant each, not `limit`.
    slots: Vec<Ranked>,
    /// Where each kept cluster's slot is.
    index: HashMap<u64, usize, BuildHasherDefault<KeyHasher>>,
    /// The worst slot kept at the last cut: a match that does not beat it
    /// cannot be among the best `limit`.
    threshold: Option<Ranked>,
}

impl SegmentTopStories {
    fn new(segment: SegmentOrdinal, limit: usize, sort: Sort) -> SegmentTopStories {
        SegmentTopStories {
            segment,
            limit,
            sort,
            clusters: None,
            dates: None,
            slots: Vec::with_capacity(limit.min(1024)),
            index: HashMap::default(),
            threshold: None,
        }
    }

    /// Keeps `candidate` if it is its cluster's best so far and may be
    /// among the best `limit` clusters.
    fn offer(&mut self, candidate: Ranked) {
        if let Some(t) = &self.threshold {
            if rank(&candidate, t) != Ordering::Less {
                return;
            }
        }
        match self.index.get(&candidate.2) {
            Some(&i) => {
                if rank(&candidate, &self.slots[i]) == Ordering::Less {
                    self.slots[i] = candidate;
                }
            }
            None => {
                self.index.insert(candidate.2, self.slots.len());
                self.slots.push(candidate);
                if self.slots.len() >= self.limit.saturating_mul(2) {
                    self.cut();
                }
            }
        }
    }

    /// Keeps the best `limit` slots, in rank order.
    fn cut(&mut self) {
        self.slots.sort_unstable_by(rank);
        self.slots.truncate(self.limit);
        self.threshold = (self.slots.len() == self.limit)
            .then(|| self.slots.last().copied())
            .flatten();
        self.index.clear();
        for (i, r) in self.slots.iter().enumerate() {
            self.index.insert(r.2, i);
        }
    }
}

impl SegmentCollector for SegmentTopStories {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.limit == 0 {
            return;
        }
        // Most matches fall below the threshold on their score alone,
        // without a date read.
        if let (Sort::Relevance, Some(t)) = (self.sort, &self.threshold) {
            if f64::from(score) < t.0 .0 {
                return;
            }
        }
        let date = self.dates.as_ref().and_then(|c| c.first(doc));
        let address = DocAddress::new(self.segment, doc);
        let cluster = self
            .clusters
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        self.offer((sort_key(self.sort, score, date), address, cluster));
    }

    fn harvest(mut self) -> Vec<Ranked> {
        self.cut();
        self.slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Offers (doc, cluster, score) matches as `collect` would, with the
    /// clusters given directly (a unit test has no column).
    fn feed(c: &mut SegmentTopStories, matches: &[(DocId, u64, f32)]) {
        for &(doc, cluster, score) in matches {
            let key = sort_key(Sort::Relevance, score, None);
            c.offer((key, DocAddress::new(0, doc), cluster));
        }
    }

    fn brute(matches: &[(DocId, u64, f32)], limit: usize) -> Vec<(u64, DocId)> {
        let mut best: HashMap<u64, (f32, DocId)> = HashMap::new();
        for &(doc, cluster, score) in matches {
            let e = best.entry(cluster).or_insert((score, doc));
            if score > e.0 {
                *e = (score, doc);
            }
        }
        let mut v: Vec<_> = best.into_iter().collect();
        v.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
        v.into_iter()
            .take(limit)
            .map(|(c, (_, d))| (c, d))
            .collect()
    }

    #[test]
    fn keeps_each_clusters_best_version_as_a_full_ranking_would() {
        // A pseudo-random stream: clusters of many versions, scores with
        // ties; then one whose scores only rise, so that every match
        // enters and the slots are cut again and again.
        let mut x: u64 = 7;
        let mut random = Vec::new();
        for doc in 0..2_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let cluster = (x >> 33) % 97;
            let score = ((x >> 13) % 50) as f32 / 7.0;
            random.push((doc, cluster, score));
        }
        let rising: Vec<(DocId, u64, f32)> = (0..2_000)
            .map(|doc| (doc, u64::from(doc % 300), doc as f32))
            .collect();
        for matches in [&random, &rising] {
            for limit in [1, 3, 10, 40, 200] {
                let mut c = SegmentTopStories::new(0, limit, Sort::Relevance);
                feed(&mut c, matches);
                let got: Vec<(u64, DocId)> =
                    c.harvest().iter().map(|r| (r.2, r.1.doc_id)).collect();
                assert_eq!(got, brute(matches, limit), "limit {limit}");
            }
        }
    }

    #[test]
    fn merging_segments_keeps_a_cluster_once() {
        let top = TopStories {
            limit: 2,
            sort: Sort::Relevance,
            cluster_field: String::new(),
            date_field: String::new(),
        };
        let r = |seg, doc, cluster, score| {
            (
                sort_key(Sort::Relevance, score, None),
                DocAddress::new(seg, doc),
                cluster,
            )
        };
        let merged = top
            .merge_fruits(vec![
                vec![r(0, 1, 5, 2.0), r(0, 2, 6, 1.0)],
                vec![r(1, 1, 5, 3.0), r(1, 4, 7, 0.5)],
            ])
            .unwrap();
        let got: Vec<(u64, u32)> = merged.iter().map(|m| (m.2, m.1.segment_ord)).collect();
        assert_eq!(got, [(5, 1), (6, 0)]);
    }
}
