//! Tokens to a syntax tree.
//!
//! Grammar, loosest first (like web search engines, `OR` binds tighter
//! than the implicit AND, so `Assad Putin OR Lavrov` wants Assad and either
//! of the others):
//!
//! ```text
//! query   = seq EOF
//! seq     = near+                        (all required; `AND` allowed)
//! near    = either (NEAR either)*        (NEAR/n, w/n, SAME_SENTENCE, …)
//! either  = unary ("OR" unary)*
//! unary   = ("-" | "NOT") unary | primary
//! primary = WORD | PHRASE [~N] | "(" seq ")" | FIELD ":" value
//! value   = WORD | PHRASE [~N] | "(" seq ")" | RANGE (RANGE for date: only)
//! ```
//!
//! As in Nexis, `OR` binds tighter than nearness and nearness tighter than
//! AND: `Lavrov OR Putin NEAR/5 Assad` is `(Lavrov OR Putin) NEAR/5 Assad`.
//! A word's own shape says more: `negotiat*` and `negotiat!` (prefix),
//! `wom?n` (one character), `Brahimi~1` (edit distance).

use super::dates::{self, DateSpan};
use super::error::QueryError;
use super::lexer::{lex, Proximity, Token, TokenKind, MAX_DISTANCE};
use crate::read::Kind;

/// A field a query can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryField {
    /// People's canonical names and the aliases they are mentioned under.
    Person,
    /// Places, their countries and regions, and the dateline's.
    Place,
    /// Organisations.
    Org,
    /// Topic labels with their ancestors, and source codes (`reuters:crude`).
    Topic,
    /// The dateline as written, with its resolved place and country.
    Dateline,
    /// Authors.
    Byline,
    /// The headline, stemmed like the text.
    Headline,
    /// Agency, feed and file format.
    Source,
    /// The body's shape: `story`, `brief`, `table` or `list`.
    Kind,
    /// Publication date: a period or a `[A TO B]` range.
    Date,
    /// The speakers of the story's quotations (`said:Lavrov`).
    Said,
    /// Words inside a quotation (`quote:Assad`); with `said:` in the same
    /// group, inside one quotation of that speaker.
    Quote,
}

/// Every field name the query language knows, in the order error
/// messages list them.
pub const FIELD_NAMES: &[(&str, QueryField)] = &[
    ("person", QueryField::Person),
    ("place", QueryField::Place),
    ("org", QueryField::Org),
    ("topic", QueryField::Topic),
    ("dateline", QueryField::Dateline),
    ("byline", QueryField::Byline),
    ("headline", QueryField::Headline),
    ("source", QueryField::Source),
    ("kind", QueryField::Kind),
    ("date", QueryField::Date),
    ("said", QueryField::Said),
    ("quote", QueryField::Quote),
];

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// A word as typed, searched in `field` or, without one, everywhere.
    Word {
        field: Option<QueryField>,
        text: String,
    },
    /// Words that must follow each other.
    Phrase {
        field: Option<QueryField>,
        text: String,
    },
    /// Published within the span.
    Date(DateSpan),
    /// Every part must match (negated parts must not).
    And(Vec<Ast>),
    /// At least one part must match.
    Or(Vec<Ast>),
    /// Must not match.
    Not(Box<Ast>),
    /// A word with wildcards: `*` any run of characters (`!` at the end
    /// is the same), `?` one character. Never starts with one.
    Wildcard {
        field: Option<QueryField>,
        /// As typed, `!` turned into `*`.
        pattern: String,
        /// Byte offset of the word in the query.
        at: usize,
    },
    /// A word and its spellings within an edit distance (`Brahimi~1`).
    Fuzzy {
        field: Option<QueryField>,
        text: String,
        /// 1 or 2.
        distance: u8,
        at: usize,
    },
    /// A phrase whose words may come in any order with at most `slop`
    /// other words among them (`"Lavrov Assad"~10`).
    Sloppy {
        field: Option<QueryField>,
        text: String,
        slop: u32,
        at: usize,
    },
    /// Both sides, close together in the text.
    Near {
        op: Proximity,
        left: Box<Ast>,
        right: Box<Ast>,
        /// Byte offset of the operator.
        at: usize,
    },
}

