//! Co-mention networks: who is mentioned alongside whom in the matching
//! stories.
//!
//! People are the archive's identities ([`crate::archive::identities`]):
//! one node per person, `person:ID` labelled with the display name, read
//! from the identity cache's rows, so `person:"ID"` selects exactly a
//! node's stories. Organisations and places (and people of an index whose
//! identities cannot be had) are the names of the `f_org`, `f_place` and
//! `f_person` fast fields, through [`raw_node_name`]. Each node counts the
//! matching stories that mention it; an edge joins two nodes and weighs
//! the stories that mention both.
//!
//! Per segment, [`SegmentNetwork`] keeps each matching document's term
//! ordinals; at harvest it names every distinct ordinal once (one sorted
//! walk of each dictionary), maps ordinals to nodes and counts each story's
//! nodes and node pairs. Naming before pairing keeps counts exact even when
//! two stored values name the same node.
//!
//! On SolrCloud the matching stories' `f_*` values are streamed
//! ([`crate::solr::views::stream`]) and named the same way, story by story,
//! people by the identities the collection's registry
//! ([`crate::solr::identities`]) gives each story. [`Counts`] is shared.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentReader};

use crate::archive::identities::cache::Segment;
use crate::archive::identities::Identities;
use crate::index::store::IndexHandle;
use crate::search::{Backend, SearchError};
use crate::views::Selection;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Org,
    Place,
}

impl Kind {
    /// The names `--network` takes.
    pub const NAMES: [&'static str; 3] = ["person", "org", "place"];

    /// Parses `person`, `org` or `place` (also `people`, `orgs`, `places`).
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "person" | "people" => Kind::Person,
            "org" | "orgs" => Kind::Org,
            "place" | "places" => Kind::Place,
            _ => return None,
        })
    }

    /// `person`, `org` or `place`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Org => "org",
            Kind::Place => "place",
        }
    }

    /// The facet (fast field) the kind's values come from.
    fn facet(self) -> &'static str {
        self.name()
    }
}

/// Turns a raw facet value of a story into its node name, or `None` to
/// leave it out. Identity resolution (issue 12) replaces this with a
/// registry lookup; it is called once per distinct value and segment.
pub type NodeNamer = Arc<dyn Fn(Kind, &str) -> Option<String> + Send + Sync>;

/// The namer of today: [`raw_node_name`].
pub fn raw_names() -> NodeNamer {
    Arc::new(raw_node_name)
}

/// Today's node names: the stored value itself, trimmed.
pub fn raw_node_name(_kind: Kind, raw: &str) -> Option<String> {
    let name = raw.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// A node: one person, organisation or place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Unique across kinds: `person:p-sergey-lavrov` (a person's identity
    /// id), `org:OPEC`.
    pub id: String,
    /// The display name.
    pub label: String,
    pub kind: Kind,
    /// Matching stories that mention it.
    pub stories: u64,
}

/// Two nodes mentioned in the same stories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// A [`Node::id`]; the smaller of the two.
    pub source: String,
    pub target: String,
    /// Matching stories that mention both.
    pub weight: u64,
}

/// The network of a selection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// The nodes of the kept edges (or the top nodes, when no edge is
    /// kept), most mentioned first.
    pub nodes: Vec<Node>,
    /// The heaviest edges, heaviest first (ties by names).
    pub edges: Vec<Edge>,
    /// Matching stories.
    pub stories: u64,
    /// Edges of at least the minimum weight before the top were taken.
    pub edges_found: u64,
}

/// What to build.
pub struct Options {
    pub kinds: Vec<Kind>,
    /// Edges kept, heaviest first.
    pub top: usize,
    /// Lightest edge kept.
    pub min_weight: u64,
    pub namer: NodeNamer,
}

