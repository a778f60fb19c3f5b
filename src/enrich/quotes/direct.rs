//! Direct quotations: quotation marks paired into quoted spans, straight
//! or curly, double or (where a paragraph has no double marks) single,
//! including AP-style quotations that run over several paragraphs.

use super::text::{Kind, Text};

/// One stretch between an opening mark and its closing mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Token index of the opening mark.
    pub open: usize,
    /// Token index of the closing mark; `None` when the paragraph ends
    /// first (the quotation goes on in the next paragraph, or was never
    /// closed).
    pub close: Option<usize>,
    /// Token index one past the last quoted token.
    pub end: usize,
}

impl Piece {
    /// Token indices of the quoted words.
    pub fn content(&self) -> std::ops::Range<usize> {
        self.open + 1..self.end
    }
}

/// A quotation as written: one piece, or several when it runs over
/// paragraphs (a paragraph that opens a quotation without closing it, and
/// the next one opens again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    pub pieces: Vec<Piece>,
}

impl Quoted {
    pub fn first(&self) -> Piece {
        self.pieces[0]
    }
    pub fn last(&self) -> Piece {
        *self.pieces.last().expect("a quotation has a piece")
    }
}

/// Pairs the marks of every paragraph. Returns the quotations in text
/// order and, per token, whether it lies inside one (the closing mark
/// counts as inside, the opening mark not).
pub fn quoted(text: &Text) -> (Vec<Quoted>, Vec<bool>) {
    let mut pieces: Vec<Piece> = Vec::new();
    for p in 0..text.paras.len() {
        paragraph_pieces(text, p, &mut pieces);
    }
    let mut inside = vec![false; text.toks.len()];
    for piece in &pieces {
        let last = piece.close.unwrap_or(piece.end.saturating_sub(1));
        for flag in inside.iter_mut().take(last + 1).skip(piece.open + 1) {
            *flag = true;
        }
    }
    // An unclosed piece continues into the next paragraph when that
    // paragraph opens with a mark.
    let mut out: Vec<Quoted> = Vec::new();
    let mut continuing = false;
    for piece in pieces {
        let opens_paragraph =
            piece.open == 0 || text.toks[piece.open - 1].para != text.toks[piece.open].para;
        match out.last_mut() {
            Some(q) if continuing && opens_paragraph => q.pieces.push(piece),
            _ => out.push(Quoted {
                pieces: vec![piece],
            }),
        }
        continuing = piece.close.is_none();
    }
    (out, inside)
}

fn paragraph_pieces(text: &Text, p: usize, out: &mut Vec<Piece>) {
    let (lo, hi) = token_range(text, p);
    if lo == hi {
        return;
    }
    let has_double = (lo..hi).any(|i| text.toks[i].kind == Kind::Mark);
    if has_double {
        double_pieces(text, lo, hi, out);
    } else {
        single_pieces(text, lo, hi, out);
    }
}

fn token_range(text: &Text, p: usize) -> (usize, usize) {
    let lo = text.toks.partition_point(|t| t.para < p);
    let hi = text.toks.partition_point(|t| t.para <= p);
    (lo, hi)
}

/// Which way a mark faces.
#[derive(PartialEq)]
enum Facing {
    Open,
    Close,
    Either,
}

fn facing(text: &Text, i: usize) -> Facing {
    let t = text.toks[i];
    let c = text.body[t.start..].chars().next().unwrap_or('"');
    match c {
        '“' | '„' | '«' | '‘' => Facing::Open,
        '”' | '»' => Facing::Close,
        _ => {
            let before = text.body[..t.start].chars().next_back();
            let after = text.body[t.end..].chars().next();
            let space_before = before.is_none_or(|c| c.is_whitespace() || "([{—–-".contains(c));
            let space_after = after.is_none_or(|c| c.is_whitespace() || ",.;:!?)]".contains(c));
            match (space_before, space_after) {
                (true, false) => Facing::Open,
                (false, true) => Facing::Close,
                _ => Facing::Either,
            }
        }
    }
}

fn double_pieces(text: &Text, lo: usize, hi: usize, out: &mut Vec<Piece>) {
    let mut open: Option<usize> = None;
    for i in lo..hi {
        if text.toks[i].kind != Kind::Mark {
            continue;
        }
        let f = facing(text, i);
        match open {
            None if f != Facing::Close => open = Some(i),
            None => {} // a stray closing mark
            Some(o) if f != Facing::Open => {
                out.push(Piece {
                    open: o,
                    close: Some(i),
                    end: i,
                });
                open = None;
            }
            // Two openings: the first was never closed; start again.
            Some(_) => open = Some(i),
        }
    }
    if let Some(o) = open {
        if o + 1 < hi {
            out.push(Piece {
                open: o,
                close: None,
                end: hi,
            });
        }
    }
}

/// Single marks double as apostrophes, so a pair counts only when it opens
/// at a word's start, closes after a word or punctuation, and holds at
/// least two words.
fn single_pieces(text: &Text, lo: usize, hi: usize, out: &mut Vec<Piece>) {
    let mut open: Option<usize> = None;
    for i in lo..hi {
        if text.toks[i].kind != Kind::SingleMark {
            continue;
        }
        let t = text.toks[i];
        let before = text.body[..t.start].chars().next_back();
        let after = text.body[t.end..].chars().next();
        let can_open = before.is_none_or(|c| c.is_whitespace() || c == '(')
            && after.is_some_and(|c| c.is_alphabetic());
        let can_close = i > lo
            && !text.body[..t.start].ends_with(char::is_whitespace)
            && after.is_none_or(|c| c.is_whitespace() || ",.;:!?)".contains(c));
        match open {
            Some(o) if can_close => {
                let words = (o + 1..i).filter(|&k| text.is_word(k)).count();
                let ends_punct =
                    matches!(text.toks[i - 1].kind, Kind::Punct('.' | ',' | '?' | '!'));
                if words >= 2 && (ends_punct || words >= 3) {
                    out.push(Piece {
                        open: o,
                        close: Some(i),
                        end: i,
                    });
                }
                open = None;
            }
            _ if can_open => open = Some(i),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(body: &str) -> Vec<Vec<String>> {
        let t = Text::new(body);
        let (q, _) = quoted(&t);
        q.iter()
            .map(|q| {
                q.pieces
                    .iter()
                    .map(|p| {
                        let r = p.content();
                        let (s, e) = (t.toks[r.start].start, t.toks[r.end - 1].end);
                        body[s..e].to_string()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn curly_and_straight_marks_pair() {
        assert_eq!(
            spans("“We will win,” he said, \"and soon.\""),
            [vec!["We will win,"], vec!["and soon."]]
        );
    }

    #[test]
    fn quotations_run_over_paragraphs() {
        let s = spans("“First part.\n\n“Second part,” she said.\n\nAfter.");
        assert_eq!(s, [vec!["First part.", "Second part,"]]);
        // Not continued: the next paragraph does not open with a mark.
        let s = spans("“Unclosed here.\n\nPlain “x y z” text.");
        assert_eq!(s, [vec!["Unclosed here."], vec!["x y z"]]);
    }

    #[test]
    fn single_marks_are_not_apostrophes() {
        assert_eq!(
            spans("‘We will not go back,’ the rebels’ leader said."),
            [vec!["We will not go back,"]]
        );
        assert!(spans("The rebels’ leaders and the ’90s.").is_empty());
    }
}
