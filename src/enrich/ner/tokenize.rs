//! Tokenisation and sentence splitting of raw news text, CoNLL style.
//!
//! The model was trained on CoNLL-2003 tokens, so raw text is cut the same
//! way: possessive `'s` and `n't` are separate tokens, abbreviations such as
//! `U.N.` and `Mr.` keep their periods, hyphenated words stay whole.

use std::ops::Range;

/// A token of the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token as written.
    pub text: &'a str,
    /// Byte offset of the first byte in the input.
    pub start: usize,
    /// Byte offset one past the last byte in the input.
    pub end: usize,
}

/// Abbreviations that keep their final period (lowercase, without it).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "maj", "capt", "sgt",
    "cmdr", "adm", "st", "jr", "sr", "inc", "corp", "co", "ltd", "bros", "jan", "feb", "mar",
    "apr", "aug", "sep", "sept", "oct", "nov", "dec", "vs", "mt", "ft", "rev", "hon", "messrs",
    "calif", "fla", "mass", "penn", "wash", "ariz", "colo", "conn", "ill", "mich", "minn", "okla",
    "tenn", "tex", "va", "wis", "no", "pres", "supt", "det", "cpl", "pvt",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut pos = 0;
    while let Some(c) = text[pos..].chars().next() {
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        let end = token_end(text, pos, c);
        out.push(Token {
            text: &text[pos..end],
            start: pos,
            end,
        });
        pos = end;
    }
    out
}

/// The char at byte `i`, if any.
fn at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn alnum_at(text: &str, i: usize) -> bool {
    at(text, i).is_some_and(char::is_alphanumeric)
}

/// Length in bytes of `'s`, `'re`, … (clitics CoNLL splits off) starting at
/// the apostrophe at `i`, if one is there and ends the word.
fn clitic_len(text: &str, i: usize) -> Option<usize> {
    let a = at(text, i)?;
    if !is_apostrophe(a) {
        return None;
    }
    let j = i + a.len_utf8();
    for clitic in ["s", "re", "ll", "ve", "d", "m"] {
        let rest = text.get(j..j + clitic.len())?;
        if rest.eq_ignore_ascii_case(clitic) && !alnum_at(text, j + clitic.len()) {
            return Some(a.len_utf8() + clitic.len());
        }
    }
    None
}

/// Whether `n't` starts at byte `i` (and ends the word).
fn is_nt(text: &str, i: usize) -> bool {
    let mut it = text[i..].char_indices();
    matches!(it.next(), Some((_, 'n' | 'N')))
        && matches!(it.next(), Some((_, a)) if is_apostrophe(a))
        && matches!(it.next(), Some((k, 't' | 'T')) if !alnum_at(text, i + k + 1))
}

/// The end of the token starting with `c` at byte `start`.
fn token_end(text: &str, start: usize, c: char) -> usize {
    if is_apostrophe(c) {
        return start + clitic_len(text, start).unwrap_or(c.len_utf8());
    }
    if !c.is_alphanumeric() {
        // Runs of dots or hyphens ("...", "--") are one token.
        let mut end = start + c.len_utf8();
        if c == '.' || c == '-' {
            while at(text, end) == Some(c) {
                end += 1;
            }
        }
        return end;
    }
    if is_nt(text, start) {
        return start
            + text[start..]
                .chars()
                .take(3)
                .map(char::len_utf8)
                .sum::<usize>();
    }
    let mut pos = start;
    loop {
        // One run of letters and digits.
        let run_start = pos;
        while let Some(c) = at(text, pos).filter(|c| c.is_alphanumeric()) {
            pos += c.len_utf8();
        }
        let run = &text[run_start..pos];
        let Some(next) = at(text, pos) else {
            return pos;
        };
        let after = pos + next.len_utf8();
        match next {
            '.' => {
                let single_letter =
                    run.chars().count() == 1 && run.chars().all(char::is_alphabetic);
                let dotted = text[start..run_start].ends_with('.');
                if single_letter || dotted {
                    // U.N., U.S., George W. Bush
                    pos = after;
                    if alnum_at(text, pos) && at(text, pos + 1).is_some_and(|c| c == '.') {
                        continue;
                    }
                    return pos;
                }
                if run_start == start && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(run)) {
                    return after;
                }
                if alnum_at(text, after) {
                    // 3.5, reuters.com
                    pos = after;
                    continue;
                }
                return pos;
            }
            '-' | '&' | '/' | ',' | ':' => {
                let joins = match next {
                    '-' | '&' => alnum_at(text, after),
                    // 1,000 / 10:30 / 1/2 only inside numbers
                    _ => {
                        run.chars().all(|c| c.is_ascii_digit())
                            && at(text, after).is_some_and(|c| c.is_ascii_digit())
                    }
                };
                if joins {
                    pos = after;
                    continue;
                }
                return pos;
            }
            a if is_apostrophe(a) => {
                if pos - start > 1
                    && (run.ends_with('n') || run.ends_with('N'))
                    && is_nt(text, pos - 1)
                {
                    return pos - 1;
                }
                if clitic_len(text, pos).is_some() {
                    return pos;
                }
                if at(text, after).is_some_and(char::is_alphabetic) {
                    // O'Brien, Qa'ida
                    pos = after;
                    continue;
                }
                return pos;
            }
            _ => return pos,
        }
    }
}

