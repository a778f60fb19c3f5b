//! Indirect speech: a reporting verb and the clause it reports ("Lavrov
//! said that Moscow is ready to talk", "Brahimi warned that the war could
//! …", "…, said Mirsky.").

use std::ops::Range;

use super::lexicon::{self, Verb};
use super::speaker::{self, EntityIndex, Np};
use super::text::{Kind, Text};

/// A reported clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// The speaker phrase; `SentenceSubject` when it is the sentence's.
    pub np: Np,
    pub verb: usize,
    /// Tokens of the reported clause.
    pub clause: Range<usize>,
}

/// Fewest words a reported clause has.
const MIN_WORDS: usize = 3;

/// The reported clauses of the sentence `sentence`. Verbs in `used`
/// already attribute a direct quotation, whose tokens `speech` marks.
pub fn reported(
    text: &Text,
    ents: &EntityIndex,
    inside: &[bool],
    sentence: Range<usize>,
    used: &[usize],
    speech: &[bool],
) -> Vec<Reported> {
    let (lo, hi) = (sentence.start, sentence.end);
    // Quoted titles and names ("known as “The Girl with the Blue
    // Ribbon,”") leave a final attribution free to report the sentence.
    let has_marks = (lo..hi).any(|i| speech[i]);
    let mut out = Vec::new();
    if !has_marks {
        if let Some(r) = fronted(text, ents, lo, hi).or_else(|| trailing(text, ents, lo, hi)) {
            out.push(r);
            return out;
        }
    }
    for v in lo..hi {
        if inside[v] || !text.is_word(v) || used.contains(&v) {
            continue;
        }
        let w = text.lower(v);
        // ", saying that …", "and adding that …"; not "a red flag
        // warning would …", where the word is a noun.
        let participle = lexicon::is_participle(&w)
            && (v == lo
                || matches!(text.toks[v - 1].kind, Kind::Punct(',' | '—' | '–' | '('))
                || (text.is_word(v - 1)
                    && matches!(
                        text.lower(v - 1).as_str(),
                        "and" | "but" | "while" | "before" | "after" | "by" | "when" | "also"
                    )));
        if lexicon::verb(&w) != Some(Verb::Clause) && !participle {
            continue;
        }
        if v > lo && lexicon::blocks_verb(&text.lower(v - 1)) {
            continue;
        }
        let Some(start) = clause_start(text, inside, v, hi, &w) else {
            continue;
        };
        let Some(end) = clause_end(text, inside, start, hi) else {
            continue;
        };
        let words = (start..end).filter(|&k| text.is_word(k)).count();
        if words < MIN_WORDS {
            continue;
        }
        let np = if participle {
            Np::SentenceSubject { at: v }
        } else {
            // "Two people with knowledge of the case said": the phrase
            // opening the sentence, past its modifier.
            let opening = || {
                speaker::np_at(text, ents, lo, v).filter(|np| {
                    matches!(np, Np::Role { .. })
                        && (np.span().1..v)
                            .all(|k| text.is_word(k) && lexicon::verb(&text.lower(k)).is_none())
                })
            };
            match speaker::before(text, ents, v, lo).or_else(opening) {
                Some(np) => np,
                None => continue,
            }
        };
        out.push(Reported {
            np,
            verb: v,
            clause: start..end,
        });
    }
    out
}

