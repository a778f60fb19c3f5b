//! `dateline-bench`: measures Dateline against raw tantivy on one corpus
//! and prints one JSON object per figure (JSON Lines).
//!
//! Each indexing run and the in-process query run happen in a child process
//! of this binary (the hidden `--phase`), so that each reports its own peak
//! memory (VmHWM) rather than the high-water mark of everything before it.
//! An indexing child holds one copy of the corpus (`corpus_rss_mib`) and
//! replays it `--scale` times, so its peak is the pipeline's plus that.
//!
//! Units: MB is 10^6 bytes of headline plus body text as read (before
//! enrichment), the same basis for both systems; latencies are wall-clock
//! milliseconds. Throughput is also given per CPU-second (every thread of
//! the child), which varies less than wall time on a shared machine.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use dateline::bench::{self, indexers, queries, Corpus, Figure};
use dateline::index::store::IndexHandle;

/// Benchmark Dateline's indexing, querying, index size, memory and tagger
/// against raw tantivy over the same corpus.
#[derive(Parser, Clone)]
#[command(version, about)]
struct Args {
    /// The folder of archives to index (read with Dateline's readers).
    #[arg(long)]
    corpus: PathBuf,
    /// Index the corpus this many times over, under fresh ids.
    #[arg(long, default_value_t = 1)]
    scale: usize,
    /// Threads for enrichment and for tantivy's writers (both systems).
    #[arg(long, default_value_t = default_threads())]
    threads: usize,
    /// tantivy's indexing memory, in MiB (both systems); the ingest default.
    #[arg(long, default_value_t = 200)]
    budget_mb: usize,
    /// Timed runs of each query, after one warm-up pass. A p99 over fewer
    /// than about a thousand samples is set by one or two stray delays.
    #[arg(long, default_value_t = 50)]
    runs: usize,
    /// Timed `dateline` processes per query, after one warm-up pass.
    #[arg(long, default_value_t = 3)]
    process_runs: usize,
    /// Build the indexes here and keep them (default: a temporary folder,
    /// removed at the end).
    #[arg(long)]
    keep: Option<PathBuf>,
    /// Run only this phase (e.g. `--only views`) on the indexes in `--keep DIR`,
    /// building them first if the folder has none.
    #[arg(long, value_enum, requires = "keep")]
    only: Option<Phase>,
    /// Internal: run one phase in this process and print its figures.
    #[arg(long, value_enum, hide = true)]
    phase: Option<Phase>,
    /// Internal: the work folder of a phase.
    #[arg(long, hide = true)]
    work: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Phase {
    IndexDateline,
    IndexTantivy,
    /// The two halves of the Dateline pipeline timed apart.
    Halves,
    Query,
    /// The research views: timeline, network, CSV export.
    Views,
    /// The tagger alone, on one thread.
    Tagger,
}

fn default_threads() -> usize {
    dateline::ingest::Options::default().threads
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.phase {
        Some(phase) => run_phase(&args, phase),
        None => run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dateline-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

const MB: f64 = 1e6;
const MIB: f64 = (1 << 20) as f64;

fn emit(f: &Figure) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", f.line());
    let _ = out.flush();
}

/// The parent: reads the corpus, runs each phase in a child, then the
/// process latency and the tagger here.
fn run(args: &Args) -> Result<()> {
    if args.scale == 0 {
        bail!("--scale must be at least 1");
    }
    let corpus = bench::load_corpus(&args.corpus);
    if corpus.stories.is_empty() {
        bail!("no stories under {}", args.corpus.display());
    }
    let text_mb = corpus.text_bytes() as f64 / MB;
    emit(
        &Figure::new("corpus")
            .with("files", corpus.files)
            .with("stories", corpus.stories.len())
            .with("text_mb", text_mb)
            .with("read_s", corpus.read_time.as_secs_f64())
            .with("read_mb_per_s", text_mb / corpus.read_time.as_secs_f64())
            .with("problems", corpus.problems)
            .with("scale", args.scale)
            .with("threads", args.threads)
            .with("budget_mb", args.budget_mb),
    );

    let (work, temporary) = match &args.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            (dir.clone(), false)
        }
        None => (bench::fresh_temp_dir()?, true),
    };
    let outcome = match args.only {
        Some(phase) => {
            // The indexes first, when this folder has none yet.
            for (dir, index) in [
                ("tantivy", Phase::IndexTantivy),
                ("dateline", Phase::IndexDateline),
            ] {
                if !work.join(dir).exists() {
                    child(args, index, &work)?;
                }
            }
            child(args, phase, &work).map(|_| ())
        }
        None => measure(args, &corpus, &work),
    };
    if temporary {
        let _ = std::fs::remove_dir_all(&work);
    }
    outcome
}

