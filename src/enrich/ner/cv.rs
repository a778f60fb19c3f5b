//! K-fold cross-validation over whole documents: the measure by which
//! features and settings are chosen, instead of watching one split.
//!
//! Folds are contiguous runs of documents in file order, so a fold is a
//! stretch of days of news rather than a sample of stories from the same
//! days as its training data: closer to how the tagger meets unseen text.
//! Each fold model is built exactly like the shipped one, word classes
//! included, from everything but the held-out fold (its text too), and is
//! scored through the run-time path (quantised, gated).

use super::clusters;
use super::conll::Document;
use super::eval::{spans, Counts, Score};
use super::labels::Tag;
use super::lexicon::{conll_sentences, Lexicon};
use super::model::{lexicon_from_bytes, lexicon_to_bytes, FORMAT_VERSION};
use super::train::{self, Options};
use super::Tagger;
use anyhow::Context;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

/// The fold of each document: `groups` are the document counts of the
/// input files in order (e.g. eng.train, eng.testa). When there are at
/// least two groups and `k` is larger than their number, the last group
/// (the smaller development file) is one fold and the others are cut into
/// `k - 1` contiguous blocks; otherwise everything is cut into `k` blocks.
pub fn folds(groups: &[usize], k: usize) -> Vec<Range<usize>> {
    let n: usize = groups.iter().sum();
    let blocks = |start: usize, len: usize, k: usize| -> Vec<Range<usize>> {
        (0..k)
            .map(|f| start + f * len / k..start + (f + 1) * len / k)
            .filter(|r| !r.is_empty())
            .collect()
    };
    match groups {
        [.., last] if groups.len() >= 2 && k > groups.len() - 1 && k >= 2 && *last > 0 => {
            let head = n - last;
            let mut out = blocks(0, head, k - 1);
            out.push(head..n);
            out
        }
        _ => blocks(0, n, k.max(1)),
    }
}

/// What one fold scored.
#[derive(Debug, Clone)]
pub struct FoldResult {
    pub docs: Range<usize>,
    pub score: Score,
    /// Only the names (gold or predicted) that no training document of
    /// the fold gives as an entity: how the tagger meets news whose names
    /// it has never seen, which in-period folds otherwise flatter.
    pub novel: Score,
}

/// Where a run keeps things between runs, besides its result.
#[derive(Debug, Default, Clone, Copy)]
pub struct Keep<'a> {
    /// Folder of fold lexicons (word classes are slow to learn).
    pub cache: Option<&'a Path>,
    /// How word classes are learnt.
    pub recipe: clusters::Recipe,
    /// Folder to write each fold's model to (`fold-N.model`), e.g. for
    /// evaluating a model that never saw its fold.
    pub models: Option<&'a Path>,
}

/// Trains and scores one model per fold. `base` is the lexicon without
/// word classes; `news` the unlabelled news sentences the classes are
/// learnt from, to which each fold adds its training documents' text.
pub fn run(
    base: &Lexicon,
    news: &[Vec<&str>],
    docs: &[Document],
    folds: &[Range<usize>],
    opts: &Options,
    keep: Keep,
    log: &(dyn Fn(String) + Sync),
) -> anyhow::Result<Vec<FoldResult>> {
    let mut out = Vec::new();
    for (f, held) in folds.iter().enumerate() {
        let train_docs: Vec<Document> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| !held.contains(i))
            .map(|(_, d)| d.clone())
            .collect();
        let lex = cached_lexicon(keep.cache, &keep.recipe, held, docs.len(), || {
            fold_lexicon(base, news, &train_docs, &keep.recipe)
        });
        log(format!(
            "fold {} of {}: word classes ready",
            f + 1,
            folds.len()
        ));
        let model = train::train(lex, &train_docs, None, opts, log);
        if let Some(dir) = keep.models {
            let path = dir.join(format!("fold-{}.model", f + 1));
            std::fs::create_dir_all(dir)
                .and_then(|_| std::fs::write(&path, model.to_bytes()))
                .with_context(|| format!("writing {}", path.display()))?;
        }
        let known = entity_names(&train_docs);
        let (score, novel) = score_novel(&Tagger::from_model(model), &docs[held.clone()], &known);
        log(format!(
            "fold {} of {} (documents {}..{}): F1 {:.4}",
            f + 1,
            folds.len(),
            held.start,
            held.end,
            score.overall().f1()
        ));
        out.push(FoldResult {
            docs: held.clone(),
            score,
            novel,
        });
    }
    Ok(out)
}

