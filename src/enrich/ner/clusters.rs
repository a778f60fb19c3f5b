//! Word classes from unlabelled news, in the spirit of Brown clusters.
//!
//! Words that occur in similar contexts (the same neighbours to the left
//! and right) get the same class, so the tagger can generalise from
//! "Parnevik said" in training to "Mirsky said" at run time. Each frequent
//! word gets a context vector (positive PMI of its neighbours, unit length);
//! spherical k-means, seeded with the most frequent words so it is
//! deterministic, groups them at two granularities.

use super::hash;
use super::lexicon::List;
use rayon::prelude::*;
use std::collections::HashMap;

/// Context words: the most frequent words; rarer neighbours fall into a few
/// shape buckets.
const CONTEXT_WORDS: usize = 300;
const BUCKETS: usize = 4;
const SIDE: usize = CONTEXT_WORDS + BUCKETS;
const DIMS: usize = 2 * SIDE;
/// Words seen fewer times get no class.
const MIN_COUNT: u32 = 3;
const ITERATIONS: usize = 8;

/// Class granularities: coarse and fine (at most 255 so a class fits the
/// list's `u8` tier, 0 meaning "no class").
pub const COARSE: usize = 32;
pub const MID: usize = 128;
pub const FINE: usize = 255;

fn bucket(tok: &str) -> usize {
    let c = tok.chars().next().unwrap_or(' ');
    if c.is_uppercase() {
        0
    } else if c.is_lowercase() {
        1
    } else if c.is_numeric() {
        2
    } else {
        3
    }
}

/// Builds (coarse, mid, fine) class lists from sentences of tokens.
pub fn build(sentences: &[Vec<&str>]) -> (List, List, List) {
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for s in sentences {
        for t in s {
            *counts.entry(hash::lower(t)).or_default() += 1;
        }
    }
    // Deterministic order: by count, then hash.
    let mut by_freq: Vec<(u64, u32)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= MIN_COUNT)
        .collect();
    by_freq.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let context: HashMap<u64, usize> = by_freq
        .iter()
        .take(CONTEXT_WORDS)
        .enumerate()
        .map(|(i, w)| (w.0, i))
        .collect();
    let target: HashMap<u64, usize> = by_freq.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
    let n = by_freq.len();
    let mut vecs = vec![0f32; n * DIMS];
    let ctx_index = |tok: Option<&&str>| match tok {
        None => CONTEXT_WORDS + 3,
        Some(t) => context
            .get(&hash::lower(t))
            .copied()
            .unwrap_or_else(|| CONTEXT_WORDS + bucket(t)),
    };
    for s in sentences {
        for (i, t) in s.iter().enumerate() {
            let Some(&w) = target.get(&hash::lower(t)) else {
                continue;
            };
            let left = ctx_index(i.checked_sub(1).and_then(|j| s.get(j)));
            let right = ctx_index(s.get(i + 1));
            vecs[w * DIMS + left] += 1.0;
            vecs[w * DIMS + SIDE + right] += 1.0;
        }
    }
    // Positive pointwise mutual information: rewards contexts that are
    // typical of a word rather than merely frequent.
    let mut col = vec![0f64; DIMS];
    for v in vecs.chunks(DIMS) {
        for (c, x) in col.iter_mut().zip(v) {
            *c += *x as f64;
        }
    }
    let total: f64 = col.iter().sum();
    vecs.par_chunks_mut(DIMS).for_each(|v| {
        let row: f64 = v.iter().map(|&x| x as f64).sum();
        let mut norm = 0.0;
        for (x, &c) in v.iter_mut().zip(&col) {
            if *x > 0.0 {
                let pmi = ((*x as f64) * total / (row * c)).ln();
                *x = pmi.max(0.0) as f32;
            }
            norm += *x * *x;
        }
        let norm = norm.sqrt().max(1e-9);
        v.iter_mut().for_each(|x| *x /= norm);
    });
    let keys: Vec<u64> = by_freq.iter().map(|w| w.0).collect();
    (
        to_list(&keys, &kmeans(&vecs, n, COARSE)),
        to_list(&keys, &kmeans(&vecs, n, MID)),
        to_list(&keys, &kmeans(&vecs, n, FINE)),
    )
}

fn to_list(keys: &[u64], assign: &[usize]) -> List {
    List::from_entries(keys.iter().zip(assign).map(|(&k, &a)| (k, a as u8 + 1)))
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Spherical k-means; returns each vector's cluster.
fn kmeans(vecs: &[f32], n: usize, k: usize) -> Vec<usize> {
    let k = k.min(n);
    if k == 0 {
        return Vec::new();
    }
    let mut centroids = vecs[..k * DIMS].to_vec();
    let mut assign = vec![0usize; n];
    for _ in 0..ITERATIONS {
        assign = vecs
            .par_chunks(DIMS)
            .map(|v| {
                (0..k)
                    .map(|c| (dot(v, &centroids[c * DIMS..(c + 1) * DIMS]), c))
                    .fold((f32::MIN, 0), |a, b| if b.0 > a.0 { b } else { a })
                    .1
            })
            .collect();
        centroids.iter_mut().for_each(|x| *x = 0.0);
        for (v, &c) in vecs.chunks(DIMS).zip(&assign) {
            for (x, y) in centroids[c * DIMS..(c + 1) * DIMS].iter_mut().zip(v) {
                *x += y;
            }
        }
        for c in centroids.chunks_mut(DIMS) {
            let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                c.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_like_contexts_share_a_class() {
        let mut text = Vec::new();
        for name in ["Smith", "Jones", "Brown"] {
            for _ in 0..6 {
                text.push(vec!["Mr.", name, "said", "on", "Monday"]);
            }
        }
        for place in ["Paris", "Rome"] {
            for _ in 0..6 {
                text.push(vec!["in", place, ",", "the", "capital"]);
            }
        }
        let (coarse, _, _) = build(&text);
        let class = |w: &str| coarse.tier(hash::lower(w));
        assert_ne!(class("smith"), 0);
        assert_eq!(class("Smith"), class("Jones"));
        assert_eq!(class("Paris"), class("Rome"));
    }
}