/// The largest edit distance of `word~N`.
pub const MAX_EDITS: u8 = 2;

/// How deeply groups and negations may nest: the parser recurses, and a
/// query of ten thousand `(` must be an error, not a stack overflow.
const MAX_NESTING: usize = 64;

/// Parses a query string.
pub fn parse(query: &str) -> Result<Ast, QueryError> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Err(QueryError::new("empty query", 0));
    }
    let mut p = Parser {
        query,
        tokens,
        pos: 0,
        depth: 0,
        nesting: 0,
    };
    let ast = p.seq(None)?;
    if let Some(t) = p.peek() {
        // `seq` stops only at the end or a `)`; at depth 0 it has no `(`.
        return Err(p.err("unmatched ')'".into(), t.start));
    }
    Ok(ast)
}

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Token>,
    pos: usize,
    /// Open groups, to tell a stray `)` from an empty group.
    depth: usize,
    /// Open groups and negations, bounded by [`MAX_NESTING`].
    nesting: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn err(&self, message: String, offset: usize) -> QueryError {
        QueryError::new(message, offset)
    }

    /// Whether the current token can start an operand.
    fn at_operand(&self) -> bool {
        matches!(
            self.peek().map(|t| &t.kind),
            Some(
                TokenKind::Word(_)
                    | TokenKind::Phrase(_)
                    | TokenKind::Field(_)
                    | TokenKind::Range(_)
                    | TokenKind::LParen
                    | TokenKind::Minus
                    | TokenKind::Not
            )
        )
    }

    fn seq(&mut self, field: Option<QueryField>) -> Result<Ast, QueryError> {
        let mut items = Vec::new();
        loop {
            match self.peek().map(|t| (t.kind.clone(), t.start)) {
                None | Some((TokenKind::RParen, _)) => break,
                Some((TokenKind::And, start)) => {
                    self.pos += 1;
                    if items.is_empty() || !self.at_operand() {
                        return Err(self.err("'AND' needs a term on each side".into(), start));
                    }
                }
                Some(_) => items.push(self.near(field)?),
            }
        }
        match items.len() {
            0 => {
                let offset = self.peek().map_or(self.query.len(), |t| t.start);
                let message = if self.depth == 0 {
                    "unmatched ')'"
                } else {
                    "empty group"
                };
                Err(self.err(message.into(), offset))
            }
            1 => Ok(items.pop().expect("one item")),
            _ => Ok(Ast::And(items)),
        }
    }

    fn near(&mut self, field: Option<QueryField>) -> Result<Ast, QueryError> {
        let mut left = self.either(field)?;
        while let Some((op, at)) = self.peek().and_then(|t| match t.kind {
            TokenKind::Near(op) => Some((op, t.start)),
            _ => None,
        }) {
            self.pos += 1;
            if !self.at_operand() {
                return Err(self.err(format!("'{}' needs a term on each side", self.text(at)), at));
            }
            let right = self.either(field)?;
            let mut fields = Vec::new();
            for side in [&left, &right] {
                positional(side, &mut fields)
                    .map_err(|why| self.err(format!("'{}' {why}", self.text(at)), at))?;
            }
            if fields.windows(2).any(|w| w[0] != w[1]) {
                return Err(self.err(
                    format!(
                        "'{}' needs both sides in the same field (the text, or headline:)",
                        self.text(at)
                    ),
                    at,
                ));
            }
            left = Ast::Near {
                op,
                left: Box::new(left),
                right: Box::new(right),
                at,
            };
        }
        Ok(left)
    }

    /// The operator word at `at`, for messages.
    fn text(&self, at: usize) -> &str {
        let rest = &self.query[at..];
        &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())]
    }

    fn either(&mut self, field: Option<QueryField>) -> Result<Ast, QueryError> {
        let mut items = vec![self.unary(field)?];
        while let Some(t) = self.peek().filter(|t| t.kind == TokenKind::Or) {
            let start = t.start;
            self.pos += 1;
            if !self.at_operand() {
                return Err(self.or_error(start));
            }
            items.push(self.unary(field)?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Ast::Or(items)
        })
    }

    fn or_error(&self, start: usize) -> QueryError {
        self.err("'OR' needs a term on each side".into(), start)
    }

    fn unary(&mut self, field: Option<QueryField>) -> Result<Ast, QueryError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.err("expected a term at the end".into(), self.query.len()));
        };
        if self.nesting >= MAX_NESTING {
            return Err(self.err(
                format!("the query nests more than {MAX_NESTING} deep"),
                t.start,
            ));
        }
        self.nesting += 1;
        let result = self.unary_inner(t, field);
        self.nesting -= 1;
        result
    }

    fn unary_inner(&mut self, t: Token, field: Option<QueryField>) -> Result<Ast, QueryError> {
        match t.kind {
            TokenKind::Minus | TokenKind::Not => {
                self.pos += 1;
                let glued = self.peek().is_some_and(|n| n.start == t.end);
                let ok = self.at_operand() && (t.kind == TokenKind::Not || glued);
                if !ok {
                    let what = if t.kind == TokenKind::Minus {
                        "-"
                    } else {
                        "NOT"
                    };
                    return Err(self.err(
                        format!("'{what}' must come right before the term it excludes"),
                        t.start,
                    ));
                }
                Ok(Ast::Not(Box::new(self.unary(field)?)))
            }
            _ => self.primary(field),
        }
    }

    fn primary(&mut self, field: Option<QueryField>) -> Result<Ast, QueryError> {
        let t = self.next().expect("unary checked for a token");
        match t.kind {
            TokenKind::Word(w) => self.value_word(field, w, t.start),
            TokenKind::Phrase(p) => {
                let slop = match self.peek() {
                    Some(Token {
                        kind: TokenKind::Slop(s),
                        start,
                        ..
                    }) => Some((s.clone(), *start)),
                    _ => None,
                };
                if matches!(field, Some(QueryField::Date | QueryField::Kind)) {
                    if let Some((_, at)) = slop {
                        return Err(self.err("'~' does not apply to a date or a kind".into(), at));
                    }
                    return self.value_word(field, p.trim().to_string(), t.start);
                }
                self.phrase(field, p, t.start, slop)
            }
            TokenKind::Slop(_) => Err(self.err(
                "'~' must follow a word or a closing quote: Brahimi~1, \"Lavrov Assad\"~10".into(),
                t.start,
            )),
            TokenKind::Near(_) => Err(self.err(
                format!("'{}' needs a term on each side", self.text(t.start)),
                t.start,
            )),
            TokenKind::LParen => self.group(field, t.start),
            TokenKind::Range(r) => {
                if field != Some(QueryField::Date) {
                    return Err(self.err("a [range] needs 'date:' before it".into(), t.start));
                }
                dates::parse_range(&r)
                    .map(Ast::Date)
                    .map_err(|m| self.err(m, t.start))
            }
            TokenKind::Field(name) => {
                let f = resolve_field(&name).ok_or_else(|| self.unknown_field(&name, t.start))?;
                let value_follows = self.peek().is_some_and(|n| {
                    n.start == t.end
                        && matches!(
                            n.kind,
                            TokenKind::Word(_)
                                | TokenKind::Phrase(_)
                                | TokenKind::LParen
                                | TokenKind::Range(_)
                        )
                });
                if !value_follows {
                    return Err(self.err(format!("missing value after '{name}:'"), t.start));
                }
                self.primary(Some(f))
            }
            TokenKind::Or => Err(self.or_error(t.start)),
            TokenKind::And => Err(self.err("'AND' needs a term on each side".into(), t.start)),
            TokenKind::RParen => Err(self.err("unmatched ')'".into(), t.start)),
            TokenKind::Minus | TokenKind::Not => unreachable!("handled by unary"),
        }
    }

    fn group(&mut self, field: Option<QueryField>, open: usize) -> Result<Ast, QueryError> {
        self.depth += 1;
        let inner = self.seq(field)?;
        self.depth -= 1;
        match self.next() {
            Some(t) if t.kind == TokenKind::RParen => Ok(inner),
            _ => Err(self.err("unclosed '('".into(), open)),
        }
    }

    fn value_word(
        &self,
        field: Option<QueryField>,
        text: String,
        start: usize,
    ) -> Result<Ast, QueryError> {
        if field == Some(QueryField::Date) {
            return dates::parse_period(&text)
                .map(Ast::Date)
                .map_err(|m| self.err(m, start));
        }
        if field == Some(QueryField::Kind) {
            if !Kind::ALL.iter().any(|k| k.name() == text.to_lowercase()) {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                return Err(self.err(
                    format!("unknown kind '{text}'; kinds: {}", kinds.join(", ")),
                    start,
                ));
            }
            return Ok(Ast::Word { field, text });
        }
        word_shape(field, text, start)
    }

    /// A phrase, with its `~N` if one follows.
    fn phrase(
        &mut self,
        field: Option<QueryField>,
        text: String,
        at: usize,
        slop: Option<(String, usize)>,
    ) -> Result<Ast, QueryError> {
        if let Some(i) = inner_wildcard(&text) {
            // Quotes open at `at`; the wildcard is `i` bytes past them.
            let quote = self.query[at..].chars().next().map_or(1, char::len_utf8);
            return Err(self.err(
                "wildcards do not work inside quotes; use NEAR/1 between words: negotiat* NEAR/1 talks"
                    .into(),
                at + quote + i,
            ));
        }
        let Some((s, slop_at)) = slop else {
            return Ok(Ast::Phrase { field, text });
        };
        self.pos += 1;
        let slop = match s.parse::<u32>() {
            Ok(n) if n <= MAX_DISTANCE => n,
            _ => {
                return Err(self.err(
                    format!(
                        "'~{s}' after a phrase must be a number of words from 0 to {MAX_DISTANCE}: \"Lavrov Assad\"~10"
                    ),
                    slop_at,
                ))
            }
        };
        if slop == 0 {
            return Ok(Ast::Phrase { field, text });
        }
        Ok(Ast::Sloppy {
            field,
            text,
            slop,
            at,
        })
    }

    fn unknown_field(&self, name: &str, offset: usize) -> QueryError {
        let lower = name.to_lowercase();
        let nearest = FIELD_NAMES
            .iter()
            .map(|(n, _)| (edit_distance(&lower, n), *n))
            .min()
            .filter(|(d, _)| *d <= 2)
            .map(|(_, n)| format!("; did you mean '{n}'?"))
            .unwrap_or_else(|| ";".to_string());
        let all: Vec<&str> = FIELD_NAMES.iter().map(|(n, _)| *n).collect();
        self.err(
            format!("unknown field '{name}'{nearest} fields: {}", all.join(", ")),
            offset,
        )
    }
}

