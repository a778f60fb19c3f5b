//! The identity registry on SolrCloud. The registry is recomputed from
//! compact per-story name statistics (the evidence the local registry
//! reads from the index's fast fields, [`Evidence`]), which `dateline-index
//! --solr` keeps in the collection itself beside its manifest: one meta
//! document per partition, merged with what the partition held before, so
//! that partitions and later runs add up and any machine can query or
//! continue. `dateline --solr` reads every partition's statistics and
//! builds the same registry as the local backend, through the same code
//! ([`crate::archive::identities::store::from_evidence`]).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::client::Solr;
use super::document::META;
use crate::archive::identities::cache;
use crate::archive::identities::orgs::OrgStory;
use crate::archive::identities::store::{from_evidence, org_stories_of, CacheFiles, STORIES};
use crate::archive::identities::{Corrections, Evidence, Identities, OrgBook};
use crate::article::Article;
use crate::index::document::PAIR;

/// `cluster` of the statistics documents (so they are found together).
pub const STATS_CLUSTER: &str = "identities";

/// What the registry needs of one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryStats {
    pub id: String,
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub day: Option<i32>,
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    #[serde(rename = "h", default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    #[serde(rename = "o", default, skip_serializing_if = "Vec::is_empty")]
    pub orgs: Vec<String>,
    #[serde(rename = "t", default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(rename = "l", default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// The names of its quoted people, each once.
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<String>,
    /// Its organisations' (short, long) abbreviation pairs, `short\tlong`
    /// sorted as the local index's fast column gives them; `None` in
    /// statistics written before they were kept.
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<String>>,
}

impl StoryStats {
    /// The statistics of an article, as the local index's fast fields
    /// would hold them.
    pub fn of(a: &Article) -> StoryStats {
        let ev = Evidence::of_article(a);
        let mut speakers: Vec<String> = Vec::new();
        for s in a.quotes.iter().filter_map(|q| q.speaker.as_ref()) {
            if !speakers.contains(&s.name) {
                speakers.push(s.name.clone());
            }
        }
        // The fast column gives them in term order.
        speakers.sort_unstable();
        let mut pairs: Vec<String> = a
            .org_abbreviations
            .iter()
            .map(|(short, long)| format!("{short}{PAIR}{long}"))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        StoryStats {
            id: a.id.clone(),
            day: ev.day,
            people: ev.people,
            hints: ev.hints,
            orgs: ev.orgs,
            topics: ev.topics,
            dateline: ev.dateline,
            speakers,
            pairs: Some(pairs),
        }
    }

    /// The pairs as (short, long).
    fn org_pairs(&self) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .flatten()
            .filter_map(|p| {
                let (short, long) = p.split_once(PAIR)?;
                Some((short.to_string(), long.to_string()))
            })
            .collect()
    }

    fn evidence(&self) -> Evidence {
        Evidence {
            day: self.day,
            people: self.people.clone(),
            hints: self.hints.clone(),
            orgs: self.orgs.clone(),
            topics: self.topics.clone(),
            dateline: self.dateline.clone(),
        }
    }
}

/// One partition's statistics: the stories of each of its files.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub files: BTreeMap<String, Vec<StoryStats>>,
}

impl Stats {
    /// The stored form: gzipped JSON in base64 (a few bytes a story).
    pub fn to_payload(&self) -> String {
        let json = serde_json::to_vec(self).expect("statistics serialise");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&json).expect("writing to memory");
        let bytes = gz.finish().expect("writing to memory");
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// Reads [`Stats::to_payload`]'s form.
    pub fn from_payload(payload: &str) -> Result<Stats> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(payload.trim())
            .context("the identity statistics are not base64")?;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut json)
            .context("the identity statistics are not gzip")?;
        serde_json::from_slice(&json).context("the identity statistics do not parse")
    }
}

