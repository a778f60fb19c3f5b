//! Splits a query string into tokens, each with its byte span.
//!
//! The lexer knows only the shapes of things (words, quotes, brackets,
//! `field:` prefixes); what they mean is the parser's business.

use super::error::QueryError;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word, as typed (`Assad’s`, `2012-12`, `reuters:crude`).
    Word(String),
    /// The text between quotes, without them.
    Phrase(String),
    /// `name:` directly before a value; the name as typed.
    Field(String),
    /// The text between `[` and `]`, without them.
    Range(String),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `OR` (upper case only: `or` is a word) or `||`.
    Or,
    /// `AND` or `&&`: the default anyway, accepted for habit's sake.
    And,
    /// `NOT`, excluding the term after it.
    Not,
    /// A `-` glued to the value it excludes.
    Minus,
    /// A nearness operator between two terms: `NEAR/5`, `w/5`,
    /// `SAME_SENTENCE` (`w/s`), `SAME_PARAGRAPH` (`w/p`).
    Near(Proximity),
    /// `~N` glued to the closing quote of a phrase; the text after `~`.
    Slop(String),
}

/// How close the two sides of a nearness operator must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proximity {
    /// At most this many words between them, in either order.
    Words(u32),
    /// In one sentence of the text.
    Sentence,
    /// In one paragraph of the text.
    Paragraph,
}

/// The largest distance `NEAR/n`, `w/n` and `"…"~n` accept.
pub const MAX_DISTANCE: u32 = 1000;

/// A token and the byte span it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte offset of the first char.
    pub start: usize,
    /// Byte offset just past the last char.
    pub end: usize,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

fn is_close_quote(c: char) -> bool {
    // People type mismatched curly quotes; any double quote closes.
    matches!(c, '"' | '“' | '”' | '„')
}

/// Chars that end a bare word.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '[') || is_open_quote(c)
}

/// The 1-based character column of a byte offset, for messages.
pub fn column(query: &str, offset: usize) -> usize {
    query
        .char_indices()
        .take_while(|&(i, _)| i < offset)
        .count()
        + 1
}

/// Splits `query` into tokens.
pub fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    // After `field:` the next word is a value even if it holds a colon,
    // so `topic:reuters:crude` is one field and one value.
    let mut after_field = false;
    while let Some(c) = query[pos..].chars().next() {
        let start = pos;
        let next = pos + c.len_utf8();
        if c.is_whitespace() {
            pos = next;
            after_field = false;
            continue;
        }
        let (kind, end) = match c {
            '(' => (TokenKind::LParen, next),
            ')' => (TokenKind::RParen, next),
            '[' => match query[next..].find(']') {
                Some(i) => (
                    TokenKind::Range(query[next..next + i].to_string()),
                    next + i + 1,
                ),
                None => return Err(QueryError::new("unclosed '['", start)),
            },
            c if is_open_quote(c) => match query[next..].find(is_close_quote) {
                Some(i) => {
                    let close = query[next + i..].chars().next().map_or(1, char::len_utf8);
                    let end = next + i + close;
                    tokens.push(Token {
                        kind: TokenKind::Phrase(query[next..next + i].to_string()),
                        start,
                        end,
                    });
                    pos = end;
                    after_field = false;
                    // `"Lavrov Assad"~10`: the slop belongs to the phrase.
                    if query[end..].starts_with('~') {
                        let stop = query[end..]
                            .find(is_delimiter)
                            .map_or(query.len(), |i| end + i);
                        tokens.push(Token {
                            kind: TokenKind::Slop(query[end + 1..stop].to_string()),
                            start: end,
                            end: stop,
                        });
                        pos = stop;
                    }
                    continue;
                }
                None => return Err(QueryError::new("unclosed quote", start)),
            },
            '-' if !after_field => (TokenKind::Minus, next),
            _ => {
                let end = query[pos..]
                    .find(is_delimiter)
                    .map_or(query.len(), |i| pos + i);
                let word = &query[pos..end];
                match field_prefix(word) {
                    Some(name) if !after_field => {
                        let end = pos + name.len() + 1;
                        tokens.push(Token {
                            kind: TokenKind::Field(name.to_string()),
                            start,
                            end,
                        });
                        pos = end;
                        after_field = true;
                        continue;
                    }
                    _ => {}
                }
                let kind = match word {
                    "OR" | "||" => TokenKind::Or,
                    "AND" | "&&" => TokenKind::And,
                    "NOT" => TokenKind::Not,
                    _ => match operator(word).map_err(|m| QueryError::new(m, start))? {
                        Some(p) => TokenKind::Near(p),
                        None => TokenKind::Word(word.to_string()),
                    },
                };
                (kind, end)
            }
        };
        after_field = false;
        tokens.push(Token { kind, start, end });
        pos = end;
    }
    Ok(tokens)
}

