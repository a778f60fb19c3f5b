//! Word classes from unlabelled news, in the spirit of Brown clusters.
//!
//! Words that occur in similar contexts (the same neighbours to the left
//! and right) get the same class, so the tagger can generalise from
//! "Parnevik said" in training to "Mirsky said" at run time. Each frequent
//! word gets a sparse context vector (positive PMI of the words up to
//! [`Recipe::window`] positions either side, unit length); spherical k-means,
//! seeded with the most frequent words so it is deterministic, groups them
//! at three granularities. Words are compared in lowercase, so a name in a
//! capitalised headline has the class of its ordinary spelling.

use super::hash;
use super::lexicon::List;
use rayon::prelude::*;
use std::collections::HashMap;

/// Rarer context words fall into a few shape buckets.
const BUCKETS: usize = 4;

/// How the classes are learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipe {
    /// Context words: the most frequent words.
    pub context_words: usize,
    /// Neighbours counted on each side.
    pub window: usize,
    /// Words seen fewer times get no class.
    pub min_count: u32,
    /// k-means iterations.
    pub iterations: usize,
}

impl Default for Recipe {
    fn default() -> Self {
        // Chosen by `dateline-train cv`: 1,000 context words beat 300 by
        // 0.001 F1; two neighbours either side scored lower than one.
        Recipe {
            context_words: 1000,
            window: 1,
            min_count: 3,
            iterations: 8,
        }
    }
}

impl Recipe {
    /// A name for the recipe (for caches of built classes).
    pub fn name(&self) -> String {
        format!(
            "ppmi-w{}-c{}-m{}-i{}",
            self.window, self.context_words, self.min_count, self.iterations
        )
    }
}

/// Class granularities: coarse, mid and fine (at most 255 so a class fits
/// the list's `u8` tier, 0 meaning "no class").
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

/// A word's context vector: (dimension, weight), sorted by dimension.
type Sparse = Vec<(u32, f32)>;

/// Builds (coarse, mid, fine) class lists from sentences of tokens.
pub fn build(sentences: &[Vec<&str>], recipe: &Recipe) -> (List, List, List) {
    let Recipe {
        context_words,
        window,
        min_count,
        iterations,
    } = *recipe;
    let side = context_words + BUCKETS;
    let hashed: Vec<Vec<u64>> = sentences
        .par_iter()
        .map(|s| s.iter().map(|t| hash::lower(t)).collect())
        .collect();
    let mut counts: HashMap<u64, u32> = HashMap::new();
    for s in &hashed {
        for &h in s {
            *counts.entry(h).or_default() += 1;
        }
    }
    // Deterministic order: by count, then hash.
    let mut by_freq: Vec<(u64, u32)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= min_count)
        .collect();
    by_freq.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let target: HashMap<u64, u32> = by_freq
        .iter()
        .enumerate()
        .map(|(i, w)| (w.0, i as u32))
        .collect();
    let n = by_freq.len();
    // Context index of each token: a frequent word's rank, else its bucket.
    let ctx: Vec<Vec<u32>> = sentences
        .par_iter()
        .zip(&hashed)
        .map(|(s, h)| {
            s.iter()
                .zip(h)
                .map(|(t, k)| match target.get(k) {
                    Some(&r) if (r as usize) < context_words => r,
                    _ => (context_words + bucket(t)) as u32,
                })
                .collect()
        })
        .collect();
    let edge = (context_words + 3) as u32;
    let mut rows: Vec<HashMap<u32, f32>> = vec![HashMap::new(); n];
    for (h, c) in hashed.iter().zip(&ctx) {
        for (i, k) in h.iter().enumerate() {
            let Some(&w) = target.get(k) else { continue };
            let row = &mut rows[w as usize];
            for d in 1..=window {
                let left = i.checked_sub(d).map_or(edge, |j| c[j]);
                let right = c.get(i + d).copied().unwrap_or(edge);
                let base = (2 * (d - 1) * side) as u32;
                *row.entry(base + left).or_default() += 1.0;
                *row.entry(base + side as u32 + right).or_default() += 1.0;
            }
        }
    }
    let dims = 2 * window * side;
    // Positive pointwise mutual information: rewards contexts that are
    // typical of a word rather than merely frequent.
    let mut col = vec![0f64; dims];
    for r in &rows {
        for (&j, &x) in r {
            col[j as usize] += x as f64;
        }
    }
    let total: f64 = col.iter().sum();
    let vecs: Vec<Sparse> = rows
        .into_par_iter()
        .map(|r| {
            let row: f64 = r.values().map(|&x| x as f64).sum();
            let mut v: Sparse = r
                .into_iter()
                .filter_map(|(j, x)| {
                    let pmi = ((x as f64) * total / (row * col[j as usize])).ln();
                    (pmi > 0.0).then_some((j, pmi as f32))
                })
                .collect();
            v.sort_unstable_by_key(|e| e.0);
            let norm = v.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt().max(1e-9);
            v.iter_mut().for_each(|e| e.1 /= norm);
            v
        })
        .collect();
    let keys: Vec<u64> = by_freq.iter().map(|w| w.0).collect();
    (
        to_list(&keys, &kmeans(&vecs, dims, COARSE, iterations)),
        to_list(&keys, &kmeans(&vecs, dims, MID, iterations)),
        to_list(&keys, &kmeans(&vecs, dims, FINE, iterations)),
    )
}

