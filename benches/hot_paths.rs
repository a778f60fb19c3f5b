//! Criterion micro-benchmarks for the hot parts of indexing and search.
//!
//! `dateline-bench` times the whole pipeline over a real archive; these time
//! one stage at a time on one story, so that a change to a stage shows up
//! as a number for that stage, in seconds rather than minutes.
//!
//! - `analyzer`: `index::analyzer::stemmed()` over a lead paragraph and a
//!   whole body. Every headline, lead and body goes through it when indexed,
//!   and every body again when a snippet is made. Bytes per second.
//! - `tagger`: `Tagger::shipped().mentions()` on a whole article (headline
//!   and body, as enrichment joins them), and on every text story of the
//!   corpus in turn. The tagger is most of enrichment's cost. Tokens per
//!   second, the unit of the README's tagger figure.
//! - `dateline`: `parse_lead` on the lead of every story that has one, and
//!   `parse_field` on the DATELINE fields of the NITF and SGML samples. Cheap,
//!   but run on every story; this guards against a slow path creeping in.
//! - `snippet`: `search::snippet::snippet` for a term and phrase query over
//!   one article's body. It runs once per hit shown, on the query's critical
//!   path.
//! - `enrich`: `enrich::enrich` of one raw story, every enricher together, to
//!   put the tagger's share in context.
//!
//! The input is read at start from `corpus/`, the stories written for
//! Dateline. `corpus/syria-moscow.txt` is left out: it is an agency's text,
//! kept as the user's reference story, not ours. A short run:
//! `cargo bench --bench hot_paths -- --quick`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use dateline::enrich::{dateline as dateline_parser, enrich, ner};
use dateline::index::analyzer;
use dateline::index::schema::Fields;
use dateline::read::{self, Limits, RawStory};
use dateline::search::query;
use dateline::search::snippet::{self, Weighted};
use tantivy::tokenizer::TokenStream;

/// The story most benchmarks use: the longest text story, with a dateline,
/// a byline, quotes and several people and places.
const STORY: &str = "text/2012/12/damascus-brahimi-assad.txt";

/// The snippet's query: a name, a stemmed word and a phrase, so all three
/// ways a needle matches are exercised.
const QUERY: &str = "Brahimi talks \"Syrian people\"";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every story of the files under `dir`, in path order so runs compare.
fn stories_under(dir: &Path) -> Vec<RawStory> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("readable corpus folder"))
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        if file.ends_with("syria-moscow.txt") {
            continue;
        }
        let display = file.display().to_string();
        out.extend(read::read_file(&file, &display, &Limits::default()).stories);
    }
    out
}

fn one_story(rel: &str) -> RawStory {
    let path = corpus().join(rel);
    let mut stories = read::read_file(&path, rel, &Limits::default()).stories;
    assert_eq!(stories.len(), 1, "{rel}: expected one story");
    stories.remove(0)
}

fn first_paragraph(body: &str) -> &str {
    body.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or("")
}

fn bench_analyzer(c: &mut Criterion) {
    let story = one_story(STORY);
    let lead = first_paragraph(&story.body);
    // Built once, as the index and the snippets do: building one costs more
    // than running it over a short story.
    let mut stemmed = analyzer::stemmed();
    let mut g = c.benchmark_group("analyzer");
    for (name, text) in [("lead", lead), ("body", story.body.as_str())] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0usize;
                let mut stream = stemmed.token_stream(black_box(text));
                while let Some(token) = stream.next() {
                    n += token.text.len();
                }
                n
            })
        });
    }
    g.finish();
}

fn bench_tagger(c: &mut Criterion) {
    let tagger = ner::Tagger::shipped();
    let article = dateline::bench::tagger_text(&one_story(STORY));
    let all: Vec<String> = stories_under(&corpus().join("text"))
        .iter()
        .map(dateline::bench::tagger_text)
        .collect();
    let tokens = |t: &str| ner::tokenize(t).len() as u64;

    let mut g = c.benchmark_group("tagger");
    g.throughput(Throughput::Elements(tokens(&article)));
    g.bench_function("article", |b| {
        b.iter(|| tagger.mentions(black_box(&article)))
    });
    // One article can flatter or wrong the gating of lowercase tokens; the
    // whole text corpus averages over more kinds of prose.
    g.throughput(Throughput::Elements(all.iter().map(|t| tokens(t)).sum()));
    g.bench_function("corpus_text", |b| {
        b.iter(|| {
            all.iter()
                .map(|t| tagger.mentions(black_box(t)).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

fn bench_dateline(c: &mut Criterion) {
    let stories = stories_under(&corpus());
    let leads: Vec<&str> = stories
        .iter()
        .map(|s| first_paragraph(&s.body))
        .filter(|lead| dateline_parser::parse_lead(lead).is_some())
        .collect();
    let fields: Vec<&str> = stories
        .iter()
        .filter_map(|s| s.dateline.as_deref())
        .collect();
    assert!(
        !leads.is_empty() && !fields.is_empty(),
        "corpus has no datelines"
    );

    let mut g = c.benchmark_group("dateline");
    g.throughput(Throughput::Elements(leads.len() as u64));
    g.bench_function("parse_lead", |b| {
        b.iter(|| {
            leads
                .iter()
                .filter_map(|l| dateline_parser::parse_lead(black_box(l)))
                .count()
        })
    });
    g.throughput(Throughput::Elements(fields.len() as u64));
    g.bench_function("parse_field", |b| {
        b.iter(|| {
            fields
                .iter()
                .filter_map(|f| dateline_parser::parse_field(black_box(f)))
                .count()
        })
    });
    g.finish();
}

fn bench_snippet(c: &mut Criterion) {
    let article = enrich(one_story(STORY));
    let ast = query::parse(QUERY).expect("the bench query parses");
    let compiled = query::compile(&Fields::new(), &ast).expect("the bench query compiles");
    // Weights come from the index's document frequencies at search time;
    // equal ones pick the same passages here whatever the index.
    let weighted = Weighted::uniform(&compiled.needles);
    let made = snippet::snippet(
        &article.body,
        article.lead(),
        &weighted,
        snippet::DEFAULT_PASSAGES,
    );
    assert!(
        !made.highlights.is_empty(),
        "the bench query matches nothing"
    );

    let mut g = c.benchmark_group("snippet");
    g.throughput(Throughput::Bytes(article.body.len() as u64));
    g.bench_function("article", |b| {
        b.iter(|| {
            snippet::snippet(
                black_box(&article.body),
                article.lead(),
                &weighted,
                snippet::DEFAULT_PASSAGES,
            )
        })
    });
    g.finish();
}

fn bench_enrich(c: &mut Criterion) {
    let story = one_story(STORY);
    let mut g = c.benchmark_group("enrich");
    g.throughput(Throughput::Bytes(story.body.len() as u64));
    // enrich takes the story by value; the clone is made outside the timing.
    g.bench_function("story", |b| {
        b.iter_batched(|| story.clone(), enrich, BatchSize::SmallInput)
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_analyzer,
    bench_tagger,
    bench_dateline,
    bench_snippet,
    bench_enrich
);
criterion_main!(benches);