/// Where the clause reported by the verb at `v` starts.
fn clause_start(text: &Text, inside: &[bool], v: usize, hi: usize, w: &str) -> Option<usize> {
    if text.is_word(v + 1) && text.lower(v + 1) == "to" && lexicon::takes_infinitive(w) {
        return None;
    }
    // "said Saturday that", "told reporters that", "said after their
    // meeting that": only adjuncts or an object may come before `that`;
    // "said Russia would…" opens its clause at once.
    let next = if text.is_word(v + 1) {
        text.lower(v + 1)
    } else {
        String::new()
    };
    let object_verb = matches!(w, "told" | "tells" | "assured" | "informed" | "reminded");
    let adjunct = next == "that"
        || lexicon::is_time_word(&next)
        || lexicon::is_preposition(&next)
        || object_verb;
    if adjunct {
        let mut prep_words = None;
        #[allow(clippy::needless_range_loop)] // k indexes tokens and flags alike
        for k in v + 1..hi.min(v + 13) {
            if inside[k] || !matches!(text.toks[k].kind, Kind::Word | Kind::Punct(',')) {
                break;
            }
            let lk = text.lower(k);
            if lk == "that" {
                let relative = text.is_word(k + 1) && lexicon::is_auxiliary(&text.lower(k + 1));
                if relative {
                    return None;
                }
                return Some(k + 1);
            }
            if k > v + 1 && lexicon::verb(&lk).is_some() {
                break;
            }
            // "said in a recorded message from orbit last week that": a
            // new preposition starts a new phrase.
            if lexicon::is_preposition(&lk) {
                prep_words = Some(0);
            } else if let Some(n) = prep_words.as_mut() {
                *n += 1;
                // "hinted at a possible solution that would": too far.
                if *n > 3 {
                    break;
                }
            }
        }
    }
    if matches!(w, "promised" | "pledged" | "vowed" | "assured" | "informed") {
        return None;
    }
    let mut j = v + 1;
    // "said in a statement it would…": past a short adjunct phrase, when
    // a subject follows it.
    if let Some(after) = adjunct_phrase(text, inside, j, hi) {
        j = after;
    }
    // "told jurors the trial could…": past the object.
    if object_verb {
        j += if text.is_word(j) && lexicon::opens_clause(&text.lower(j)) {
            2
        } else {
            1
        };
    }
    while j < hi && text.is_word(j) && lexicon::is_time_word(&text.lower(j)) {
        j += 1;
    }
    // "said on Saturday" ends the clause; "said he was" starts one.
    if j > v + 1 && text.is_word(j - 1) && text.lower(j - 1) == "on" {
        return None;
    }
    if j >= hi || !text.is_word(j) || inside[j] {
        return None;
    }
    let lj = text.lower(j);
    // "warned him repeatedly about…": an object, not a clause.
    let object = matches!(lj.as_str(), "him" | "them" | "me" | "us");
    if object || lexicon::is_preposition(&lj) || !lexicon::that_optional(w) {
        return None;
    }
    // Without `that`, a clause needs a finite verb soon: "said Russia
    // would…", "said markets had…", not "announced his retirement".
    let finite = (j..hi.min(j + 9)).any(|k| {
        text.is_word(k) && {
            let lk = text.lower(k);
            lexicon::is_auxiliary(&lk) || (k > j && lk.ends_with("ed") && lk.len() > 4)
        }
    });
    finite.then_some(j)
}

/// The token after "in a statement" or "on Twitter" at `j`, when what
/// follows it opens a clause with a subject pronoun or a determiner.
fn adjunct_phrase(text: &Text, inside: &[bool], j: usize, hi: usize) -> Option<usize> {
    if j >= hi || !text.is_word(j) || !lexicon::is_preposition(&text.lower(j)) {
        return None;
    }
    let mut k = j + 1;
    if k < hi
        && text.is_word(k)
        && matches!(
            text.lower(k).as_str(),
            "a" | "an" | "its" | "his" | "her" | "their" | "the"
        )
    {
        k += 1;
    }
    // One or two words of the phrase, then the clause's subject.
    for end in [k + 1, k + 2] {
        if end >= hi || (k..end).any(|m| inside[m] || !text.is_word(m)) {
            return None;
        }
        let next = text.lower(end);
        let subject = matches!(
            next.as_str(),
            "it" | "he"
                | "she"
                | "they"
                | "we"
                | "i"
                | "there"
                | "the"
                | "its"
                | "his"
                | "her"
                | "their"
        );
        if subject {
            return Some(end);
        }
    }
    None
}

/// Where a clause from `start` ends: the sentence's end, a `;`, a
/// contrast (", but"), or a new report ("and added that"). `None` when a
/// quotation lies inside: its quoted words are the quotation then.
fn clause_end(text: &Text, inside: &[bool], start: usize, hi: usize) -> Option<usize> {
    let mut e = start;
    while e < hi {
        if inside[e] || matches!(text.toks[e].kind, Kind::Mark | Kind::SingleMark) {
            return None;
        }
        match text.toks[e].kind {
            Kind::Punct(';') => break,
            Kind::Punct(',') => {
                let next = if text.is_word(e + 1) {
                    text.lower(e + 1)
                } else {
                    String::new()
                };
                if matches!(
                    next.as_str(),
                    "but" | "while" | "although" | "though" | "whereas" | "saying" | "adding"
                ) {
                    break;
                }
            }
            Kind::Word => {
                let w = text.lower(e);
                if w == "and"
                    && (e + 1..hi.min(e + 4))
                        .any(|k| text.is_word(k) && lexicon::verb(&text.lower(k)).is_some())
                {
                    break;
                }
            }
            _ => {}
        }
        e += 1;
    }
    // Without the sentence's final punctuation.
    while e > start && matches!(text.toks[e - 1].kind, Kind::Punct('.' | '?' | '!' | ',')) {
        e -= 1;
    }
    Some(e)
}

