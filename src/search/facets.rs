//! Facet counts over every match, read from the `f_*` fast-field columns
//! (never from stored documents, which would cost a decompression per hit).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentReader};

/// Values shown per facet.
pub const FACET_TOP: usize = 10;

/// Counts, for each requested fast field, how many matching documents
/// hold each value (a document counts once per value).
pub struct FacetCounts {
    /// Fast field names, e.g. `f_person`.
    pub fields: Vec<String>,
}

/// Per-field value counts, in the order of [`FacetCounts::fields`].
pub type FacetFruit = Vec<HashMap<String, u64>>;

impl Collector for FacetCounts {
    type Fruit = FacetFruit;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            columns.push(segment.fast_fields().str(f)?);
        }
        Ok(SegmentFacetCounts::new(columns))
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut total: FacetFruit = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (into, from) in total.iter_mut().zip(segment) {
                for (value, n) in from {
                    *into.entry(value).or_insert(0) += n;
                }
            }
        }
        Ok(total)
    }
}

/// Counts per segment, in dense arrays indexed by term ordinal: a hash map
/// per matching document was the slowest part of a facet query.
pub struct SegmentFacetCounts {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
    ords: Vec<u64>,
}

impl SegmentFacetCounts {
    fn new(columns: Vec<Option<StrColumn>>) -> SegmentFacetCounts {
        let counts = columns
            .iter()
            .map(|c| vec![0; c.as_ref().map_or(0, |c| c.num_terms())])
            .collect();
        SegmentFacetCounts {
            columns,
            counts,
            ords: Vec::new(),
        }
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.columns.iter().zip(&mut self.counts) {
            let Some(column) = column else { continue };
            self.ords.clear();
            self.ords.extend(column.term_ords(doc));
            self.ords.sort_unstable();
            self.ords.dedup();
            for &ord in &self.ords {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut out = Vec::with_capacity(self.columns.len());
        for (column, counts) in self.columns.iter().zip(self.counts) {
            let mut named = HashMap::new();
            if let Some(column) = column {
                // Ordinals in order: the dictionary is read block by block
                // once, not searched once per value.
                let ords: Vec<u64> = (0..counts.len() as u64)
                    .filter(|&o| counts[o as usize] > 0)
                    .collect();
                let mut found = ords.iter();
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(&ord) = found.next() {
                        let value = String::from_utf8_lossy(bytes).into_owned();
                        named.insert(value, u64::from(counts[ord as usize]));
                    }
                });
            }
            out.push(named);
        }
        out
    }
}

/// The `top` values by count, ties by value, for display.
pub fn top_values(counts: HashMap<String, u64>, top: usize) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(top);
    v
}