/// Where a phrase holds a `*`, or a `?` inside a word, if anywhere.
fn inner_wildcard(text: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars.iter().enumerate().find_map(|(k, &(i, c))| {
        let before = k > 0 && chars[k - 1].1.is_alphanumeric();
        let after = chars.get(k + 1).is_some_and(|n| n.1.is_alphanumeric());
        ((c == '*' && (before || after)) || (c == '?' && before && after)).then_some(i)
    })
}

/// What a bare word means by its shape: a plain word, a wildcard pattern,
/// a fuzzy word, or syntax from elsewhere that Dateline refuses by name.
fn word_shape(field: Option<QueryField>, text: String, at: usize) -> Result<Ast, QueryError> {
    let err = |m: String, off: usize| Err(QueryError::new(m, at + off));
    if let Some(i) = text.find('^') {
        return err(format!("'{text}': boosts (^) are not supported"), i);
    }
    if text.starts_with('/') {
        return err(
            format!("'{text}': regular expressions (/…/) are not supported; use * and ?"),
            0,
        );
    }
    if text.starts_with('{') {
        return err(format!("'{text}': ranges are written date:[A TO B]"), 0);
    }
    if let Some(i) = text.rfind('~') {
        let (base, suffix) = (&text[..i], &text[i + 1..]);
        let distance = match suffix {
            "" => MAX_EDITS,
            _ => match suffix.parse::<u8>() {
                Ok(d) if d <= MAX_EDITS => d,
                _ => {
                    return err(
                        format!("'{text}': the edit distance after '~' is 0, 1 or 2 (Brahimi~1)"),
                        i,
                    )
                }
            },
        };
        if base.is_empty() || !base.chars().any(char::is_alphanumeric) {
            return err(format!("'{text}': '~' needs a word before it"), i);
        }
        if let Some(w) = base.find(['*', '?', '~']) {
            return err(
                format!("'{text}': a word cannot be both fuzzy and a wildcard"),
                w,
            );
        }
        if distance == 0 {
            return Ok(Ast::Word {
                field,
                text: base.to_string(),
            });
        }
        return Ok(Ast::Fuzzy {
            field,
            text: base.to_string(),
            distance,
            at,
        });
    }
    // Nexis's root expander: `negotiat!` is `negotiat*`.
    let trimmed = text.trim_end_matches('!');
    let bang = trimmed.len() < text.len() && !trimmed.is_empty() && !trimmed.ends_with('*');
    if trimmed.contains(['*', '?']) || bang {
        if let Some(i) = trimmed.find('!') {
            return err(
                format!("'{text}': '!' truncates only at the end of a word"),
                i,
            );
        }
        let pattern = if bang {
            format!("{trimmed}*")
        } else {
            trimmed.to_string()
        };
        let first = pattern.chars().next().expect("not empty");
        if !first.is_alphanumeric() {
            return err(
                format!("'{text}': a word cannot start with a wildcard; give its first letters"),
                0,
            );
        }
        return Ok(Ast::Wildcard { field, pattern, at });
    }
    Ok(Ast::Word { field, text })
}

