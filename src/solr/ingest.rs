//! `dateline-index --solr`: the same read and enrich pipeline as the local
//! indexer ([`crate::ingest`]), feeding a SolrCloud collection. The run's
//! manifest lives in the collection, so any machine can continue a run.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::json;

use super::admin::{ensure_collection, Layout};
use super::client::Solr;
use super::document::{to_solr, META};
use super::identities::{self, Stats, StoryStats, STATS_CLUSTER};
use super::writer::{Failure, Writer};
use crate::archive::versions::Grouper;
use crate::index::manifest::{self, Change, Manifest};
use crate::index::schema::Fields;
use crate::ingest::{display_path, produce, Observer, Options, Pending, Summary};
use crate::read::{walk, Problem};

/// One of N machines' share of an archive: the files whose path hashes to
/// K (`--partition K/N`, K from 1 to N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub k: u64,
    pub n: u64,
}

impl Partition {
    /// The whole archive.
    pub const ALL: Partition = Partition { k: 1, n: 1 };

    /// Parses `K/N`.
    pub fn parse(s: &str) -> Result<Partition, String> {
        let bad = || format!("--partition: '{s}' is not K/N with 1 <= K <= N");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Partition { k, n })
    }

    /// Whether this share takes the file (by its display path, so every
    /// machine agrees whatever its folder order).
    pub fn takes(&self, key: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(key.as_bytes()) % self.n == self.k - 1
    }

    /// The id of this share's manifest document.
    fn manifest_id(&self) -> String {
        format!("_dateline_manifest_{}_of_{}", self.k, self.n)
    }

    /// The id of this share's identity statistics document.
    fn stats_id(&self) -> String {
        format!("_dateline_identities_{}_of_{}", self.k, self.n)
    }
}

/// What a Solr run adds to [`Summary`].
#[derive(Debug, Default)]
pub struct SolrSummary {
    pub summary: Summary,
    /// Stories Solr refused for good.
    pub failures: Vec<Failure>,
    /// Whether the collection was created by this run.
    pub created: bool,
}

/// Reads the share's manifest from the collection (an empty one when the
/// collection has none).
fn load_manifest(solr: &Solr, partition: Partition) -> Result<Manifest> {
    let id = partition.manifest_id();
    let answer = solr.post_form(
        &format!("{}/select", solr.collection),
        &[
            ("q", &format!("id:{}", super::query::quoted(&id))),
            ("fq", &format!("doc_type:{META}")),
            ("fl", "manifest"),
            ("rows", "1"),
        ],
    )?;
    let payload = answer["response"]["docs"][0]["manifest"].as_str();
    Ok(Manifest::from_payload(payload))
}