/// "Moscow is ready to talk, Lavrov said." and "…, said Mirsky.": the
/// clause before a final attribution.
fn trailing(text: &Text, ents: &EntityIndex, lo: usize, hi: usize) -> Option<Reported> {
    let mut end = hi;
    while end > lo && !text.is_word(end - 1) {
        end -= 1;
    }
    let last = (lo..end).rev().take(24).find(|&k| text.is_punct(k, ','))?;
    if end - last <= 12 {
        if let Some(r) = trailing_at(text, ents, lo, last, end) {
            return Some(r);
        }
    }
    // "… will cut 3,000 jobs, the company said on Wednesday, blaming
    // weak demand": the attribution between two commas, before a
    // participle or an apposition that adds no speech.
    let tail = last + 1;
    let adds = text.is_word(tail) && {
        let w = text.lower(tail);
        (w.ends_with("ing") && !lexicon::is_participle(&w)) || matches!(w.as_str(), "a" | "an")
    };
    if !adds || (tail..end).any(|k| text.is_word(k) && lexicon::verb(&text.lower(k)).is_some()) {
        return None;
    }
    let comma = (lo..last).rev().take(10).find(|&k| text.is_punct(k, ','))?;
    trailing_at(text, ents, lo, comma, last)
}

/// The clause `lo..comma` when `comma + 1..end` is its attribution.
fn trailing_at(
    text: &Text,
    ents: &EntityIndex,
    lo: usize,
    comma: usize,
    end: usize,
) -> Option<Reported> {
    let a = comma + 1;
    if a >= end {
        return None;
    }
    let (np, verb) =
        if text.lower(a) == "according" && text.is_word(a + 1) && text.lower(a + 1) == "to" {
            if cites_a_document(text, a + 2, end) {
                return None;
            }
            (speaker::after(text, ents, a + 1, end)?, a)
        } else {
            let v = (a..end.min(a + 7))
                .find(|&k| text.is_word(k) && lexicon::verb(&text.lower(k)).is_some())?;
            // A clause after the verb means it is not a final attribution,
            // nor does "the governor urged residents to stay" report the
            // words before it.
            let lv = text.lower(v);
            if (v + 1..end).any(|k| {
                text.is_word(k) && {
                    let lk = text.lower(k);
                    lk == "that" || (lk == "to" && lexicon::takes_infinitive(&lv))
                }
            }) {
                return None;
            }
            let np = if v == a {
                let np = speaker::after(text, ents, v, end)?;
                // Only an apposition or a few adjuncts may follow the
                // speaker: ", said her department was …" is no final
                // attribution.
                let after_np = np.span().1;
                let rest = (after_np..end).filter(|&k| text.is_word(k)).count();
                if rest > 3 && !text.is_punct(after_np, ',') {
                    return None;
                }
                np
            } else {
                // "three officials familiar with the talks said": the
                // phrase that opens the attribution, past its modifier.
                let np = speaker::before(text, ents, v, a).or_else(|| {
                    speaker::np_at(text, ents, a, v).filter(|np| {
                        matches!(np, Np::Role { .. }) && (np.span().1..v).all(|k| text.is_word(k))
                    })
                })?;
                // Only role words and titles may come before the name:
                // "police spokeswoman Anja Dekker said".
                let leads = (a..np.span().0).all(|k| {
                    text.is_word(k) && {
                        let w = text.lower(k);
                        lexicon::is_person_noun(&w)
                            || lexicon::is_org_noun(&w)
                            || crate::enrich::people::is_title(&w)
                            || text.is_capitalised(k)
                    }
                });
                if !leads && !matches!(np, Np::Role { .. }) {
                    return None;
                }
                np
            };
            (np, v)
        };
    let words = (lo..comma).filter(|&k| text.is_word(k)).count();
    (words > MIN_WORDS).then_some(Reported {
        np,
        verb,
        clause: lo..comma,
    })
}

/// Whether the source after "according to" (tokens `from..to`) is a
/// document or data ("LSEG data", "records obtained by …"), not a speaker.
pub fn cites_a_document(text: &Text, from: usize, to: usize) -> bool {
    (from..to.min(from + 6))
        .take_while(|&k| text.is_word(k))
        .any(|k| lexicon::is_document_noun(&text.lower(k)))
}

/// "According to Lavrov, Moscow is ready to talk."
fn fronted(text: &Text, ents: &EntityIndex, lo: usize, hi: usize) -> Option<Reported> {
    if !(text.is_word(lo)
        && text.lower(lo) == "according"
        && text.is_word(lo + 1)
        && text.lower(lo + 1) == "to")
    {
        return None;
    }
    let comma = (lo + 2..hi).find(|&k| text.is_punct(k, ','))?;
    if cites_a_document(text, lo + 2, comma) {
        return None;
    }
    let np = speaker::after(text, ents, lo + 1, comma)?;
    let mut end = hi;
    while end > comma + 1 && !text.is_word(end - 1) {
        end -= 1;
    }
    let words = (comma + 1..end).filter(|&k| text.is_word(k)).count();
    (words >= MIN_WORDS).then_some(Reported {
        np,
        verb: lo,
        clause: comma + 1..end,
    })
}
