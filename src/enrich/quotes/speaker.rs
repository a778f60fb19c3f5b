//! Who a quotation's attribution names: the noun phrase around a
//! reporting verb, and what it refers to — a named person resolved to the
//! story's canonical name, a pronoun or a role resolved to the person in
//! focus or the one the story describes that way, an organisation, or no
//! one the story names.

use std::collections::HashMap;

use crate::article::{Speaker, SpeakerKind};
use crate::enrich::ner::{EntityKind, Mention};
use crate::enrich::people;

use super::gender::{self, Gender};
use super::lexicon::{self, Pronoun};
use super::text::{Kind, Text};

/// A named entity of the story, with the token range it covers.
#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: EntityKind,
    pub text: String,
    /// Token indices.
    pub toks: std::ops::Range<usize>,
}

/// The noun phrase that attributes a quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Np {
    /// A name: tokens `start..end`, and the entity the tagger found there.
    Name {
        start: usize,
        end: usize,
        entity: Option<usize>,
    },
    /// `he`, `she`, `it`, `they`.
    Pronoun { at: usize, which: Pronoun },
    /// A description: "the envoy", "Russia’s foreign minister", "a senior
    /// official". `head` is its last word, lowercase.
    Role {
        start: usize,
        end: usize,
        head: String,
        definite: bool,
        org: bool,
    },
    /// The subject of the sentence stands further back ("Mirsky, a leading
    /// expert, said"; ", saying that").
    SentenceSubject { at: usize },
}

impl Np {
    /// Token range of the phrase as written.
    pub fn span(&self) -> (usize, usize) {
        match *self {
            Np::Name { start, end, .. } | Np::Role { start, end, .. } => (start, end),
            Np::Pronoun { at, .. } | Np::SentenceSubject { at } => (at, at + 1),
        }
    }
}

/// Entities by token: which entity, if any, covers each token.
pub struct EntityIndex {
    pub entities: Vec<Entity>,
    by_tok: Vec<Option<u32>>,
}

impl EntityIndex {
    /// Maps the tagger's mentions onto tokens; mention offsets are
    /// `offset` bytes ahead of the body's (the headline comes first).
    pub fn new(text: &Text, mentions: &[Mention], offset: usize) -> EntityIndex {
        let mut by_tok = vec![None; text.toks.len()];
        let mut entities = Vec::new();
        for m in mentions.iter().filter(|m| m.start >= offset) {
            let (start, end) = (m.start - offset, m.end - offset);
            let lo = text.toks.partition_point(|t| t.end <= start);
            let hi = text.toks.partition_point(|t| t.start < end);
            if lo >= hi {
                continue;
            }
            let id = entities.len() as u32;
            for slot in &mut by_tok[lo..hi] {
                *slot = Some(id);
            }
            entities.push(Entity {
                kind: m.kind,
                text: m.text.clone(),
                toks: lo..hi,
            });
        }
        EntityIndex { entities, by_tok }
    }

    /// The entity covering token `i`.
    pub fn at(&self, i: usize) -> Option<usize> {
        self.by_tok.get(i).copied().flatten().map(|e| e as usize)
    }
}

fn is_name_word(text: &Text, i: usize) -> bool {
    text.is_capitalised(i) || (text.is_word(i) && is_particle(text.s(i)))
}

fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "al" | "el"
            | "bin"
            | "ibn"
            | "van"
            | "von"
            | "der"
            | "de"
            | "da"
            | "di"
            | "du"
            | "del"
            | "la"
            | "le"
    ) || w.starts_with("al-")
        || w.starts_with("el-")
}

/// Capitalised words that open sentences rather than names.
fn is_function_capital(w: &str) -> bool {
    matches!(
        w,
        "The"
            | "A"
            | "An"
            | "It"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "But"
            | "And"
            | "Or"
            | "In"
            | "On"
            | "At"
            | "As"
            | "If"
            | "When"
            | "While"
            | "After"
            | "Before"
            | "So"
            | "Yet"
            | "Still"
            | "There"
            | "Here"
            | "We"
            | "They"
            | "He"
            | "She"
            | "I"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "Our"
            | "Both"
            | "Neither"
            | "Some"
            | "Many"
            | "One"
            | "Two"
            | "Three"
            | "Four"
            | "Five"
            | "Several"
            | "Few"
            | "Most"
            | "Another"
            | "Each"
            | "Every"
            | "All"
            | "Asked"
            | "However"
            | "Meanwhile"
            | "Now"
            | "Then"
            | "Also"
            | "Such"
            | "Earlier"
            | "Later"
    )
}