/// Checks that `ast` can stand beside a nearness operator (words,
/// phrases, wildcards and `OR` groups of them, one field), collecting the
/// fields its words are searched in.
fn positional(ast: &Ast, fields: &mut Vec<Option<QueryField>>) -> Result<(), &'static str> {
    let mut field = |f: &Option<QueryField>| match f {
        None | Some(QueryField::Headline) => {
            fields.push(*f);
            Ok(())
        }
        Some(_) => {
            Err("works on the story's words (and headline:), not on names, topics or other fields")
        }
    };
    match ast {
        Ast::Word { field: f, .. }
        | Ast::Phrase { field: f, .. }
        | Ast::Wildcard { field: f, .. }
        | Ast::Fuzzy { field: f, .. }
        | Ast::Sloppy { field: f, .. } => field(f),
        Ast::Or(items) => items.iter().try_for_each(|i| positional(i, fields)),
        Ast::Near { left, right, .. } => {
            positional(left, fields)?;
            positional(right, fields)
        }
        Ast::Date(_) => Err("cannot take a date; put date: beside the nearness instead"),
        Ast::Not(_) => Err("cannot take an exclusion; put -word beside the nearness instead"),
        Ast::And(_) => {
            Err("joins words, phrases and OR groups, not a group of several required terms")
        }
    }
}