fn measure(args: &Args, corpus: &Corpus, work: &Path) -> Result<()> {
    let raw = child(args, Phase::IndexTantivy, work)?;
    let full = child(args, Phase::IndexDateline, work)?;
    let get = |figs: &[Figure], key: &str| figs.iter().find_map(|f| f.get(key)).unwrap_or(f64::NAN);
    emit(
        &Figure::new("index_throughput_ratio")
            .with(
                "dateline_over_tantivy",
                get(&full, "stories_per_s") / get(&raw, "stories_per_s"),
            )
            .with(
                "cpu_dateline_over_tantivy",
                get(&full, "stories_per_cpu_s") / get(&raw, "stories_per_cpu_s"),
            )
            .with("target_min", 0.5)
            .with("scale", args.scale),
    );
    let halves = child(args, Phase::Halves, work)?;
    let tantivy_cpu = get(&raw, "stories_per_cpu_s");
    emit(
        &Figure::new("index_throughput_halves_ratio")
            .with(
                "cpu_enrich_over_tantivy",
                get(&halves, "enrich_stories_per_cpu_s") / tantivy_cpu,
            )
            .with(
                "cpu_index_only_over_tantivy",
                get(&halves, "index_stories_per_cpu_s") / tantivy_cpu,
            )
            .with(
                "note",
                "per CPU-second: each half alone against raw tantivy; the full pipeline's ratio is below both",
            )
            .with("scale", args.scale),
    );

    let dateline_bytes = bench::dir_bytes(&work.join("dateline"));
    let tantivy_bytes = bench::dir_bytes(&work.join("tantivy"));
    for (system, bytes) in [("dateline", dateline_bytes), ("tantivy", tantivy_bytes)] {
        emit(
            &Figure::new("index_size")
                .with("system", system)
                .with("bytes", bytes)
                .with("mb", bytes as f64 / MB)
                .with("scale", args.scale),
        );
    }
    emit(
        &Figure::new("index_size_ratio")
            .with(
                "dateline_over_tantivy",
                dateline_bytes as f64 / tantivy_bytes as f64,
            )
            .with("target_max", 1.3)
            .with("scale", args.scale),
    );

    child(args, Phase::Query, work)?;
    child(args, Phase::Views, work)?;

    // A whole `dateline` process per query, as a user runs it.
    let binary = std::env::current_exe()?.with_file_name("dateline");
    if binary.exists() {
        let mix = queries::parse_mix(queries::MIX);
        let mut samples =
            queries::time_processes(&binary, &work.join("dateline"), &mix, args.process_runs)?;
        emit(
            &Figure::new("process_latency")
                .with("system", "dateline")
                .with("command", "dateline --index DIR --json -n 10 QUERY")
                .with("p50_ms", bench::percentile(&mut samples, 50.0))
                .with("p95_ms", bench::percentile(&mut samples, 95.0))
                .with("samples", samples.len())
                .with("target_p50_max_ms", 20.0)
                .with("scale", args.scale),
        );
    } else {
        eprintln!(
            "dateline-bench: no {} (build it with `cargo build --release`); skipping process latency",
            binary.display()
        );
    }

    tagger_figure(corpus);
    Ok(())
}

/// Runs a phase in a child process, echoes its figures and returns them.
fn child(args: &Args, phase: Phase, work: &Path) -> Result<Vec<Figure>> {
    let name = phase
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.arg("--corpus")
        .arg(&args.corpus)
        .args(["--scale", &args.scale.to_string()])
        .args(["--threads", &args.threads.to_string()])
        .args(["--budget-mb", &args.budget_mb.to_string()])
        .args(["--runs", &args.runs.to_string()])
        .args(["--phase", &name])
        .arg("--work")
        .arg(work);
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run the {name} phase"))?;
    if !out.status.success() {
        bail!("the {name} phase failed: {}", out.status);
    }
    let mut figures = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        println!("{line}");
        figures.extend(Figure::parse(line));
    }
    Ok(figures)
}

/// A child: one phase, its figures on stdout.
/// The shipped tagger's speed on the corpus, one thread.
fn tagger_figure(corpus: &Corpus) {
    let run = bench::tag_corpus(&corpus.stories);
    let (tokens, mentions) = (run.tokens, run.mentions);
    let secs = run.elapsed.as_secs_f64().max(1e-9);
    let cpu_secs = run.cpu.as_secs_f64().max(1e-9);
    // A tagger that finds nothing in a whole news corpus is the stub, whose
    // speed means nothing: say so rather than print a huge number alone.
    let note = if mentions == 0 {
        "no mentions found: the stub tagger, not a real measurement"
    } else {
        "shipped tagger"
    };
    emit(
        &Figure::new("tagger_throughput")
            .with("note", note)
            .with("system", "dateline")
            .with("threads", 1)
            .with("tokens_per_s", tokens as f64 / secs)
            .with("tokens_per_cpu_s", tokens as f64 / cpu_secs)
            .with("tokens", tokens)
            .with("mentions", mentions)
            .with("mention_checksum", format!("{:016x}", run.checksum))
            .with("seconds", secs)
            .with(
                "token_count",
                "runs of alphanumerics plus each other non-space char",
            ),
    );
}

