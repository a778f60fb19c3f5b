//! Which top-level subject a story is filed under first.
//!
//! Raw lexicon evidence is a poor judge between subjects: a story about a
//! government's crime bill uses more, and more specific, crime words
//! ("police", "prison", "sentences") than politics words, yet its subject is
//! politics. So each subject gets a score that is linear in a few features
//! of the evidence — the log of its own evidence, and for politics the log
//! of the evidence for government at work (ministers, parliament, bills,
//! parties, policy) — with weights learnt from labelled stories
//! ([`super::learn`]) and shipped in `assets/topics/weights.tsv`.
//!
//! With scale 1 and no bias or extra term the order is the raw-evidence
//! order; the learnt weights are pulled towards that (see `learn`).

use std::sync::OnceLock;

use super::taxonomy::Taxonomy;

const WEIGHTS: &str = include_str!("../../../assets/topics/weights.tsv");

/// The sub-topics of politics whose evidence is government at work: the
/// branches of `government` (less national security, which is mostly
/// military words) and `government policy`. Elections are left out: their
/// words are strong politics evidence already, and a market story about an
/// election is still a market story.
const GOVERNMENT_BRANCHES: [&str; 2] = ["government", "government policy"];
const NOT_GOVERNMENT: &str = "national security";
const POLITICS: &str = "politics and government";

/// The top-level subjects and the concepts that count as government at work.
#[derive(Debug)]
pub struct Subjects {
    /// Concept index of each top-level subject, in table order.
    pub tops: Vec<usize>,
    /// Position of each concept's top-level subject in `tops`.
    pub slot: Vec<u8>,
    /// Position of politics in `tops`.
    pub politics: usize,
    /// Concepts whose evidence is government at work.
    government: Vec<u16>,
}

impl Subjects {
    /// The subjects of the shipped taxonomy.
    pub fn shipped() -> &'static Subjects {
        static S: OnceLock<Subjects> = OnceLock::new();
        S.get_or_init(|| Subjects::of(Taxonomy::shipped()))
    }

    fn of(tax: &Taxonomy) -> Subjects {
        let n = tax.concepts().len();
        let tops: Vec<usize> = (0..n).filter(|&c| tax.get(c).depth == 1).collect();
        let slot = (0..n)
            .map(|c| tops.iter().position(|&t| t == tax.get(c).top).unwrap() as u8)
            .collect();
        let under = |c: usize, label: &str| tax.ancestry(c).any(|a| a.label == label);
        let government = (0..n)
            .filter(|&c| {
                GOVERNMENT_BRANCHES.iter().any(|b| under(c, b)) && !under(c, NOT_GOVERNMENT)
            })
            .map(|c| c as u16)
            .collect();
        let politics = tops
            .iter()
            .position(|&t| tax.get(t).label == POLITICS)
            .expect("politics is a top-level subject");
        Subjects {
            tops,
            slot,
            politics,
            government,
        }
    }

    /// The label of the subject at a position of `tops`.
    pub fn label(&self, slot: usize) -> &'static str {
        Taxonomy::shipped().get(self.tops[slot]).label
    }
}

/// What the ranking sees of a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// `ln(1 + evidence)` per top-level subject, in [`Subjects::tops`] order.
    pub subject: Vec<f32>,
    /// `ln(1 + evidence for government at work)`.
    pub government: f32,
}

impl Features {
    /// Features from per-concept evidence (top-level concepts hold their
    /// whole branch's evidence, sub-topics their own).
    pub fn of(raw: &[f32], s: &Subjects) -> Features {
        let subject = s.tops.iter().map(|&t| raw[t].ln_1p()).collect();
        let gov: f32 = s.government.iter().map(|&c| raw[c as usize]).sum();
        Features {
            subject,
            government: gov.ln_1p(),
        }
    }
}

/// Weights of the linear score of each top-level subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Per subject, the weight of its own log evidence.
    pub scale: Vec<f32>,
    /// Per subject, a constant.
    pub bias: Vec<f32>,
    /// For politics, the weight of the log evidence for government at work.
    pub government: f32,
}

impl Weights {
    /// Scale 1, nothing else: the raw-evidence order.
    pub fn neutral(n: usize) -> Weights {
        Weights {
            scale: vec![1.0; n],
            bias: vec![0.0; n],
            government: 0.0,
        }
    }