fn possessive(w: &str) -> bool {
    w.ends_with("’s") || w.ends_with("'s") || w.ends_with("s’") || w.ends_with("s'")
}

/// The subject of the verb at token `v`, reading back to `lo`.
pub fn before(text: &Text, ents: &EntityIndex, v: usize, lo: usize) -> Option<Np> {
    let mut i = v;
    while i > lo && text.is_word(i - 1) && lexicon::is_verb_adjunct(&text.lower(i - 1)) {
        i -= 1;
    }
    if i <= lo {
        return None;
    }
    let last = i - 1;
    if let Some(np) = org_before_short_form(text, ents, lo, last) {
        return Some(np);
    }
    match text.toks[last].kind {
        // "Mirsky, a leading expert, said": the subject is further back.
        Kind::Punct(',' | ')') | Kind::Punct('—') | Kind::Punct('–') => {
            return Some(Np::SentenceSubject { at: last });
        }
        Kind::Word => {}
        // `… and is often called “the Indiana Jones of the art world,”
        // said`: the subject is before the quoted words.
        Kind::Mark | Kind::SingleMark if last > lo && text.is_punct(last - 1, ',') => {
            return Some(Np::SentenceSubject { at: last });
        }
        _ => return None,
    }
    let lower = text.lower(last);
    if let Some(which) = lexicon::pronoun(&lower) {
        return Some(Np::Pronoun { at: last, which });
    }
    if let Some(np) = demonym_role(text, ents, lo, last) {
        return Some(np);
    }
    // "The bank kept rates … but said": the subject of the first verb.
    if matches!(lower.as_str(), "and" | "but") {
        let mut b = last;
        while b > lo {
            let w = if text.is_word(b - 1) {
                text.lower(b - 1)
            } else {
                String::new()
            };
            if matches!(
                text.toks[b - 1].kind,
                Kind::Punct(',' | ')' | '-' | '—' | '–' | ';')
            ) || matches!(
                w.as_str(),
                "though" | "although" | "while" | "but" | "because" | "as"
            ) {
                break;
            }
            b -= 1;
        }
        // "The team's president, Gregory Lund, called … and said": no
        // name right before `and`, so the sentence's subject speaks.
        return np_at(text, ents, b, last).or(Some(Np::SentenceSubject { at: last }));
    }
    if let Some(e) = ents.at(last) {
        let start = ents.entities[e].toks.start.max(lo);
        // "Prince Abdulaziz bin Salman" tagged only "Salman": a title
        // further back makes the whole run one name.
        let mut run = start;
        while run > lo
            && ents.at(run - 1).is_none_or(|x| {
                matches!(
                    ents.entities[x].kind,
                    EntityKind::Misc | EntityKind::Location
                )
            })
            && is_name_word(text, run - 1)
            && !is_function_capital(text.s(run - 1))
            && !possessive(text.s(run - 1))
        {
            run -= 1;
        }
        if (run..start).any(|k| crate::enrich::people::is_title(text.s(k))) {
            return Some(Np::Name {
                start: run,
                end: last + 1,
                entity: None,
            });
        }
        // "Joana Faria of the University of Coimbra said": the person
        // before the organisation speaks, not the organisation.
        if let Some(person) = member_of(text, ents, lo, start) {
            return Some(person);
        }
        return Some(first_of_pair(
            text,
            ents,
            lo,
            Np::Name {
                start,
                end: last + 1,
                entity: Some(e),
            },
        ));
    }
    if is_name_word(text, last) && !is_function_capital(text.s(last)) && !possessive(text.s(last)) {
        let mut start = last;
        while start > lo && is_name_word(text, start - 1) && !is_function_capital(text.s(start - 1))
        {
            start -= 1;
        }
        // A title that opens the sentence ("Defense Secretary Chuck Hagel")
        // is part of the phrase; only a name word can end it.
        return Some(first_of_pair(
            text,
            ents,
            lo,
            Np::Name {
                start,
                end: last + 1,
                entity: None,
            },
        ));
    }
    role_before(text, lo, last)
}

