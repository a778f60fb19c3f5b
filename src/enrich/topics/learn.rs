//! Learning the ranking weights ([`Weights`]) from labelled stories.
//!
//! The labels come from collections whose classes are coarser than IPTC's
//! subjects: AG News's "World" is politics, conflict, crime, disaster and
//! more. So a sample names the set of subjects that are right for it, and
//! the fit maximises the probability the model gives that set: a softmax
//! over the subjects the story has any evidence for, with loss
//! `-ln Σ_{k ∈ allowed} p_k`. An L2 penalty pulls the weights towards the
//! raw-evidence order (scale 1, bias 0, no government term), so a subject
//! the data says little about keeps its lexicon's judgement.
//!
//! Plain full-batch gradient descent from that starting point, for a fixed
//! number of steps, in a fixed order: the same samples give the same
//! weights, bit for bit.

use super::rank::{Features, Subjects, Weights};

/// One labelled story.
#[derive(Debug, Clone)]
pub struct Sample {
    /// What the ranking sees of it.
    pub features: Features,
    /// Positions in [`Subjects::tops`] of the subjects that are right.
    pub allowed: Vec<usize>,
    /// How much it counts.
    pub weight: f64,
}

/// Settings of the fit.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// Strength of the pull towards the raw-evidence order, per unit of
    /// sample weight.
    pub l2: f64,
    /// Gradient steps.
    pub steps: usize,
    /// Step size.
    pub rate: f64,
    /// Extra pull of the scales towards 1, as a multiple of `l2`. (Keep
    /// `rate * 2 * l2 * scale_l2` well below 1, or the descent diverges.)
    pub scale_l2: f64,
}

impl Default for Fit {
    fn default() -> Fit {
        Fit {
            l2: 0.01,
            steps: 3000,
            rate: 0.2,
            // Scales that stray far from 1 let a subject the data labels
            // often outweigh five times its evidence in another; a prior
            // per subject (the bias) and the government term do the work.
            scale_l2: 30.0,
        }
    }
}

/// Parameters as one vector: scales, then biases, then the government weight.
fn unpack(p: &[f64], n: usize) -> Weights {
    Weights {
        scale: p[..n].iter().map(|&x| x as f32).collect(),
        bias: p[n..2 * n].iter().map(|&x| x as f32).collect(),
        government: p[2 * n] as f32,
    }
}

/// Mean loss (with the penalty) and its gradient at `p`.
fn loss_and_gradient(
    samples: &[Sample],
    n: usize,
    politics: usize,
    p: &[f64],
    (l2, scale_l2): (f64, f64),
    grad: &mut [f64],
) -> f64 {
    grad.iter_mut().for_each(|g| *g = 0.0);
    let total: f64 = samples.iter().map(|s| s.weight).sum();
    let mut loss = 0.0;
    let mut s = vec![0.0f64; n];
    let mut e = vec![0.0f64; n];
    for smp in samples {
        let f = &smp.features;
        let live = |k: usize| f.subject[k] > 0.0;
        if !smp.allowed.iter().any(|&k| live(k)) {
            continue;
        }
        let mut max = f64::NEG_INFINITY;
        for k in 0..n {
            if live(k) {
                let x = f64::from(f.subject[k]);
                s[k] = p[k] * x + p[n + k];
                if k == politics {
                    s[k] += p[2 * n] * f64::from(f.government);
                }
                max = max.max(s[k]);
            }
        }
        let (mut z_all, mut z_ok) = (0.0, 0.0);
        for k in 0..n {
            e[k] = if live(k) { (s[k] - max).exp() } else { 0.0 };
            z_all += e[k];
            if smp.allowed.contains(&k) {
                z_ok += e[k];
            }
        }
        let w = smp.weight / total;
        loss += w * (z_all.ln() - z_ok.ln());
        for k in 0..n {
            if !live(k) {
                continue;
            }
            // d loss / d s_k = p_k - q_k, q the distribution within the allowed set.
            let q = if smp.allowed.contains(&k) {
                e[k] / z_ok
            } else {
                0.0
            };
            let d = w * (e[k] / z_all - q);
            grad[k] += d * f64::from(f.subject[k]);
            grad[n + k] += d;
            if k == politics {
                grad[2 * n] += d * f64::from(f.government);
            }
        }
    }
    for k in 0..n {
        loss += l2 * (scale_l2 * (p[k] - 1.0).powi(2) + p[n + k].powi(2));
        grad[k] += 2.0 * l2 * scale_l2 * (p[k] - 1.0);
        grad[n + k] += 2.0 * l2 * p[n + k];
    }
    loss += l2 * p[2 * n].powi(2);
    grad[2 * n] += 2.0 * l2 * p[2 * n];
    loss
}

/// Learn weights from samples; also returns the final mean loss.
pub fn fit(samples: &[Sample], subjects: &Subjects, opt: Fit) -> (Weights, f64) {
    let n = subjects.tops.len();
    let mut p = vec![0.0f64; 2 * n + 1];
    p[..n].iter_mut().for_each(|a| *a = 1.0);
    let mut grad = vec![0.0f64; p.len()];
    let mut loss = 0.0;
    for _ in 0..opt.steps {
        loss = loss_and_gradient(
            samples,
            n,
            subjects.politics,
            &p,
            (opt.l2, opt.scale_l2),
            &mut grad,
        );
        for (x, g) in p.iter_mut().zip(&grad) {
            *x -= opt.rate * g;
        }
    }
    (unpack(&p, n), loss)
}

/// Mean loss of weights on samples, without the penalty.
pub fn loss(samples: &[Sample], subjects: &Subjects, w: &Weights) -> f64 {
    let n = subjects.tops.len();
    let mut p: Vec<f64> = w.scale.iter().map(|&x| f64::from(x)).collect();
    p.extend(w.bias.iter().map(|&x| f64::from(x)));
    p.push(f64::from(w.government));
    let mut grad = vec![0.0; p.len()];
    loss_and_gradient(samples, n, subjects.politics, &p, (0.0, 0.0), &mut grad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(subject: Vec<f32>, government: f32, allowed: usize) -> Sample {
        Sample {
            features: Features {
                subject,
                government,
            },
            allowed: vec![allowed],
            weight: 1.0,
        }
    }

    #[test]
    fn fit_learns_that_government_evidence_means_politics() {
        let s = Subjects::shipped();
        let n = s.tops.len();
        let crime = (0..n).find(|&i| s.label(i).starts_with("crime")).unwrap();
        let mut samples = Vec::new();
        // Crime stories with some politics, and policy stories with more
        // crime words than politics words but the politics all government.
        for _ in 0..20 {
            let mut x = vec![0.0; n];
            x[crime] = 3.0;
            x[s.politics] = 1.5;
            samples.push(sample(x.clone(), 0.2, crime));
            x[s.politics] = 2.5;
            samples.push(sample(x, 2.3, s.politics));
        }
        let neutral = Weights::neutral(n);
        let (w, l) = fit(&samples, s, Fit::default());
        assert!(l < loss(&samples, s, &neutral));
        assert!(w.government > 0.2, "{w:?}");
        assert_eq!(w.first(&samples[0].features, s.politics), Some(crime));
        assert_eq!(w.first(&samples[1].features, s.politics), Some(s.politics));
        // Deterministic.
        assert_eq!(fit(&samples, s, Fit::default()).0, w);
    }
}