fn to_list(keys: &[u64], assign: &[usize]) -> List {
    List::from_entries(keys.iter().zip(assign).map(|(&k, &a)| (k, a as u8 + 1)))
}

/// Spherical k-means over sparse unit vectors; returns each vector's
/// cluster. Centroids are kept dimension-major, so scoring one vector
/// against all of them reads one contiguous row per non-zero.
fn kmeans(vecs: &[Sparse], dims: usize, k: usize, iterations: usize) -> Vec<usize> {
    let n = vecs.len();
    let k = k.min(n);
    if k == 0 {
        return Vec::new();
    }
    let mut cent = vec![0f32; dims * k];
    for (c, v) in vecs[..k].iter().enumerate() {
        for &(j, x) in v {
            cent[j as usize * k + c] = x;
        }
    }
    let mut assign = vec![0usize; n];
    for _ in 0..iterations {
        assign = vecs
            .par_iter()
            .map_init(
                || vec![0f32; k],
                |scores, v| {
                    scores.iter_mut().for_each(|s| *s = 0.0);
                    for &(j, x) in v {
                        let row = &cent[j as usize * k..(j as usize + 1) * k];
                        for (s, &c) in scores.iter_mut().zip(row) {
                            *s += x * c;
                        }
                    }
                    let mut best = 0;
                    for (c, &s) in scores.iter().enumerate() {
                        if s > scores[best] {
                            best = c;
                        }
                    }
                    best
                },
            )
            .collect();
        cent.iter_mut().for_each(|x| *x = 0.0);
        for (v, &c) in vecs.iter().zip(&assign) {
            for &(j, x) in v {
                cent[j as usize * k + c] += x;
            }
        }
        let mut norms = vec![0f32; k];
        for row in cent.chunks(k) {
            for (n, &x) in norms.iter_mut().zip(row) {
                *n += x * x;
            }
        }
        norms.iter_mut().for_each(|n| *n = n.sqrt().max(1e-9));
        for row in cent.chunks_mut(k) {
            for (x, n) in row.iter_mut().zip(&norms) {
                *x /= n;
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
        let (coarse, _, _) = build(&text, &Recipe::default());
        let class = |w: &str| coarse.tier(hash::lower(w));
        assert_ne!(class("smith"), 0);
        assert_eq!(class("Smith"), class("Jones"));
        assert_eq!(class("Paris"), class("Rome"));
    }
}