/// The statistics documents' payloads (all partitions', or the one with
/// `id`), ordered by id.
fn payloads(solr: &Solr, id: Option<&str>) -> Result<Vec<String>> {
    let q = match id {
        Some(id) => format!("id:{}", super::query::quoted(id)),
        None => format!("cluster:{STATS_CLUSTER}"),
    };
    let answer = solr.post_form(
        &format!("{}/select", solr.collection),
        &[
            ("q", &q),
            ("fq", &format!("doc_type:{META}")),
            ("fl", "manifest"),
            ("sort", "id asc"),
            ("rows", "10000"),
        ],
    )?;
    Ok(answer["response"]["docs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["manifest"].as_str().map(str::to_string))
        .collect())
}

/// A fingerprint of the statistics documents' versions (Solr changes a
/// document's `_version_` whenever it is written), without their
/// payloads; `None` when the collection has none.
fn stats_version(solr: &Solr) -> Result<Option<u64>> {
    let answer = solr.post_form(
        &format!("{}/select", solr.collection),
        &[
            ("q", &format!("cluster:{STATS_CLUSTER}")),
            ("fq", &format!("doc_type:{META}")),
            ("fl", "id,_version_"),
            ("sort", "id asc"),
            ("rows", "10000"),
        ],
    )?;
    let docs = answer["response"]["docs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if docs.is_empty() {
        return Ok(None);
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for d in &docs {
        h.update(format!("{}={};", d["id"], d["_version_"]).as_bytes());
    }
    Ok(Some(h.digest()))
}

/// One partition's statistics document (empty when there is none).
pub fn load_partition(solr: &Solr, id: &str) -> Result<Stats> {
    match payloads(solr, Some(id))?.first() {
        Some(p) => Stats::from_payload(p),
        None => Ok(Stats::default()),
    }
}

/// Every story's statistics in the collection, each story once (a file
/// two partition schemes both hold counts once), ordered by story id.
pub fn load_stories(solr: &Solr) -> Result<Vec<StoryStats>> {
    let mut stories: BTreeMap<String, StoryStats> = BTreeMap::new();
    for p in payloads(solr, None)? {
        for (_, file) in Stats::from_payload(&p)?.files {
            for s in file {
                stories.insert(s.id.clone(), s);
            }
        }
    }
    Ok(stories.into_values().collect())
}

/// Where a collection's identities are kept between processes, in the
/// user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`):
/// `dateline/solr/`, three files per collection (both registries and the
/// story ids they number), replaced whenever the statistics or the
/// corrections change. `None` without a home.
fn cache_files(solr: &Solr) -> Option<SolrCache> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
    let dir = base.join("dateline").join("solr");
    std::fs::create_dir_all(&dir).ok()?;
    // Named by a hash: the URL may hold credentials.
    let name = format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(format!("{}|{}", solr.origin(), solr.collection).as_bytes())
    );
    Some(SolrCache {
        registries: CacheFiles {
            people: dir.join(format!("{name}.people.cache")),
            orgs: dir.join(format!("{name}.orgs.cache")),
        },
        stories: dir.join(format!("{name}.stories")),
    })
}

/// A collection's caches: the registries, and the stories they number.
struct SolrCache {
    registries: CacheFiles,
    stories: PathBuf,
}

/// What the registries' story numbers mean, as cached: the story ids in
/// registry order, and whether some statistics lack pairs.
#[derive(Serialize, Deserialize)]
struct StoryList {
    fingerprint: u64,
    pairs_missing: bool,
    ids: Vec<String>,
}

impl SolrCache {
    /// The cached identities and story list built from what `fingerprint`
    /// names, if there are.
    fn open(&self, fingerprint: u64, corrections: &Corrections) -> Option<(Identities, StoryList)> {
        let bytes = std::fs::read(&self.stories).ok()?;
        let list: StoryList = serde_json::from_slice(&bytes).ok()?;
        if list.fingerprint != fingerprint {
            return None;
        }
        Some((self.registries.open(fingerprint, corrections)?, list))
    }

