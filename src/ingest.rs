//! The pipeline driver: files are read and enriched in parallel and fed, in
//! order, to the tantivy writer (or printed, for `--dump`).
//!
//! Parallelism lives here and only here. A producer thread reads a batch of
//! files and enriches its stories on a rayon pool while the consumer (the
//! caller's thread) hands the previous batch to tantivy, whose own indexing
//! threads work alongside.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::archive::identities;
use crate::archive::versions::Grouper;
use crate::article::Article;
use crate::enrich;
use crate::index::document::to_document;
use crate::index::manifest::{self, Change, FileState, Manifest};
use crate::index::store::{IndexHandle, OpenError};
use crate::read::{self, walk, Limits, Problem};

/// How to run the indexer.
#[derive(Debug, Clone)]
pub struct Options {
    pub index_dir: PathBuf,
    /// Start from an empty index (the old one stays usable until the new
    /// one is committed).
    pub rebuild: bool,
    /// tantivy's indexing memory, in bytes, shared by its threads.
    pub memory_budget: usize,
    /// Threads for parsing and enrichment, and for tantivy's indexing.
    pub threads: usize,
    pub limits: Limits,
    pub follow_links: bool,
    /// Commit after this many stories, so a killed run keeps its progress.
    pub commit_every: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            index_dir: PathBuf::from("index"),
            rebuild: false,
            memory_budget: 200 << 20,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            limits: Limits::default(),
            follow_links: false,
            commit_every: 10_000,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub bad_files: usize,
    pub problems: usize,
    pub stories: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// Lines of the identity corrections file that could not be applied
    /// (`PATH:LINE: reason`).
    pub identity_problems: Vec<String>,
}

/// Receives what happens during a run: for progress bars and messages.
pub trait Observer: Sync {
    /// The files to be read and their total size are known.
    fn start(&self, _files: usize, _bytes: u64) {}
    /// A file was read: its size and how many stories it gave.
    fn file_done(&self, _bytes: u64, _stories: usize) {}
    /// Something was wrong with a file or a story.
    fn problem(&self, problem: &Problem);
}

/// An observer that prints problems to stderr and nothing else.
pub struct StderrObserver;

impl Observer for StderrObserver {
    fn problem(&self, problem: &Problem) {
        eprintln!("{problem}");
    }
}

/// One file, read and enriched.
pub(crate) struct FileResult {
    pub(crate) key: String,
    pub(crate) change: Change,
    pub(crate) state: Option<FileState>,
    pub(crate) articles: Vec<Article>,
    pub(crate) problems: Vec<Problem>,
    pub(crate) skipped: bool,
    pub(crate) bytes: u64,
}

/// A file to read, with what the manifest says of it.
pub(crate) struct Pending {
    pub(crate) path: PathBuf,
    pub(crate) key: String,
    pub(crate) change: Change,
    pub(crate) size: u64,
    pub(crate) mtime: i128,
}

