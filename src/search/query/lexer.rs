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
}

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
                None => {
                    return Err(QueryError::new(
                        format!("unclosed '[' at column {}", column(query, start)),
                        start,
                    ))
                }
            },
            c if is_open_quote(c) => match query[next..].find(is_close_quote) {
                Some(i) => {
                    let close = query[next + i..].chars().next().map_or(1, char::len_utf8);
                    (
                        TokenKind::Phrase(query[next..next + i].to_string()),
                        next + i + close,
                    )
                }
                None => {
                    return Err(QueryError::new(
                        format!("unclosed quote at column {}", column(query, start)),
                        start,
                    ))
                }
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
                    _ => TokenKind::Word(word.to_string()),
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
