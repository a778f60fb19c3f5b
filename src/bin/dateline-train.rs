//! `dateline-train`: builds the models and tables Dateline ships — the
//! named-entity tagger and the place gazetteer.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use dateline::enrich::ner::{conll, eval::Score, lexicon, model, train, Scratch, Tag, Tagger};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Train and evaluate Dateline's models")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train the NER model on CoNLL-2003 and write it (embed it by rebuilding).
    Train(TrainArgs),
    /// Build the place gazetteer from GeoNames extracts.
    Gazetteer {
        /// Folder with cities15000.json, countries.json and us_states.json.
        #[arg(long)]
        geonames: Option<PathBuf>,
        /// Where to write the compressed table.
        #[arg(long, default_value = "assets/gazetteer.tsv.gz")]
        out: PathBuf,
    },
    /// Score the shipped NER model on a CoNLL-2003 file; prints JSON.
    Eval {
        /// A CoNLL-2003 file, e.g. ../shared/data/conll2003/eng.testa.
        file: PathBuf,
        /// Also write `word gold predicted` lines here, for error analysis.
        #[arg(long)]
        dump: Option<PathBuf>,
    },
    /// Print the entity mentions the shipped NER model finds in a raw text
    /// file (an article: headline, blank line, paragraphs).
    Tag { file: PathBuf },
    /// Measure tagging speed of the shipped NER model on a CoNLL-2003 file
    /// (pre-tokenised, one thread).
    Bench {
        file: PathBuf,
        /// Times to tag the whole file.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
}

#[derive(clap::Args)]
struct TrainArgs {
    #[arg(long, default_value = "../shared/data/conll2003/eng.train")]
    train: PathBuf,
    /// Used only to choose the number of epochs.
    #[arg(long, default_value = "../shared/data/conll2003/eng.testa")]
    dev: PathBuf,
    #[arg(long, default_value = "assets/ner.model")]
    out: PathBuf,
    /// Maximum epochs per pass.
    #[arg(long, default_value_t = 20)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// log2 of the number of hashed feature rows.
    #[arg(long, default_value_t = 18)]
    bits: u32,
    /// Jackknife folds for the second pass (0: one pass only).
    #[arg(long, default_value_t = 4)]
    folds: usize,
    /// Perceptrons averaged per pass (differently shuffled).
    #[arg(long, default_value_t = 1)]
    ensemble: usize,
    /// The shared data folder (for name lists and GeoNames).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// Keep the lexicon (slow to build: word classes) in this file between
    /// runs; only for experiments, since it must match --train and --shared.
    #[arg(long)]
    lexicon_cache: Option<PathBuf>,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Train(a) => run_train(a),
        Command::Gazetteer { geonames, out } => {
            let dir =
                geonames.unwrap_or_else(|| dateline::shared_data::root().join("data/geonames"));
            let s = dateline::enrich::gazetteer::build::build(&dir, &out)?;
            eprintln!(
                "{}: {} countries, {} regions, {} cities, {} alternate keys, {} bytes, loads in {:?}",
                out.display(),
                s.countries,
                s.regions,
                s.cities,
                s.alternate_keys,
                s.bytes,
                s.load_time
            );
            eprintln!("{}", dateline::enrich::gazetteer::build::ATTRIBUTION);
            Ok(())
        }
        Command::Eval { file, dump } => {
            let score = score_file(&file, dump.as_ref())?;
            println!("{}", serde_json::to_string(&score.to_json())?);
            Ok(())
        }
        Command::Bench { file, rounds } => bench(&file, rounds),
        Command::Tag { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            for m in shipped()?.mentions(&text) {
                println!("{}\t{}\t{}..{}", m.kind.conll(), m.text, m.start, m.end);
            }
            Ok(())
        }
    }
}

fn run_train(a: TrainArgs) -> Result<()> {
    let start = Instant::now();
    let log = move |m: String| eprintln!("[{:6.1}s] {m}", start.elapsed().as_secs_f64());
    let train_docs = conll::read(&a.train)?;
    let cached = a.lexicon_cache.as_ref().and_then(|p| std::fs::read(p).ok());
    let lex = match cached.map(|b| model::lexicon_from_bytes(&b)) {
        Some(Ok(lex)) => lex,
        _ => {
            let mut lex = lexicon::build(&a.shared).context("building the lexicon")?;
            lex.add_classes(&a.shared, &train_docs)?;
            if let Some(p) = &a.lexicon_cache {
                std::fs::write(p, model::lexicon_to_bytes(&lex))?;
            }
            lex
        }
    };
    log(format!(
        "lexicon: {} first names, {} surnames, {} places, {} case priors, {} word classes",
        lex.first_names.len(),
        lex.surnames.len(),
        lex.places.len(),
        lex.case_prior.len(),
        lex.classes_fine.len()
    ));
    let dev_docs = conll::read(&a.dev)?;
    let opts = train::Options {
        epochs: a.epochs,
        seed: a.seed,
        bits: a.bits,
        folds: a.folds,
        ensemble: a.ensemble,
    };
    let model = train::train(lex, &train_docs, Some(&dev_docs), &opts, &log);
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    let tagger = Tagger::from_model(model);
    let mut score = Score::default();
    for d in &dev_docs {
        score.add(&gold(&d.gold), &tagger.tag_document(&d.tokens, &d.sents));
    }
    log(format!(
        "wrote {} ({} bytes); quantised model dev F1 {:.4}",
        a.out.display(),
        bytes.len(),
        score.overall().f1()
    ));
    Ok(())
}

fn gold(labels: &[u8]) -> Vec<Tag> {
    labels.iter().map(|&i| Tag::from_index(i)).collect()
}

fn shipped() -> Result<&'static Tagger> {
    Tagger::try_shipped().map_err(|e| anyhow::anyhow!("{e}"))
}

fn score_file(file: &Path, dump: Option<&PathBuf>) -> Result<Score> {
    let tagger = shipped()?;
    let docs = conll::read(file)?;
    let mut score = Score::default();
    let mut lines = String::new();
    for d in &docs {
        let (g, p) = (gold(&d.gold), tagger.tag_document(&d.tokens, &d.sents));
        score.add(&g, &p);
        if dump.is_some() {
            for s in &d.sents {
                for i in s.clone() {
                    lines += &format!("{} {} {}\n", d.tokens[i], g[i].conll(), p[i].conll());
                }
                lines.push('\n');
            }
        }
    }
    if let Some(path) = dump {
        std::fs::write(path, lines).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(score)
}

fn bench(file: &Path, rounds: usize) -> Result<()> {
    let (t0, c0) = (Instant::now(), cpu_seconds());
    let tagger = shipped()?;
    let (load, load_cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
    let docs = conll::read(file)?;
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let (t, c) = (Instant::now(), cpu_seconds());
    for _ in 0..rounds {
        for d in &docs {
            tagger.tag_document_with(&mut scratch, &d.tokens, &d.sents, &mut out);
        }
    }
    let (secs, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
    let n = (tokens * rounds) as f64;
    println!(
        "model load {:.1} ms ({:.1} ms CPU); {tokens} tokens x {rounds} in {secs:.3} s \
         ({cpu:.3} s CPU): {:.0} tokens/s, {:.0} tokens per CPU second",
        load * 1e3,
        load_cpu * 1e3,
        n / secs,
        n / cpu
    );
    Ok(())
}

/// CPU time of this process so far (Linux; 0 elsewhere). On a shared
/// machine wall-clock speed says more about the neighbours than the code.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields overall, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