/// The display form of a path, as stored in articles and the manifest.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Indexes the files under `paths` into the index folder.
pub fn index(paths: &[PathBuf], opts: &Options, observer: &dyn Observer) -> Result<Summary> {
    let started = Instant::now();
    let handle = open_for_writing(&opts.index_dir, opts.rebuild)?;
    let threads = opts.threads.max(1);
    let budget = opts.memory_budget.max((threads * 16) << 20);
    let mut writer: IndexWriter<TantivyDocument> = match handle.index.writer_with_num_threads(threads, budget) {
        Ok(w) => w,
        Err(tantivy::TantivyError::LockFailure(..)) => bail!(
            "another dateline-index is writing {}; wait for it to finish (only one indexer may write an index at a time)",
            opts.index_dir.display()
        ),
        Err(e) => return Err(e).context("cannot start the index writer"),
    };
    let mut manifest = if opts.rebuild {
        writer.delete_all_documents()?;
        Manifest::default()
    } else {
        Manifest::from_payload(handle.index.load_metas()?.payload.as_deref())
    };

    // A rebuild's old stories are going: none of them is an earlier version.
    let committed = (!opts.rebuild).then(|| handle.searcher()).transpose()?;
    let mut grouper = Grouper::new(&handle.fields, committed.as_ref())?;

    let mut summary = Summary::default();
    let (files, walk_problems) = walk::files(paths, opts.follow_links);
    for p in &walk_problems {
        observer.problem(p);
    }
    summary.problems += walk_problems.len();
    summary.bad_files += walk_problems.len();

    // What changed since the last run.
    let roots: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
    let mut seen = HashSet::new();
    let mut pending = Vec::new();
    for path in files {
        let key = display_path(&path);
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
            // Refresh a touched file's time so it is not hashed again.
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
        .filter(|k| !seen.contains(*k))
        .cloned()
        .collect();
    for key in gone {
        writer.delete_term(Term::from_field_text(handle.fields.file, &key));
        manifest.files.remove(&key);
        summary.removed += 1;
    }
    summary.files = pending.len() + summary.unchanged;
    observer.start(pending.len(), pending.iter().map(|p| p.size).sum());

    let mut since_commit = 0usize;
    let mut dirty = summary.removed > 0 || opts.rebuild;
    produce(pending, opts, threads, |mut result| {
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
            writer.delete_term(Term::from_field_text(handle.fields.file, &result.key));
            summary.updated += 1;
        } else if !result.skipped {
            summary.added += 1;
        }
        for a in &mut result.articles {
            grouper.assign(a);
            writer.add_document(to_document(&handle.fields, a))?;
        }
        summary.stories += result.articles.len();
        since_commit += result.articles.len();
        match result.state {
            Some(state) => {
                manifest.files.insert(result.key, state);
            }
            None => {
                manifest.files.remove(&result.key);
            }
        }
        dirty = true;
        // A rebuild commits once at the end, so the old index serves until then.
        if !opts.rebuild && since_commit >= opts.commit_every {
            commit(&mut writer, &manifest)?;
            since_commit = 0;
        }
        Ok(())
    })?;
    if dirty {
        commit(&mut writer, &manifest)?;
    }
    writer
        .wait_merging_threads()
        .context("finishing the index writer")?;
    // The identity registry, recomputed from the committed index's name
    // columns (no story is read or enriched again) and cached beside it,
    // so the first query after the run finds it ready.
    let identities = IndexHandle::open(&opts.index_dir)?
        .identities()
        .context("computing the identity registry")?;
    summary.identity_problems = identities.problems.clone();
    summary.elapsed = started.elapsed();
    Ok(summary)
}

fn commit(writer: &mut IndexWriter<TantivyDocument>, manifest: &Manifest) -> Result<()> {
    let mut prepared = writer.prepare_commit().context("preparing a commit")?;
    prepared.set_payload(&manifest.to_payload());
    prepared.commit().context("committing the index")?;
    Ok(())
}

/// Opens the index for writing, creating it when missing. An index of
/// another schema version is replaced only with `rebuild`.
fn open_for_writing(dir: &Path, rebuild: bool) -> Result<IndexHandle> {
    match IndexHandle::open(dir) {
        Ok(h) => Ok(h),
        Err(OpenError::Missing(_)) => Ok(IndexHandle::create(dir)?),
        // A run killed while creating the index leaves tantivy's meta.json
        // without our version file beside it: every later run was refused
        // with "rebuild it" (found by tests/crash.rs). An index that never
        // got a commit holds nothing to lose, so it is simply created anew.
        Err(OpenError::WrongVersion { ref found, .. })
            if found == "unknown" && never_committed(dir) =>
        {
            remove_index_files(dir)?;
            Ok(IndexHandle::create(dir)?)
        }
        Err(OpenError::WrongVersion { .. }) if rebuild => {
            // The old index cannot be read by this version anyway.
            remove_index_files(dir)?;
            Ok(IndexHandle::create(dir)?)
        }
        Err(e) => Err(e.into()),
    }
}

fn remove_index_files(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        // The user's identity corrections outlive any rebuild.
        let keep = p
            .file_name()
            .is_some_and(|n| n == identities::corrections::FILE_NAME);
        if p.is_file() && !keep {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(())
}

/// Whether an index folder's meta.json records no commit: no segment and
/// no manifest, as tantivy writes it on creation.
fn never_committed(dir: &Path) -> bool {
    let Ok(meta) = std::fs::read_to_string(dir.join("meta.json")) else {
        return false;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&meta) else {
        return false;
    };
    meta["segments"].as_array().is_some_and(Vec::is_empty) && meta["payload"].is_null()
}

/// Reads and enriches files in batches on a producer thread, handing each
/// file's result, in input order, to `consume` on this thread.
pub(crate) fn produce(
    pending: Vec<Pending>,
    opts: &Options,
    threads: usize,
    mut consume: impl FnMut(FileResult) -> Result<()>,
) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let limits = opts.limits;
    let (tx, rx) = mpsc::sync_channel::<Vec<FileResult>>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            for batch in batches(pending) {
                let results = pool.install(|| process_batch(batch, &limits));
                if tx.send(results).is_err() {
                    return; // the consumer stopped on an error
                }
            }
        });
        for batch in rx {
            for result in batch {
                consume(result)?;
            }
        }
        Ok(())
    })
}

