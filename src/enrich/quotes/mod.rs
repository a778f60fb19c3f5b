//! Who said what: every quotation in a story, with its speaker.
//!
//! Wire copy is built of attributed speech. This stage finds
//!
//! - **direct** quotations: straight or curly marks ([`direct`]), split
//!   around their attribution (`“We will win,” he said, “and soon.”`) or
//!   running over paragraphs (AP style: a paragraph that opens a quotation
//!   without closing it goes on in the next);
//! - **partial** quotations inside the reporter's sentence (`emphasized
//!   that Russia “isn’t holding onto Bashar Assad”`);
//! - **indirect** speech: a reporting verb and the clause it reports
//!   ([`indirect`]);
//!
//! and attributes each ([`attribution`]) to a speaker ([`speaker`]): a
//! named person resolved to the story's canonical name, a pronoun or a
//! role resolved to the person it refers to, an organisation, or no one.
//! Scare quotes, titles, nicknames and single quoted terms without a
//! speaker are not quotations.

pub mod attribution;
pub mod direct;
pub mod eval;
pub mod gender;
pub mod indirect;
pub mod lexicon;
pub mod speaker;
pub mod text;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crate::article::{Quote, QuoteKind, Speaker, SpeakerKind};
use crate::enrich::ner::{EntityKind, Mention};
use crate::enrich::people;

use attribution::Attribution;
use speaker::{EntityIndex, Focus, Np, Resolved, Story};
use text::{Kind, Text};

/// What the other stages found in the story.
pub struct Context<'a> {
    /// Canonical people (`people::canonicalize`).
    pub names: &'a [String],
    /// Canonical organisations.
    pub orgs: &'a [String],
    /// The tagger's mentions, in text order.
    pub mentions: &'a [Mention],
    /// Where the body starts in the text the mentions' offsets count in
    /// (after the headline).
    pub body_offset: usize,
}

/// How a candidate's speaker is found.
#[derive(Debug, Clone)]
enum How {
    /// Through this phrase.
    Phrase(Np),
    /// The previous quotation's speaker (a quotation standing alone after
    /// an attributed one).
    Continues,
    /// Nobody.
    Nobody,
}

/// A quotation before its speaker is resolved.
#[derive(Debug, Clone)]
struct Candidate {
    kind: QuoteKind,
    /// Token ranges of its words.
    parts: Vec<std::ops::Range<usize>>,
    verb: Option<usize>,
    how: How,
    /// Token where the attribution is, which orders resolution.
    anchor: usize,
    /// The sentence the candidate's attribution lies in.
    sentence: usize,
}

/// Finds the quotations of `body`.
pub fn extract(body: &str, cx: &Context) -> Vec<Quote> {
    // Most stories without a mark or a reporting verb have no quotation;
    // spare them the work.
    if !body.contains(['"', '“', '”', '\'', '‘', '’']) && !mentions_speech(body) {
        return Vec::new();
    }
    let text = Text::new(body);
    if text.toks.is_empty() {
        return Vec::new();
    }
    let ents = EntityIndex::new(&text, cx.mentions, cx.body_offset);
    let (quoted, inside) = direct::quoted(&text);
    let sentences = text::sentences(&text, &inside);
    let sentence_of = |tok: usize| sentences.partition_point(|s| s.end <= tok);

    let mut cands = direct_candidates(&text, &ents, &inside, &quoted, &sentences, &sentence_of);
    let used: Vec<usize> = cands.iter().filter_map(|c| c.verb).collect();
    let mut speech = vec![false; text.toks.len()];
    for r in cands.iter().flat_map(|c| &c.parts) {
        // With the marks around the words.
        let lo = r.start.saturating_sub(1);
        let hi = (r.end + 1).min(speech.len());
        speech[lo..hi].fill(true);
    }
    for (si, s) in sentences.iter().enumerate() {
        for r in indirect::reported(&text, &ents, &inside, s.clone(), &used, &speech) {
            let anchor = r.np.span().0;
            cands.push(Candidate {
                kind: QuoteKind::Indirect,
                parts: vec![r.clause],
                verb: Some(r.verb),
                how: How::Phrase(r.np),
                anchor,
                sentence: si,
            });
        }
    }
    // A sentence's subject stands for the phrase that points back to it.
    for c in &mut cands {
        if let How::Phrase(Np::SentenceSubject { at }) = c.how {
            let lo = sentences[c.sentence].start;
            c.how = match speaker::sentence_subject(&text, &ents, &inside, lo, at) {
                Some(np) => {
                    c.anchor = np.span().0;
                    How::Phrase(np)
                }
                None => How::Nobody,
            };
        }
    }
    resolve(&text, &ents, &inside, &sentences, cx, cands)
}

