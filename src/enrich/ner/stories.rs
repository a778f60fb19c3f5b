//! What the tagger's errors do to a story's people and places: CoNLL
//! documents rebuilt as articles go through the enrichment pipeline twice,
//! once with the tagger's mentions and once with the gold mentions, and
//! the canonical names of the two runs are compared story by story.
//!
//! Running the gold mentions through the same pipeline (titles stripped,
//! surnames merged, places resolved against the gazetteer) measures the
//! tagger alone, not the canonicalisation rules.

use super::conll::Document;
use super::eval::{spans, Counts};
use super::labels::Tag;
use super::{Mention, Tagger};
use crate::article::Article;
use crate::enrich::pipeline::enrich_with;
use crate::read::{Format, RawStory};
use std::collections::BTreeSet;

/// A document as an article: its first sentence the headline (CoNLL
/// documents open with one), every other sentence a paragraph, tokens
/// joined by spaces. Returns the story and, per token, its byte range in
/// the text the pipeline tags (headline, blank line, body).
pub fn article(doc: &Document, name: &str) -> (RawStory, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut offsets = Vec::with_capacity(doc.tokens.len());
    let mut headline_len = 0;
    for (k, s) in doc.sents.iter().enumerate() {
        if k > 0 {
            text.push_str("\n\n");
        }
        for (j, i) in s.clone().enumerate() {
            if j > 0 {
                text.push(' ');
            }
            offsets.push((text.len(), text.len() + doc.tokens[i].len()));
            text.push_str(&doc.tokens[i]);
        }
        if k == 0 {
            headline_len = text.len();
        }
    }
    let (headline, body) = if doc.sents.len() > 1 {
        (
            Some(text[..headline_len].to_string()),
            text[headline_len + 2..].to_string(),
        )
    } else {
        (None, text.clone())
    };
    let raw = RawStory {
        id: Some(name.to_string()),
        path: name.to_string(),
        format: Format::Text,
        headline,
        body,
        ..RawStory::default()
    };
    (raw, offsets)
}

/// The gold mentions of a document as they fall in `text`, the article
/// text the pipeline built. Mentions are looked for in order from where
/// the previous one ended, so a text the pipeline shortened (a credit line
/// taken off) loses only the mentions it lost.
pub fn gold_mentions(doc: &Document, text: &str) -> Vec<Mention> {
    let tags: Vec<Tag> = doc.gold.iter().map(|&i| Tag::from_index(i)).collect();
    let mut out = Vec::new();
    let mut from = 0;
    for s in &doc.sents {
        for (a, b, kind) in spans(&tags[s.clone()]) {
            let words = &doc.tokens[s.start + a..s.start + b];
            let written = words.join(" ");
            if let Some(at) = text[from..].find(&written) {
                let start = from + at;
                from = start + written.len();
                out.push(Mention {
                    kind,
                    text: written,
                    start,
                    end: from,
                });
            }
        }
    }
    out
}

/// Per-story scores of canonical people and places.
#[derive(Debug, Default, Clone)]
pub struct StoryScore {
    pub stories: usize,
    /// Summed over stories (micro).
    pub people: Counts,
    pub places: Counts,
    /// Sums of per-story F1, over stories with any gold or predicted name.
    people_f1_sum: f64,
    people_n: usize,
    places_f1_sum: f64,
    places_n: usize,
}

fn compare(gold: &[String], predicted: &[String]) -> Counts {
    let g: BTreeSet<&String> = gold.iter().collect();
    let p: BTreeSet<&String> = predicted.iter().collect();
    Counts {
        gold: g.len(),
        predicted: p.len(),
        correct: g.intersection(&p).count(),
    }
}

fn add(total: &mut Counts, c: Counts) {
    total.gold += c.gold;
    total.predicted += c.predicted;
    total.correct += c.correct;
}