    /// The weights shipped with the crate, read once.
    pub fn shipped() -> &'static Weights {
        static W: OnceLock<Weights> = OnceLock::new();
        W.get_or_init(|| {
            Weights::parse(WEIGHTS, Subjects::shipped()).expect("shipped topic weights are valid")
        })
    }

    /// Score of every subject, into `out` (one per subject).
    pub fn scores_into(&self, f: &Features, politics: usize, out: &mut Vec<f32>) {
        out.clear();
        out.extend(
            f.subject
                .iter()
                .zip(self.scale.iter().zip(&self.bias))
                .map(|(x, (a, b))| a * x + b),
        );
        out[politics] += self.government * f.government;
    }

    /// The position (in [`Subjects::tops`]) of the best subject among those
    /// with any evidence; `None` when there is none.
    pub fn first(&self, f: &Features, politics: usize) -> Option<usize> {
        let mut s = Vec::new();
        self.scores_into(f, politics, &mut s);
        (0..s.len())
            .filter(|&i| f.subject[i] > 0.0)
            .min_by(|&a, &b| s[b].total_cmp(&s[a]).then(a.cmp(&b)))
    }

    /// Parse the table: `label<TAB>scale<TAB>bias` per top-level subject and
    /// one line `@government<TAB>weight`.
    pub fn parse(text: &str, s: &Subjects) -> Result<Weights, String> {
        let tax = Taxonomy::shipped();
        let n = s.tops.len();
        let mut w = Weights::neutral(n);
        let mut seen = vec![false; n];
        let mut government = None;
        let num = |v: Option<&str>, line: usize| -> Result<f32, String> {
            let v = v.ok_or_else(|| format!("topic weights line {line}: missing a number"))?;
            v.trim()
                .parse::<f32>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("topic weights line {line}: bad number {v:?}"))
        };
        for (i, line) in text.lines().enumerate() {
            let n_line = i + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let name = f.next().unwrap_or("");
            if name == "@government" {
                government = Some(num(f.next(), n_line)?);
                continue;
            }
            let slot = tax
                .index_of_label(name)
                .and_then(|c| s.tops.iter().position(|&t| t == c))
                .ok_or_else(|| {
                    format!("topic weights line {n_line}: {name:?} is not a top-level subject")
                })?;
            if std::mem::replace(&mut seen[slot], true) {
                return Err(format!(
                    "topic weights line {n_line}: {name:?} listed twice"
                ));
            }
            w.scale[slot] = num(f.next(), n_line)?;
            w.bias[slot] = num(f.next(), n_line)?;
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(format!("topic weights: no line for {:?}", s.label(missing)));
        }
        w.government = government.ok_or("topic weights: no @government line")?;
        Ok(w)
    }

    /// The table [`Weights::parse`] reads, with a header.
    pub fn to_table(&self, s: &Subjects, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        for i in 0..s.tops.len() {
            out.push_str(&format!(
                "{}\t{:.4}\t{:.4}\n",
                s.label(i),
                self.scale[i],
                self.bias[i]
            ));
        }
        out.push_str(&format!("@government\t{:.4}\n", self.government));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_weights_parse_and_round_trip() {
        let s = Subjects::shipped();
        let w = Weights::shipped();
        assert_eq!(w.scale.len(), 17);
        let again = Weights::parse(&w.to_table(s, "test"), s).unwrap();
        assert_eq!(&again, w);
    }

    #[test]
    fn bad_tables_say_what_is_wrong() {
        let s = Subjects::shipped();
        let good = Weights::neutral(17).to_table(s, "x");
        let err = Weights::parse(&good.replace("sport\t1.0000", "sport\tabc"), s).unwrap_err();
        assert!(err.contains("bad number"), "{err}");
        let err = Weights::parse(&good.replace("sport\t", "sports\t"), s).unwrap_err();
        assert!(
            err.contains("\"sports\" is not a top-level subject"),
            "{err}"
        );
        let no_sport: String = good
            .lines()
            .filter(|l| !l.starts_with("sport\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        let err = Weights::parse(&no_sport, s).unwrap_err();
        assert!(err.contains("no line for \"sport\""), "{err}");
        let err = Weights::parse(&format!("{good}sport\t1\t0\n"), s).unwrap_err();
        assert!(err.contains("listed twice"), "{err}");
    }

    #[test]
    fn government_evidence_excludes_national_security() {
        let tax = Taxonomy::shipped();
        let s = Subjects::shipped();
        let has = |l: &str| {
            s.government
                .contains(&(tax.index_of_label(l).unwrap() as u16))
        };
        assert!(has("government") && has("legislative body") && has("taxation policy"));
        assert!(!has("national security") && !has("diplomacy") && !has("election"));
        assert!(!has("politics and government"));
    }
}