/// A fold's lexicon from the cache folder, else built and stored there.
/// The file name says what the lexicon depends on: the model format, the
/// word-class recipe, the held-out documents and the number of documents.
fn cached_lexicon(
    cache: Option<&Path>,
    recipe: &clusters::Recipe,
    held: &Range<usize>,
    n: usize,
    build: impl FnOnce() -> Lexicon,
) -> Lexicon {
    let Some(dir) = cache else { return build() };
    let file = dir.join(format!(
        "v{FORMAT_VERSION}-{}-{}-{}of{n}.lexicon",
        recipe.name(),
        held.start,
        held.end
    ));
    if let Some(lex) = std::fs::read(&file)
        .ok()
        .and_then(|b| lexicon_from_bytes(&b).ok())
    {
        return lex;
    }
    let lex = build();
    // A cache that cannot be written only costs time next run.
    let _ =
        std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&file, lexicon_to_bytes(&lex)));
    lex
}

/// The lexicon of a model trained on `train_docs`: `base` plus word classes
/// from the news and those documents' text.
pub fn fold_lexicon(
    base: &Lexicon,
    news: &[Vec<&str>],
    train_docs: &[Document],
    recipe: &clusters::Recipe,
) -> Lexicon {
    let mut sents = news.to_vec();
    sents.extend(conll_sentences(train_docs));
    let mut lex = base.clone();
    lex.set_classes(&sents, recipe);
    lex
}

/// Scores a tagger on documents, as at run time.
pub fn score(tagger: &Tagger, docs: &[Document]) -> Score {
    score_novel(tagger, docs, &HashSet::new()).0
}

/// The entity names of documents, lowercased, tokens joined by spaces.
pub fn entity_names(docs: &[Document]) -> HashSet<String> {
    let mut out = HashSet::new();
    for d in docs {
        let gold: Vec<Tag> = d.gold.iter().map(|&i| Tag::from_index(i)).collect();
        for (s, e, _) in spans(&gold) {
            out.insert(span_text(&d.tokens[s..e]));
        }
    }
    out
}

fn span_text(tokens: &[String]) -> String {
    tokens.join(" ").to_lowercase()
}

/// Scores a tagger on documents, as at run time: all names, and only the
/// names not in `known`.
pub fn score_novel(tagger: &Tagger, docs: &[Document], known: &HashSet<String>) -> (Score, Score) {
    let (mut all, mut novel) = (Score::default(), Score::default());
    for d in docs {
        let gold: Vec<Tag> = d.gold.iter().map(|&i| Tag::from_index(i)).collect();
        let pred = tagger.tag_document(&d.tokens, &d.sents);
        all.add(&gold, &pred);
        novel.add_where(&gold, &pred, |&(s, e, _)| {
            !known.contains(&span_text(&d.tokens[s..e]))
        });
    }
    (all, novel)
}

