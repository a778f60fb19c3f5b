//! The body as quotation extraction sees it: paragraphs, word and
//! punctuation tokens with byte offsets, and sentences.

use std::ops::Range;

use super::lexicon;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters and digits, with inner hyphens, apostrophes and periods
    /// (`al-Khatib`, `Assad’s`, `U.N.`).
    Word,
    /// A double quotation mark, straight or curly; `direct` decides which
    /// ones open and close.
    Mark,
    /// A single quotation mark that may open or close a quotation.
    SingleMark,
    /// Any other punctuation character.
    Punct(char),
}

/// One token of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// The paragraph the token lies in.
    pub para: usize,
}

/// A tokenised body.
pub struct Text<'a> {
    pub body: &'a str,
    pub toks: Vec<Tok>,
    /// Byte ranges of the paragraphs.
    pub paras: Vec<Range<usize>>,
}

impl<'a> Text<'a> {
    /// Splits `body` into paragraphs (blank lines) and tokens.
    pub fn new(body: &'a str) -> Text<'a> {
        let mut paras = Vec::new();
        let mut at = 0;
        for part in body.split("\n\n") {
            let lead = part.len() - part.trim_start().len();
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                paras.push(at + lead..at + lead + trimmed.len());
            }
            at += part.len() + 2;
        }
        let mut toks = Vec::with_capacity(body.len() / 5);
        for (p, range) in paras.iter().enumerate() {
            tokenize(body, range.clone(), p, &mut toks);
        }
        Text { body, toks, paras }
    }

    /// The text of token `i`.
    pub fn s(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.body[t.start..t.end]
    }

    /// Whether token `i` is a word.
    pub fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Word)
    }

    /// Whether token `i` is the punctuation `c`.
    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Punct(c))
    }

    /// Whether token `i` is a word that starts with a capital letter.
    pub fn is_capitalised(&self, i: usize) -> bool {
        self.is_word(i) && self.s(i).starts_with(char::is_uppercase)
    }

    /// The lowercase form of token `i`.
    pub fn lower(&self, i: usize) -> String {
        self.s(i).to_lowercase()
    }
}

fn is_double_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

fn is_single_mark(c: char) -> bool {
    matches!(c, '\'' | '‘' | '’')
}

fn tokenize(body: &str, range: Range<usize>, para: usize, out: &mut Vec<Tok>) {
    let text = &body[range.clone()];
    let base = range.start;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let inner = matches!(d, '-' | '\'' | '’' | '.' | '&')
                    && text[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if d.is_alphanumeric() || inner {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            // `U.N.`, `Mr.`, `J.`: the period belongs to the word.
            if text[end..].starts_with('.') && lexicon::is_abbreviation(&text[i..end]) {
                end += 1;
                chars.next();
            }
            out.push(Tok {
                start: base + i,
                end: base + end,
                kind: Kind::Word,
                para,
            });
            continue;
        }
        let kind = if is_double_mark(c) {
            Kind::Mark
        } else if is_single_mark(c) {
            Kind::SingleMark
        } else {
            Kind::Punct(c)
        };
        out.push(Tok {
            start: base + i,
            end: base + i + c.len_utf8(),
            kind,
            para,
        });
    }
}

/// Sentences as token ranges. A sentence ends at `.`, `?` or `!` (and any
/// closing marks after it) before a capital, a digit or an opening mark,
/// and at every paragraph's end; never inside a quotation, whose end
/// `inside` tells.
pub fn sentences(text: &Text, inside: &[bool]) -> Vec<Range<usize>> {
    let toks = &text.toks;
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < toks.len() {
        let para_end = toks.get(i + 1).is_none_or(|n| n.para != toks[i].para);
        if para_end {
            out.push(start..i + 1);
            start = i + 1;
            i += 1;
            continue;
        }
        let terminal = matches!(toks[i].kind, Kind::Punct('.' | '?' | '!'));
        if terminal {
            // Past closing marks and brackets that end with the sentence.
            let mut j = i + 1;
            while j < toks.len()
                && toks[j].para == toks[i].para
                && (matches!(toks[j].kind, Kind::Punct(')')) || is_closing(text, inside, j))
            {
                j += 1;
            }
            // A period inside a quotation that goes on is no boundary.
            let in_quote = inside[i] && j == i + 1;
            let next_starts = toks.get(j).is_some_and(|n| {
                n.para == toks[i].para
                    && match n.kind {
                        Kind::Word => text.body[n.start..]
                            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()),
                        Kind::Mark | Kind::SingleMark => true,
                        _ => false,
                    }
            });
            if !in_quote && next_starts {
                out.push(start..j);
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

/// Whether token `j` is a mark that closes a quotation (inside it, the
/// next token not).
fn is_closing(text: &Text, inside: &[bool], j: usize) -> bool {
    matches!(text.toks[j].kind, Kind::Mark | Kind::SingleMark)
        && inside[j]
        && inside.get(j + 1).is_none_or(|n| !n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_names_and_abbreviations_whole() {
        let t = Text::new("U.N. envoy al-Khatib’s “plan,” Mr. Smith said.\n\nNext.");
        let words: Vec<&str> = (0..t.toks.len()).map(|i| t.s(i)).collect();
        assert_eq!(
            words,
            [
                "U.N.",
                "envoy",
                "al-Khatib’s",
                "“",
                "plan",
                ",",
                "”",
                "Mr.",
                "Smith",
                "said",
                ".",
                "Next",
                "."
            ]
        );
        assert_eq!(t.paras.len(), 2);
        assert_eq!(t.toks[11].para, 1);
    }

    #[test]
    fn sentences_split_at_periods_not_abbreviations() {
        let t = Text::new("Mr. Smith went to the U.N. Security Council. He left. 2 more.");
        let inside = vec![false; t.toks.len()];
        let s = sentences(&t, &inside);
        assert_eq!(s.len(), 3);
        assert_eq!(t.s(s[1].start), "He");
    }
}