fn resolve_field(name: &str) -> Option<QueryField> {
    FIELD_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, f)| *f)
}

/// Levenshtein distance over chars, for suggesting field names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Ast {
        Ast::Word {
            field: None,
            text: text.into(),
        }
    }

    fn fword(field: QueryField, text: &str) -> Ast {
        Ast::Word {
            field: Some(field),
            text: text.into(),
        }
    }

    fn err(q: &str) -> QueryError {
        parse(q).expect_err(q)
    }

    #[test]
    fn words_are_all_required() {
        assert_eq!(
            parse("Assad Putin").unwrap(),
            Ast::And(vec![word("Assad"), word("Putin")])
        );
        assert_eq!(
            parse("Assad AND Putin").unwrap(),
            Ast::And(vec![word("Assad"), word("Putin")])
        );
    }

    #[test]
    fn or_binds_tighter_than_and() {
        assert_eq!(
            parse("Assad Putin OR Lavrov").unwrap(),
            Ast::And(vec![
                word("Assad"),
                Ast::Or(vec![word("Putin"), word("Lavrov")])
            ])
        );
    }

    #[test]
    fn negation_and_groups() {
        assert_eq!(
            parse("-a NOT (b OR c)").unwrap(),
            Ast::And(vec![
                Ast::Not(Box::new(word("a"))),
                Ast::Not(Box::new(Ast::Or(vec![word("b"), word("c")])))
            ])
        );
    }

    #[test]
    fn fields_are_case_insensitive_and_take_groups() {
        use QueryField::*;
        assert_eq!(parse("Person:Assad").unwrap(), fword(Person, "Assad"));
        assert_eq!(
            parse("person:(Assad OR Putin)").unwrap(),
            Ast::Or(vec![fword(Person, "Assad"), fword(Person, "Putin")])
        );
        assert_eq!(
            parse("person:\"Bashar Assad\"").unwrap(),
            Ast::Phrase {
                field: Some(Person),
                text: "Bashar Assad".into()
            }
        );
        assert_eq!(
            parse("topic:reuters:crude").unwrap(),
            fword(Topic, "reuters:crude")
        );
        // Only the first word belongs to the field.
        assert_eq!(
            parse("place:New York").unwrap(),
            Ast::And(vec![fword(Place, "New"), word("York")])
        );
    }

    #[test]
    fn dates_parse_to_spans() {
        assert!(matches!(parse("date:2012").unwrap(), Ast::Date(_)));
        assert!(matches!(
            parse("date:[2012-12-01 TO *]").unwrap(),
            Ast::Date(_)
        ));
        assert!(matches!(parse("date:(2012 OR 2014)").unwrap(), Ast::Or(_)));
    }

    #[test]
    fn errors_point_at_their_cause() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "empty query"),
            ("   ", 0, "empty query"),
            ("war \"peace", 4, "unclosed quote"),
            ("(war peace", 0, "unclosed '('"),
            ("war (peace OR (x)", 4, "unclosed '('"),
            ("war) peace", 3, "unmatched ')'"),
            (")", 0, "unmatched ')'"),
            ("war ()", 5, "empty group"),
            ("persn:Assad", 0, "did you mean 'person'?"),
            ("x plase:Syria", 2, "did you mean 'place'?"),
            ("person:", 0, "missing value after 'person:'"),
            ("person: Assad", 0, "missing value"),
            ("person:)", 0, "missing value"),
            ("a -", 2, "'-' must come right before"),
            ("a - b", 2, "'-'"),
            ("NOT", 0, "'NOT'"),
            ("OR", 0, "'OR'"),
            ("OR war", 0, "'OR'"),
            ("war OR", 4, "'OR'"),
            ("war OR OR peace", 4, "'OR'"),
            ("war AND", 4, "'AND'"),
            ("date:2012-13-40", 5, "not a day"),
            ("date:2012-02-30", 5, "not a day"),
            ("date:2012-13", 5, "not a month"),
            ("date:yesterday", 5, "not a date"),
            ("date:[2013 TO 2012]", 5, "ends before it starts"),
            ("date:[2012 TO]", 5, "bad range"),
            ("date:[2012 TO 2013", 5, "unclosed '['"),
            ("[2012 TO 2013]", 0, "needs 'date:'"),
            (&"(".repeat(10_000), 64, "nests more than"),
            (&format!("{}x", "-".repeat(10_000)), 64, "nests more than"),
        ];
        for (q, offset, needle) in cases {
            let e = err(q);
            assert_eq!(e.offset, *offset, "{q}: {e}");
            assert!(e.message.contains(needle), "{q}: {e}");
        }
    }

    #[test]
    fn unknown_field_lists_the_fields() {
        let e = err("persn:Assad");
        assert_eq!(
            e.message,
            "unknown field 'persn'; did you mean 'person'? fields: person, place, org, topic, dateline, byline, headline, source, kind, date, said, quote"
        );
        let e = err("zzzzzzz:x");
        assert!(!e.message.contains("did you mean"), "{e}");
    }

    #[test]
    fn no_message_repeats_its_column() {
        for q in [
            "war \"peace",
            "(a",
            "a)",
            "persn:x",
            "date:2012-13",
            "a OR",
            "PRE/5 x",
        ] {
            let e = err(q);
            assert!(!e.message.contains("column"), "{q}: {e}");
        }
    }

    #[test]
    fn wildcards_fuzzy_words_and_slop() {
        use QueryField::*;
        let wild = |field, pattern: &str, at| Ast::Wildcard {
            field,
            pattern: pattern.into(),
            at,
        };
        assert_eq!(parse("negotiat*").unwrap(), wild(None, "negotiat*", 0));
        assert_eq!(parse("negotiat!").unwrap(), wild(None, "negotiat*", 0));
        assert_eq!(
            parse("x person:Kad*").unwrap(),
            Ast::And(vec![word("x"), wild(Some(Person), "Kad*", 9)])
        );
        assert_eq!(parse("wom?n").unwrap(), wild(None, "wom?n", 0));
        assert_eq!(
            parse("Brahimi~1").unwrap(),
            Ast::Fuzzy {
                field: None,
                text: "Brahimi".into(),
                distance: 1,
                at: 0
            }
        );
        assert!(matches!(
            parse("Brahimi~").unwrap(),
            Ast::Fuzzy { distance: 2, .. }
        ));
        assert_eq!(parse("Brahimi~0").unwrap(), word("Brahimi"));
        assert_eq!(
            parse("\"Lavrov Assad\"~10").unwrap(),
            Ast::Sloppy {
                field: None,
                text: "Lavrov Assad".into(),
                slop: 10,
                at: 0
            }
        );
        assert!(matches!(parse("\"a b\"~0").unwrap(), Ast::Phrase { .. }));
    }

    #[test]
    fn nearness_binds_between_or_and_and() {
        let near = |op, l, r, at| Ast::Near {
            op,
            left: Box::new(l),
            right: Box::new(r),
            at,
        };
        assert_eq!(
            parse("Lavrov NEAR/5 Assad").unwrap(),
            near(Proximity::Words(5), word("Lavrov"), word("Assad"), 7)
        );
        assert_eq!(
            parse("x Lavrov OR Putin w/3 Assad").unwrap(),
            Ast::And(vec![
                word("x"),
                near(
                    Proximity::Words(3),
                    Ast::Or(vec![word("Lavrov"), word("Putin")]),
                    word("Assad"),
                    18
                )
            ])
        );
        for (q, op) in [
            ("a SAME_SENTENCE b", Proximity::Sentence),
            ("a w/s b", Proximity::Sentence),
            ("a SAME_PARAGRAPH b", Proximity::Paragraph),
            ("a W/P b", Proximity::Paragraph),
            ("a NEAR5 b", Proximity::Words(5)),
        ] {
            assert!(
                matches!(parse(q).unwrap(), Ast::Near { op: o, .. } if o == op),
                "{q}"
            );
        }
    }

    #[test]
    fn unsupported_syntax_is_named() {
        let cases: &[(&str, usize, &str)] = &[
            ("a PRE/5 b", 2, "fixed order"),
            ("a ADJ3 b", 2, "fixed order"),
            ("a NEAR b", 2, "needs a distance"),
            ("a NEAR/0 b", 2, "from 1 to"),
            ("a w/x b", 2, "not an operator"),
            ("a SAME b", 2, "SAME_SENTENCE"),
            ("NEAR/5 b", 0, "needs a term on each side"),
            ("a NEAR/5", 2, "needs a term on each side"),
            ("a NEAR/5 -b", 2, "exclusion"),
            ("a NEAR/5 (b c)", 2, "group of several"),
            ("person:a NEAR/5 b", 9, "not on names"),
            ("headline:a NEAR/5 b", 11, "same field"),
            ("a NEAR/5 date:2012", 2, "date"),
            ("x Brahimi~3", 9, "edit distance"),
            ("Brahimi~0.8", 7, "edit distance"),
            ("~1", 0, "needs a word"),
            ("Lav*~1", 3, "both fuzzy and a wildcard"),
            ("*ussia", 0, "cannot start with a wildcard"),
            ("x ?ussia", 2, "cannot start with a wildcard"),
            ("Assad^2", 5, "boosts"),
            ("/regex/", 0, "regular expressions"),
            ("{a TO b}", 0, "date:[A TO B]"),
            ("\"a b\"~x", 5, "number of words"),
            ("\"a b\"~2000", 5, "number of words"),
            ("\"negotiat* talks\"", 9, "inside quotes"),
            ("date:\"2012\"~2", 11, "date"),
        ];
        for (q, offset, needle) in cases {
            let e = err(q);
            assert_eq!(e.offset, *offset, "{q}: {e}");
            assert!(e.message.contains(needle), "{q}: {e}");
        }
        // A question mark ending a quoted word is punctuation, not a wildcard.
        assert!(parse("\"what next?\"").is_ok());
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("persn", "person"), 1);
        assert_eq!(edit_distance("", "org"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
