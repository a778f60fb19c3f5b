//! Topics from the IPTC Media Topics taxonomy.
//!
//! A story is scored against weighted word and phrase lexicons, one per
//! subject and per chosen sub-topic (`lexicon`), over its headline, lead and
//! body ([`classify()`]). It gets one to three of the 17 top-level subjects
//! and, under each, up to three sub-topics.
//!
//! # Labels
//!
//! A topic's label is its plain IPTC English label, exactly as in the
//! taxonomy: `"conflict, war and peace"`, `"politics and government"`,
//! `"diplomacy"`, `"football"`. Labels are unique within the shipped table, so
//! a label names one concept. The list is ordered top-level subjects first
//! (best first), then their sub-topics (grouped by subject, best first).
//! [`expand`] gives a label with all its ancestors' labels; the indexer
//! stores those, so `topic:politics` matches a story about `diplomacy`
//! (diplomacy › international relations › politics and government).
//!
//! # Scoring
//!
//! The text is split once into folded words (lower case, plurals to
//! singular, and a mark on words capitalised inside a sentence, so that
//! "Labour" the party is not "labour" the work); at each word the longest
//! lexicon phrase wins. A term's weight counts three times in the headline,
//! twice in the lead, once in the body, and repeats are damped
//! logarithmically. Evidence for a sub-topic also counts, once per term, for
//! its subject.
//!
//! Which subject comes first is decided by a linear score per subject over
//! the log of its evidence, and for politics the log of the evidence for
//! government at work (legislatures, ministers, parties, policy),
//! with weights learnt from labelled stories ([`rank`], [`learn`]): a story
//! about a minister's crime bill is politics first and crime second. Up to
//! two more subjects are kept when they have 35% of the largest evidence
//! and enough evidence per word. Scores are evidence per weighted word, so
//! the first subject need not have the largest score. A story whose words
//! match nothing gets `human interest`.
//!
//! IPTC Media Topics © IPTC (<https://iptc.org/standards/media-topics/>),
//! CC BY 4.0.

mod classify;
pub mod learn;
mod lexicon;
pub mod rank;
mod reuters;
pub mod taxonomy;
mod tokens;

pub use reuters::reuters_code_topic;
pub use taxonomy::{derive_table, label_of, Taxonomy};

use crate::article::TopicScore;

/// Classify a story: topics best first, top level first. A story with text
/// always gets at least one topic; one without text gets none.
pub fn classify(headline: Option<&str>, lead: &str, body: &str) -> Vec<TopicScore> {
    classify::classify(headline, lead, body)
}

/// What the subject ranking sees of a story (for learning its weights, see
/// [`learn`]); `None` for a story without text.
pub fn features(headline: Option<&str>, lead: &str, body: &str) -> Option<rank::Features> {
    classify::features(headline, lead, body)
}

/// Every label under which a topic label is searchable: the label itself and
/// its ancestors, so that `topic:` on a parent matches its sub-topics. A
/// label outside the taxonomy is returned alone.
pub fn expand(label: &str) -> Vec<String> {
    let t = Taxonomy::shipped();
    match t.index_of_label(label) {
        Some(i) => t.ancestry(i).map(|c| c.label.to_string()).collect(),
        None => vec![label.to_string()],
    }
}

/// The top-level subject of a label, if it is in the taxonomy.
pub fn top_level_of(label: &str) -> Option<&'static str> {
    let t = Taxonomy::shipped();
    t.index_of_label(label).map(|i| t.get(t.get(i).top).label)
}

#[cfg(test)]
mod tests;