/// A nearness operator, `None` for an ordinary word, or an error for an
/// operator of Factiva, Nexis or Lucene that Dateline does not have (a
/// user who types `PRE/5` must not get a silent search for "pre 5").
fn operator(word: &str) -> Result<Option<Proximity>, String> {
    let lower = word.to_ascii_lowercase();
    let distance = |n: &str| -> Result<Option<Proximity>, String> {
        match n.parse::<u32>() {
            Ok(d) if (1..=MAX_DISTANCE).contains(&d) => Ok(Some(Proximity::Words(d))),
            _ if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => Err(format!(
                "'{word}': the distance must be from 1 to {MAX_DISTANCE} words"
            )),
            _ => Err(format!(
                "'{word}' is not an operator; write NEAR/5 or w/5 (within 5 words, any order)"
            )),
        }
    };
    if let Some(n) = lower
        .strip_prefix("near/")
        .or_else(|| lower.strip_prefix("w/"))
    {
        return match n {
            "s" => Ok(Some(Proximity::Sentence)),
            "p" => Ok(Some(Proximity::Paragraph)),
            _ => distance(n),
        };
    }
    match word {
        "SAME_SENTENCE" => return Ok(Some(Proximity::Sentence)),
        "SAME_PARAGRAPH" => return Ok(Some(Proximity::Paragraph)),
        "NEAR" => return Err("'NEAR' needs a distance: NEAR/5 (within 5 words, any order)".into()),
        "SAME" => {
            return Err(
                "'SAME' is not an operator here; write SAME_SENTENCE or SAME_PARAGRAPH".into(),
            )
        }
        _ => {}
    }
    // Factiva's `NEAR5`.
    if let Some(n) = word.strip_prefix("NEAR") {
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            return distance(n);
        }
    }
    let unsupported =
        |what: &str| Err(format!("'{word}' ({what}) is not supported; {ALTERNATIVE}"));
    const ALTERNATIVE: &str = "use NEAR/n (any order), SAME_SENTENCE or SAME_PARAGRAPH";
    if lower.starts_with("pre/") || lower.starts_with("onear/") {
        return unsupported("nearness in a fixed order");
    }
    if lower == "w/seg"
        || (lower.starts_with("atleast") && word.bytes().any(|b| b.is_ascii_digit()))
    {
        return unsupported("a Nexis segment or count operator");
    }
    let adj = word
        .strip_prefix("ADJ")
        .or_else(|| word.strip_prefix("ADJ/"));
    if adj.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'/')) {
        return unsupported("adjacency in a fixed order");
    }
    Ok(None)
}

/// The field name of a word like `person:Assad` or `person:`.
fn field_prefix(word: &str) -> Option<&str> {
    let colon = word.find(':')?;
    let name = &word[..colon];
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    fn kinds(q: &str) -> Vec<TokenKind> {
        lex(q).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn w(s: &str) -> TokenKind {
        Word(s.into())
    }

    #[test]
    fn words_operators_and_groups() {
        assert_eq!(
            kinds("Assad OR (Putin -Lavrov) NOT x AND y"),
            [
                w("Assad"),
                Or,
                LParen,
                w("Putin"),
                Minus,
                w("Lavrov"),
                RParen,
                Not,
                w("x"),
                And,
                w("y")
            ]
        );
    }

    #[test]
    fn lowercase_or_is_a_word() {
        assert_eq!(kinds("war or peace"), [w("war"), w("or"), w("peace")]);
    }

    #[test]
    fn straight_and_curly_phrases() {
        assert_eq!(
            kinds("\"political transition\" “Bashar Assad”"),
            [
                Phrase("political transition".into()),
                Phrase("Bashar Assad".into())
            ]
        );
    }

    #[test]
    fn fields_take_values_with_colons() {
        assert_eq!(
            kinds("topic:reuters:crude person:(a OR b) date:[2012 TO *]"),
            [
                Field("topic".into()),
                w("reuters:crude"),
                Field("person".into()),
                LParen,
                w("a"),
                Or,
                w("b"),
                RParen,
                Field("date".into()),
                Range("2012 TO *".into())
            ]
        );
    }

    #[test]
    fn dashes_inside_words_and_after_fields_are_not_minus() {
        assert_eq!(
            kinds("date:2012-12 al-Khatib"),
            [Field("date".into()), w("2012-12"), w("al-Khatib")]
        );
        assert_eq!(kinds("- x"), [Minus, w("x")]);
    }

    #[test]
    fn spans_are_byte_offsets() {
        let t = lex("Zürich person:x").unwrap();
        assert_eq!((t[0].start, t[0].end), (0, 7));
        assert_eq!((t[1].start, t[1].end), (8, 15));
        assert_eq!((t[2].start, t[2].end), (15, 16));
    }

    #[test]
    fn unclosed_quote_and_bracket() {
        let e = lex("war \"peace talks").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(e.message.contains("unclosed quote"), "{e}");
        let e = lex("date:[2012 TO").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(e.message.contains("unclosed '['"), "{e}");
    }
}
