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

    /// The phrase of `n` words starting at word `i`, unless it would cross a
    /// clause boundary or run past the end.
    pub fn phrase(&self, i: usize, n: usize) -> Option<&str> {
        let last = i + n - 1;
        if last >= self.spans.len() || self.spans[i + 1..=last].iter().any(|s| s.2) {
            return None;
        }
        Some(&self.buf[self.spans[i].0 as usize..self.spans[last].1 as usize])
    }

    fn push_text(&mut self, text: &str) {
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
                '.' if !word.is_empty() && next_alnum && self.dotted(&word, &chars) => {
                    continue;
                }
                _ => {}
            }
            self.end_word(&mut word, &mut boundary);
            if matches!(
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
            ) {
                boundary = true;
            }
        }
        self.end_word(&mut word, &mut boundary);
    }

    /// Whether a dot continues the word: between digits, or after a single
    /// letter before another single letter.
    fn dotted(&self, word: &str, rest: &std::iter::Peekable<std::str::Chars>) -> bool {
        let mut ahead = rest.clone();
        let Some(n1) = ahead.next() else { return false };
        let last = word.chars().last().unwrap_or(' ');
        if last.is_ascii_digit() && n1.is_ascii_digit() {
            return true;
        }
        let single = word.chars().rev().nth(1).is_none_or(|c| !c.is_alphabetic());
        single && n1.is_alphabetic() && !ahead.next().is_some_and(char::is_alphanumeric)
    }

    fn end_word(&mut self, word: &mut String, boundary: &mut bool) {
        if word.is_empty() {
            return;
        }
        stem(word);
        if !self.buf.is_empty() {
            self.buf.push(' ');
        }
        let start = self.buf.len() as u32;
        self.buf.push_str(word);
        self.spans.push((start, self.buf.len() as u32, *boundary));
        word.clear();
        *boundary = false;
    }
}

/// Fold plurals to the singular, crudely but the same way for the lexicon
/// and the text, so that one lexicon entry covers both forms.
fn stem(w: &mut String) {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        w.truncate(n - 3);
        w.push('y');
    } else if n > 4 && (w.ends_with("sses") || w.ends_with("xes") || w.ends_with("ches")) {
        w.truncate(n - 2);
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.truncate(n - 1);
    }
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

    #[test]
    fn phrases_stop_at_clause_ends() {
        let w = Words::new("the prime minister. Minister of state, said");
        assert_eq!(w.phrase(1, 2), Some("prime minister"));
        assert_eq!(w.phrase(2, 2), None);
        assert_eq!(w.phrase(3, 3), Some("minister of state"));
        assert_eq!(w.phrase(5, 2), None);
    }
}