fn is_sentence_final(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "..." | "\u{2026}")
}

fn is_closing(t: &str) -> bool {
    matches!(t, "\"" | "\u{201D}" | "'" | "\u{2019}" | ")")
}

/// Splits the tokens of `text` into sentences (ranges into `tokens`).
/// A line break always ends a sentence; so does final punctuation (with any
/// closing quotes) before a word that can start one.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut begin = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut end = i + 1;
        let mut split = false;
        if is_sentence_final(tokens[i].text) {
            while end < tokens.len()
                && is_closing(tokens[end].text)
                && !text[tokens[end - 1].end..tokens[end].start].contains('\n')
            {
                end += 1;
            }
            split = tokens
                .get(end)
                .is_none_or(|n| n.text.chars().next().is_some_and(|c| !c.is_lowercase()));
        }
        if !split {
            end = i + 1;
            split = tokens
                .get(end)
                .is_some_and(|n| text[tokens[i].end..n.start].contains('\n'));
        }
        if split || end >= tokens.len() {
            out.push(begin..end);
            begin = end;
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn abbreviations_keep_periods() {
        assert_eq!(toks("the U.N. envoy"), ["the", "U.N.", "envoy"]);
        assert_eq!(toks("in the U.S."), ["in", "the", "U.S."]);
        assert_eq!(
            toks("Mr. Smith met Dr. Jones"),
            ["Mr.", "Smith", "met", "Dr.", "Jones"]
        );
        assert_eq!(toks("on Dec. 3."), ["on", "Dec.", "3", "."]);
        assert_eq!(toks("George W. Bush"), ["George", "W.", "Bush"]);
        assert_eq!(toks("he left."), ["he", "left", "."]);
    }

    #[test]
    fn possessives_and_contractions_split() {
        assert_eq!(
            toks("Russia\u{2019}s future"),
            ["Russia", "\u{2019}s", "future"]
        );
        assert_eq!(
            toks("the U.N.\u{2019}s envoy"),
            ["the", "U.N.", "\u{2019}s", "envoy"]
        );
        assert_eq!(toks("didn't go"), ["did", "n't", "go"]);
        assert_eq!(toks("couldn\u{2019}t"), ["could", "n\u{2019}t"]);
        assert_eq!(toks("O'Brien's"), ["O'Brien", "'s"]);
        assert_eq!(
            toks("the countries' leaders"),
            ["the", "countries", "'", "leaders"]
        );
    }

    #[test]
    fn hyphens_numbers_quotes_dashes() {
        assert_eq!(toks("Mouaz al-Khatib"), ["Mouaz", "al-Khatib"]);
        assert_eq!(toks("21-month-old"), ["21-month-old"]);
        assert_eq!(toks("1,000 at 3.5%"), ["1,000", "at", "3.5", "%"]);
        assert_eq!(
            toks("MOSCOW \u{2014} \u{201C}No,\u{201D} he said"),
            ["MOSCOW", "\u{2014}", "\u{201C}", "No", ",", "\u{201D}", "he", "said"]
        );
        assert_eq!(toks("AT&T -- fine..."), ["AT&T", "--", "fine", "..."]);
    }

    #[test]
    fn offsets_point_into_text() {
        let s = "Syria\u{2019}s \u{201C}U.N.\u{201D}";
        for t in tokenize(s) {
            assert_eq!(&s[t.start..t.end], t.text);
        }
    }

    #[test]
    fn sentence_split() {
        let s = "HEADLINE IN CAPS\n\nMr. Putin spoke. \u{201C}Yes.\u{201D} He left the U.S. on Friday. it goes on";
        let t = tokenize(s);
        let got: Vec<Vec<&str>> = sentences(s, &t)
            .into_iter()
            .map(|r| t[r].iter().map(|t| t.text).collect())
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], ["HEADLINE", "IN", "CAPS"]);
        assert_eq!(got[1], ["Mr.", "Putin", "spoke", "."]);
        assert_eq!(got[2], ["\u{201C}", "Yes", ".", "\u{201D}"]);
        assert_eq!(got[3].last(), Some(&"on"));
    }
}