/// "the Belarusian", "the 48-year-old Scot": a person described by
/// origin, ending at token `last`.
fn demonym_role(text: &Text, ents: &EntityIndex, lo: usize, last: usize) -> Option<Np> {
    if !text.is_capitalised(last)
        || !lexicon::is_demonym(text.s(last))
        || ents
            .at(last)
            .is_some_and(|e| ents.entities[e].kind != EntityKind::Misc)
    {
        return None;
    }
    let mut start = last;
    if start > lo && text.is_word(start - 1) && text.lower(start - 1).ends_with("-old") {
        start -= 1;
    }
    (start > lo && text.is_word(start - 1) && text.lower(start - 1) == "the").then(|| Np::Role {
        start: start - 1,
        end: last + 1,
        head: text.lower(last),
        definite: true,
        org: false,
    })
}

/// The organisation a role phrase `start..end` names: one among its
/// words ("the IG Metall union", "the Welsh government", "a Treasury
/// spokesperson") or, for a spokesperson, the one after `for` ("a
/// spokesman for the ministry of health").
fn named_org(
    text: &Text,
    ents: &EntityIndex,
    story: &Story,
    start: usize,
    end: usize,
) -> Option<String> {
    let head = end - 1;
    let spokes = lexicon::speaks_for(&text.lower(head));
    // Words after a possessor: "Norway's competition authority" is not
    // Norway speaking.
    let first = (start..head)
        .rev()
        .find(|&k| possessive(text.s(k)))
        .map_or(start, |k| k + 1);
    let known = |written: &str| {
        let bare = people::strip_possessive(written).trim().to_string();
        story
            .orgs
            .iter()
            .find(|o| o.as_str() == bare || (bare.len() > 3 && o.contains(bare.as_str())))
            .cloned()
            .unwrap_or(bare)
    };
    for k in first..head {
        if let Some(e) = ents.at(k) {
            if ents.entities[e].kind == EntityKind::Organization {
                return Some(known(&ents.entities[e].text));
            }
        }
    }
    // Capitalised words right before the head, not a modifier such as
    // "Munich-based" or "Kremlin-backed": "the Munich-based group" is the
    // company in focus, not one called "Munich-based".
    let mut run = head;
    while run > first
        && text.is_capitalised(run - 1)
        && !is_function_capital(text.s(run - 1))
        && !is_compound_modifier(text.s(run - 1))
    {
        run -= 1;
    }
    if run < head {
        // The head is part of the name when capitalised ("the Foreign
        // Ministry") or after a word of origin ("the Welsh government");
        // else the words before it are the name ("the IG Metall union").
        let origin = (run..head).all(|k| {
            lexicon::is_demonym(text.s(k))
                || ents.at(k).is_some_and(|e| {
                    matches!(
                        ents.entities[e].kind,
                        EntityKind::Misc | EntityKind::Location
                    )
                })
        });
        let with_head = !spokes && (text.is_capitalised(head) || origin);
        let upto = if with_head { head } else { head - 1 };
        let written = &text.body[text.toks[run].start..text.toks[upto].end];
        return Some(known(written));
    }
    if !spokes || !text.is_word(end) || text.lower(end) != "for" {
        return None;
    }
    let mut k = end + 1;
    if text.is_word(k) && text.lower(k) == "the" {
        k += 1;
    }
    if let Some(e) = ents.at(k) {
        let ent = &ents.entities[e];
        return matches!(ent.kind, EntityKind::Organization | EntityKind::Location)
            .then(|| known(&ent.text));
    }
    let mut stop = k;
    while stop < text.toks.len() && text.is_capitalised(stop) && !is_function_capital(text.s(stop))
    {
        stop += 1;
    }
    (stop > k).then(|| known(&text.body[text.toks[k].start..text.toks[stop - 1].end]))
}

/// "while the British Medical Association (BMA) said": an organisation
/// and its short form in brackets, ending at `last`, that opens a clause
/// (not "the chairman of the Commission on Good Government (PCGG) said",
/// where the chairman speaks).
fn org_before_short_form(text: &Text, ents: &EntityIndex, lo: usize, last: usize) -> Option<Np> {
    if !text.is_punct(last, ')') || last < lo + 3 || !text.is_punct(last - 2, '(') {
        return None;
    }
    let short = text.s(last - 1);
    if !text.is_word(last - 1) || short.chars().any(char::is_lowercase) {
        return None;
    }
    let e = ents.at(last - 3)?;
    let ent = &ents.entities[e];
    if ent.kind != EntityKind::Organization || ent.toks.end != last - 2 {
        return None;
    }
    let mut k = ent.toks.start;
    if k > lo && text.is_word(k - 1) && text.lower(k - 1) == "the" {
        k -= 1;
    }
    let opens = k == lo
        || (text.is_word(k - 1)
            && matches!(
                text.lower(k - 1).as_str(),
                "while" | "and" | "but" | "whereas" | "meanwhile"
            ));
    opens.then(|| Np::Name {
        start: ent.toks.start.max(lo),
        end: last - 2,
        entity: Some(e),
    })
}

