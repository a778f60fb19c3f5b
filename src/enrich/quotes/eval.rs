//! Scoring the extractor against annotated stories (the format of
//! `tests/data/quotes/README.md`): precision and recall of quotations and
//! of (quotation, speaker) pairs.

use std::path::Path;

use crate::article::Article;
use crate::enrich::gazetteer::fold;

/// Separates a story from its annotations.
pub const SEPARATOR: &str = "\n=== quotes\n";

/// One annotated quotation.
#[derive(Debug, Clone)]
pub struct Gold {
    /// `None` for "no speaker" (`-`).
    pub speaker: Option<String>,
    pub kind: String,
    /// A verbatim piece of the quotation.
    pub text: String,
    pub line: usize,
}

/// An annotated story file: the story text and its quotations.
pub fn parse(path: &Path, content: &str) -> Result<(String, Vec<Gold>), String> {
    let shown = path.display();
    let at = content
        .find(SEPARATOR)
        .ok_or_else(|| format!("{shown}: no '=== quotes' line"))?;
    let story = content[..at].to_string();
    let first_line = content[..at + SEPARATOR.len()].lines().count() + 1;
    let mut gold = Vec::new();
    for (i, line) in content[at + SEPARATOR.len()..].lines().enumerate() {
        let n = first_line + i;
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        let [speaker, kind, text] = parts[..] else {
            return Err(format!("{shown}:{n}: expected 'speaker | kind | text'"));
        };
        if !matches!(kind, "direct" | "partial" | "indirect") {
            return Err(format!("{shown}:{n}: unknown kind '{kind}'"));
        }
        if text.is_empty() {
            return Err(format!("{shown}:{n}: empty quotation text"));
        }
        gold.push(Gold {
            speaker: (speaker != "-").then(|| speaker.to_string()),
            kind: kind.to_string(),
            text: text.to_string(),
            line: n,
        });
    }
    Ok((story, gold))
}

/// Counts over a set of stories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    pub stories: usize,
    pub gold: usize,
    pub predicted: usize,
    /// Gold quotations found.
    pub found: usize,
    /// Found with the right speaker (or rightly none).
    pub pairs: usize,
    /// Found gold quotations whose speaker the story names.
    pub named: usize,
    /// … and given that speaker.
    pub named_right: usize,
    /// Per kind: (gold, found).
    pub by_kind: [(usize, usize); 3],
    /// Misses and wrong speakers, for reading.
    pub errors: Vec<String>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Score {
    pub fn detection_precision(&self) -> f64 {
        ratio(self.found, self.predicted)
    }
    pub fn detection_recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    pub fn detection_f1(&self) -> f64 {
        f1(self.detection_precision(), self.detection_recall())
    }
    pub fn pair_precision(&self) -> f64 {
        ratio(self.pairs, self.predicted)
    }
    pub fn pair_recall(&self) -> f64 {
        ratio(self.pairs, self.gold)
    }
    pub fn pair_f1(&self) -> f64 {
        f1(self.pair_precision(), self.pair_recall())
    }
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.named_right, self.named)
    }

    /// A one-paragraph summary.
    pub fn report(&self, name: &str) -> String {
        let kinds = ["direct", "partial", "indirect"]
            .iter()
            .zip(self.by_kind)
            .map(|(k, (g, f))| format!("{k} {f}/{g}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{name}: {} stories, {} quotations annotated, {} extracted\n  \
             detection P {:.3} R {:.3} F1 {:.3}\n  \
             (quotation, speaker) P {:.3} R {:.3} F1 {:.3}\n  \
             speaker accuracy (named speakers, found quotations) {:.3} ({}/{})\n  \
             recall by kind: {kinds}",
            self.stories,
            self.gold,
            self.predicted,
            self.detection_precision(),
            self.detection_recall(),
            self.detection_f1(),
            self.pair_precision(),
            self.pair_recall(),
            self.pair_f1(),
            self.speaker_accuracy(),
            self.named_right,
            self.named
        )
    }

    /// Adds one story's comparison.
    pub fn add(&mut self, path: &Path, article: &Article, gold: &[Gold]) -> Result<(), String> {
        self.stories += 1;
        self.gold += gold.len();
        self.predicted += article.quotes.len();
        let mut used = vec![false; article.quotes.len()];
        for g in gold {
            let Some(at) = article.body.find(&g.text) else {
                return Err(format!(
                    "{}:{}: quotation text not in the story: {:?}",
                    path.display(),
                    g.line,
                    g.text
                ));
            };
            let span = (at, at + g.text.len());
            let kind = match g.kind.as_str() {
                "direct" => 0,
                "partial" => 1,
                _ => 2,
            };
            self.by_kind[kind].0 += 1;
            let best = article
                .quotes
                .iter()
                .enumerate()
                .filter(|(i, _)| !used[*i])
                .map(|(i, q)| (i, overlap(span, (q.start, q.end))))
                .filter(|&(_, o)| o * 2 >= span.1 - span.0)
                .max_by_key(|&(_, o)| o);
            let Some((i, _)) = best else {
                self.errors.push(format!(
                    "{}:{}: missed {:?}",
                    path.display(),
                    g.line,
                    g.text
                ));
                continue;
            };
            used[i] = true;
            self.found += 1;
            self.by_kind[kind].1 += 1;
            let predicted = article.quotes[i].speaker.as_ref().map(|s| s.name.as_str());
            let right = match (&g.speaker, predicted) {
                (None, None) => true,
                (Some(g), Some(p)) => same_name(g, p),
                _ => false,
            };
            if g.speaker.is_some() {
                self.named += 1;
                self.named_right += usize::from(right);
            }
            if right {
                self.pairs += 1;
            } else {
                self.errors.push(format!(
                    "{}:{}: speaker {:?}, expected {:?}: {:?}",
                    path.display(),
                    g.line,
                    predicted,
                    g.speaker,
                    g.text
                ));
            }
        }
        for (q, _) in article.quotes.iter().zip(&used).filter(|(_, u)| !**u) {
            self.errors.push(format!(
                "{}: extra {:?} ({:?})",
                path.display(),
                q.text.chars().take(60).collect::<String>(),
                q.speaker.as_ref().map(|s| s.name.as_str())
            ));
        }
        Ok(())
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Whether a predicted speaker name is the annotated one: the same words,
/// or one a part of the other ending in the same surname ("Lavrov" for
/// "Sergey Lavrov").
pub fn same_name(gold: &str, predicted: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        fold::ascii(s)
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && *w != "the")
            .map(str::to_string)
            .collect()
    };
    let (g, p) = (words(gold), words(predicted));
    if g.is_empty() || p.is_empty() {
        return false;
    }
    if g == p {
        return true;
    }
    let subset = |a: &[String], b: &[String]| a.iter().all(|w| b.contains(w));
    g.last() == p.last() && (subset(&g, &p) || subset(&p, &g))
}