impl StoryScore {
    /// Adds one story: the article from gold mentions and from the tagger.
    pub fn add(&mut self, gold: &Article, predicted: &Article) {
        self.stories += 1;
        let people = compare(&gold.people, &predicted.people);
        let places = compare(&gold.places, &predicted.places);
        add(&mut self.people, people);
        add(&mut self.places, places);
        if people.gold + people.predicted > 0 {
            self.people_f1_sum += people.f1();
            self.people_n += 1;
        }
        if places.gold + places.predicted > 0 {
            self.places_f1_sum += places.f1();
            self.places_n += 1;
        }
    }

    /// `{"stories": n, "people": {precision, recall, f1, story_mean_f1, …}, "places": …}`.
    pub fn to_json(&self) -> serde_json::Value {
        let fig = |c: Counts, sum: f64, n: usize| {
            serde_json::json!({
                "precision": c.precision(),
                "recall": c.recall(),
                "f1": c.f1(),
                "story_mean_f1": if n == 0 { 0.0 } else { sum / n as f64 },
                "gold": c.gold,
                "predicted": c.predicted,
                "correct": c.correct,
            })
        };
        serde_json::json!({
            "stories": self.stories,
            "people": fig(self.people, self.people_f1_sum, self.people_n),
            "places": fig(self.places, self.places_f1_sum, self.places_n),
        })
    }
}

/// Scores `tagger` on documents rebuilt as articles.
pub fn evaluate(tagger: &Tagger, docs: &[Document], name: &str) -> StoryScore {
    let mut score = StoryScore::default();
    for (n, d) in docs.iter().enumerate() {
        let (raw, _) = article(d, &format!("{name}#{}", n + 1));
        let gold = enrich_with(raw.clone(), |text| gold_mentions(d, text));
        let predicted = enrich_with(raw, |text| tagger.mentions(text));
        score.add(&gold, &predicted);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::super::conll;
    use super::*;

    const DOC: &str = "-DOCSTART- -X- O O\n\nPUTIN NNP O I-PER\nIN IN O O\nBERLIN NNP O I-LOC\n\nBERLIN NNP O I-LOC\n1996-08-22 CD O O\n\nRussian JJ O I-MISC\nPresident NNP O O\nVladimir NNP O I-PER\nPutin NNP O I-PER\nmet VBD O O\nAngela NNP O I-PER\nMerkel NNP O I-PER\nin IN O O\nBerlin NNP O I-LOC\n. . O O\n";

    #[test]
    fn rebuilt_articles_keep_gold_spans() {
        let docs = conll::parse(DOC).unwrap();
        let (raw, offsets) = article(&docs[0], "t#1");
        assert_eq!(raw.headline.as_deref(), Some("PUTIN IN BERLIN"));
        assert!(raw
            .body
            .starts_with("BERLIN 1996-08-22\n\nRussian President"));
        let text = format!("{}\n\n{}", raw.headline.as_ref().unwrap(), raw.body);
        for (i, &(a, b)) in offsets.iter().enumerate() {
            assert_eq!(&text[a..b], docs[0].tokens[i]);
        }
        let m = gold_mentions(&docs[0], &text);
        let names: Vec<&str> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            names,
            [
                "PUTIN",
                "BERLIN",
                "BERLIN",
                "Russian",
                "Vladimir Putin",
                "Angela Merkel",
                "Berlin"
            ]
        );
        for x in &m {
            assert_eq!(&text[x.start..x.end], x.text);
        }
    }

    #[test]
    fn gold_through_the_pipeline_scores_perfectly_against_itself() {
        let docs = conll::parse(DOC).unwrap();
        let (raw, _) = article(&docs[0], "t#1");
        let gold = enrich_with(raw.clone(), |t| gold_mentions(&docs[0], t));
        assert!(
            gold.people.iter().any(|p| p == "Vladimir Putin"),
            "{:?}",
            gold.people
        );
        assert!(
            gold.places.iter().any(|p| p == "Berlin"),
            "{:?}",
            gold.places
        );
        let mut s = StoryScore::default();
        s.add(&gold, &gold);
        assert_eq!(s.people.f1(), 1.0);
        assert_eq!(s.places.f1(), 1.0);
        let nobody = enrich_with(raw, |_| Vec::new());
        s.add(&gold, &nobody);
        assert!(s.people.recall() < 1.0);
        assert_eq!(s.people.precision(), 1.0);
    }
}