fn run_phase(args: &Args, phase: Phase) -> Result<()> {
    let work = args.work.as_deref().context("--phase needs --work")?;
    let budget = args.budget_mb << 20;
    match phase {
        Phase::Tagger => {
            tagger_figure(&bench::load_corpus(&args.corpus));
        }
        Phase::IndexDateline | Phase::IndexTantivy => {
            let corpus = bench::load_corpus(&args.corpus);
            // What holding the corpus costs, so that the pipeline's own
            // share of the peak can be told apart.
            let corpus_rss = bench::rss_bytes();
            let stories = bench::scaled(&corpus.stories, args.scale);
            let (system, done) = match phase {
                Phase::IndexDateline => (
                    "dateline",
                    indexers::dateline(stories, &work.join("dateline"), args.threads, budget)?,
                ),
                _ => (
                    "tantivy",
                    indexers::tantivy(stories, &work.join("tantivy"), args.threads, budget)?,
                ),
            };
            let secs = done.elapsed.as_secs_f64();
            emit(
                &Figure::new("index_throughput")
                    .with("system", system)
                    .with("stories_per_s", done.stories as f64 / secs)
                    .with("mb_per_s", done.bytes as f64 / MB / secs)
                    .with("stories", done.stories)
                    .with("mb", done.bytes as f64 / MB)
                    .with("seconds", secs)
                    .with("cpu_seconds", done.cpu.as_secs_f64())
                    .with(
                        "stories_per_cpu_s",
                        done.stories as f64 / done.cpu.as_secs_f64().max(0.01),
                    )
                    .with("threads", args.threads)
                    .with("scale", args.scale),
            );
            emit(
                &Figure::new("peak_memory")
                    .with("phase", "index")
                    .with("system", system)
                    .with("peak_rss_mib", bench::peak_rss_bytes() as f64 / MIB)
                    .with("corpus_rss_mib", corpus_rss as f64 / MIB)
                    .with("budget_mib", args.budget_mb)
                    .with("target_max_mib", 512)
                    .with("scale", args.scale),
            );
        }
        Phase::Halves => {
            let corpus = bench::load_corpus(&args.corpus);
            let (articles, enrich_time, enrich_cpu) =
                indexers::enrich_all(&corpus.stories, args.threads)?;
            let dir = work.join("dateline-prepared");
            let done =
                indexers::dateline_prepared(&articles, args.scale, &dir, args.threads, budget)?;
            let _ = std::fs::remove_dir_all(&dir);
            let n = articles.len() as f64;
            let secs = done.elapsed.as_secs_f64();
            emit(
                &Figure::new("index_throughput_halves")
                    .with("system", "dateline")
                    .with("enrich_stories_per_s", n / enrich_time.as_secs_f64())
                    .with(
                        "enrich_stories_per_cpu_s",
                        n / enrich_cpu.as_secs_f64().max(0.01),
                    )
                    .with("enrich_stories", articles.len())
                    .with("index_stories_per_s", done.stories as f64 / secs)
                    .with(
                        "index_stories_per_cpu_s",
                        done.stories as f64 / done.cpu.as_secs_f64().max(0.01),
                    )
                    .with("index_stories", done.stories)
                    .with("threads", args.threads)
                    .with("scale", args.scale),
            );
        }
        Phase::Views => {
            let handle = IndexHandle::open(&work.join("dateline"))?;
            let raw = tantivy::Index::open_in_dir(work.join("tantivy"))?;
            for (view, query, timed) in [
                (
                    "timeline_month",
                    bench::views::TIMELINE_QUERY,
                    bench::views::timeline(&handle, &raw, args.runs)?,
                ),
                (
                    "network_person",
                    bench::views::NETWORK_QUERY,
                    bench::views::network(&handle, &raw, args.runs)?,
                ),
            ] {
                let (mut v, mut t) = (timed.view, timed.tantivy);
                emit(
                    &Figure::new("view_latency")
                        .with("view", view)
                        .with("query", query)
                        .with("matches", timed.matches)
                        .with("p50_ms", bench::percentile(&mut v, 50.0))
                        .with("p95_ms", bench::percentile(&mut v, 95.0))
                        .with("tantivy_count_p50_ms", bench::percentile(&mut t, 50.0))
                        .with("tantivy_matches", timed.tantivy_matches)
                        .with("samples", v.len())
                        .with("target_p50_max_ms", 100.0)
                        .with("scale", args.scale),
                );
            }
            let e = bench::views::export(&handle, &raw, 3)?;
            emit(
                &Figure::new("export_throughput")
                    .with("view", "csv")
                    .with("query", bench::views::EXPORT_QUERY)
                    .with("stories", e.stories)
                    .with("stories_per_s", e.stories as f64 / e.seconds.max(1e-9))
                    .with("seconds", e.seconds)
                    .with("tantivy_stories", e.tantivy_stories)
                    .with(
                        "tantivy_load_stories_per_s",
                        e.tantivy_stories as f64 / e.tantivy_seconds.max(1e-9),
                    )
                    .with("target_min_stories_per_s", 50_000)
                    .with("scale", args.scale),
            );
        }
        Phase::Query => {
            let mix = queries::parse_mix(queries::MIX);
            let handle = IndexHandle::open(&work.join("dateline"))?;
            let raw = tantivy::Index::open_in_dir(work.join("tantivy"))?;
            let (mut d, mut t) = queries::time_against_tantivy(&handle, &raw, &mix, args.runs)?;
            let mut p99 = [0.0; 2];
            for (i, (system, timings)) in [("dateline", &mut d), ("tantivy", &mut t)]
                .into_iter()
                .enumerate()
            {
                p99[i] = bench::percentile(&mut timings.samples, 99.0);
                emit(
                    &Figure::new("query_latency")
                        .with("system", system)
                        .with("p50_ms", bench::percentile(&mut timings.samples, 50.0))
                        .with("p95_ms", bench::percentile(&mut timings.samples, 95.0))
                        .with("p99_ms", p99[i])
                        .with("queries", mix.len())
                        .with("samples", timings.samples.len())
                        .with("top", queries::TOP)
                        .with("snippets", true)
                        .with("total_hits", timings.total_hits)
                        .with("slowest_query", timings.slowest.0.clone())
                        .with("slowest_p50_ms", timings.slowest.1)
                        .with("scale", args.scale),
                );
            }
            emit(
                &Figure::new("query_latency_ratio")
                    .with("p99_dateline_over_tantivy", p99[0] / p99[1])
                    .with("target_max", 2.0)
                    .with("scale", args.scale),
            );
            query_kinds(&handle, args)?;
            let (mut collapsed, mut all) = queries::time_collapse(&handle, &mix, args.runs)?;
            let (c99, a99) = (
                bench::percentile(&mut collapsed.samples, 99.0),
                bench::percentile(&mut all.samples, 99.0),
            );
            emit(
                &Figure::new("collapse_cost")
                    .with("p99_collapsed_ms", c99)
                    .with("p99_all_versions_ms", a99)
                    .with("p99_collapsed_over_all_versions", c99 / a99)
                    .with("hits_collapsed", collapsed.total_hits)
                    .with("hits_all_versions", all.total_hits)
                    .with("target_max", 1.2)
                    .with("scale", args.scale),
            );
            emit(
                &Figure::new("peak_memory")
                    .with("phase", "query")
                    .with("system", "both")
                    .with("peak_rss_mib", bench::peak_rss_bytes() as f64 / MIB)
                    .with("scale", args.scale),
            );
        }
    }
    Ok(())
}

