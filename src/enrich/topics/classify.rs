//! Scoring a story against the lexicons and choosing its topics.

use super::lexicon::Lexicon;
use super::rank::{Features, Subjects, Weights};
use super::taxonomy::Taxonomy;
use super::tokens::Words;
use crate::article::TopicScore;

/// How much a word counts in each part of the story: the headline and the
/// lead say what the story is about; the body wanders.
const HEADLINE_WEIGHT: f32 = 3.0;
const LEAD_WEIGHT: f32 = 2.0;
const BODY_WEIGHT: f32 = 1.0;

/// At most this many top-level topics per story.
const MAX_TOP: usize = 3;
/// A further top-level topic needs this share of the best one's evidence…
const TOP_RELATIVE: f32 = 0.35;
/// …and this much evidence per (weighted) word, so that a stray word in a
/// long story does not add a topic…
const TOP_DENSITY: f32 = 0.012;
/// …and more than one passing hint, so that one loose word in a short story
/// does not either.
const TOP_MIN: f32 = 3.0;

/// At most this many sub-topics under each chosen top-level topic.
const MAX_SUB: usize = 3;
/// A sub-topic needs this share of its top-level topic's evidence…
const SUB_RELATIVE: f32 = 0.2;
/// …and at least this much evidence: more than a single weak hint.
const SUB_MIN: f32 = 2.0;

/// When nothing in the lexicons matches, a story still gets a topic; the
/// catch-all subject is the least misleading.
const FALLBACK: &str = "medtop:08000000";

/// Evidence per concept for one story.
struct Evidence {
    /// Per concept: direct evidence (sub-topics) or the whole branch's
    /// evidence (top-level subjects).
    raw: Vec<f32>,
    /// Weighted number of words, for normalising by length.
    words: f32,
}

