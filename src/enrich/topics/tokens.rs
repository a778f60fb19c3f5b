//! Story text as lower-cased, lightly stemmed words, ready for lexicon
//! lookups of single words and phrases.
//!
//! The words are written into one buffer separated by single spaces, so a
//! phrase of consecutive words is a plain slice of that buffer and can be
//! looked up without allocating.

/// Words of a text, in one buffer.
#[derive(Debug, Default)]
pub struct Words {
    buf: String,
    /// Byte range of each word in `buf`, and whether a phrase may not run
    /// into it from the previous word (a sentence or clause ended).
    spans: Vec<(u32, u32, bool)>,
    /// Per word: written capitalised ("Labour", not "labour" or "LABOUR")
    /// inside a sentence, so a proper noun rather than a word that opens
    /// the sentence. Never set in a title-case text, where every word is
    /// capitalised.
    proper: Vec<bool>,
}

/// The state of the word being read: whether it may be a proper noun, and
/// how many characters it has so far.
#[derive(Default)]
struct Open {
    start: usize,
    capital: bool,
    chars: u32,
}

impl Words {
    /// Split a text into words.
    pub fn new(text: &str) -> Words {
        let mut w = Words::default();
        w.push_text(text);
        w
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether word `i` was written as a proper noun (see [`Words`]).
    pub fn is_proper(&self, i: usize) -> bool {
        self.proper[i]
    }

    /// The phrase of `n` words starting at word `i`, unless it would cross a
    /// clause boundary or run past the end.
    pub fn phrase(&self, i: usize, n: usize) -> Option<&str> {
        let last = i + n - 1;
        if last >= self.spans.len() || self.spans[i + 1..=last].iter().any(|s| s.2) {
            return None;
        }
        Some(&self.buf[self.spans[i].0 as usize..self.spans[last].1 as usize])
    }

    /// Appends the words of `text`. Each word is lowercased straight into
    /// `buf` (this runs over every word of every story).
    fn push_text(&mut self, text: &str) {
        self.buf.reserve(text.len());
        let mut word: Option<Open> = None;
        let mut boundary = true;
        // A capital here opens a sentence rather than naming something.
        let mut sentence_start = true;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_alphanumeric() {
                self.open_word(&mut word, sentence_start, c.is_ascii_uppercase());
                Self::more(&mut word, c.is_ascii_lowercase());
                self.buf.push(c.to_ascii_lowercase());
                continue;
            }
            if !c.is_ascii() && c.is_alphanumeric() {
                self.open_word(&mut word, sentence_start, c.is_uppercase());
                Self::more(&mut word, c.is_lowercase());
                c.to_lowercase().for_each(|l| self.buf.push(l));
                continue;
            }
            let next = chars.peek().copied();
            let next_alnum = next.is_some_and(char::is_alphanumeric);
            match c {
                // Inside a word: "don't" is one word, "Russia's" is "russia".
                '\'' | '’' if word.is_some() && next_alnum => {
                    if matches!(next, Some('s' | 'S')) {
                        let mut ahead = chars.clone();
                        ahead.next();
                        if !ahead.peek().is_some_and(|c| c.is_alphanumeric()) {
                            chars.next();
                        }
                    }
                    continue;
                }
                // Abbreviations with dots ("U.S.", "U.N.") stay one word, and
                // so do decimals ("3.5").
                '.' if next_alnum
                    && word
                        .as_ref()
                        .is_some_and(|w| dotted(&self.buf[w.start..], &chars)) =>
                {
                    continue;
                }
                _ => {}
            }
            if word.is_some() {
                sentence_start = false;
            }
            self.end_word(&mut word, &mut boundary);
            if ends_phrase(c) {
                boundary = true;
            }
            if starts_sentence_after(c) {
                sentence_start = true;
            }
        }
        self.end_word(&mut word, &mut boundary);
        // Title case: most words after the first are capitalised, so a
        // capital says nothing.
        let capitals = self.proper.iter().filter(|&&p| p).count();
        if capitals * 2 > self.proper.len().saturating_sub(1) {
            self.proper.iter_mut().for_each(|p| *p = false);
        }
    }

    /// Starts a word in `buf` unless one is open.
    fn open_word(&mut self, word: &mut Option<Open>, sentence_start: bool, upper: bool) {
        if word.is_none() {
            if !self.buf.is_empty() {
                self.buf.push(' ');
            }
            *word = Some(Open {
                start: self.buf.len(),
                capital: upper && !sentence_start,
                chars: 0,
            });
        }
    }

    /// Counts a character of the open word: a proper noun is a capital
    /// followed by lower case ("Labour", not "LABOUR" or "X").
    fn more(word: &mut Option<Open>, lower: bool) {
        if let Some(w) = word {
            if w.chars == 1 && !lower {
                w.capital = false;
            }
            w.chars += 1;
        }
    }

    fn end_word(&mut self, word: &mut Option<Open>, boundary: &mut bool) {
        let Some(w) = word.take() else {
            return;
        };
        stem(&mut self.buf, w.start);
        self.spans
            .push((w.start as u32, self.buf.len() as u32, *boundary));
        self.proper.push(w.capital && w.chars > 1);
        *boundary = false;
    }
}

/// Punctuation after which a capital opens a sentence (or a quotation, or
/// a line) rather than naming something.
fn starts_sentence_after(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ':' | '\n' | '"' | '“' | '‘' | '(' | '—' | '–' | '-' | '|'
    )
}