/// Mean, spread and range of one figure over folds.
fn stats(xs: &[f64]) -> serde_json::Value {
    let n = xs.len().max(1) as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let sd = if xs.len() > 1 {
        (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    serde_json::json!({"mean": round(mean), "sd": round(sd), "min": round(min), "max": round(max)})
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The report: per kind and overall, the F1 mean over folds with its
/// standard deviation and range, the F1 of all folds pooled, and each
/// fold's figures.
pub fn report(results: &[FoldResult]) -> serde_json::Value {
    let kinds = ["PER", "LOC", "ORG", "MISC"];
    // Mean, spread and range over folds, per kind and overall, of the
    // score `pick` takes from each fold.
    let summary = |pick: &dyn Fn(&FoldResult) -> &Score| {
        let figure = |f: &dyn Fn(&Score) -> Counts| -> Vec<f64> {
            results.iter().map(|r| f(pick(r)).f1()).collect()
        };
        let mut m: serde_json::Map<String, serde_json::Value> = kinds
            .iter()
            .enumerate()
            .map(|(k, name)| (name.to_string(), stats(&figure(&|s| s.by_kind[k]))))
            .collect();
        m.insert("overall".into(), stats(&figure(&|s| s.overall())));
        m
    };
    let f1 = summary(&|r| &r.score);
    let novel = summary(&|r| &r.novel);
    let mut pooled = Score::default();
    for r in results {
        for (a, b) in pooled.by_kind.iter_mut().zip(&r.score.by_kind) {
            a.gold += b.gold;
            a.predicted += b.predicted;
            a.correct += b.correct;
        }
    }
    let pooled_f1: serde_json::Map<String, serde_json::Value> = kinds
        .iter()
        .enumerate()
        .map(|(k, name)| (name.to_string(), round(pooled.by_kind[k].f1()).into()))
        .chain([("overall".to_string(), round(pooled.overall().f1()).into())])
        .collect();
    let per_fold: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let mut m: serde_json::Map<String, serde_json::Value> = kinds
                .iter()
                .enumerate()
                .map(|(k, name)| (name.to_string(), round(r.score.by_kind[k].f1()).into()))
                .collect();
            m.insert("overall".into(), round(r.score.overall().f1()).into());
            m.insert("novel".into(), round(r.novel.overall().f1()).into());
            m.insert("docs".into(), serde_json::json!([r.docs.start, r.docs.end]));
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::json!({
        "folds": results.len(),
        "f1": f1,
        "pooled_f1": pooled_f1,
        "novel_f1": novel,
        "per_fold": per_fold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dev_file_is_one_fold_and_the_rest_is_cut_evenly() {
        let f = folds(&[946, 216], 5);
        assert_eq!(f.len(), 5);
        assert_eq!(f[4], 946..1162);
        assert_eq!(f[0], 0..236);
        // Folds cover every document once, in order.
        let mut next = 0;
        for r in &f {
            assert_eq!(r.start, next);
            next = r.end;
        }
        assert_eq!(next, 1162);
    }

    #[test]
    fn one_file_is_cut_into_k_blocks() {
        let f = folds(&[10], 3);
        assert_eq!(f, vec![0..3, 3..6, 6..10]);
        assert_eq!(folds(&[4, 2], 1), vec![0..6]);
        assert_eq!(folds(&[2], 5).len(), 2, "never an empty fold");
    }

    #[test]
    fn every_fold_is_scored_by_a_model_that_never_saw_it() {
        // Four one-sentence documents; the names recur, so a model trained
        // on three of them tags the fourth.
        let mut text = String::new();
        for (who, place) in [
            ("John", "Paris"),
            ("Mary", "London"),
            ("John", "London"),
            ("Mary", "Paris"),
        ] {
            text += &format!(
                "-DOCSTART- -X- O O\n\n{who} NNP O I-PER\nvisited VBD O O\n{place} NNP O I-LOC\n. . O O\n\n"
            );
        }
        let docs = super::super::conll::parse(&text).unwrap();
        let opts = Options {
            epochs: 3,
            seed: 1,
            bits: 12,
            folds: 0,
            ensemble: 1,
        };
        let f = folds(&[4], 4);
        let quiet = |_: String| {};
        let dir = tempfile::tempdir().unwrap();
        let keep = Keep {
            models: Some(dir.path()),
            ..Keep::default()
        };
        let news: Vec<Vec<&str>> = Vec::new();
        let r = run(&Lexicon::default(), &news, &docs, &f, &opts, keep, &quiet).unwrap();
        assert_eq!(r.len(), 4);
        for (res, fold) in r.iter().zip(&f) {
            assert_eq!(&res.docs, fold);
            assert_eq!(
                res.score.overall().gold,
                2,
                "only the held-out document is scored"
            );
            assert_eq!(
                res.novel.overall().gold,
                0,
                "every name of a held-out document is in another"
            );
        }
        assert!(dir.path().join("fold-4.model").exists());
        let again = run(
            &Lexicon::default(),
            &news,
            &docs,
            &f,
            &opts,
            Keep::default(),
            &quiet,
        )
        .unwrap();
        let f1 = |r: &[FoldResult]| r.iter().map(|x| x.score.overall().f1()).collect::<Vec<_>>();
        assert_eq!(f1(&r), f1(&again), "deterministic");
    }

    #[test]
    fn report_has_means_and_pooled_figures() {
        let mut a = Score::default();
        a.by_kind[0] = Counts {
            gold: 10,
            predicted: 10,
            correct: 10,
        };
        let mut b = Score::default();
        b.by_kind[0] = Counts {
            gold: 10,
            predicted: 10,
            correct: 5,
        };
        let r = report(&[
            FoldResult {
                docs: 0..1,
                score: a.clone(),
                novel: a,
            },
            FoldResult {
                docs: 1..2,
                score: b.clone(),
                novel: b,
            },
        ]);
        assert_eq!(r["f1"]["PER"]["mean"], 0.75);
        assert_eq!(r["f1"]["PER"]["min"], 0.5);
        assert_eq!(r["pooled_f1"]["PER"], 0.75);
        assert!(r["f1"]["PER"]["sd"].as_f64().unwrap() > 0.3);
        assert_eq!(r["novel_f1"]["PER"]["mean"], 0.75);
    }
}