fn gather(lex: &Lexicon, tax: &Taxonomy, parts: &[(&str, f32)]) -> Evidence {
    // (term id, field weight) for every match; repeats are damped below so a
    // word used twenty times in a long story does not swamp the rest.
    let mut seen: Vec<(u32, f32, usize)> = Vec::new();
    let mut hits_of: Vec<&[super::lexicon::Hit]> = Vec::new();
    let mut words_total = 0.0;
    for &(text, fw) in parts {
        let words = Words::new(text);
        words_total += words.len() as f32 * fw;
        let mut i = 0;
        while i < words.len() {
            match lex.longest_match(&words, i) {
                Some((e, n)) => {
                    if let Some(term) = e.term {
                        hits_of.push(&e.hits);
                        seen.push((term, fw, hits_of.len() - 1));
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
    }
    seen.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let mut raw = vec![0.0f32; tax.concepts().len()];
    let mut per_top: Vec<(usize, f32)> = Vec::new();
    let mut k = 0;
    while k < seen.len() {
        let term = seen[k].0;
        let hits = hits_of[seen[k].2];
        let mut fw = 0.0;
        while k < seen.len() && seen[k].0 == term {
            fw += seen[k].1;
            k += 1;
        }
        // 1 for one body mention, 2 for a headline mention, slowly more after.
        let strength = (1.0 + fw).log2();
        // A term listed under a subject and some of its sub-topics is one
        // piece of evidence for the subject: it counts once, at its largest
        // weight, not once per listing.
        per_top.clear();
        for h in hits {
            let c = h.concept as usize;
            let top = tax.get(c).top;
            if top != c {
                raw[c] += h.weight * strength;
            }
            match per_top.iter_mut().find(|t| t.0 == top) {
                Some(t) => t.1 = t.1.max(h.weight),
                None => per_top.push((top, h.weight)),
            }
        }
        for &(top, w) in &per_top {
            raw[top] += w * strength;
        }
    }
    Evidence {
        raw,
        words: words_total,
    }
}

/// The ranking's view of a story; `None` for a story without text.
pub fn features(headline: Option<&str>, lead: &str, body: &str) -> Option<Features> {
    let parts = parts(headline, lead, body)?;
    let ev = gather(Lexicon::shipped(), Taxonomy::shipped(), &parts);
    Some(Features::of(&ev.raw, Subjects::shipped()))
}

/// Headline, lead and body with their weights; `None` when all are blank.
fn parts<'a>(
    headline: Option<&'a str>,
    lead: &'a str,
    body: &'a str,
) -> Option<[(&'a str, f32); 3]> {
    let parts = [
        (headline.unwrap_or(""), HEADLINE_WEIGHT),
        (lead, LEAD_WEIGHT),
        (body, BODY_WEIGHT),
    ];
    (!parts.iter().all(|(t, _)| t.trim().is_empty())).then_some(parts)
}

/// Classify a story; see [`super::classify`].
pub fn classify(headline: Option<&str>, lead: &str, body: &str) -> Vec<TopicScore> {
    let tax = Taxonomy::shipped();
    let lex = Lexicon::shipped();
    let Some(parts) = parts(headline, lead, body) else {
        return Vec::new();
    };
    let ev = gather(lex, tax, &parts);
    let per_word = |raw: f32| raw / ev.words.max(1.0);
    let score = |c: usize| TopicScore {
        label: tax.get(c).label.to_string(),
        code: tax.get(c).code.to_string(),
        score: per_word(ev.raw[c]),
    };

    // Subjects in the learnt order (see `rank`); ties go to the lower index
    // so that results never depend on hashing.
    let subjects = Subjects::shipped();
    let features = Features::of(&ev.raw, subjects);
    let mut rank = Vec::with_capacity(subjects.tops.len());
    Weights::shipped().scores_into(&features, subjects.politics, &mut rank);
    let rank_of = |c: usize| rank[subjects.slot[c] as usize];
    let mut tops: Vec<usize> = subjects
        .tops
        .iter()
        .copied()
        .filter(|&c| ev.raw[c] > 0.0)
        .collect();
    tops.sort_by(|a, b| rank_of(*b).total_cmp(&rank_of(*a)).then(a.cmp(b)));
    let Some(&best) = tops.first() else {
        let c = tax.index_of_code(FALLBACK).expect("fallback topic exists");
        return vec![score(c)];
    };
    // Further subjects are measured against the most evidence any subject
    // has, so that a policy story filed under politics still lists the area
    // whose words fill it.
    let most = tops.iter().map(|&c| ev.raw[c]).fold(0.0, f32::max);
    tops.retain(|&c| {
        c == best
            || (ev.raw[c] >= TOP_RELATIVE * most
                && ev.raw[c] >= TOP_MIN
                && per_word(ev.raw[c]) >= TOP_DENSITY)
    });
    tops.truncate(MAX_TOP);

    // Ties go to the lower index so that results never depend on hashing.
    let by_evidence = |a: &usize, b: &usize| ev.raw[*b].total_cmp(&ev.raw[*a]).then(a.cmp(b));
    let mut out: Vec<TopicScore> = tops.iter().map(|&c| score(c)).collect();
    for &top in &tops {
        let mut subs: Vec<usize> = (0..tax.concepts().len())
            .filter(|&c| {
                let con = tax.get(c);
                con.depth > 1
                    && con.top == top
                    && ev.raw[c] >= SUB_MIN
                    && ev.raw[c] >= SUB_RELATIVE * ev.raw[top]
            })
            .collect();
        subs.sort_by(by_evidence);
        // A sub-topic whose descendant is also chosen says nothing more:
        // the descendant's label expands to it when indexed.
        let chosen = subs.clone();
        subs.retain(|&c| {
            !chosen
                .iter()
                .any(|&d| d != c && tax.ancestry(d).any(|a| a.code == tax.get(c).code))
        });
        subs.truncate(MAX_SUB);
        out.extend(subs.into_iter().map(score));
    }
    out
}
