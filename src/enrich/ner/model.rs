//! The model: hashed feature weights for both passes plus the lexicon, and
//! its compact on-disk format.
//!
//! Weights are quantised to `i16` (one scale per table: only the argmax over
//! labels matters) and the whole body is deflated, so the file stays small.

use super::labels::NUM_LABELS;
use super::lexicon::{Lexicon, List};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::io::{Read, Write};

/// Bumped whenever features or the file layout change; a model written by
/// another version is refused at load.
pub const FORMAT_VERSION: u32 = 8;
const MAGIC: &[u8; 8] = b"DLNERMDL";

/// Why a model file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a dateline NER model (bad magic bytes)")]
    BadMagic,
    #[error(
        "NER model format {found} does not match this build's format {expected}; \
         retrain with `dateline-train train`"
    )]
    Version { found: u32, expected: u32 },
    #[error("corrupt NER model: {0}")]
    Corrupt(String),
}

/// Scores all labels for a set of features.
pub trait Scorer {
    fn score(&self, feats: &[u64], out: &mut [f32; NUM_LABELS]);

    /// Starts loading the rows of `feats` into cache, for a later `score`.
    fn prefetch(&self, _feats: &[u64]) {}
}

/// A quantised weight table: `2^bits` rows of `NUM_LABELS` weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub bits: u32,
    pub w: Vec<i16>,
}

impl Weights {
    /// Quantises float weights (`2^bits * NUM_LABELS` of them).
    pub fn quantise(bits: u32, w: &[f32]) -> Weights {
        let max = w.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { 32767.0 / max } else { 1.0 };
        Weights {
            bits,
            w: w.iter().map(|x| (x * scale).round() as i16).collect(),
        }
    }
}

impl Scorer for Weights {
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32; NUM_LABELS]) {
        let mask = (1usize << self.bits) - 1;
        let mut acc = [0i32; NUM_LABELS];
        for &f in feats {
            let row = (f as usize & mask) * NUM_LABELS;
            let r: &[i16; NUM_LABELS] = self.w[row..row + NUM_LABELS].try_into().unwrap();
            for (a, &x) in acc.iter_mut().zip(r) {
                *a += x as i32;
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o = a as f32;
        }
    }

    // The table is megabytes and each feature a random row: the tagger
    // waits on memory, so the next token's rows are fetched while this
    // one is scored.
    #[inline]
    fn prefetch(&self, feats: &[u64]) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let mask = (1usize << self.bits) - 1;
            for &f in feats {
                let row = (f as usize & mask) * NUM_LABELS;
                // A row may straddle two cache lines: fetch both ends.
                for at in [row, row + NUM_LABELS - 1] {
                    if let Some(x) = self.w.get(at) {
                        // SAFETY: prefetching is a hint; the address is in bounds.
                        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const i16).cast()) };
                    }
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = feats;
    }
}

/// Float weights, as used while training.
pub struct FloatWeights<'a> {
    pub bits: u32,
    pub w: &'a [f32],
}

impl Scorer for FloatWeights<'_> {
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32; NUM_LABELS]) {
        let mask = (1usize << self.bits) - 1;
        *out = [0.0; NUM_LABELS];
        for &f in feats {
            let row = (f as usize & mask) * NUM_LABELS;
            for (o, &x) in out.iter_mut().zip(&self.w[row..row + NUM_LABELS]) {
                *o += x;
            }
        }
    }
}

/// Everything the tagger needs at run time.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub lexicon: Lexicon,
    pub pass1: Weights,
    /// Second pass, seeing pass-1 labels of the same word elsewhere in the
    /// document.
    pub pass2: Option<Weights>,
}

fn put_u32(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_list(out: &mut Vec<u8>, l: &List) {
    let (keys, tiers) = l.table();
    put_u32(out, keys.len() as u32);
    for k in keys {
        out.extend_from_slice(&k.to_le_bytes());
    }
    out.extend_from_slice(tiers);
}

fn put_lexicon(out: &mut Vec<u8>, l: &Lexicon) {
    for list in [
        &l.first_names,
        &l.surnames,
        &l.places,
        &l.place_starts,
        &l.case_prior,
        &l.classes_coarse,
        &l.classes_mid,
        &l.classes_fine,
    ] {
        put_list(out, list);
    }
}

/// The lexicon alone, uncompressed (a cache for repeated training runs).
pub fn lexicon_to_bytes(l: &Lexicon) -> Vec<u8> {
    let mut out = FORMAT_VERSION.to_le_bytes().to_vec();
    put_lexicon(&mut out, l);
    out
}

/// Reads [`lexicon_to_bytes`] output of the same format version.
pub fn lexicon_from_bytes(bytes: &[u8]) -> Result<Lexicon, ModelError> {
    let mut r = Reader(bytes);
    let found = r.u32()?;
    if found != FORMAT_VERSION {
        return Err(ModelError::Version {
            found,
            expected: FORMAT_VERSION,
        });
    }
    r.lexicon()
}

fn put_weights(out: &mut Vec<u8>, w: &Weights) {
    put_u32(out, w.bits);
    put_u32(out, w.w.len() as u32);
    for x in &w.w {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

/// A cursor over the decompressed body.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError::Corrupt("truncated".into()));
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }

    fn list(&mut self) -> Result<List, ModelError> {
        let n = self.u32()? as usize;
        let keys = self
            .take(n * 8)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let tiers = self.take(n)?.to_vec();
        List::from_table(keys, tiers).ok_or_else(|| ModelError::Corrupt("list table".into()))
    }

    fn lexicon(&mut self) -> Result<Lexicon, ModelError> {
        Ok(Lexicon {
            first_names: self.list()?,
            surnames: self.list()?,
            places: self.list()?,
            place_starts: self.list()?,
            case_prior: self.list()?,
            classes_coarse: self.list()?,
            classes_mid: self.list()?,
            classes_fine: self.list()?,
            words: Default::default(),
        })
    }

    fn weights(&mut self) -> Result<Weights, ModelError> {
        let bits = self.u32()?;
        let n = self.u32()? as usize;
        if bits > 28 || n != (1usize << bits) * NUM_LABELS {
            return Err(ModelError::Corrupt("weight table size".into()));
        }
        let w = self
            .take(n * 2)?
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Weights { bits, w })
    }
}

