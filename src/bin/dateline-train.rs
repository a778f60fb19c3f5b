//! `dateline-train`: builds the models and tables Dateline ships — the
//! named-entity tagger and the place gazetteer.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use dateline::enrich::ner::{
    clusters, conll, cv, eval::Score, lexicon, model, stories, train, Scratch, Tag, Tagger,
};
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
    /// Cross-validate the training recipe over whole documents; prints the
    /// F1 mean and spread over folds per type as JSON.
    Cv(CvArgs),
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
        /// A model written by `train` instead of the shipped one.
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Per-story people and places: CoNLL documents rebuilt as articles,
    /// enriched with the tagger's mentions and with the gold ones, canonical
    /// names compared; prints JSON.
    StoryEval {
        /// A CoNLL-2003 file (default: eng.testa).
        #[arg(default_value = "../shared/data/conll2003/eng.testa")]
        file: PathBuf,
        /// A model written by `train` (default: the shipped one). To be
        /// honest, one that never saw FILE.
        #[arg(long)]
        model: Option<PathBuf>,
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
    /// CoNLL-2003 files to train on (repeat the flag; default: eng.train
    /// and eng.testa).
    #[arg(long = "train", default_values = DEFAULT_TRAIN)]
    train: Vec<PathBuf>,
    /// Keep the best epoch on this file (at most --epochs) instead of
    /// training exactly --epochs.
    #[arg(long)]
    dev: Option<PathBuf>,
    #[arg(long, default_value = "assets/ner.model")]
    out: PathBuf,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::Args)]
struct CvArgs {
    /// CoNLL-2003 files, in order; the last is one fold of its own when
    /// there are several (default: eng.train and eng.testa).
    #[arg(long = "train", default_values = DEFAULT_TRAIN)]
    train: Vec<PathBuf>,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Run only these folds (1-based, repeatable), e.g. for a quick look.
    #[arg(long)]
    only: Vec<usize>,
    /// Keep each fold's lexicon (word classes are slow to learn) in this
    /// folder between runs; files are named by what they depend on.
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Write each fold's model here as fold-N.model.
    #[arg(long)]
    save_models: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

const DEFAULT_TRAIN: [&str; 2] = [
    "../shared/data/conll2003/eng.train",
    "../shared/data/conll2003/eng.testa",
];

/// How a model is trained (shared by `train` and `cv`).
#[derive(clap::Args)]
struct ModelArgs {
    /// Epochs per pass.
    #[arg(long, default_value_t = 20)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// log2 of the number of hashed feature rows.
    #[arg(long, default_value_t = 18)]
    bits: u32,
    /// Jackknife folds for the second pass's training labels (0: one pass
    /// only).
    #[arg(long, default_value_t = 4)]
    jackknife: usize,
    /// Perceptrons averaged per pass (differently shuffled); two
    /// cross-validate better than one (README).
    #[arg(long, default_value_t = 2)]
    ensemble: usize,
    /// The shared data folder (for name lists, GeoNames and unlabelled news).
    #[arg(long, default_value = "../shared/data")]
    shared: PathBuf,
    /// Word classes: context words (the most frequent words).
    #[arg(long, default_value_t = clusters::Recipe::default().context_words)]
    class_context: usize,
    /// Word classes: neighbours counted on each side.
    #[arg(long, default_value_t = clusters::Recipe::default().window)]
    class_window: usize,
    /// Word classes: k-means iterations.
    #[arg(long, default_value_t = clusters::Recipe::default().iterations)]
    class_iterations: usize,
}

impl ModelArgs {
    fn recipe(&self) -> clusters::Recipe {
        clusters::Recipe {
            context_words: self.class_context,
            window: self.class_window,
            iterations: self.class_iterations,
            ..Default::default()
        }
    }

