//! Training: averaged perceptron, greedy decoding, two passes.
//!
//! Pass 1 sees the sentence and document-level casing. Pass 2 additionally
//! sees what pass 1 called the same word elsewhere in the document; its
//! training data gets pass-1 labels by jackknifing (each fold tagged by a
//! pass-1 model that never saw it), so pass 2 learns how far to trust them.

use super::conll::Document;
use super::decode::{self, best};
use super::eval::Score;
use super::features::{features, Doc};
use super::labels::{Tag, NUM_LABELS, START};
use super::lexicon::Lexicon;
use super::model::{FloatWeights, Model, Scorer, Weights};
use rayon::prelude::*;

/// Training settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Maximum epochs; the best epoch on the dev set is kept.
    pub epochs: usize,
    pub seed: u64,
    /// log2 of the number of weight rows.
    pub bits: u32,
    /// Jackknife folds for pass-2 training data; 0 disables pass 2.
    pub folds: usize,
    /// Perceptrons (different shuffles) averaged per pass.
    pub ensemble: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 20,
            seed: 1,
            bits: 18,
            folds: 4,
            ensemble: 1,
        }
    }
}

/// A document ready for training: prepared features plus gold labels.
pub struct Example {
    pub doc: Doc,
    pub gold: Vec<u8>,
}

/// Prepares CoNLL documents.
pub fn examples(lex: &Lexicon, docs: &[Document]) -> Vec<Example> {
    docs.par_iter()
        .map(|d| {
            let mut doc = Doc::default();
            doc.fill(lex, &d.tokens, &d.sents);
            Example {
                doc,
                gold: d.gold.clone(),
            }
        })
        .collect()
}

/// splitmix64: a tiny seeded generator, so shuffles are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        super::hash::mix(self.0)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Averaged perceptron state. The average is kept lazily: `acc` sums
/// `time * update`, and the average is `w - acc / time`.
struct Perceptron {
    bits: u32,
    w: Vec<f32>,
    acc: Vec<f64>,
    time: f64,
}

impl Perceptron {
    fn new(bits: u32) -> Self {
        let n = (1usize << bits) * NUM_LABELS;
        Perceptron {
            bits,
            w: vec![0.0; n],
            acc: vec![0.0; n],
            time: 1.0,
        }
    }

    fn update(&mut self, feats: &[u64], label: u8, delta: f32) {
        let mask = (1usize << self.bits) - 1;
        for &f in feats {
            let i = (f as usize & mask) * NUM_LABELS + label as usize;
            self.w[i] += delta;
            self.acc[i] += self.time * delta as f64;
        }
    }

    fn averaged(&self) -> Vec<f32> {
        self.w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| (w as f64 - a / self.time) as f32)
            .collect()
    }

    /// One pass over the examples in the given order.
    fn epoch(&mut self, data: &[Example], order: &[usize], pass2: bool) {
        let mut feats = Vec::new();
        let mut scores = [0f32; NUM_LABELS];
        for &d in order {
            let ex = &data[d];
            for s in &ex.doc.sents {
                let (mut p1, mut p2) = (START, START);
                for i in s.clone() {
                    features(&ex.doc, i, p1, p2, pass2, &mut feats);
                    FloatWeights {
                        bits: self.bits,
                        w: &self.w,
                    }
                    .score(&feats, &mut scores);
                    let y = best(&scores, p1);
                    let g = ex.gold[i];
                    if y != g {
                        self.update(&feats, g, 1.0);
                        self.update(&feats, y, -1.0);
                    }
                    self.time += 1.0;
                    p2 = p1;
                    p1 = y;
                }
            }
        }
    }
}

/// Tags examples with float weights and scores them against gold.
pub fn evaluate(bits: u32, w: &[f32], data: &[Example], pass2: bool) -> Score {
    let scorer = FloatWeights { bits, w };
    let mut score = Score::default();
    let (mut feats, mut labels) = (Vec::new(), Vec::new());
    for ex in data {
        decode::tag(&scorer, &ex.doc, pass2, &mut feats, &mut labels);
        score.add(&to_tags(&ex.gold), &to_tags(&labels));
    }
    score
}

