//! The two indexers under comparison, fed the same stories with the same
//! threads and memory budget.
//!
//! * [`dateline`]: the ingest pipeline minus file reading: stories are
//!   enriched in batches on a rayon pool by a producer thread while this
//!   thread turns the previous batch into documents ([`to_document`]) for
//!   tantivy's writer threads, as `ingest::index` does.
//! * [`tantivy`](fn@tantivy): a plain schema of `headline` and `body` analysed with
//!   tantivy's `en_stem`, both stored (the body for snippets).

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use crate::archive::versions::Grouper;
use crate::article::Article;
use crate::enrich;
use crate::index::document::to_document;
use crate::index::store::IndexHandle;
use crate::read::RawStory;

/// Stories enriched per batch: enough to keep every core busy, few enough
/// to bound the memory of two batches in flight.
const BATCH: usize = 1024;

/// What one indexing run did.
pub struct Indexed {
    pub stories: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    /// CPU time of the whole process over the run, every thread.
    pub cpu: Duration,
}

/// Wall-clock and process CPU time since a start.
struct Clock {
    started: Instant,
    cpu: Duration,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            started: Instant::now(),
            cpu: super::cpu_time(),
        }
    }

    /// (wall, CPU) elapsed so far.
    fn read(&self) -> (Duration, Duration) {
        (
            self.started.elapsed(),
            super::cpu_time().saturating_sub(self.cpu),
        )
    }

    fn done(&self, stories: usize, bytes: u64) -> Indexed {
        let (elapsed, cpu) = self.read();
        Indexed {
            stories,
            bytes,
            elapsed,
            cpu,
        }
    }
}

/// The writer's budget, floored as `ingest::index` floors it.
pub fn budget(memory_budget: usize, threads: usize) -> usize {
    memory_budget.max((threads.max(1) * 16) << 20)
}

/// A new Dateline index in `dir` and its writer.
fn dateline_writer(
    dir: &Path,
    threads: usize,
    memory_budget: usize,
) -> Result<(IndexHandle, IndexWriter<TantivyDocument>)> {
    let handle = IndexHandle::create(dir)?;
    let threads = threads.max(1);
    let writer = handle
        .index
        .writer_with_num_threads(threads, budget(memory_budget, threads))
        .context("cannot start the index writer")?;
    Ok((handle, writer))
}

/// Commits and waits for merges, as a finished indexing run does.
fn finish(mut writer: IndexWriter<TantivyDocument>) -> Result<()> {
    writer.commit().context("committing the index")?;
    writer
        .wait_merging_threads()
        .context("finishing the index writer")
}

/// Enriches and indexes `stories` into a new Dateline index in `dir`.
pub fn dateline(
    stories: impl Iterator<Item = RawStory> + Send,
    dir: &Path,
    threads: usize,
    memory_budget: usize,
) -> Result<Indexed> {
    let clock = Clock::start();
    let threads = threads.max(1);
    let (handle, writer) = dateline_writer(dir, threads, memory_budget)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let (tx, rx) = mpsc::sync_channel::<Vec<Article>>(2);
    let mut count = 0;
    let bytes = std::thread::scope(|scope| -> Result<u64> {
        // Bytes are counted before enrichment (which drops credits and
        // repeated leads) so both systems' MB/s share one basis.
        let producer = scope.spawn(move || {
            let mut stories = stories;
            let mut bytes = 0;
            loop {
                let batch: Vec<RawStory> = stories.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    return bytes;
                }
                bytes += batch.iter().map(super::text_bytes).sum::<u64>();
                let articles = pool.install(|| batch.into_par_iter().map(enrich::enrich).collect());
                if tx.send(articles).is_err() {
                    return bytes;
                }
            }
        });
        // Grouping versions is part of indexing, on the writer's thread as
        // in `ingest::index`.
        let mut grouper = Grouper::default();
        for mut batch in rx {
            for a in &mut batch {
                grouper.assign(a);
                writer.add_document(to_document(&handle.fields, a))?;
            }
            count += batch.len();
        }
        Ok(producer.join().expect("the enrichment thread panicked"))
    })?;
    finish(writer)?;
    Ok(clock.done(count, bytes))
}

/// Enriches `stories` on a pool of `threads`, untimed by the caller's
/// indexing clock: the first half of the pipeline alone.
pub fn enrich_all(
    stories: &[RawStory],
    threads: usize,
) -> Result<(Vec<Article>, Duration, Duration)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()?;
    let clock = Clock::start();
    let articles = pool.install(|| stories.par_iter().cloned().map(enrich::enrich).collect());
    let (elapsed, cpu) = clock.read();
    Ok((articles, elapsed, cpu))
}

/// Indexes already-enriched `articles`, `scale` times over under fresh
/// ids, into a new Dateline index: the second half of the pipeline alone,
/// which bounds what the full pipeline can reach.
pub fn dateline_prepared(
    articles: &[Article],
    scale: usize,
    dir: &Path,
    threads: usize,
    memory_budget: usize,
) -> Result<Indexed> {
    let clock = Clock::start();
    let (handle, writer) = dateline_writer(dir, threads, memory_budget)?;
    let mut count = 0;
    for rep in 0..scale {
        for a in articles {
            let doc = if rep == 0 {
                to_document(&handle.fields, a)
            } else {
                let mut a = a.clone();
                a.id = format!("{}#rep{rep}", a.id);
                a.path = format!("{}#rep{rep}", a.path);
                to_document(&handle.fields, &a)
            };
            writer.add_document(doc)?;
            count += 1;
        }
    }
    finish(writer)?;
    Ok(clock.done(count, 0))
}

/// The raw tantivy baseline's schema and fields.
pub struct RawFields {
    pub schema: Schema,
    pub headline: Field,
    pub body: Field,
}

impl RawFields {
    pub fn new() -> RawFields {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ) | STORED;
        let headline = b.add_text_field("headline", text.clone());
        let body = b.add_text_field("body", text);
        RawFields {
            schema: b.build(),
            headline,
            body,
        }
    }

    /// Resolves the fields of an index built with [`RawFields::new`].
    pub fn of(index: &Index) -> Result<RawFields> {
        let schema = index.schema();
        Ok(RawFields {
            headline: schema.get_field("headline")?,
            body: schema.get_field("body")?,
            schema,
        })
    }
}

impl Default for RawFields {
    fn default() -> Self {
        RawFields::new()
    }
}

/// Indexes the headline and body of `stories` into a new plain tantivy
/// index in `dir`, adding documents from this thread as a simple tantivy
/// program would.
pub fn tantivy(
    stories: impl Iterator<Item = RawStory>,
    dir: &Path,
    threads: usize,
    memory_budget: usize,
) -> Result<Indexed> {
    let clock = Clock::start();
    std::fs::create_dir_all(dir)?;
    let f = RawFields::new();
    let index = Index::create_in_dir(dir, f.schema.clone())?;
    let threads = threads.max(1);
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(threads, budget(memory_budget, threads))?;
    let mut count = 0;
    let mut bytes = 0;
    for s in stories {
        bytes += super::text_bytes(&s);
        let headline = s.headline.unwrap_or_default();
        writer.add_document(doc!(f.headline => headline, f.body => s.body))?;
        count += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(clock.done(count, bytes))
}
