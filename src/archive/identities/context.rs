//! What a story says around a name, and how well it fits each person the
//! name could be.
//!
//! A story's context is a bag of features: the surnames of the other people
//! it names, its organisations, its dateline, its topics and its month.
//! Each contested identity (one of several people a name could be) keeps a
//! profile: how often each feature came with the stories that name it in
//! full. A bare "Baker" next to "Volcker", the Treasury and a currency
//! topic is scored against every Baker of the period by naive Bayes
//! (Bernoulli, smoothed towards the archive's background), and is given
//! to the best only when it wins by a clear margin, [`MARGIN`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::names::{skeleton, Name};
use crate::enrich::gazetteer::fold;

/// Log-odds by which the best candidate must beat the next for a name to
/// be resolved by context. Chosen with [`FIT_WEIGHT`] on Reuters-21578 by
/// hiding the first name of stories that name someone in full and asking
/// the model to recover it, that story left out of the person's profile
/// (`cargo run --example identities_eval -- DUMP --calibrate` prints the
/// curve): at weight 0.1 and margin 2, 71% of such names are resolved and
/// 97.8% of those rightly; the rest stay ambiguous.
pub const MARGIN: f64 = 2.0;

/// Weight of the context's log-likelihood beside the log prior. Naive
/// Bayes counts correlated features (a person's colleagues, their
/// organisation, its dateline) as independent evidence and so is
/// overconfident; damping it was chosen with the calibration below.
pub const FIT_WEIGHT: f64 = 0.1;

/// Weight of the background in a profile's smoothing, in pseudo-stories.
const SMOOTHING: f64 = 10.0;

/// What the registry knows of one story: all of it read from the index's
/// fast fields at registry time, or from the stored article for a hit, so
/// that both resolve a story the same way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Days since 1970-01-01, when the story is dated.
    pub day: Option<i32>,
    /// The story's own canonical people.
    pub people: Vec<String>,
    /// Capitalised-headline subjects ([`crate::enrich::headline_names`]).
    pub hints: Vec<String>,
    pub orgs: Vec<String>,
    pub topics: Vec<String>,
    pub dateline: Option<String>,
}

impl Evidence {
    /// The evidence of an article as stored.
    pub fn of_article(a: &crate::article::Article) -> Evidence {
        let day = a
            .date
            .as_deref()
            .and_then(crate::index::document::parse_date)
            .map(|d| d.and_utc().timestamp().div_euclid(86_400) as i32);
        Evidence {
            day,
            people: a.people.clone(),
            hints: a.person_hints.clone(),
            orgs: a.orgs.clone(),
            topics: a.topics.clone(),
            dateline: a
                .dateline
                .as_ref()
                .map(|d| d.place.clone().unwrap_or_else(|| d.text.clone())),
        }
        .normalized()
    }

    /// Sorted and deduplicated lists: the index's fast fields give values
    /// in their own order, the article in the story's.
    pub fn normalized(mut self) -> Evidence {
        for v in [
            &mut self.people,
            &mut self.hints,
            &mut self.orgs,
            &mut self.topics,
        ] {
            v.sort_unstable();
            v.dedup();
        }
        self
    }