fn to_tags(l: &[u8]) -> Vec<Tag> {
    l.iter().map(|&i| Tag::from_index(i)).collect()
}

/// Trains one pass for up to `epochs` epochs; with a dev set, returns the
/// averaged weights of the best epoch on it, else those of the last.
fn train_pass(
    train: &[Example],
    dev: Option<&[Example]>,
    pass2: bool,
    opts: &Options,
    seed: u64,
    log: &(dyn Fn(String) + Sync),
) -> (Vec<f32>, usize) {
    // Members differ only in shuffling; averaging them smooths the
    // perceptron's dependence on example order.
    let members: Vec<(Vec<f32>, usize)> = (0..opts.ensemble.max(1) as u64)
        .into_par_iter()
        .map(|m| train_member(train, dev, pass2, opts, seed.wrapping_add(m * 0x1000), log))
        .collect();
    let n = members.len() as f32;
    let epochs = members[0].1;
    let mut w = vec![0f32; members[0].0.len()];
    for (m, _) in &members {
        for (a, x) in w.iter_mut().zip(m) {
            *a += x / n;
        }
    }
    if let Some(dev) = dev.filter(|_| members.len() > 1) {
        let f1 = evaluate(opts.bits, &w, dev, pass2).overall().f1();
        log(format!(
            "pass {}: ensemble of {n} dev F1 {f1:.4}",
            1 + pass2 as u8
        ));
    }
    (w, epochs)
}

fn train_member(
    train: &[Example],
    dev: Option<&[Example]>,
    pass2: bool,
    opts: &Options,
    seed: u64,
    log: &(dyn Fn(String) + Sync),
) -> (Vec<f32>, usize) {
    let mut p = Perceptron::new(opts.bits);
    let mut rng = Rng(seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut best: Option<(f64, usize, Vec<f32>)> = None;
    for epoch in 1..=opts.epochs {
        rng.shuffle(&mut order);
        p.epoch(train, &order, pass2);
        let Some(dev) = dev else { continue };
        let avg = p.averaged();
        let f1 = evaluate(opts.bits, &avg, dev, pass2).overall().f1();
        log(format!(
            "pass {} epoch {epoch}: dev F1 {f1:.4}",
            1 + pass2 as u8
        ));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, epoch, avg));
        }
    }
    match best {
        Some((_, e, w)) => (w, e),
        None => (p.averaged(), opts.epochs),
    }
}

/// Pass-1 labels for every example by jackknifing.
fn jackknife(
    train: &[Example],
    opts: &Options,
    epochs: usize,
    log: &(dyn Fn(String) + Sync),
) -> Vec<Vec<u8>> {
    let k = opts.folds;
    let fold_opts = Options {
        epochs,
        ..opts.clone()
    };
    let per_fold: Vec<Vec<(usize, Vec<u8>)>> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let idx: Vec<usize> = (0..train.len()).filter(|i| i % k != fold).collect();
            let sub = Subset {
                data: train,
                idx: &idx,
            };
            let w = sub.train(&fold_opts, opts.seed.wrapping_add(1 + fold as u64));
            log(format!("jackknife fold {} of {k} trained", fold + 1));
            let scorer = FloatWeights {
                bits: opts.bits,
                w: &w,
            };
            let (mut feats, mut labels) = (Vec::new(), Vec::new());
            (0..train.len())
                .filter(|i| i % k == fold)
                .map(|i| {
                    decode::tag(&scorer, &train[i].doc, false, &mut feats, &mut labels);
                    (i, labels.clone())
                })
                .collect()
        })
        .collect();
    let mut out = vec![Vec::new(); train.len()];
    for (i, l) in per_fold.into_iter().flatten() {
        out[i] = l;
    }
    out
}

/// A view of some examples, for fold training without copying documents.
struct Subset<'a> {
    data: &'a [Example],
    idx: &'a [usize],
}