/// A capitalised word joined to a lowercase one, which describes rather
/// than names: "Munich-based", "Kremlin-backed", "Saudi-led".
fn is_compound_modifier(word: &str) -> bool {
    word.rsplit_once('-')
        .is_some_and(|(_, tail)| tail.starts_with(|c: char| c.is_lowercase()))
}

/// Heads that stand for the organisation the story is about: "the
/// company said", "the club said".
fn is_company_noun(head: &str) -> bool {
    matches!(
        head,
        "company"
            | "firm"
            | "group"
            | "carmaker"
            | "automaker"
            | "airline"
            | "club"
            | "team"
            | "bank"
            | "insurer"
            | "retailer"
            | "lender"
            | "drugmaker"
            | "chipmaker"
    )
}

/// The person named right before `of`/`at`/`from` (and an optional
/// `the`) that precedes an organisation starting at `org_start`.
fn member_of(text: &Text, ents: &EntityIndex, lo: usize, org_start: usize) -> Option<Np> {
    let org = ents.at(org_start)?;
    if ents.entities[org].kind != EntityKind::Organization {
        return None;
    }
    let mut k = org_start;
    if k > lo && text.is_word(k - 1) && text.lower(k - 1) == "the" {
        k -= 1;
    }
    if k <= lo + 1
        || !text.is_word(k - 1)
        || !matches!(text.lower(k - 1).as_str(), "of" | "at" | "from")
    {
        return None;
    }
    let p = ents.at(k - 2)?;
    let ent = &ents.entities[p];
    (ent.kind == EntityKind::Person).then(|| Np::Name {
        start: ent.toks.start.max(lo),
        end: k - 1,
        entity: Some(p),
    })
}

/// "Brahimi and Lavrov both said": the first of two coordinated names;
/// but "Avon and Somerset Police said" is one organisation.
fn first_of_pair(text: &Text, ents: &EntityIndex, lo: usize, np: Np) -> Np {
    let Np::Name { start, end, entity } = np else {
        return np;
    };
    if start >= lo + 2 && text.is_word(start - 1) && text.lower(start - 1) == "and" {
        let j = start - 2;
        let org = entity.is_some_and(|e| ents.entities[e].kind == EntityKind::Organization);
        let before_is_person = ents
            .at(j)
            .is_some_and(|e| ents.entities[e].kind == EntityKind::Person);
        if org && !before_is_person && text.is_capitalised(j) && !is_function_capital(text.s(j)) {
            let from = ents
                .at(j)
                .map_or(j, |e| ents.entities[e].toks.start.max(lo));
            return Np::Name {
                start: from,
                end,
                entity,
            };
        }
        if let Some(e) = ents
            .at(j)
            .filter(|&e| ents.entities[e].kind == EntityKind::Person)
        {
            return Np::Name {
                start: ents.entities[e].toks.start.max(lo),
                end: j + 1,
                entity: Some(e),
            };
        }
        if text.is_capitalised(j) && !is_function_capital(text.s(j)) {
            return Np::Name {
                start: j,
                end: j + 1,
                entity: None,
            };
        }
    }
    np
}

/// A description ending at token `last`: lowercase words back to a
/// determiner or a possessor.
fn role_before(text: &Text, lo: usize, last: usize) -> Option<Np> {
    let head = text.lower(last);
    let org = lexicon::is_org_noun(&head);
    if !org && !lexicon::is_person_noun(&head) {
        return None;
    }
    let mut start = last;
    let mut definite = false;
    let mut determined = false;
    while start > lo && last - start < 7 {
        let j = start - 1;
        if !text.is_word(j) {
            break;
        }
        let w = text.lower(j);
        if w == "the" || w == "this" || w == "that" {
            definite = true;
            determined = true;
            start = j;
            break;
        }
        if lexicon::is_indefinite(&w) {
            determined = true;
            start = j;
            break;
        }
        if possessive(text.s(j)) {
            definite = true;
            determined = true;
            start = j;
            break;
        }
        if lexicon::verb(&w).is_some()
            || lexicon::is_preposition(&w)
            || matches!(w.as_str(), "and" | "or" | "but" | "who" | "which")
        {
            break;
        }
        start = j;
    }
    if !determined {
        // "officials said" is indefinite; "Foreign Ministry spokesman said"
        // names a post.
        let plural = head.ends_with('s') && !head.ends_with("ss");
        definite = !plural;
    }
    Some(Np::Role {
        start,
        end: last + 1,
        head,
        definite,
        org,
    })
}