    /// The context features of the story, as strings (feature `p:volcker`
    /// for a co-mentioned Volcker), leaving out names with surname `skip`.
    pub fn features(&self, skip: &str) -> Vec<String> {
        let mut out = Vec::new();
        for p in self.people.iter().chain(&self.hints) {
            if let Some(n) = Name::parse(p) {
                if n.last() != skip {
                    out.push(format!("p:{}", n.last()));
                }
            }
        }
        for o in &self.orgs {
            out.push(format!("o:{}", fold::key(o)));
        }
        for t in &self.topics {
            out.push(format!("t:{t}"));
        }
        if let Some(d) = &self.dateline {
            out.push(format!("d:{}", fold::key(d)));
        }
        if let Some(day) = self.day {
            out.push(format!("m:{}", month(day)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The month of a day number, as a number (months since 1970).
fn month(day: i32) -> i32 {
    let date = chrono::DateTime::from_timestamp(i64::from(day) * 86_400, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default();
    use chrono::Datelike;
    date.year() * 12 + date.month0() as i32
}

/// How often features came with one identity's stories.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Stories counted.
    pub stories: u32,
    /// Feature id → stories that had it.
    pub counts: HashMap<u32, u32>,
    /// Sum of `counts`.
    pub total: u32,
}

impl Profile {
    pub fn add(&mut self, features: &[u32]) {
        self.stories += 1;
        for &f in features {
            *self.counts.entry(f).or_insert(0) += 1;
            self.total += 1;
        }
    }

    /// How well this profile explains a story's features beside the
    /// background ([`fit`]).
    pub fn fit(&self, vocab: &Vocabulary, features: &[u32]) -> f64 {
        fit(vocab, self, features)
    }

    /// The profile without one story's features (leave-one-out scoring).
    pub fn without(&self, features: &[u32]) -> Profile {
        let mut p = self.clone();
        p.stories = p.stories.saturating_sub(1);
        for f in features {
            if let Some(c) = p.counts.get_mut(f) {
                *c = c.saturating_sub(1);
                p.total = p.total.saturating_sub(1);
            }
        }
        p
    }
}

/// The feature vocabulary with each feature's background frequency.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Vocabulary {
    pub ids: HashMap<String, u32>,
    /// Stories with each feature.
    pub df: Vec<u32>,
    /// Stories counted.
    pub stories: u32,
    /// Features per story, on average.
    pub mean_features: f64,
}

impl Vocabulary {
    /// Ids of known features (unknown ones say nothing about anyone).
    pub fn known(&self, features: &[String]) -> Vec<u32> {
        features
            .iter()
            .filter_map(|f| self.ids.get(f).copied())
            .collect()
    }

    /// Adds a story's features to the background, returning their ids.
    pub fn count(&mut self, features: &[String]) -> Vec<u32> {
        let mut ids = Vec::with_capacity(features.len());
        for f in features {
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(f.clone()).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            self.df[id as usize] += 1;
            ids.push(id);
        }
        let n = f64::from(self.stories);
        self.mean_features = (self.mean_features * n + features.len() as f64) / (n + 1.0);
        self.stories += 1;
        ids
    }

    /// The share of stories with a feature, smoothed away from 0 and 1.
    fn background(&self, f: u32) -> f64 {
        let df = f64::from(self.df.get(f as usize).copied().unwrap_or(0));
        (df + 0.5) / (f64::from(self.stories) + 1.0)
    }
}

/// Scores each candidate profile against a story's features: log prior
/// (its story count) plus [`fit`]. Returns the best candidate's index when
/// it beats the next by at least `margin`.
pub fn choose(
    vocab: &Vocabulary,
    features: &[u32],
    candidates: &[&Profile],
    margin: f64,
) -> Option<usize> {
    let scores: Vec<f64> = candidates
        .iter()
        .map(|p| score(vocab, p, features, FIT_WEIGHT))
        .collect();
    decide(&scores, margin)
}

/// A candidate's score: log prior plus the weighted [`fit`].
pub fn score(vocab: &Vocabulary, p: &Profile, features: &[u32], weight: f64) -> f64 {
    f64::from(p.stories.max(1)).ln() + weight * fit(vocab, p, features)
}

/// The best of `scores` when it beats the next by `margin`.
pub fn decide(scores: &[f64], margin: f64) -> Option<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    match order.as_slice() {
        [] => None,
        [only] => Some(*only),
        [best, next, ..] => (scores[*best] - scores[*next] >= margin).then_some(*best),
    }
}

/// How much better a profile explains a story's features than the
/// archive's background does: for each feature the story shares with the
/// profile, the log ratio of its rate in the profile's stories (smoothed
/// towards the background by [`SMOOTHING`] pseudo-stories, so that a
/// person seen once is not sure of anything) to its background rate.
/// Features the profile has never seen count for nothing: one-off
/// organisations and co-mentions are most of a story's features, and
/// punishing the well-known person for not having seen them all would
/// favour the least-known.
pub fn fit(vocab: &Vocabulary, p: &Profile, features: &[u32]) -> f64 {
    let n = f64::from(p.stories);
    features
        .iter()
        .filter_map(|f| p.counts.get(f).map(|&c| (f, c)))
        .map(|(&f, c)| {
            let b = vocab.background(f);
            ((f64::from(c) + SMOOTHING * b) / (n + SMOOTHING) / b).ln()
        })
        .sum()
}

/// The surname key of a name as features name it.
pub fn surname_key(name: &str) -> String {
    Name::parse(name).map_or_else(|| skeleton(name), |n| n.last().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_picks_the_person_of_the_story() {
        let mut vocab = Vocabulary::default();
        let features = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let treasury = features(&[
            "p:volcker",
            "o:treasury",
            "t:currency",
            "p:miyazawa",
            "d:washington",
            "p:stoltenberg",
        ]);
        let white_house = features(&[
            "p:reagan",
            "o:white house",
            "t:government",
            "p:regan",
            "p:shultz",
            "o:senate",
        ]);
        let (mut james, mut howard) = (Profile::default(), Profile::default());
        for _ in 0..60 {
            james.add(&vocab.count(&treasury));
        }
        for _ in 0..60 {
            howard.add(&vocab.count(&white_house));
        }
        for i in 0..2000 {
            vocab.count(&[format!("o:company {}", i % 300), "t:economy".to_string()]);
        }
        let story = vocab.known(&treasury);
        assert_eq!(choose(&vocab, &story, &[&james, &howard], MARGIN), Some(0));
        let story = vocab.known(&white_house);
        assert_eq!(choose(&vocab, &story, &[&james, &howard], MARGIN), Some(1));
        // Nothing to go on: too close to call.
        assert_eq!(choose(&vocab, &[], &[&james, &howard], MARGIN), None);
        // A story like neither is explained by neither.
        let other = vocab.known(&features(&["o:company 7", "t:economy"]));
        assert!(james.fit(&vocab, &other) <= 0.0);
    }
}