/// Builds the network of the stories a selection matches.
pub fn network(
    backend: &Backend,
    selection: &Selection,
    opts: &Options,
) -> Result<Network, SearchError> {
    let counts = match backend {
        Backend::Local(handle) => local_counts(handle, selection, opts)?,
        Backend::Solr(solr) => solr_counts(solr, selection, opts)?,
    };
    Ok(counts.into_network(opts.top, opts.min_weight))
}

/// Whether people of a network on this backend are names as spelled
/// rather than identities (said on stderr by the command line): on a
/// collection indexed before it kept identity statistics.
pub fn people_unresolved(backend: &Backend, kinds: &[Kind]) -> bool {
    let Backend::Solr(solr) = backend else {
        return false;
    };
    kinds.contains(&Kind::Person) && !matches!(solr.identities(), Ok(Some(_)))
}

/// Counts from the matching stories' `f_*` values, streamed from the
/// collection.
fn solr_counts(
    solr: &crate::solr::Solr,
    selection: &Selection,
    opts: &Options,
) -> Result<Counts, SearchError> {
    use crate::solr::views::{self, Order};
    let m = views::selection(solr, selection)?;
    let fields: Vec<(Kind, &str)> = opts
        .kinds
        .iter()
        .map(|&k| {
            let f = crate::solr::search::facet_field(k.facet()).expect("every kind is a facet");
            (k, f)
        })
        .collect();
    // People as the registry's identities (keyed by identity id, as the
    // local collector keys them) where the collection has its statistics.
    let people = if opts.kinds.contains(&Kind::Person) {
        solr.identities().map_err(crate::solr::search::solr_error)?
    } else {
        None
    };
    let mut fl = fields.iter().map(|(_, f)| *f).collect::<Vec<_>>();
    fl.push("id");
    let fl = fl.join(",");
    let mut counts = Counts::default();
    let mut index: FxHashMap<(Kind, String), u32> = FxHashMap::default();
    let mut story = Vec::new();
    views::stream(solr, &m, &fl, Order::Id, |doc| {
        story.clear();
        let found = people.and_then(|p| Some((p, p.people_of(doc["id"].as_str()?)?)));
        for &(kind, field) in &fields {
            if kind == Kind::Person {
                if let Some((p, ids)) = &found {
                    for &i in ids {
                        let (key, label) = (p.identities.id(i), p.identities.name(i));
                        story.push(counts.node(
                            &mut index,
                            kind,
                            key.to_string(),
                            label.to_string(),
                        ));
                    }
                    continue;
                }
            }
            for raw in views::strings(doc, field) {
                if let Some(name) = (opts.namer)(kind, raw) {
                    story.push(counts.node(&mut index, kind, name.clone(), name));
                }
            }
        }
        counts.add_story(&mut story);
        Ok::<_, SearchError>(true)
    })?;
    Ok(counts)
}

/// Counts from the local index's fast fields and identity cache.
fn local_counts(
    handle: &IndexHandle,
    selection: &Selection,
    opts: &Options,
) -> Result<Counts, SearchError> {
    let compiled = selection.compile(handle)?;
    let searcher = handle.searcher()?;
    let fields = opts
        .kinds
        .iter()
        .map(|&k| {
            let f = handle
                .fields
                .facet_field(k.facet())
                .expect("every kind is a facet");
            (k, handle.fields.schema.get_field_name(f).to_string())
        })
        .collect();
    let collector = NetworkCollector {
        fields,
        namer: opts.namer.clone(),
        identities: handle.identities().ok(),
    };
    Ok(selection.collect(handle, &searcher, &compiled.query, collector)?)
}

/// Node and pair counts over every matching story.
#[derive(Debug, Default)]
pub struct Counts {
    /// (kind, key) and its stories, by node number: the key is the name,
    /// or a person's identity id.
    nodes: Vec<((Kind, String), u64)>,
    /// Each node's display name, by node number.
    labels: Vec<String>,
    /// Pairs of node numbers (smaller first, packed in a u64) and their
    /// stories.
    pairs: FxHashMap<u64, u64>,
    stories: u64,
}