    /// Writes the story list (the registries are written as they are
    /// built), replacing the old one whole.
    fn keep(&self, list: &StoryList) {
        let tmp = self.stories.with_extension("stories.tmp");
        let json = serde_json::to_vec(list).expect("story ids serialise");
        // A cache that cannot be written only costs the next command.
        let _ = std::fs::write(&tmp, json).and_then(|_| std::fs::rename(&tmp, &self.stories));
    }
}

/// The collection's identities, with the story id of each registry
/// document.
pub struct SolrIdentities {
    pub identities: Identities,
    ids: Vec<String>,
    doc_of: HashMap<String, u32>,
    /// Each story's organisations, for [`SolrIdentities::org_book`]
    /// (read from the statistics when first needed).
    org_stories: OnceLock<Vec<OrgStory>>,
    /// Whether some stories' statistics predate abbreviation pairs (their
    /// organisations are then grouped by their names alone).
    pub pairs_missing: bool,
}

/// Each story's evidence and organisations, as the registries read them.
fn evidence_of(stories: &[StoryStats]) -> (Vec<Evidence>, Vec<OrgStory>) {
    let evidence: Vec<Evidence> = stories.iter().map(StoryStats::evidence).collect();
    let pairs: Vec<Vec<(String, String)>> = stories.iter().map(StoryStats::org_pairs).collect();
    let orgs = org_stories_of(&evidence, &pairs);
    (evidence, orgs)
}

impl SolrIdentities {
    /// The registry of the collection's statistics: from the user's cache
    /// when it was built from the same statistics (only their versions
    /// are read), else built from them and cached; `None` when the
    /// collection has none (indexed before they were kept).
    pub fn load(solr: &Solr, corrections: Option<&Path>) -> Result<Option<SolrIdentities>> {
        let read = "reading the identity statistics";
        let Some(version) = stats_version(solr).context(read)? else {
            return Ok(None);
        };
        let corrections = corrections.map(Corrections::read).unwrap_or_default();
        let fingerprint = xxhash_rust::xxh3::xxh3_64(
            format!("{};{};{version}", cache::FORMAT, corrections.hash).as_bytes(),
        );
        let files = cache_files(solr);
        if let Some((identities, list)) = files
            .as_ref()
            .and_then(|f| f.open(fingerprint, &corrections))
        {
            return Ok(Some(SolrIdentities::new(
                identities,
                list.ids,
                OnceLock::new(),
                list.pairs_missing,
            )));
        }
        let stories = load_stories(solr).context(read)?;
        if stories.is_empty() {
            return Ok(None);
        }
        let speakers: Vec<Vec<String>> = stories.iter().map(|s| s.speakers.clone()).collect();
        let pairs_missing = stories.iter().any(|s| s.pairs.is_none());
        let (evidence, orgs) = evidence_of(&stories);
        let cache = files.as_ref().map(|f| (&f.registries, fingerprint));
        let identities = from_evidence(&evidence, &speakers, &orgs, &corrections, cache)?;
        let ids: Vec<String> = stories.into_iter().map(|s| s.id).collect();
        let list = StoryList {
            fingerprint,
            pairs_missing,
            ids,
        };
        if let Some(f) = &files {
            f.keep(&list);
        }
        Ok(Some(SolrIdentities::new(
            identities,
            list.ids,
            OnceLock::from(orgs),
            pairs_missing,
        )))
    }

