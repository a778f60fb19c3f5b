//! `dateline-index`: ingest a wire-story archive into a tantivy index.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::Parser;
use dateline::ingest::{self, Observer, Options, Summary};
use dateline::read::{Limits, Problem};
use dateline::solr::admin::Layout;
use dateline::solr::ingest::Partition;
use dateline::solr::Solr;
use indicatif::{ProgressBar, ProgressStyle};

/// Index a folder of wire stories (text, JSON, JSON Lines, Reuters SGML,
/// NITF, any of them gzipped) for `dateline` to search.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Files or folders to ingest (folders are walked recursively).
    #[arg(default_value = "corpus")]
    paths: Vec<PathBuf>,
    /// The index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Start from an empty index; the old one serves queries until the new one is committed.
    #[arg(long)]
    rebuild: bool,
    /// Index nothing: print each article as JSON Lines, as it would be indexed.
    #[arg(long)]
    dump: bool,
    /// No progress bar and no summary; problems are still reported.
    #[arg(long, short)]
    quiet: bool,
    /// Indexing memory budget in MB.
    #[arg(long, default_value_t = 200)]
    memory: usize,
    /// Threads for parsing, enrichment and indexing (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Largest file read, after decompression, in bytes.
    #[arg(long, default_value_t = Limits::default().max_file_bytes)]
    max_file_bytes: u64,
    /// Largest story kept, in bytes; longer ones are cut.
    #[arg(long, default_value_t = Limits::default().max_story_bytes)]
    max_story_bytes: usize,
    /// Follow symbolic links inside the given folders.
    #[arg(long)]
    follow_links: bool,
    /// Commit after this many stories, so a killed run keeps its progress.
    #[arg(long, default_value_t = 10_000)]
    commit_every: usize,
    /// Index into a SolrCloud collection instead of --index:
    /// http[s]://[user:pass@]host:port/solr[/COLLECTION] (default collection `dateline`).
    #[arg(long, value_name = "URL", conflicts_with = "dump")]
    solr: Option<String>,
    /// With --solr, for a collection this run creates: its shards.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "solr")]
    solr_shards: usize,
    /// With --solr, for a collection this run creates: copies of each shard.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "solr")]
    solr_replicas: usize,
    /// With --solr: this machine's share of the files, K of N (1 <= K <= N),
    /// so that N machines enrich one archive between them.
    #[arg(long, value_name = "K/N", requires = "solr", value_parser = parse_partition)]
    partition: Option<Partition>,
}

fn parse_partition(s: &str) -> Result<Partition, String> {
    Partition::parse(s)
}

/// Progress on a terminal; problems printed above the bar.
struct Progress {
    bar: Option<ProgressBar>,
    files: AtomicUsize,
    total_files: AtomicUsize,
    stories: AtomicUsize,
}

impl Observer for Progress {
    fn start(&self, files: usize, bytes: u64) {
        self.total_files.store(files, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_length(bytes);
            bar.set_message(format!("0/{files} files"));
        }
    }

    fn file_done(&self, bytes: u64, stories: usize) {
        let done = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let stories = self.stories.fetch_add(stories, Ordering::Relaxed) + stories;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            let total = self.total_files.load(Ordering::Relaxed);
            bar.set_message(format!("{done}/{total} files, {stories} stories"));
        }
    }

    fn problem(&self, problem: &Problem) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{problem}")),
            None => eprintln!("{problem}"),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let defaults = Options::default();
    let opts = Options {
        index_dir: args.index.clone(),
        rebuild: args.rebuild,
        memory_budget: args.memory.max(16) << 20,
        threads: args.threads.unwrap_or(defaults.threads).max(1),
        limits: Limits {
            max_file_bytes: args.max_file_bytes,
            max_story_bytes: args.max_story_bytes.max(1),
        },
        follow_links: args.follow_links,
        commit_every: args.commit_every.max(1),
    };
    let show_bar = !args.quiet && !args.dump && std::io::stderr().is_terminal();
    let progress = Progress {
        files: AtomicUsize::new(0),
        total_files: AtomicUsize::new(0),
        stories: AtomicUsize::new(0),
        bar: show_bar.then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({binary_bytes_per_sec}) {msg}")
                    .expect("valid template"),
            );
            bar
        }),
    };
    if args.dump {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let result = ingest::dump(&args.paths, &opts, &progress, |a| {
            serde_json::to_writer(&mut out, a)?;
            out.write_all(b"\n")?;
            Ok(())
        });
        return match result.and_then(|n| out.flush().map(|_| n).map_err(Into::into)) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("dateline-index: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(url) = &args.solr {
        return index_solr(&args, url, &opts, &progress);
    }
    match ingest::index(&args.paths, &opts, &progress) {
        Ok(summary) => {
            if let Some(bar) = &progress.bar {
                bar.finish_and_clear();
            }
            for problem in &summary.identity_problems {
                eprintln!("{problem}");
            }
            if !args.quiet {
                eprintln!("{}", describe(&summary, &args.index));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Some(bar) = &progress.bar {
                bar.abandon();
            }
            eprintln!("dateline-index: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `--solr`: the same pipeline into a SolrCloud collection.
fn index_solr(args: &Args, url: &str, opts: &Options, progress: &Progress) -> ExitCode {
    let layout = Layout {
        shards: args.solr_shards,
        replicas: args.solr_replicas,
    };
    let result = Solr::connect(url)
        .map_err(anyhow::Error::from)
        .and_then(|solr| {
            let partition = args.partition.unwrap_or(Partition::ALL);
            dateline::solr::ingest::index(&solr, &args.paths, opts, layout, partition, progress)
                .map(|s| (s, solr.collection.clone()))
        });
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    match result {
        Ok((run, collection)) => {
            for f in &run.failures {
                eprintln!("{}: story {}: refused by Solr: {}", f.file, f.id, f.message);
            }
            if !args.quiet {
                let s = &run.summary;
                let secs = s.elapsed.as_secs_f64().max(1e-9);
                eprintln!(
                    "{} files: {} added, {} updated, {} removed, {} unchanged, {} bad; {} stories in {:.1} s ({:.0} stories/s) into Solr collection {}{}",
                    s.files, s.added, s.updated, s.removed, s.unchanged, s.bad_files, s.stories,
                    secs, s.stories as f64 / secs, collection,
                    if run.created { " (created)" } else { "" }
                );
            }
            if run.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "dateline-index: {} stories were refused by Solr (listed above); their files are left out of the manifest, so the next run sends them again",
                    run.failures.len()
                );
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("dateline-index: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn describe(s: &Summary, index: &std::path::Path) -> String {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    let size: u64 = std::fs::read_dir(index)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    format!(
        "{} files: {} added, {} updated, {} removed, {} unchanged, {} bad; {} stories in {:.1} s ({:.0} stories/s, {:.1} MB/s); index {:.1} MB at {}",
        s.files,
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        s.bad_files,
        s.stories,
        secs,
        s.stories as f64 / secs,
        s.bytes as f64 / secs / 1e6,
        size as f64 / 1e6,
        index.display()
    )
}