fn pack(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

fn unpack(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

fn node_id(kind: Kind, name: &str) -> String {
    format!("{}:{name}", kind.name())
}

impl Counts {
    /// The number of the node `(kind, key)`, added with its label if new.
    fn node(
        &mut self,
        index: &mut FxHashMap<(Kind, String), u32>,
        kind: Kind,
        key: String,
        label: String,
    ) -> u32 {
        let next = self.nodes.len() as u32;
        let at = *index.entry((kind, key.clone())).or_insert(next);
        if at == next {
            self.nodes.push(((kind, key), 0));
            self.labels.push(label);
        }
        at
    }

    /// Counts one story that mentions the nodes `story` (repeats allowed;
    /// the list is sorted and deduplicated in place).
    fn add_story(&mut self, story: &mut Vec<u32>) {
        story.sort_unstable();
        story.dedup();
        for (i, &a) in story.iter().enumerate() {
            self.nodes[a as usize].1 += 1;
            for &b in &story[i + 1..] {
                *self.pairs.entry(pack(a, b)).or_insert(0) += 1;
            }
        }
        self.stories += 1;
    }

    fn into_network(self, top: usize, min_weight: u64) -> Network {
        let mut edges: Vec<(u64, u32, u32)> = self
            .pairs
            .iter()
            .filter(|&(_, &w)| w >= min_weight.max(1))
            .map(|(&p, &w)| {
                let (a, b) = unpack(p);
                (w, a, b)
            })
            .collect();
        let edges_found = edges.len() as u64;
        let key = |i: u32| &self.nodes[i as usize].0;
        let order = |x: &(u64, u32, u32), y: &(u64, u32, u32)| {
            let (xa, xb) = ordered(key(x.1), key(x.2));
            let (ya, yb) = ordered(key(y.1), key(y.2));
            y.0.cmp(&x.0)
                .then_with(|| xa.cmp(ya))
                .then_with(|| xb.cmp(yb))
        };
        if edges.len() > top {
            edges.select_nth_unstable_by(top, order);
            edges.truncate(top);
        }
        edges.sort_unstable_by(order);

        let mut keep: Vec<u32> = edges.iter().flat_map(|e| [e.1, e.2]).collect();
        if edges.is_empty() {
            // No pair: the most mentioned names still say who is there.
            keep = (0..self.nodes.len() as u32).collect();
        }
        keep.sort_unstable();
        keep.dedup();
        let mut nodes: Vec<Node> = keep
            .iter()
            .map(|&i| {
                let ((kind, name), stories) = &self.nodes[i as usize];
                Node {
                    id: node_id(*kind, name),
                    label: self.labels[i as usize].clone(),
                    kind: *kind,
                    stories: *stories,
                }
            })
            .collect();
        nodes.sort_by(|a, b| b.stories.cmp(&a.stories).then_with(|| a.id.cmp(&b.id)));
        if edges.is_empty() {
            nodes.truncate(top);
        }
        let edges = edges
            .into_iter()
            .map(|(weight, a, b)| {
                let (x, y) = ordered(key(a), key(b));
                Edge {
                    source: node_id(x.0, &x.1),
                    target: node_id(y.0, &y.1),
                    weight,
                }
            })
            .collect();
        Network {
            nodes,
            edges,
            stories: self.stories,
            edges_found,
        }
    }
}

fn ordered<'a, T: Ord>(a: &'a T, b: &'a T) -> (&'a T, &'a T) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// The collector behind [`network`].
pub struct NetworkCollector {
    /// Each kind with its fast field's name.
    pub fields: Vec<(Kind, String)>,
    pub namer: NodeNamer,
    /// People as identities, when the index has them.
    pub identities: Option<Arc<Identities>>,
}

impl Collector for NetworkCollector {
    type Fruit = Counts;
    type Child = SegmentNetwork;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentNetwork> {
        let people = self
            .identities
            .as_ref()
            .filter(|_| self.fields.iter().any(|(k, _)| *k == Kind::Person))
            .and_then(|i| Some((i.clone(), i.tables(segment)?)));
        let mut columns = Vec::with_capacity(self.fields.len());
        for (kind, field) in &self.fields {
            if *kind == Kind::Person && people.is_some() {
                continue;
            }
            if let Some(c) = segment.fast_fields().str(field)? {
                columns.push((*kind, c));
            }
        }
        Ok(SegmentNetwork {
            columns,
            people,
            namer: self.namer.clone(),
            ords: Vec::new(),
            ends: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut total = Counts::default();
        let mut index: FxHashMap<(Kind, String), u32> = FxHashMap::default();
        for segment in segments {
            total.stories += segment.stories;
            let mut global = Vec::with_capacity(segment.nodes.len());
            for ((key, n), label) in segment.nodes.into_iter().zip(&segment.labels) {
                let next = total.nodes.len() as u32;
                let at = *index.entry(key.clone()).or_insert(next);
                if at == next {
                    total.nodes.push((key, 0));
                    total.labels.push(label.clone());
                }
                total.nodes[at as usize].1 += n;
                global.push(at);
            }
            for (p, w) in segment.pairs {
                let (a, b) = unpack(p);
                *total
                    .pairs
                    .entry(pack(global[a as usize], global[b as usize]))
                    .or_insert(0) += w;
            }
        }
        Ok(total)
    }
}

/// [`NetworkCollector`]'s per-segment part.
pub struct SegmentNetwork {
    columns: Vec<(Kind, StrColumn)>,
    /// People from the identity cache's rows instead of a column.
    people: Option<(Arc<Identities>, Segment)>,
    namer: NodeNamer,
    /// Every matching document's ordinals, tagged with their column's
    /// number in the top bits.
    ords: Vec<u64>,
    /// Where each document's ordinals end in `ords`.
    ends: Vec<u32>,
}

const COLUMN_SHIFT: u32 = 56;

/// The tag of identity numbers among the ordinals: above every column's.
const PEOPLE_TAG: u64 = 0xff << COLUMN_SHIFT;

impl SegmentCollector for SegmentNetwork {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (c, (_, column)) in self.columns.iter().enumerate() {
            let tag = (c as u64) << COLUMN_SHIFT;
            self.ords.extend(column.term_ords(doc).map(|o| o | tag));
        }
        if let Some((identities, seg)) = &self.people {
            self.ords
                .extend(identities.of(seg, doc).map(|id| u64::from(id) | PEOPLE_TAG));
        }
        self.ends.push(self.ords.len() as u32);
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts::default();
        // Each distinct ordinal to its node number (u32::MAX: no node).
        let mut distinct = self.ords.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let mut node_of: FxHashMap<u64, u32> = FxHashMap::default();
        let mut index: FxHashMap<(Kind, String), u32> = FxHashMap::default();
        for (c, (kind, column)) in self.columns.iter().enumerate() {
            let tag = (c as u64) << COLUMN_SHIFT;
            let mask = (1u64 << COLUMN_SHIFT) - 1;
            let ords: Vec<u64> = distinct
                .iter()
                .filter(|&&o| o >> COLUMN_SHIFT == c as u64)
                .map(|&o| o & mask)
                .collect();
            let mut found = ords.iter();
            let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                let Some(&ord) = found.next() else { return };
                let raw = String::from_utf8_lossy(bytes);
                let node = match (self.namer)(*kind, &raw) {
                    Some(name) => counts.node(&mut index, *kind, name.clone(), name),
                    None => u32::MAX,
                };
                node_of.insert(ord | tag, node);
            });
        }
        if let Some((identities, _)) = &self.people {
            for &o in distinct.iter().filter(|&&o| o & PEOPLE_TAG == PEOPLE_TAG) {
                let id = (o & !PEOPLE_TAG) as u32;
                let node = counts.node(
                    &mut index,
                    Kind::Person,
                    identities.id(id).to_string(),
                    identities.name(id).to_string(),
                );
                node_of.insert(o, node);
            }
        }
        let mut story: Vec<u32> = Vec::new();
        let mut start = 0;
        for &end in &self.ends {
            story.clear();
            story.extend(
                self.ords[start..end as usize]
                    .iter()
                    .filter_map(|o| node_of.get(o).copied())
                    .filter(|&n| n != u32::MAX),
            );
            start = end as usize;
            counts.add_story(&mut story);
        }
        counts
    }
}

/// Parses `person,org`: the kinds, in order, without repeats.
pub fn parse_kinds(s: &str) -> Result<Vec<Kind>, String> {
    let mut kinds = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let k = Kind::parse(part).ok_or_else(|| {
            format!(
                "unknown network kind '{}'; kinds: {}",
                part.trim(),
                Kind::NAMES.join(", ")
            )
        })?;
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.is_empty() {
        return Err(format!(
            "--network needs a kind: {}",
            Kind::NAMES.join(", ")
        ));
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(stories: &[&[(Kind, &str)]]) -> Counts {
        let mut c = Counts::default();
        let mut index: FxHashMap<(Kind, String), u32> = FxHashMap::default();
        for s in stories {
            let mut ids: Vec<u32> = s
                .iter()
                .map(|&(k, n)| c.node(&mut index, k, n.to_string(), n.to_string()))
                .collect();
            c.add_story(&mut ids);
        }
        c
    }

    use Kind::*;

    #[test]
    fn edges_weigh_shared_stories_heaviest_first() {
        let c = counts(&[
            &[(Person, "Lavrov"), (Person, "Kerry"), (Place, "Syria")],
            &[(Person, "Lavrov"), (Person, "Kerry")],
            &[(Person, "Lavrov"), (Person, "Brahimi")],
        ]);
        let n = c.into_network(10, 1);
        let edges: Vec<(&str, &str, u64)> = n
            .edges
            .iter()
            .map(|e| (e.source.as_str(), e.target.as_str(), e.weight))
            .collect();
        assert_eq!(
            edges,
            [
                ("person:Kerry", "person:Lavrov", 2),
                ("person:Brahimi", "person:Lavrov", 1),
                ("person:Kerry", "place:Syria", 1),
                ("person:Lavrov", "place:Syria", 1),
            ]
        );
        assert_eq!(n.nodes[0].label, "Lavrov");
        assert_eq!(n.nodes[0].stories, 3);
        assert_eq!(n.stories, 3);
    }

    #[test]
    fn min_weight_and_top_cut_edges() {
        let c = counts(&[
            &[(Person, "A"), (Person, "B"), (Person, "C")],
            &[(Person, "A"), (Person, "B")],
        ]);
        let n = c.into_network(10, 2);
        assert_eq!(n.edges.len(), 1);
        assert_eq!(n.edges_found, 1);
        assert_eq!(n.nodes.len(), 2);
        let c = counts(&[&[(Person, "A"), (Person, "B"), (Person, "C")]]);
        let n = c.into_network(2, 1);
        assert_eq!(n.edges.len(), 2);
        assert_eq!(n.edges_found, 3);
    }

    #[test]
    fn a_name_repeated_in_a_story_counts_once() {
        let c = counts(&[&[(Person, "A"), (Person, "A"), (Org, "A")]]);
        let n = c.into_network(10, 1);
        assert_eq!(n.edges.len(), 1);
        assert_eq!(
            (n.edges[0].source.as_str(), n.edges[0].target.as_str()),
            ("person:A", "org:A")
        );
        assert!(n.nodes.iter().all(|x| x.stories == 1));
    }

    #[test]
    fn kinds_parse_as_a_list() {
        assert_eq!(parse_kinds("person, org,person"), Ok(vec![Person, Org]));
        assert!(parse_kinds("people,things").is_err());
        assert!(parse_kinds("").is_err());
    }
}