/// The speaker named after the verb at `v`: "said Mirsky", "said the
/// envoy", "said a senior official".
pub fn after(text: &Text, ents: &EntityIndex, v: usize, hi: usize) -> Option<Np> {
    np_at(text, ents, v + 1, hi)
}

/// The noun phrase that starts at token `first`, within `..hi`.
pub fn np_at(text: &Text, ents: &EntityIndex, first: usize, hi: usize) -> Option<Np> {
    if first >= hi || !text.is_word(first) {
        return None;
    }
    let lower = text.lower(first);
    if let Some(which) = lexicon::pronoun(&lower) {
        return Some(Np::Pronoun { at: first, which });
    }
    if let Some(e) = ents.at(first) {
        let end = ents.entities[e].toks.end.min(hi);
        // "Norway's central bank": the possessor is not the speaker.
        if !possessive(text.s(end - 1)) {
            return Some(Np::Name {
                start: first,
                end,
                entity: Some(e),
            });
        }
    }
    if is_name_word(text, first) && !is_function_capital(text.s(first)) {
        let mut end = first + 1;
        while end < hi && is_name_word(text, end) {
            end += 1;
        }
        // "said Lavrov’s spokeswoman": the possessor is not the speaker.
        if !possessive(text.s(end - 1)) {
            return Some(Np::Name {
                start: first,
                end,
                entity: None,
            });
        }
    }
    // A description up to a comma, a preposition or the end.
    let mut end = first;
    while end < hi && text.is_word(end) && end - first < 8 {
        let w = text.lower(end);
        if end > first && (lexicon::is_preposition(&w) || matches!(w.as_str(), "who" | "and")) {
            break;
        }
        end += 1;
        // The description ends with its first head noun: "his opponent
        // refused …".
        if end - first > 1 && (lexicon::is_person_noun(&w) || lexicon::is_org_noun(&w)) {
            break;
        }
    }
    if end == first {
        return None;
    }
    role_before(text, first, end - 1).map(|np| match np {
        Np::Role {
            head,
            definite,
            org,
            end,
            ..
        } => Np::Role {
            start: first,
            end,
            head,
            definite: definite || lower == "the",
            org,
        },
        other => other,
    })
}

/// The subject of the sentence `lo..hi` up to token `until`: its first
/// person or organisation not governed by a preposition, or a leading
/// `he`/`she`.
pub fn sentence_subject(
    text: &Text,
    ents: &EntityIndex,
    inside: &[bool],
    lo: usize,
    until: usize,
) -> Option<Np> {
    let mut i = lo;
    while i < until {
        if inside[i] || !text.is_word(i) {
            i += 1;
            continue;
        }
        let governed = i > lo && text.is_word(i - 1) && lexicon::is_preposition(&text.lower(i - 1));
        if let Some(e) = ents.at(i) {
            let ent = &ents.entities[e];
            let end = ent.toks.end;
            let follows_possessor = end < text.toks.len() && possessive(text.s(end - 1));
            if !governed
                && !follows_possessor
                && matches!(ent.kind, EntityKind::Person | EntityKind::Organization)
            {
                // "Art detective Arthur Brand", "The United Nations envoy
                // for Yemen, Hans Lindqvist, said": the person the phrase
                // leads up to speaks, not the organisation it opens with.
                let person = person_named_by(
                    text,
                    ents,
                    inside,
                    end,
                    until,
                    ent.kind != EntityKind::Person,
                );
                return person.or(Some(Np::Name {
                    start: i,
                    end: end.min(until),
                    entity: Some(e),
                }));
            }
            i = end.max(i + 1);
            continue;
        }
        let lower = text.lower(i);
        if i == lo {
            if let Some(which) = lexicon::pronoun(&lower) {
                return Some(Np::Pronoun { at: i, which });
            }
            // "A woman who lost her home sat …", "The 70-year-old
            // diplomat, a former minister, said"; but "A spokesman for the
            // delegation, Mohammed Abdulsalam, said" is the person named.
            if let Some(np @ Np::Role { end, org, .. }) = np_at(text, ents, lo, until) {
                if let Some(person) = person_named_by(text, ents, inside, end, until, true) {
                    return Some(person);
                }
                // "The regulator, CNMC, said": the organisation named.
                if org && text.is_punct(end, ',') {
                    if let Some(e) = ents.at(end + 1).filter(|&e| {
                        let ent = &ents.entities[e];
                        ent.kind == EntityKind::Organization
                            && ent.toks.start == end + 1
                            && (ent.toks.end >= until || text.is_punct(ent.toks.end, ','))
                    }) {
                        return Some(Np::Name {
                            start: end + 1,
                            end: ents.entities[e].toks.end.min(until),
                            entity: Some(e),
                        });
                    }
                }
                return Some(np);
            }
        }
        if lexicon::verb(&lower).is_some() {
            // Nothing named before the first verb.
            if let Some(np) = role_before(text, lo, i.saturating_sub(1)).filter(|_| i > lo) {
                return Some(np);
            }
            return None;
        }
        i += 1;
    }
    None
}