/// Whether plain text has a common reporting verb at all.
fn mentions_speech(body: &str) -> bool {
    let finder = |w: &str| memchr::memmem::find(body.as_bytes(), w.as_bytes()).is_some();
    [
        "said",
        "says",
        "told",
        "warned",
        "added",
        "according to",
        "wrote",
        "noted",
        "stressed",
    ]
    .iter()
    .any(|w| finder(w))
        || body.contains("ing that")
        || body.contains("ed that")
}

fn direct_candidates(
    text: &Text,
    ents: &EntityIndex,
    inside: &[bool],
    quoted: &[direct::Quoted],
    sentences: &[std::ops::Range<usize>],
    sentence_of: &dyn Fn(usize) -> usize,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut merged_into_previous = false;
    for (qi, q) in quoted.iter().enumerate() {
        let first = q.first();
        let last = q.last();
        let parts: Vec<_> = q.pieces.iter().map(|p| p.content()).collect();
        if merged_into_previous {
            // The second half of a split quotation.
            merged_into_previous = false;
            if let Some(prev) = out.last_mut() {
                prev.parts.extend(parts);
                continue;
            }
        }
        let s_open = sentence_of(first.open);
        let sentence_lo = sentences[s_open].start;
        let words = parts
            .iter()
            .flat_map(|r| r.clone())
            .filter(|&k| text.is_word(k))
            .count();
        if words == 0 {
            continue;
        }
        let ends_punct = parts.last().is_some_and(|r| {
            r.end > r.start
                && matches!(
                    text.toks[r.end - 1].kind,
                    Kind::Punct('.' | ',' | '?' | '!')
                )
        });
        let title = is_title(text, &parts[0]) && !ends_punct;
        let named = first.open > sentence_lo
            && text.is_word(first.open - 1)
            && lexicon::marks_a_name(&text.lower(first.open - 1))
            && !describes_as(text, sentence_lo, first.open - 1);

        // A quotation that ends its sentence with a period has no
        // attribution after it: `“… room.” The coach said …` is new.
        let ends_sentence = parts
            .last()
            .is_some_and(|r| r.end > r.start && text.is_punct(r.end - 1, '.'));
        let post: Option<Attribution> = last
            .close
            .filter(|_| !ends_sentence)
            .and_then(|c| attribution::after_quote(text, ents, c));
        if let Some(a) = post {
            if named || (title && words <= 3) {
                continue;
            }
            let kind = if first.open == sentence_lo || opens_after_colon(text, first.open) {
                QuoteKind::Direct
            } else {
                QuoteKind::Partial
            };
            // `“We will win,” he said, “and soon.”`
            let next_open = quoted.get(qi + 1).map(|n| n.first().open);
            merged_into_previous = text.is_punct(a.end, ',') && next_open == Some(a.end + 1)
                || (next_open == Some(a.end) && a.end > 0 && text.is_punct(a.end - 1, ','));
            out.push(Candidate {
                kind,
                parts,
                verb: Some(a.verb),
                anchor: a.np.span().0,
                how: How::Phrase(a.np),
                sentence: sentence_of(a.verb),
            });
            continue;
        }
        if named || title {
            continue;
        }
        let pre = attribution::before_quote(text, ents, inside, sentence_lo, first.open);
        if let Some(a) = pre {
            let kind = if first.open > 0
                && matches!(text.toks[first.open - 1].kind, Kind::Punct(':' | ','))
            {
                QuoteKind::Direct
            } else {
                QuoteKind::Partial
            };
            out.push(Candidate {
                kind,
                parts,
                verb: Some(a.verb),
                anchor: a.np.span().0,
                how: How::Phrase(a.np),
                sentence: s_open,
            });
            continue;
        }
        // Alone: speech only if it reads as a sentence of someone's, or
        // is a short one right after attributed speech in its paragraph
        // (`“… a lost cause,” she said. “I’m very stubborn.”`).
        let follows_speech = out.last().is_some_and(|p| {
            p.verb.is_some() && text.toks[p.anchor].para == text.toks[first.open].para
        });
        let short_sentence =
            follows_speech && ends_punct && first.open == sentence_lo && words >= 2;
        if (words >= 4 && (ends_punct || words >= 6)) || short_sentence {
            out.push(Candidate {
                kind: QuoteKind::Direct,
                parts,
                verb: None,
                how: How::Continues,
                anchor: first.open,
                sentence: s_open,
            });
        }
    }
    out
}