/// Times each kind of query of [`queries::KINDS`] (prefix, fuzzy,
/// proximity) beside plain words, and their p99 ratios to the words'.
fn query_kinds(handle: &IndexHandle, args: &Args) -> Result<()> {
    let kinds = queries::parse_kinds(queries::KINDS);
    let mixes: Vec<&[queries::MixQuery]> = kinds.iter().map(|(_, mix)| mix.as_slice()).collect();
    let timings = queries::time_dateline_mixes(handle, &mixes, args.runs)?;
    let mut p99 = Vec::new();
    for ((kind, mix), mut t) in kinds.iter().zip(timings) {
        let p = bench::percentile(&mut t.samples, 99.0);
        emit(
            &Figure::new("query_kind_latency")
                .with("system", "dateline")
                .with("kind", kind.clone())
                .with("p50_ms", bench::percentile(&mut t.samples, 50.0))
                .with("p99_ms", p)
                .with("queries", mix.len())
                .with("samples", t.samples.len())
                .with("total_hits", t.total_hits)
                .with("slowest_query", t.slowest.0.clone())
                .with("scale", args.scale),
        );
        p99.push((kind.clone(), p));
    }
    let word = p99
        .iter()
        .find(|(k, _)| k == "word")
        .map_or(f64::NAN, |k| k.1);
    let mut ratio = Figure::new("query_kind_ratio");
    for (kind, p) in p99.iter().filter(|(k, _)| k != "word") {
        ratio = ratio.with(&format!("p99_{kind}_over_word"), p / word);
    }
    emit(&ratio.with("target_max", 3.0).with("scale", args.scale));
    Ok(())
}