/// The person a subject phrase leads up to, from token `from` on: one
/// right after role words or titles ("Art detective Arthur Brand"), or,
/// when `apposition`, one set off by commas after the phrase ("The U.N.
/// envoy for Yemen, Hans Lindqvist, said"). Stops at a verb or a second
/// comma.
fn person_named_by(
    text: &Text,
    ents: &EntityIndex,
    inside: &[bool],
    from: usize,
    until: usize,
    apposition: bool,
) -> Option<Np> {
    let mut k = from;
    let mut comma = false;
    // Only role words so far: a person right after them is in the phrase.
    let mut roles_only = true;
    while k < until && k < from + 14 {
        if inside[k] {
            return None;
        }
        if let Some(e) = ents.at(k) {
            let ent = &ents.entities[e];
            if ent.kind == EntityKind::Person {
                let end = ent.toks.end;
                let closed = end >= until || text.is_punct(end, ',');
                let set_off = comma && apposition && text.is_punct(k - 1, ',') && closed;
                let titled = !comma && roles_only && k > from;
                return (set_off || titled).then(|| Np::Name {
                    start: k,
                    end: end.min(until),
                    entity: Some(e),
                });
            }
            roles_only = false;
            k = ent.toks.end.max(k + 1);
            continue;
        }
        if text.is_punct(k, ',') {
            if comma || !apposition {
                return None;
            }
            comma = true;
            roles_only = false;
            k += 1;
            continue;
        }
        if !text.is_word(k) {
            return None;
        }
        let w = text.lower(k);
        if lexicon::verb(&w).is_some()
            || lexicon::is_participle(&w)
            || lexicon::is_verb_adjunct(&w)
            || matches!(w.as_str(), "who" | "which" | "and")
        {
            return None;
        }
        if !(lexicon::is_person_noun(&w) || crate::enrich::people::is_title(&w)) {
            roles_only = false;
        }
        k += 1;
    }
    None
}

/// What the resolver knows of the story.
pub struct Story<'a> {
    pub names: &'a [String],
    pub orgs: &'a [String],
    /// Words that describe each canonical person: titles before their
    /// mentions and appositions after ("Lakhdar Brahimi, the U.N.’s
    /// envoy"), lowercase.
    pub descriptions: HashMap<String, Vec<String>>,
    /// The people whose gender the story shows (see [`gender`]).
    pub genders: HashMap<String, Gender>,
}

impl Story<'_> {
    /// Whether `he` or `she` (as `word`) can refer to `name`.
    fn pronoun_fits(&self, word: &str, name: &str) -> bool {
        gender::fits(gender::of_pronoun(word), self.genders.get(name).copied())
    }
}

/// Resolution state carried through the story in text order.
#[derive(Default)]
pub struct Focus {
    /// The person last in subject position or last quoted.
    pub person: Option<String>,
    pub org: Option<String>,
    /// Every person seen so far, last position first seen.
    pub seen: Vec<(String, usize)>,
    /// The last subject was someone unnamed ("A woman who lost her
    /// home…"): `she` is that person.
    pub anonymous: bool,
}