/// Whether a dot continues the word: between digits, or after a single
/// letter before another single letter.
fn dotted(word: &str, rest: &std::iter::Peekable<std::str::Chars>) -> bool {
    let mut ahead = rest.clone();
    let Some(n1) = ahead.next() else { return false };
    let last = word.chars().last().unwrap_or(' ');
    if last.is_ascii_digit() && n1.is_ascii_digit() {
        return true;
    }
    let single = word.chars().rev().nth(1).is_none_or(|c| !c.is_alphabetic());
    single && n1.is_alphabetic() && !ahead.next().is_some_and(char::is_alphanumeric)
}

/// Fold plurals to the singular, crudely but the same way for the lexicon
/// and the text, so that one lexicon entry covers both forms. The word is
/// the end of `buf` from `start`.
fn stem(buf: &mut String, start: usize) {
    let w = &buf[start..];
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        buf.truncate(buf.len() - 3);
        buf.push('y');
    } else if n > 4 && (w.ends_with("sses") || w.ends_with("xes") || w.ends_with("ches")) {
        buf.truncate(buf.len() - 2);
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        buf.truncate(buf.len() - 1);
    }
}

/// Punctuation that ends a phrase: lexicon phrases never span it.
fn ends_phrase(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '"'
            | '“'
            | '”'
            | '\n'
            | '—'
            | '–'
            | '|'
            | '\\'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let w = Words::new(text);
        (0..w.len())
            .map(|i| w.phrase(i, 1).unwrap().to_string())
            .collect()
    }

    #[test]
    fn words_are_folded() {
        assert_eq!(
            all("Russia’s U.S. Envoys met 3.5 cities' companies"),
            ["russia", "us", "envoy", "met", "35", "city", "company"]
        );
    }

    fn propers(text: &str) -> Vec<String> {
        let w = Words::new(text);
        (0..w.len())
            .filter(|&i| w.is_proper(i))
            .map(|i| w.phrase(i, 1).unwrap().to_string())
            .collect()
    }

    #[test]
    fn capitals_inside_sentences_are_proper_nouns() {
        assert_eq!(
            propers("Labour said the Tories and the SNP would lose the Commons vote, said Mr Brown. Later"),
            ["tory", "common", "mr", "brown"]
        );
        assert_eq!(
            propers("Workers said Labour's plan (Labour) was “Labour” work"),
            ["labour"]
        );
        assert!(propers("Labour Wins Vote As Tories Split").is_empty());
        assert_eq!(propers("Labour wins vote as Tories split"), ["tory"]);
    }

    #[test]
    fn phrases_stop_at_clause_ends() {
        let w = Words::new("the prime minister. Minister of state, said");
        assert_eq!(w.phrase(1, 2), Some("prime minister"));
        assert_eq!(w.phrase(2, 2), None);
        assert_eq!(w.phrase(3, 3), Some("minister of state"));
        assert_eq!(w.phrase(5, 2), None);
    }

    /// Words and boundaries as first computed, through a separate word
    /// buffer, to check the in-place version against.
    fn words_reference(text: &str) -> Vec<(String, bool)> {
        let mut w: Vec<(String, bool)> = Vec::new();
        let mut word = String::new();
        let mut boundary = true;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
                continue;
            }
            let next = chars.peek().copied();
            let next_alnum = next.is_some_and(char::is_alphanumeric);
            match c {
                // Inside a word: "don't" is one word, "Russia's" is "russia".
                '\'' | '’' if !word.is_empty() && next_alnum => {
                    if matches!(next, Some('s' | 'S')) {
                        let mut ahead = chars.clone();
                        ahead.next();
                        if !ahead.peek().is_some_and(|c| c.is_alphanumeric()) {
                            chars.next();
                        }
                    }
                    continue;
                }
                // Abbreviations with dots ("U.S.", "U.N.") stay one word, and
                // so do decimals ("3.5").
                '.' if !word.is_empty() && next_alnum && dotted(&word, &chars) => {
                    continue;
                }
                _ => {}
            }
            end_word(&mut w, &mut word, &mut boundary);
            if ends_phrase(c) {
                boundary = true;
            }
        }
        end_word(&mut w, &mut word, &mut boundary);
        w
    }

    fn end_word(w: &mut Vec<(String, bool)>, word: &mut String, boundary: &mut bool) {
        if word.is_empty() {
            return;
        }
        let mut buf = std::mem::take(word);
        stem(&mut buf, 0);
        w.push((buf, *boundary));
        *boundary = false;
    }

    fn words_of(text: &str) -> Vec<(String, bool)> {
        let w = Words::new(text);
        let mut joined = String::new();
        let out: Vec<(String, bool)> = w
            .spans
            .iter()
            .map(|&(a, b, boundary)| (w.buf[a as usize..b as usize].to_string(), boundary))
            .collect();
        for (t, _) in &out {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(t);
        }
        assert_eq!(joined, w.buf);
        out
    }

    #[test]
    fn in_place_words_match_reference() {
        for text in [
            "Russia’s U.S. Envoys met 3.5 cities' companies",
            "the prime minister. Minister of state, said",
            "",
            "'s ’S x's X'S don't U.S.A. a.b.c 3.5.6 e.g. Ph.D. ÉTATS-UNIS İstanbul Ǆungla",
            "boxes churches classes buses crisis gasses ties ies lies\nI.B.M.'s ½ ⅷ ٣.٤",
        ] {
            assert_eq!(words_of(text), words_reference(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn in_place_words_match_reference_on_any_text(
            text in "(?s)(.|[a-zA-Z0-9]{1,6}|[.'’ sS]|ies|sses|U\\.S\\.)*"
        ) {
            proptest::prop_assert_eq!(words_of(&text), words_reference(&text));
        }
    }
}