/// Groups files so that each batch holds a few MB of text: enough to keep
/// every core busy, little enough to bound memory.
fn batches(pending: Vec<Pending>) -> Vec<Vec<Pending>> {
    const BATCH_BYTES: u64 = 4 << 20;
    let mut out = Vec::new();
    let mut batch = Vec::new();
    let mut bytes = 0;
    for p in pending {
        bytes += p.size;
        batch.push(p);
        if bytes >= BATCH_BYTES || batch.len() >= 256 {
            out.push(std::mem::take(&mut batch));
            bytes = 0;
        }
    }
    if !batch.is_empty() {
        out.push(batch);
    }
    out
}

fn process_batch(batch: Vec<Pending>, limits: &Limits) -> Vec<FileResult> {
    let read: Vec<(Pending, read::FileStories, Option<u64>)> = batch
        .into_par_iter()
        .map(|p| {
            let stories =
                guarded(|| read::read_file(&p.path, &p.key, limits)).unwrap_or_else(|_| {
                    read::FileStories {
                        stories: Vec::new(),
                        problems: vec![internal_error(p.key.clone(), None)],
                        skipped: true,
                    }
                });
            let hash = manifest::hash_file(&p.path);
            (p, stories, hash)
        })
        .collect();
    // Enrich story by story across the pool: one file may hold thousands.
    let mut spans = Vec::with_capacity(read.len());
    let mut raw = Vec::new();
    let mut files = Vec::with_capacity(read.len());
    for (p, stories, hash) in read {
        spans.push(stories.stories.len());
        raw.extend(stories.stories);
        files.push((p, stories.problems, stories.skipped, hash));
    }
    let mut enriched = raw
        .into_par_iter()
        .map(|r| {
            let (path, line) = (r.path.clone(), r.line);
            guarded(|| enrich::enrich(r)).map_err(|_| internal_error(path, line))
        })
        .collect::<Vec<_>>()
        .into_iter();
    files
        .into_iter()
        .zip(spans)
        .map(|((p, mut problems, skipped, hash), n)| {
            let mut articles = Vec::with_capacity(n);
            for a in enriched.by_ref().take(n) {
                match a {
                    Ok(a) => articles.push(a),
                    Err(problem) => problems.push(problem),
                }
            }
            FileResult {
                state: hash.map(|hash| FileState {
                    size: p.size,
                    mtime: p.mtime,
                    hash,
                }),
                key: p.key,
                change: p.change,
                articles,
                problems,
                skipped,
                bytes: p.size,
            }
        })
        .collect()
}

/// Runs a reader or the enrichment, turning a panic (a bug on some input
/// we did not foresee) into an error, so that one bad file costs its own
/// stories and not the whole run. The panic message is still printed by
/// the default hook, and the tests fail on it: this is a safety net, not
/// a way to hide bugs.
fn guarded<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
}

/// The problem reported for a file or story whose reading panicked.
fn internal_error(path: String, line: Option<usize>) -> Problem {
    Problem {
        path,
        line,
        message: "internal error while reading (a Dateline bug: please report it with this file), skipped".into(),
    }
}

/// Reads and enriches the files under `paths` without indexing, handing each
/// article to `emit` in file order. Returns the number of articles.
pub fn dump(
    paths: &[PathBuf],
    opts: &Options,
    observer: &dyn Observer,
    mut emit: impl FnMut(&Article) -> Result<()>,
) -> Result<usize> {
    let (files, walk_problems) = walk::files(paths, opts.follow_links);
    for p in &walk_problems {
        observer.problem(p);
    }
    let pending = files
        .into_iter()
        .map(|path| {
            let (size, mtime) = manifest::stat(&path).unwrap_or((0, 0));
            Pending {
                key: display_path(&path),
                path,
                change: Change::New,
                size,
                mtime,
            }
        })
        .collect();
    let mut count = 0;
    produce(pending, opts, opts.threads.max(1), |result| {
        for p in &result.problems {
            observer.problem(p);
        }
        for a in &result.articles {
            emit(a)?;
            count += 1;
        }
        Ok(())
    })?;
    Ok(count)
}