impl Subset<'_> {
    fn train(&self, opts: &Options, seed: u64) -> Vec<f32> {
        let mut p = Perceptron::new(opts.bits);
        let mut rng = Rng(seed);
        let mut order = self.idx.to_vec();
        for _ in 0..opts.epochs {
            rng.shuffle(&mut order);
            p.epoch(self.data, &order, false);
        }
        p.averaged()
    }
}

/// Trains a complete model. `dev` chooses the epoch count only.
pub fn train(
    lexicon: Lexicon,
    train: &[Document],
    dev: Option<&[Document]>,
    opts: &Options,
    log: &(dyn Fn(String) + Sync),
) -> Model {
    let mut train_ex = examples(&lexicon, train);
    let mut dev_ex = dev.map(|d| examples(&lexicon, d));
    let (w1, e1) = train_pass(&train_ex, dev_ex.as_deref(), false, opts, opts.seed, log);
    log(format!("pass 1: keeping epoch {e1}"));
    let pass1 = Weights::quantise(opts.bits, &w1);
    let pass2 = if opts.folds >= 2 {
        let labels = jackknife(&train_ex, opts, e1, log);
        for (ex, l) in train_ex.iter_mut().zip(&labels) {
            ex.doc.set_hints(l);
        }
        if let Some(dev_ex) = dev_ex.as_mut() {
            let (mut feats, mut labels) = (Vec::new(), Vec::new());
            for ex in dev_ex.iter_mut() {
                decode::tag(&pass1, &ex.doc, false, &mut feats, &mut labels);
                ex.doc.set_hints(&labels);
            }
        }
        let (w2, e2) = train_pass(
            &train_ex,
            dev_ex.as_deref(),
            true,
            opts,
            opts.seed ^ 0x2222,
            log,
        );
        log(format!("pass 2: keeping epoch {e2}"));
        Some(Weights::quantise(opts.bits, &w2))
    } else {
        None
    };
    Model {
        lexicon,
        pass1,
        pass2,
    }
}

#[cfg(test)]
mod tests {
    use super::super::conll;
    use super::*;

    const SAMPLE: &str = "\
-DOCSTART- -X- O O

John NNP I-NP I-PER
Smith NNP I-NP I-PER
visited VBD I-VP O
Paris NNP I-NP I-LOC
. . O O

Mary NNP I-NP I-PER
Jones NNP I-NP I-PER
works VBZ I-VP O
for IN I-PP O
Acme NNP I-NP I-ORG
Corp NNP I-NP I-ORG
in IN I-PP O
London NNP I-NP I-LOC
. . O O

-DOCSTART- -X- O O

Acme NNP I-NP I-ORG
Corp NNP I-NP I-ORG
hired VBD I-VP O
John NNP I-NP I-PER
Smith NNP I-NP I-PER
in IN I-PP O
Paris NNP I-NP I-LOC
. . O O

Mary NNP I-NP I-PER
Jones NNP I-NP I-PER
likes VBZ I-VP O
German JJ I-NP I-MISC
beer NN I-NP O
. . O O
";

    #[test]
    fn learns_a_tiny_sample_deterministically() {
        let docs = conll::parse(SAMPLE).unwrap();
        let opts = Options {
            epochs: 5,
            seed: 7,
            bits: 12,
            folds: 2,
            ensemble: 2,
        };
        let quiet = |_: String| {};
        let m = train(Lexicon::default(), &docs, None, &opts, &quiet);
        let again = train(Lexicon::default(), &docs, None, &opts, &quiet);
        assert_eq!(m.to_bytes(), again.to_bytes(), "same seed, same model");

        let tagger = super::super::Tagger::from_model(m);
        let mut score = Score::default();
        for d in &docs {
            let pred = tagger.tag_document(&d.tokens, &d.sents);
            score.add(&to_tags(&d.gold), &pred);
        }
        assert_eq!(score.overall().f1(), 1.0, "fits its training data");
    }
}