/// "described the rise as “another kick in the teeth”": `as` at token
/// `at` after a verb of describing gives the speaker's words, not a name.
fn describes_as(text: &Text, lo: usize, at: usize) -> bool {
    text.lower(at) == "as"
        && (lo.max(at.saturating_sub(8))..at).any(|k| {
            text.is_word(k)
                && matches!(
                    text.lower(k).as_str(),
                    "described"
                        | "describes"
                        | "branded"
                        | "labelled"
                        | "labeled"
                        | "characterised"
                        | "characterized"
                        | "portrayed"
                        | "dismissed"
                )
        })
}

fn opens_after_colon(text: &Text, open: usize) -> bool {
    open > 0 && text.is_punct(open - 1, ':')
}

/// Whether quoted words read as a title or a name: every word capitalised
/// but the small ones, and few of them.
fn is_title(text: &Text, r: &std::ops::Range<usize>) -> bool {
    let words: Vec<usize> = r.clone().filter(|&k| text.is_word(k)).collect();
    !words.is_empty()
        && words.len() <= 6
        && words.iter().all(|&k| {
            text.is_capitalised(k)
                || matches!(
                    text.s(k),
                    "of" | "the"
                        | "and"
                        | "for"
                        | "in"
                        | "on"
                        | "a"
                        | "an"
                        | "to"
                        | "at"
                        | "de"
                        | "al"
                )
        })
}

/// Words describing each person: the words before each mention in its
/// sentence ("Foreign Minister", "U.N. envoy") and an apposition after it
/// ("Lakhdar Brahimi, the U.N.’s envoy for the Syrian crisis").
fn descriptions(text: &Text, ents: &EntityIndex, names: &[String]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for e in &ents.entities {
        if e.kind != EntityKind::Person {
            continue;
        }
        let Some(owner) = people::owner(names, &e.text) else {
            continue;
        };
        let words = out.entry(owner.to_string()).or_default();
        for w in e.text.split_whitespace().filter(|w| people::is_title(w)) {
            words.push(w.to_lowercase().replace('.', ""));
        }
        let mut k = e.toks.start;
        while k > 0 && e.toks.start - k < 4 && text.is_word(k - 1) {
            k -= 1;
            words.push(text.lower(k));
        }
        if text.is_punct(e.toks.end, ',') {
            let mut k = e.toks.end + 1;
            // The apposition ends where the predicate starts: "Susan Hale,
            // said … that her husband" says nothing of her.
            while k < text.toks.len()
                && k - e.toks.end < 12
                && text.is_word(k)
                && lexicon::verb(&text.lower(k)).is_none()
                && !lexicon::is_verb_adjunct(&text.lower(k))
            {
                words.push(
                    text.lower(k)
                        .trim_end_matches("’s")
                        .trim_end_matches("'s")
                        .to_string(),
                );
                k += 1;
            }
        }
    }
    out
}

