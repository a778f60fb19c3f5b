//! Text analysis for news, shared by the writer and the query side so that
//! both always see the same terms.
//!
//! tantivy's default tokenizer splits `Assad’s` into `assad` and `s`, and
//! `U.N.` into `u` and `n`. [`NewsTokenizer`] instead keeps a word with its
//! internal apostrophes, drops a possessive `’s`, and joins dotted acronyms,
//! so `Assad’s` → `assad`, `O'Brien` → `obrien`, `U.N.` → `un`.
//!
//! For the body, [`body`] also marks where sentences and paragraphs end
//! (see [`breaks`](crate::index::breaks)): the word after a break is one
//! position further on, and that position holds [`SENTENCE_MARK`] or
//! [`PARAGRAPH_MARK`], a term no query word can analyse to. So a phrase
//! never runs across a sentence, and `SAME_SENTENCE` asks whether a mark
//! lies between two words.

use crate::index::breaks::{ends_sentence, paragraph_break};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Name of the analyzer for running text: folded, lower-cased, stemmed.
pub const STEMMED: &str = "news_stemmed";
/// Name of the analyzer for names and labels: folded and lower-cased only.
pub const PLAIN: &str = "news_plain";
/// Name of the analyzer of the body and headline: [`STEMMED`] with
/// sentence and paragraph marks.
pub const BODY: &str = "news_body";

/// The term at the position between two sentences of the body. Query
/// words never analyse to it: the tokenizer emits only alphanumerics.
pub const SENTENCE_MARK: &str = "\u{1}";
/// The term at the position between two paragraphs (instead of a
/// [`SENTENCE_MARK`]: a paragraph break also ends a sentence).
pub const PARAGRAPH_MARK: &str = "\u{2}";

/// Whether an analysed term is a break mark rather than a word.
pub fn is_mark(term: &str) -> bool {
    term == SENTENCE_MARK || term == PARAGRAPH_MARK
}

/// Registers the analyzers on an index.
pub fn register(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(STEMMED, stemmed());
    manager.register(PLAIN, plain());
    manager.register(BODY, body());
}

/// The analyzer for the body and headline: [`stemmed`] plus break marks.
pub fn body() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer {
        marks: true,
        ..NewsTokenizer::default()
    })
    .filter(RemoveLongFilter::limit(60))
    .filter(LowerCaser)
    .filter(AsciiFoldingFilter)
    // Marks are one char, which the stemmer leaves alone.
    .filter(Stemmer::new(Language::English))
    .build()
}

/// The analyzer for the lead, and for query words of the stemmed fields.
pub fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer for people, places, organisations, topics and datelines.
pub fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(NewsTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Every word an analyzer makes of `text`, in order (break marks left out).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if !is_mark(&token.text) {
            out.push(token.text.clone());
        }
    }
    out
}

/// Splits news text into words; see the module documentation.
#[derive(Clone, Default)]
pub struct NewsTokenizer {
    token: Token,
    /// Whether to emit break marks.
    marks: bool,
}

/// The token stream of [`NewsTokenizer`].
pub struct NewsTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
    marks: bool,
    /// A break seen since the last word: the mark to emit before the next.
    pending: Option<&'static str>,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        self.token.reset();
        NewsTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
            marks: self.marks,
            pending: None,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

impl NewsTokenStream<'_> {
    /// Reads the word starting at `start` (an alphanumeric char) into the
    /// token text. Returns where the word ends (for highlight offsets) and
    /// where reading stopped (past a dropped possessive).
    fn read_word(&mut self, start: usize) -> (usize, usize) {
        let rest = &self.text[start..];
        let word_end = if let Some(end) = dotted_acronym(rest) {
            // U.N., U.S.A.: the letters without their periods.
            self.token
                .text
                .extend(rest[..end].chars().filter(|c| *c != '.'));
            end
        } else {
            let mut end = 0;
            let mut chars = rest.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c.is_alphanumeric() {
                    self.token.text.push(c);
                    end = i + c.len_utf8();
                } else if is_apostrophe(c)
                    && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic())
                    && !possessive_at(&rest[i..])
                {
                    // `O'Brien`, `didn’t`: the apostrophe joins the word.
                    continue;
                } else {
                    break;
                }
            }
            end
        };
        let consumed = if possessive_at(&rest[word_end..]) {
            word_end + rest[word_end..].chars().next().map_or(0, char::len_utf8) + 1
        } else {
            word_end
        };
        (start + word_end, start + consumed)
    }
}

/// Whether `s` starts with a possessive `’s` that ends a word.
fn possessive_at(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if is_apostrophe(c))
        && matches!(chars.next(), Some('s' | 'S'))
        && chars.next().is_none_or(|c| !c.is_alphanumeric())
}

