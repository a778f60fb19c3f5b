//! Where a quotation's attribution is: right after it (`,” Lavrov said.`,
//! `,” said Mirsky.`), or before it in the same sentence (`The envoy warned
//! that “…`, `he said, “…`).

use super::lexicon;
use super::speaker::{self, EntityIndex, Np};
use super::text::{Kind, Text};

/// An attribution found for a quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub np: Np,
    /// Token of the reporting verb (the first word of "according to").
    pub verb: usize,
    /// One past the attribution's last token.
    pub end: usize,
}

/// Longest attribution after a quotation, in tokens.
const MAX_AFTER: usize = 16;

/// The attribution that follows the closing mark at token `close`.
pub fn after_quote(text: &Text, ents: &EntityIndex, close: usize) -> Option<Attribution> {
    let para = text.toks[close].para;
    let mut a = close + 1;
    if text.is_punct(a, ',') {
        a += 1;
    }
    let mut b = a;
    while b < text.toks.len() && text.toks[b].para == para && b - a < MAX_AFTER {
        match text.toks[b].kind {
            Kind::Word | Kind::Punct(',') => b += 1,
            _ => break,
        }
    }
    if b == a {
        return None;
    }
    if text.lower(a) == "according" && text.is_word(a + 1) && text.lower(a + 1) == "to" {
        if super::indirect::cites_a_document(text, a + 2, b) {
            return None;
        }
        let np = speaker::after(text, ents, a + 1, b)?;
        return Some(Attribution {
            np,
            verb: a,
            end: b,
        });
    }
    let limit = b.min(a + 7);
    let v = (a..limit).find(|&k| {
        text.is_word(k)
            && lexicon::verb(&text.lower(k)).is_some()
            && !(k > a && lexicon::blocks_verb(&text.lower(k - 1)))
    })?;
    let np = if v == a {
        speaker::after(text, ents, v, b)?
    } else {
        let np = speaker::before(text, ents, v, a)?;
        // The phrase must open the attribution: `” the rebels said`, not
        // `” group said` (a quoted name modifying a noun).
        let (s, _) = np.span();
        // Titles may come first: "Governor Ida Wolden Bache told".
        let words_before = (a..s).any(|k| {
            text.is_word(k)
                && !text.is_capitalised(k)
                && !crate::enrich::people::is_title(text.s(k))
                && !lexicon::is_person_noun(&text.lower(k))
        });
        let bare_role = matches!(&np, Np::Role { start, head, .. }
            if !determined(text, *start) && !head.ends_with('s'));
        if words_before || bare_role || matches!(np, Np::SentenceSubject { .. }) {
            return None;
        }
        np
    };
    Some(Attribution {
        np,
        verb: v,
        end: b,
    })
}

/// Whether the phrase at token `i` opens with a determiner or a possessor.
fn determined(text: &Text, i: usize) -> bool {
    let w = text.lower(i);
    w == "the" || lexicon::is_indefinite(&w) || w.ends_with("’s") || w.ends_with("'s")
}

/// The attribution before the opening mark at token `open`, within the
/// sentence that starts at token `lo`: the last reporting verb there and
/// its subject.
pub fn before_quote(
    text: &Text,
    ents: &EntityIndex,
    inside: &[bool],
    lo: usize,
    open: usize,
) -> Option<Attribution> {
    let mut v = open;
    let found = loop {
        if v <= lo {
            break None;
        }
        v -= 1;
        if inside[v] || matches!(text.toks[v].kind, Kind::Mark | Kind::SingleMark) {
            // An earlier quotation in the sentence: its attribution, if
            // any, is its own.
            if inside[v] {
                break None;
            }
            continue;
        }
        if !text.is_word(v) {
            continue;
        }
        let w = text.lower(v);
        let blocked = v > lo && lexicon::blocks_verb(&text.lower(v - 1));
        if (lexicon::verb(&w).is_some() || lexicon::is_participle(&w)) && !blocked {
            break Some(v);
        }
    }?;
    let w = text.lower(found);
    let np = if lexicon::is_participle(&w) {
        Np::SentenceSubject { at: found }
    } else {
        speaker::before(text, ents, found, lo)?
    };
    Some(Attribution {
        np,
        verb: found,
        end: open,
    })
}