    fn new(
        identities: Identities,
        ids: Vec<String>,
        org_stories: OnceLock<Vec<OrgStory>>,
        pairs_missing: bool,
    ) -> SolrIdentities {
        let doc_of = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i as u32))
            .collect();
        SolrIdentities {
            identities,
            ids,
            doc_of,
            org_stories,
            pairs_missing,
        }
    }

    /// The organisations with their cards, for `--orgs` (the statistics
    /// are read again when the registry came from the cache).
    pub fn org_book(&self, solr: &Solr) -> Result<OrgBook> {
        if self.org_stories.get().is_none() {
            let stories = load_stories(solr).context("reading the identity statistics")?;
            let ids: Vec<&str> = stories.iter().map(|s| s.id.as_str()).collect();
            if ids != self.ids.iter().map(String::as_str).collect::<Vec<_>>() {
                anyhow::bail!(
                    "the collection's identity statistics changed while reading them; run again"
                );
            }
            let _ = self.org_stories.set(evidence_of(&stories).1);
        }
        let orgs = self.org_stories.get().expect("set above");
        Ok(self.identities.org_book_of(orgs))
    }

    /// The ids of the stories of the organisations `name` means; `None`
    /// when the registry knows none by it.
    pub fn stories_of_org(&self, name: &str) -> Option<Vec<&str>> {
        let found = self.identities.lookup_org(name);
        if found.is_empty() {
            return None;
        }
        Some(self.stories_of_org_ids(&found))
    }

    /// The stories of each of the organisation identities `ids`.
    pub fn stories_of_org_ids(&self, ids: &[u32]) -> Vec<&str> {
        self.identities
            .org_postings_in(STORIES, ids)
            .into_iter()
            .filter_map(|d| self.ids.get(d as usize).map(String::as_str))
            .collect()
    }

    /// The ids of the stories of the people `name` means; `None` when the
    /// registry knows no one by it.
    pub fn stories_of(&self, name: &str) -> Option<Vec<&str>> {
        let found = self.identities.lookup(name);
        if found.is_empty() {
            return None;
        }
        Some(
            self.identities
                .postings_in(STORIES, &found)
                .into_iter()
                .filter_map(|d| self.ids.get(d as usize).map(String::as_str))
                .collect(),
        )
    }

    /// The stories of each of the person identities `ids`, as story ids.
    pub fn stories_of_ids(&self, ids: &[u32]) -> Vec<&str> {
        self.identities
            .postings_in(STORIES, ids)
            .into_iter()
            .filter_map(|d| self.ids.get(d as usize).map(String::as_str))
            .collect()
    }

    /// The person identities the story `id` names (each once, ascending);
    /// `None` for a story the statistics do not hold.
    pub fn people_of(&self, id: &str) -> Option<Vec<u32>> {
        let &doc = self.doc_of.get(id)?;
        Some(self.identities.of_in(STORIES, doc))
    }

    /// The story's `people` (and its headline's names) as identities, in
    /// story order, as an export gives them locally; `None` for a story
    /// the statistics do not hold.
    pub fn people_in_order(
        &self,
        id: &str,
        people: &[String],
        hints: &[String],
    ) -> Option<Vec<u32>> {
        let &doc = self.doc_of.get(id)?;
        self.identities.people_in(STORIES, doc, people, hints)
    }

    /// `people`, `person_ids` and quotation speakers as identities.
    pub fn apply(&self, a: &mut Article) {
        match self.doc_of.get(&a.id) {
            Some(&doc) => self.identities.apply_in(STORIES, doc, a),
            None => self.identities.apply(a),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_read_back() {
        let mut stats = Stats::default();
        stats.files.insert(
            "a/b.sgm".into(),
            vec![StoryStats {
                id: "x1".into(),
                day: Some(6000),
                people: vec!["James Baker".into()],
                hints: vec![],
                orgs: vec!["Treasury".into()],
                topics: vec![],
                dateline: Some("WASHINGTON".into()),
                speakers: vec!["Baker".into()],
                pairs: Some(vec!["FAO\tFood and Agriculture Organisation".into()]),
            }],
        );
        let back = Stats::from_payload(&stats.to_payload()).unwrap();
        assert_eq!(back, stats);
        assert_eq!(
            back.files["a/b.sgm"][0].org_pairs(),
            [(
                "FAO".to_string(),
                "Food and Agriculture Organisation".to_string()
            )]
        );
        // Statistics written before pairs were kept read as having none.
        let old: StoryStats = serde_json::from_str(r#"{"id":"x2","o":["FAO"]}"#).unwrap();
        assert_eq!(old.pairs, None);
        assert!(Stats::from_payload("not base64!").is_err());
    }
}