    fn options(&self) -> train::Options {
        train::Options {
            epochs: self.epochs,
            seed: self.seed,
            bits: self.bits,
            folds: self.jackknife,
            ensemble: self.ensemble,
        }
    }
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Train(a) => run_train(a),
        Command::Cv(a) => run_cv(a),
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
        Command::Eval { file, dump, model } => {
            let loaded = model.as_deref().map(load_model).transpose()?;
            let tagger = match &loaded {
                Some(t) => t,
                None => shipped()?,
            };
            let score = score_file(tagger, &file, dump.as_ref())?;
            println!("{}", serde_json::to_string(&score.to_json())?);
            Ok(())
        }
        Command::Bench { file, rounds } => bench(&file, rounds),
        Command::StoryEval { file, model } => {
            let loaded = model.as_deref().map(load_model).transpose()?;
            let tagger = match &loaded {
                Some(t) => t,
                None => shipped()?,
            };
            let docs = conll::read(&file)?;
            let name = file
                .file_name()
                .map_or("conll".into(), |n| n.to_string_lossy());
            let mut out = stories::evaluate(tagger, &docs, &name).to_json();
            out["file"] = file.display().to_string().into();
            out["model"] = model
                .as_ref()
                .map_or("shipped".to_string(), |p| p.display().to_string())
                .into();
            println!("{}", serde_json::to_string(&out)?);
            Ok(())
        }
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

fn logger() -> impl Fn(String) + Sync {
    let start = Instant::now();
    move |m: String| eprintln!("[{:6.1}s] {m}", start.elapsed().as_secs_f64())
}

/// Reads CoNLL files in order; also returns each file's document count.
fn read_all(files: &[PathBuf]) -> Result<(Vec<conll::Document>, Vec<usize>)> {
    let mut docs = Vec::new();
    let mut counts = Vec::new();
    for f in files {
        let d = conll::read(f)?;
        counts.push(d.len());
        docs.extend(d);
    }
    Ok((docs, counts))
}

fn run_train(a: TrainArgs) -> Result<()> {
    let log = logger();
    let (train_docs, _) = read_all(&a.train)?;
    let shared = &a.model.shared;
    let mut lex = lexicon::build(shared).context("building the lexicon")?;
    let texts = lexicon::unlabelled_texts(shared)?;
    let news = lexicon::news_sentences(&texts);
    lex = cv::fold_lexicon(&lex, &news, &train_docs, &a.model.recipe());
    log(format!(
        "lexicon: {} first names, {} surnames, {} places, {} case priors, {} word classes",
        lex.first_names.len(),
        lex.surnames.len(),
        lex.places.len(),
        lex.case_prior.len(),
        lex.classes_fine.len()
    ));
    let dev_docs = a.dev.as_ref().map(|d| conll::read(d)).transpose()?;
    let opts = a.model.options();
    let model = train::train(lex, &train_docs, dev_docs.as_deref(), &opts, &log);
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    log(format!("wrote {} ({} bytes)", a.out.display(), bytes.len()));
    if let Some(dev) = &dev_docs {
        let score = cv::score(&Tagger::from_model(model), dev);
        log(format!(
            "quantised model dev F1 {:.4}",
            score.overall().f1()
        ));
    }
    Ok(())
}

fn run_cv(a: CvArgs) -> Result<()> {
    let log = logger();
    let (docs, counts) = read_all(&a.train)?;
    let shared = &a.model.shared;
    let base = lexicon::build(shared).context("building the lexicon")?;
    let texts = lexicon::unlabelled_texts(shared)?;
    let news = lexicon::news_sentences(&texts);
    let all = cv::folds(&counts, a.folds);
    let chosen: Vec<_> = if a.only.is_empty() {
        all.clone()
    } else {
        a.only
            .iter()
            .map(|&f| {
                all.get(f.wrapping_sub(1))
                    .cloned()
                    .with_context(|| format!("--only {f}: there are {} folds", all.len()))
            })
            .collect::<Result<_>>()?
    };
    let opts = a.model.options();
    let keep = cv::Keep {
        cache: a.cache.as_deref(),
        models: a.save_models.as_deref(),
        recipe: a.model.recipe(),
    };
    let results = cv::run(&base, &news, &docs, &chosen, &opts, keep, &log)?;
    let mut report = cv::report(&results);
    report["documents"] = docs.len().into();
    report["settings"] = serde_json::json!({
        "epochs": a.model.epochs,
        "seed": a.model.seed,
        "bits": a.model.bits,
        "jackknife": a.model.jackknife,
        "ensemble": a.model.ensemble,
        "classes": a.model.recipe().name(),
        "format_version": model::FORMAT_VERSION,
    });
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

fn gold(labels: &[u8]) -> Vec<Tag> {
    labels.iter().map(|&i| Tag::from_index(i)).collect()
}

fn shipped() -> Result<&'static Tagger> {
    Tagger::try_shipped().map_err(|e| anyhow::anyhow!("{e}"))
}

/// A model file written by `train`.
fn load_model(path: &Path) -> Result<Tagger> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Tagger::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn score_file(tagger: &Tagger, file: &Path, dump: Option<&PathBuf>) -> Result<Score> {
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
