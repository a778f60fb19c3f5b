//! `dateline-index`: ingest a wire-story archive into a tantivy index.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::Parser;
use dateline::ingest::{self, Observer, Options, Summary};
use dateline::read::{Limits, Problem};
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