fn resolve(
    text: &Text,
    ents: &EntityIndex,
    inside: &[bool],
    sentences: &[std::ops::Range<usize>],
    cx: &Context,
    mut cands: Vec<Candidate>,
) -> Vec<Quote> {
    let descriptions = descriptions(text, ents, cx.names);
    let genders = cx
        .names
        .iter()
        .filter_map(|n| {
            let words = descriptions.get(n).map_or(&[][..], Vec::as_slice);
            gender::of_person(n, words).map(|g| (n.clone(), g))
        })
        .collect();
    let story = Story {
        names: cx.names,
        orgs: cx.orgs,
        descriptions,
        genders,
    };
    // Subjects of sentences move the focus too ("Brahimi, who arrived …,
    // voiced concern …, which he said …").
    let mut subjects: Vec<(usize, Np)> = Vec::new();
    for s in sentences {
        match speaker::sentence_subject(text, ents, inside, s.start, s.end) {
            Some(np @ Np::Name { .. }) => subjects.push((np.span().0, np)),
            // "A woman who lost her home …": someone the story does not name.
            Some(
                np @ Np::Role {
                    definite: false,
                    org: false,
                    ..
                },
            ) => subjects.push((np.span().0, np)),
            _ => {}
        }
    }
    cands.sort_by_key(|c| c.parts[0].start);
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| match cands[i].how {
        How::Continues => (cands[i].parts[0].start, 1),
        _ => (cands[i].anchor, 0),
    });

    let mut focus = Focus::default();
    let mut speakers: Vec<Option<Option<Speaker>>> = vec![None; cands.len()];
    let mut attributions: Vec<Option<String>> = vec![None; cands.len()];
    let mut later: Vec<usize> = Vec::new();
    let mut next_subject = 0;
    for &i in &order {
        let c = &cands[i];
        let at = match c.how {
            How::Continues => c.parts[0].start,
            _ => c.anchor,
        };
        while next_subject < subjects.len() && subjects[next_subject].0 < at {
            let (pos, np) = &subjects[next_subject];
            match speaker::resolve(text, ents, &story, &focus, np) {
                Resolved::Known(s) => focus.set(&s, *pos),
                Resolved::Anonymous if matches!(np, Np::Role { .. }) => focus.anonymous = true,
                _ => {}
            }
            next_subject += 1;
        }
        let resolved = match &c.how {
            How::Phrase(np) => {
                let (s, e) = np.span();
                attributions[i] =
                    Some(text.body[text.toks[s].start..text.toks[e - 1].end].to_string());
                speaker::resolve(text, ents, &story, &focus, np)
            }
            How::Continues => match previous_speaker(text, &cands, &speakers, i) {
                Some(s) => s.map_or(Resolved::Anonymous, Resolved::Known),
                None => Resolved::Anonymous,
            },
            How::Nobody => Resolved::Anonymous,
        };
        speakers[i] = Some(match resolved {
            Resolved::Known(s) => {
                focus.set(&s, at);
                Some(s)
            }
            Resolved::Anonymous => None,
            Resolved::Later => {
                later.push(i);
                None
            }
        });
    }
    // "Russia’s foreign minister said …" in a lead that names him after:
    // the next person quoted.
    for i in later {
        let start = cands[i].parts[0].start;
        let next = (0..cands.len())
            .filter(|&j| cands[j].parts[0].start > start)
            .find_map(|j| {
                speakers[j]
                    .clone()
                    .flatten()
                    .filter(|s| s.kind == SpeakerKind::Person)
            });
        speakers[i] = Some(next);
    }

    let mut out = Vec::with_capacity(cands.len());
    for (i, c) in cands.iter().enumerate() {
        let (start, end, quote_text) = words_of(text, &c.parts);
        if quote_text.is_empty() {
            continue;
        }
        // Reported clauses that overlap a quotation are not another one.
        if c.kind == QuoteKind::Indirect
            && cands.iter().any(|d| {
                d.kind != QuoteKind::Indirect
                    && d.parts
                        .iter()
                        .any(|r| r.start < c.parts[0].end && c.parts[0].start < r.end)
            })
        {
            continue;
        }
        out.push(Quote {
            speaker: speakers[i].clone().flatten(),
            attribution: attributions[i].clone(),
            text: quote_text,
            kind: c.kind,
            verb: c.verb.map(|v| text.s(v).to_string()),
            start,
            end,
        });
    }
    out.sort_by_key(|q| q.start);
    out
}

/// The speaker of the quotation before candidate `i` in its paragraph, or,
/// when `i` opens its paragraph, of the previous paragraph's last one.
fn previous_speaker(
    text: &Text,
    cands: &[Candidate],
    speakers: &[Option<Option<Speaker>>],
    i: usize,
) -> Option<Option<Speaker>> {
    let start = cands[i].parts[0].start;
    let para = text.toks[start].para;
    let opens_para = start <= 1 || text.toks[start - 2].para != para;
    let prev = (0..cands.len())
        .filter(|&j| j != i && cands[j].parts[0].start < start && speakers[j].is_some())
        .max_by_key(|&j| cands[j].parts[0].start)?;
    let prev_para = text.toks[cands[prev].parts[0].start].para;
    let last_para = text.toks[cands[prev].parts.last()?.end.saturating_sub(1)].para;
    if prev_para == para || last_para == para || (opens_para && last_para + 1 == para) {
        speakers[prev].clone()
    } else {
        None
    }
}

/// Byte range and text of a candidate's words: the parts joined by a
/// space, without the commas that lead into an attribution.
fn words_of(text: &Text, parts: &[std::ops::Range<usize>]) -> (usize, usize, String) {
    let mut pieces = Vec::new();
    let mut start = usize::MAX;
    let mut end = 0;
    for r in parts {
        if r.start >= r.end {
            continue;
        }
        let s = text.toks[r.start].start;
        let e = text.toks[r.end - 1].end;
        start = start.min(s);
        end = end.max(e);
        let piece = text.body[s..e].trim().trim_end_matches([',', ' ']);
        if !piece.is_empty() {
            pieces.push(piece.replace("\n\n", " "));
        }
    }
    if pieces.is_empty() {
        return (0, 0, String::new());
    }
    (start, end, pieces.join(" "))
}