/// Length in bytes of a dotted acronym at the start of `s`, if there is one.
fn dotted_acronym(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut letters = 0;
    while i + 1 < b.len() && b[i].is_ascii_alphabetic() && b[i + 1] == b'.' {
        letters += 1;
        i += 2;
        if i < b.len() && b[i].is_ascii_alphanumeric() && !(i + 1 < b.len() && b[i + 1] == b'.') {
            // `U.Nations` is not an acronym; stop before the word.
            break;
        }
    }
    (letters >= 2).then_some(i)
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        while self.pos < self.text.len() {
            let c = match self.text[self.pos..].chars().next() {
                Some(c) => c,
                None => return false,
            };
            if c.is_alphanumeric() {
                if let Some(mark) = self.pending.take() {
                    // The mark takes the position between the words.
                    self.token.text.push_str(mark);
                    self.token.offset_from = self.pos;
                    self.token.offset_to = self.pos;
                    self.token.position = self.token.position.wrapping_add(1);
                    return true;
                }
                let start = self.pos;
                let (word_end, consumed) = self.read_word(start);
                self.pos = consumed.max(start + c.len_utf8());
                self.token.offset_from = start;
                self.token.offset_to = word_end.max(start + c.len_utf8());
                self.token.position = self.token.position.wrapping_add(1);
                return true;
            }
            if self.marks && self.token.position != usize::MAX {
                if c == '\n' && paragraph_break(self.text, self.pos) {
                    self.pending = Some(PARAGRAPH_MARK);
                } else if matches!(c, '.' | '!' | '?')
                    && self.pending.is_none()
                    && ends_sentence(self.text, self.pos)
                {
                    self.pending = Some(SENTENCE_MARK);
                }
            }
            self.pos += c.len_utf8();
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_terms(s: &str) -> Vec<String> {
        terms(&mut plain(), s)
    }

    #[test]
    fn possessives_index_as_the_name() {
        assert_eq!(plain_terms("Assad’s regime"), ["assad", "regime"]);
        assert_eq!(plain_terms("Assad's regime"), ["assad", "regime"]);
        assert_eq!(plain_terms("the U.N.’s envoy"), ["the", "un", "envoy"]);
    }

    #[test]
    fn apostrophes_inside_words_join() {
        assert_eq!(plain_terms("O'Brien didn’t"), ["obrien", "didnt"]);
        assert_eq!(plain_terms("rock 'n' roll"), ["rock", "n", "roll"]);
    }

    #[test]
    fn accents_fold_and_acronyms_join() {
        assert_eq!(plain_terms("Zürich U.S. a.m."), ["zurich", "us", "am"]);
        assert_eq!(
            plain_terms("al-Khatib, 21-month-old"),
            ["al", "khatib", "21", "month", "old"]
        );
    }

    #[test]
    fn stemming_applies_to_running_text() {
        assert_eq!(
            terms(&mut stemmed(), "elections Refugees"),
            ["elect", "refuge"]
        );
    }

    #[test]
    fn offsets_cover_the_word_without_its_possessive() {
        let text = "Assad’s men";
        let mut a = plain();
        let mut stream = a.token_stream(text);
        let t = stream.next().unwrap();
        assert_eq!(&text[t.offset_from..t.offset_to], "Assad");
        let t = stream.next().unwrap();
        assert_eq!(&text[t.offset_from..t.offset_to], "men");
    }

    /// Each token of the body analyzer with its position.
    fn body_tokens(text: &str) -> Vec<(usize, String)> {
        let mut a = body();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.position, t.text.clone()));
        }
        out
    }

    #[test]
    fn the_body_marks_sentence_and_paragraph_breaks() {
        let toks = body_tokens("Talks began. Mr. Lavrov spoke!\n\nNew talks? no");
        let shown: Vec<String> = toks
            .iter()
            .map(|(p, t)| {
                format!(
                    "{p}:{}",
                    t.replace(SENTENCE_MARK, "|").replace(PARAGRAPH_MARK, "¶")
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "0:talk", "1:began", "2:|", "3:mr", "4:lavrov", "5:spoke", "6:¶", "7:new",
                "8:talk", "9:no"
            ]
        );
        // The query side sees words only, the same ones.
        assert_eq!(
            terms(&mut body(), "Talks began. Then"),
            terms(&mut stemmed(), "Talks began. Then")
        );
        // Nothing before the first word or after the last.
        assert_eq!(body_tokens(". A.\n\n").len(), 1);
    }

    #[test]
    fn odd_input_never_panics() {
        for s in [
            "",
            "'",
            "’s",
            "a.",
            "a.b",
            "x'",
            "'s's",
            "é’ß’s",
            "U.N",
            "\u{0}\u{ffff}",
        ] {
            let _ = plain_terms(s);
            let _ = body_tokens(s);
        }
    }
}