impl Focus {
    /// Makes `s` the speaker in focus.
    pub fn set(&mut self, s: &Speaker, at: usize) {
        match s.kind {
            SpeakerKind::Person => {
                self.anonymous = false;
                self.person = Some(s.name.clone());
                self.seen.retain(|(n, _)| n != &s.name);
                self.seen.push((s.name.clone(), at));
            }
            SpeakerKind::Org => self.org = Some(s.name.clone()),
        }
    }
}

/// How an attribution resolved.
pub enum Resolved {
    /// A speaker the story names.
    Known(Speaker),
    /// Someone the story does not name ("a senior official").
    Anonymous,
    /// A pronoun or role with nothing before it to refer to: the story
    /// names the person later (a lead's "Russia’s foreign minister said").
    Later,
}

/// A speaker from a name and kind. Its identity is the archive's, known
/// only at query time (`archive::identities::Identities::apply`), since a
/// story is enriched once and the registry changes with every run.
pub fn speaker(name: String, kind: SpeakerKind) -> Speaker {
    Speaker {
        name,
        kind,
        id: None,
    }
}

/// Resolves a noun phrase to whom it names.
pub fn resolve(text: &Text, ents: &EntityIndex, story: &Story, focus: &Focus, np: &Np) -> Resolved {
    match np {
        Np::Name { start, end, entity } => resolve_name(text, ents, story, *start, *end, *entity),
        Np::Pronoun { which, at } => match which {
            Pronoun::Person if focus.anonymous => Resolved::Anonymous,
            Pronoun::Person => {
                let word = text.s(*at);
                // The person in focus, unless the pronoun's gender rules
                // them out: then the latest person seen whom it fits.
                let fitting = focus
                    .person
                    .as_ref()
                    .filter(|p| story.pronoun_fits(word, p))
                    .or_else(|| {
                        focus
                            .seen
                            .iter()
                            .rev()
                            .map(|(n, _)| n)
                            .find(|n| story.pronoun_fits(word, n))
                    })
                    .or(focus.person.as_ref());
                fitting.map_or(Resolved::Later, |n| {
                    Resolved::Known(speaker(n.clone(), SpeakerKind::Person))
                })
            }
            Pronoun::It => focus.org.clone().map_or(Resolved::Anonymous, |n| {
                Resolved::Known(speaker(n, SpeakerKind::Org))
            }),
            Pronoun::Other => Resolved::Anonymous,
        },
        Np::Role {
            start,
            end,
            head,
            definite,
            org,
        } => {
            if *org || lexicon::speaks_for(head) {
                if let Some(o) = named_org(text, ents, story, *start, *end) {
                    return Resolved::Known(speaker(o, SpeakerKind::Org));
                }
            }
            if !definite {
                return Resolved::Anonymous;
            }
            if *org {
                // "the ministry": the story's organisation of that kind;
                // else "the company said" is the organisation in focus.
                return story
                    .orgs
                    .iter()
                    .find(|o| o.to_lowercase().split_whitespace().any(|w| w == head))
                    .or(focus.org.as_ref().filter(|_| is_company_noun(head)))
                    .map_or(Resolved::Anonymous, |o| {
                        Resolved::Known(speaker(o.clone(), SpeakerKind::Org))
                    });
            }
            let singular = head.strip_suffix('s').unwrap_or(head);
            // The latest person seen whom the story describes this way.
            let described = focus.seen.iter().rev().find(|(n, _)| {
                story
                    .descriptions
                    .get(n)
                    .is_some_and(|d| d.iter().any(|w| w == head || w == singular))
            });
            if let Some((n, _)) = described {
                return Resolved::Known(speaker(n.clone(), SpeakerKind::Person));
            }
            // Described so, but not yet seen: the story names them later.
            let later = story.names.iter().find(|n| {
                story
                    .descriptions
                    .get(*n)
                    .is_some_and(|d| d.iter().any(|w| w == head || w == singular))
            });
            if later.is_some() && focus.person.is_none() {
                return Resolved::Later;
            }
            match &focus.person {
                Some(p) => Resolved::Known(speaker(p.clone(), SpeakerKind::Person)),
                None => Resolved::Later,
            }
        }
        Np::SentenceSubject { .. } => Resolved::Anonymous,
    }
}