impl Model {
    /// Serialises the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::new();
        put_lexicon(&mut body, &self.lexicon);
        put_weights(&mut body, &self.pass1);
        match &self.pass2 {
            Some(w) => {
                body.push(1);
                put_weights(&mut body, w);
            }
            None => body.push(0),
        }
        let mut out = MAGIC.to_vec();
        put_u32(&mut out, FORMAT_VERSION);
        let mut enc = DeflateEncoder::new(out, flate2::Compression::best());
        enc.write_all(&body).expect("writing to memory");
        enc.finish().expect("writing to memory")
    }

    /// Reads a model written by [`Model::to_bytes`] of the same version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let found = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        if found != FORMAT_VERSION {
            return Err(ModelError::Version {
                found,
                expected: FORMAT_VERSION,
            });
        }
        let mut body = Vec::new();
        DeflateDecoder::new(&bytes[12..])
            .read_to_end(&mut body)
            .map_err(|e| ModelError::Corrupt(e.to_string()))?;
        let mut r = Reader(&body);
        let lexicon = r.lexicon()?;
        let pass1 = r.weights()?;
        let pass2 = match r.take(1)?[0] {
            0 => None,
            _ => Some(r.weights()?),
        };
        if !r.0.is_empty() {
            return Err(ModelError::Corrupt("trailing bytes".into()));
        }
        Ok(Model {
            lexicon,
            pass1,
            pass2,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        let w: Vec<f32> = (0..(1 << 4) * NUM_LABELS)
            .map(|i| (i as f32 - 60.0) / 7.0)
            .collect();
        Model {
            lexicon: Lexicon {
                first_names: List::from_entries([(3, 1), (9, 2)]),
                surnames: List::default(),
                places: List::from_entries([(5, 4)]),
                place_starts: List::from_entries([(6, 1)]),
                case_prior: List::from_entries([(1, 3)]),
                classes_coarse: List::default(),
                classes_mid: List::default(),
                classes_fine: List::from_entries([(2, 200)]),
                words: Default::default(),
            },
            pass1: Weights::quantise(4, &w),
            pass2: Some(Weights::quantise(
                4,
                &w[..].iter().map(|x| -x).collect::<Vec<_>>(),
            )),
        }
    }

    #[test]
    fn round_trip() {
        let m = tiny();
        let bytes = m.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).unwrap(), m);
    }

    #[test]
    fn version_mismatch_is_refused() {
        let mut bytes = tiny().to_bytes();
        bytes[8] = bytes[8].wrapping_add(1);
        let err = Model::from_bytes(&bytes).unwrap_err();
        assert!(matches!(err, ModelError::Version { .. }));
        assert!(err.to_string().contains("retrain"));
        assert!(matches!(
            Model::from_bytes(b"nonsense"),
            Err(ModelError::BadMagic)
        ));
    }

    #[test]
    fn quantised_scores_keep_the_ranking() {
        let w: Vec<f32> = (0..(1 << 4) * NUM_LABELS)
            .map(|i| ((i * 37) % 23) as f32 - 11.0)
            .collect();
        let q = Weights::quantise(4, &w);
        let f = FloatWeights { bits: 4, w: &w };
        let feats = [1u64, 7, 12];
        let (mut a, mut b) = ([0.0; NUM_LABELS], [0.0; NUM_LABELS]);
        q.score(&feats, &mut a);
        f.score(&feats, &mut b);
        let argmax = |s: &[f32; NUM_LABELS]| {
            (0..NUM_LABELS)
                .max_by(|&i, &j| s[i].total_cmp(&s[j]))
                .unwrap()
        };
        assert_eq!(argmax(&a), argmax(&b));
    }
}