/// Indexes the files under `paths` into the collection.
pub fn index(
    solr: &Solr,
    paths: &[PathBuf],
    opts: &Options,
    layout: Layout,
    partition: Partition,
    observer: &dyn Observer,
) -> Result<SolrSummary> {
    let started = Instant::now();
    let created = ensure_collection(solr, layout).context("setting up the collection")?;
    let mut writer = Writer::new(solr);
    let mut manifest = if opts.rebuild {
        if partition != Partition::ALL {
            bail!("--rebuild empties the whole collection: run it without --partition");
        }
        writer.delete_all()?;
        Manifest::default()
    } else {
        load_manifest(solr, partition).context("reading the manifest from the collection")?
    };
    let mut stats = if opts.rebuild {
        Stats::default()
    } else {
        identities::load_partition(solr, &partition.stats_id())
            .context("reading the identity statistics from the collection")?
    };
    // A collection indexed before the statistics (or their abbreviation
    // pairs) were kept: its files are sent again, so that the registries
    // know every story as the local index would.
    if !opts.rebuild {
        stats
            .files
            .retain(|_, stories| stories.iter().all(|s| s.pairs.is_some()));
        manifest.files.retain(|k, _| stats.files.contains_key(k));
    }
    let fields = Fields::new();
    // Versions are found among this run's stories (the collection's own
    // earlier stories are not searched for them).
    let mut grouper = Grouper::new(&fields, None)?;

    let mut summary = Summary::default();
    let (files, walk_problems) = walk::files(paths, opts.follow_links);
    for p in &walk_problems {
        observer.problem(p);
    }
    summary.problems += walk_problems.len();
    summary.bad_files += walk_problems.len();

    let roots: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
    let mut seen = HashSet::new();
    let mut pending = Vec::new();
    for path in files {
        let key = display_path(&path);
        if !partition.takes(&key) {
            continue;
        }
        seen.insert(key.clone());
        let Ok((size, mtime)) = manifest::stat(&path) else {
            observer.problem(&Problem {
                path: key,
                line: None,
                message: "cannot read file metadata".into(),
            });
            summary.bad_files += 1;
            continue;
        };
        let (change, _) = manifest.compare(&key, size, mtime, || manifest::hash_file(&path));
        if change == Change::Unchanged {
            summary.unchanged += 1;
            if let Some(state) = manifest.files.get_mut(&key) {
                state.size = size;
                state.mtime = mtime;
            }
            continue;
        }
        pending.push(Pending {
            path,
            key,
            change,
            size,
            mtime,
        });
    }
    let gone: Vec<String> = manifest
        .under(&roots)
        .filter(|k| partition.takes(k) && !seen.contains(*k))
        .cloned()
        .collect();
    writer.delete_files(&gone)?;
    for key in &gone {
        manifest.files.remove(key);
        stats.files.remove(key);
    }
    summary.removed = gone.len();
    summary.files = pending.len() + summary.unchanged;
    observer.start(pending.len(), pending.iter().map(|p| p.size).sum());

    // A file counted as new may still have stories in the collection (a
    // run that stopped before its manifest was committed): delete them
    // first, since a story's version cluster, and so its shard, may differ
    // from last time.
    let resent: Vec<String> = pending.iter().map(|p| p.key.clone()).collect();
    writer.delete_files(&resent)?;

    // The manifest and the identity statistics, without the files Solr
    // refused a story of (they are sent again next run).
    let meta = |manifest: &Manifest, stats: &Stats, failed: &std::collections::BTreeSet<String>| {
        let mut m = manifest.clone();
        let mut st = stats.clone();
        for f in failed {
            m.files.remove(f);
            st.files.remove(f);
        }
        vec![
            json!({
                "id": partition.manifest_id(),
                "doc_type": META,
                "cluster": "manifest",
                "manifest": m.to_payload(),
            }),
            json!({
                "id": partition.stats_id(),
                "doc_type": META,
                "cluster": STATS_CLUSTER,
                "manifest": st.to_payload(),
            }),
        ]
    };
    let mut since_commit = 0usize;
    let mut error = None;
    produce(pending, opts, opts.threads.max(1), |result| {
        for p in &result.problems {
            observer.problem(p);
        }
        summary.problems += result.problems.len();
        summary.bytes += result.bytes;
        observer.file_done(result.bytes, result.articles.len());
        if result.skipped {
            summary.bad_files += 1;
        }
        if result.change == Change::Changed {
            summary.updated += 1;
        } else if !result.skipped {
            summary.added += 1;
        }
        let mut articles = result.articles;
        for a in &mut articles {
            grouper.assign(a);
            writer.add(&result.key, &a.id, to_solr(a));
        }
        summary.stories += articles.len();
        since_commit += articles.len();
        match result.state {
            Some(state) => {
                stats.files.insert(
                    result.key.clone(),
                    articles.iter().map(StoryStats::of).collect(),
                );
                manifest.files.insert(result.key, state);
            }
            None => {
                manifest.files.remove(&result.key);
                stats.files.remove(&result.key);
            }
        }
        if since_commit >= opts.commit_every {
            let m = meta(&manifest, &stats, &writer.failed_files());
            if let Err(e) = writer.commit(m) {
                error = Some(e);
                bail!("committing");
            }
            since_commit = 0;
        }
        Ok(())
    })
    .map_err(|e| match error.take() {
        Some(solr) => anyhow::Error::new(solr).context("committing to Solr"),
        None => e,
    })?;
    let m = meta(&manifest, &stats, &writer.failed_files());
    writer.commit(m).context("committing to Solr")?;
    summary.stories = writer.sent;
    summary.elapsed = started.elapsed();
    Ok(SolrSummary {
        summary,
        failures: writer.failures,
        created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_split_files_between_machines() {
        assert_eq!(Partition::parse("2/3").unwrap(), Partition { k: 2, n: 3 });
        for bad in ["0/3", "4/3", "1/0", "x", "1/", "/2"] {
            assert!(Partition::parse(bad).is_err(), "{bad}");
        }
        let keys: Vec<String> = (0..300).map(|i| format!("a/file{i}.txt")).collect();
        let shares: Vec<Partition> = (1..=3).map(|k| Partition { k, n: 3 }).collect();
        for key in &keys {
            assert_eq!(shares.iter().filter(|p| p.takes(key)).count(), 1);
        }
        for p in &shares {
            let taken = keys.iter().filter(|k| p.takes(k)).count();
            assert!((60..=140).contains(&taken), "{taken}");
        }
    }
}