fn resolve_name(
    text: &Text,
    ents: &EntityIndex,
    story: &Story,
    start: usize,
    end: usize,
    entity: Option<usize>,
) -> Resolved {
    let span = |start: usize, end: usize| {
        text.body[text.toks[start].start..text.toks[end - 1].end].to_string()
    };
    let (written, kind) = match entity {
        // The phrase reaches past its entity: "Avon and Somerset Police".
        Some(e) if ents.entities[e].toks.start > start => {
            (span(start, end), Some(ents.entities[e].kind))
        }
        Some(e) => (ents.entities[e].text.clone(), Some(ents.entities[e].kind)),
        None => {
            let s = text.toks[start].start;
            let e = text.toks[end - 1].end;
            (text.body[s..e].to_string(), None)
        }
    };
    let written = people::strip_possessive(&written).trim().to_string();
    // "Mrs Ellis" names a person whatever the tagger called it.
    let honorific = written.split_whitespace().next().is_some_and(|w| {
        matches!(
            w.trim_end_matches('.').to_lowercase().as_str(),
            "mr" | "mrs" | "ms" | "miss" | "dr"
        )
    });
    let kind = if honorific && written.contains(' ') {
        Some(EntityKind::Person)
    } else {
        kind
    };
    // "Analysts at Citi said": a capitalised common noun, not a name.
    if entity.is_none() && !written.contains(' ') {
        let lower = written.to_lowercase();
        if lexicon::is_person_noun(&lower) || lexicon::is_org_noun(&lower) {
            return Resolved::Anonymous;
        }
    }
    // "Justice Elena Kagan", "Texas Solicitor General Aaron Nielson"
    // tagged as an organisation: a title before a person's name.
    if matches!(kind, Some(EntityKind::Organization | EntityKind::Location))
        && titled_person(story, &written)
    {
        let rest = strip_titles(&written);
        let name = people::owner(story.names, &rest).map_or(rest.clone(), str::to_string);
        return Resolved::Known(speaker(name, SpeakerKind::Person));
    }
    if kind != Some(EntityKind::Organization) && kind != Some(EntityKind::Location) {
        // "Mrs Ellis" is the story's Margaret Ellis.
        let owner = people::owner(story.names, &written)
            .or_else(|| people::owner(story.names, &strip_titles(&written)));
        if let Some(owner) = owner {
            return Resolved::Known(speaker(owner.to_string(), SpeakerKind::Person));
        }
    }
    let bare = written
        .strip_prefix("the ")
        .or_else(|| written.strip_prefix("The "))
        .unwrap_or(&written);
    if let Some(org) = story
        .orgs
        .iter()
        .find(|o| o.as_str() == bare || (bare.len() > 3 && o.contains(bare)))
    {
        return Resolved::Known(speaker(org.clone(), SpeakerKind::Org));
    }
    match kind {
        Some(EntityKind::Organization | EntityKind::Location) => {
            Resolved::Known(speaker(bare.to_string(), SpeakerKind::Org))
        }
        Some(EntityKind::Person) | None => {
            let name = strip_titles(bare);
            if name.is_empty() {
                Resolved::Anonymous
            } else {
                Resolved::Known(speaker(name, SpeakerKind::Person))
            }
        }
        Some(_) => Resolved::Anonymous,
    }
}

/// A written name without the titles before it: the words after the
/// last title ("Saudi Energy Minister Prince Abdulaziz bin Salman" is
/// "Abdulaziz bin Salman"), or all of it when a title ends it ("Stephen
/// King").
fn strip_titles(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let role = |w: &&str| people::is_title(w) || lexicon::is_person_noun(&w.to_lowercase());
    let keep = words.iter().rposition(role).map_or(0, |t| t + 1);
    if keep >= words.len() {
        let keep = words
            .iter()
            .position(|w| !people::is_title(w))
            .unwrap_or(words.len());
        return words[keep..].join(" ");
    }
    words[keep..].join(" ")
}

/// Whether `written` is a title and a person's name: the words after the
/// title are a person of the story, or a known first name and more.
fn titled_person(story: &Story, written: &str) -> bool {
    let rest = strip_titles(written);
    if rest.is_empty() || rest.len() == written.len() {
        return false;
    }
    people::owner(story.names, &rest).is_some()
        || (rest.split_whitespace().count() >= 2
            && rest
                .split_whitespace()
                .next()
                .is_some_and(gender::is_first_name))
}
