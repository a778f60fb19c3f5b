//! Tokens to a syntax tree.
//!
//! Grammar, loosest first (like web search engines, `OR` binds tighter
//! than the implicit AND, so `Assad Putin OR Lavrov` wants Assad and either
//! of the others):
//!
//! ```text
//! query   = seq EOF
//! seq     = either+                      (all required; `AND` allowed)
//! either  = unary ("OR" unary)*
//! unary   = ("-" | "NOT") unary | primary
//! primary = WORD | PHRASE | "(" seq ")" | FIELD ":" value
//! value   = WORD | PHRASE | "(" seq ")" | RANGE      (RANGE for date: only)
//! ```

use super::dates::{self, DateSpan};
use super::error::QueryError;
use super::lexer::{column, lex, Token, TokenKind};
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
}

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
        return Err(p.err(
            format!("unmatched ')' at column {}", p.col(t.start)),
            t.start,
        ));
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

    fn col(&self, offset: usize) -> usize {
        column(self.query, offset)
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
                        return Err(self.err(
                            format!(
                                "'AND' at column {} needs a term on each side",
                                self.col(start)
                            ),
                            start,
                        ));
                    }
                }
                Some(_) => items.push(self.either(field)?),
            }
        }
        match items.len() {
            0 => {
                let offset = self.peek().map_or(self.query.len(), |t| t.start);
                let message = if self.depth == 0 {
                    format!("unmatched ')' at column {}", self.col(offset))
                } else {
                    format!("empty group before column {}", self.col(offset))
                };
                Err(self.err(message, offset))
            }
            1 => Ok(items.pop().expect("one item")),
            _ => Ok(Ast::And(items)),
        }
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
        self.err(
            format!(
                "'OR' at column {} needs a term on each side",
                self.col(start)
            ),
            start,
        )
    }

    fn unary(&mut self, field: Option<QueryField>) -> Result<Ast, QueryError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.err("expected a term at the end".into(), self.query.len()));
        };
        if self.nesting >= MAX_NESTING {
            return Err(self.err(
                format!(
                    "the query nests more than {MAX_NESTING} deep at column {}",
                    self.col(t.start)
                ),
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
                        format!(
                            "'{what}' at column {} must come right before the term it excludes",
                            self.col(t.start)
                        ),
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
                if matches!(field, Some(QueryField::Date | QueryField::Kind)) {
                    return self.value_word(field, p.trim().to_string(), t.start);
                }
                Ok(Ast::Phrase { field, text: p })
            }
            TokenKind::LParen => self.group(field, t.start),
            TokenKind::Range(r) => {
                if field != Some(QueryField::Date) {
                    return Err(self.err(
                        format!(
                            "a [range] at column {} needs 'date:' before it",
                            self.col(t.start)
                        ),
                        t.start,
                    ));
                }
                dates::parse_range(&r)
                    .map(Ast::Date)
                    .map_err(|m| self.err(format!("{m} (column {})", self.col(t.start)), t.start))
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
                    return Err(self.err(
                        format!(
                            "missing value after '{name}:' at column {}",
                            self.col(t.start)
                        ),
                        t.start,
                    ));
                }
                self.primary(Some(f))
            }
            TokenKind::Or => Err(self.or_error(t.start)),
            TokenKind::And => Err(self.err(
                format!(
                    "'AND' at column {} needs a term on each side",
                    self.col(t.start)
                ),
                t.start,
            )),
            TokenKind::RParen => Err(self.err(
                format!("unmatched ')' at column {}", self.col(t.start)),
                t.start,
            )),
            TokenKind::Minus | TokenKind::Not => unreachable!("handled by unary"),
        }
    }

    fn group(&mut self, field: Option<QueryField>, open: usize) -> Result<Ast, QueryError> {
        self.depth += 1;
        let inner = self.seq(field)?;
        self.depth -= 1;
        match self.next() {
            Some(t) if t.kind == TokenKind::RParen => Ok(inner),
            _ => Err(self.err(format!("unclosed '(' at column {}", self.col(open)), open)),
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
                .map_err(|m| self.err(format!("{m} (column {})", self.col(start)), start));
        }
        if field == Some(QueryField::Kind)
            && !Kind::ALL.iter().any(|k| k.name() == text.to_lowercase())
        {
            let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            return Err(self.err(
                format!(
                    "unknown kind '{text}' at column {}; kinds: {}",
                    self.col(start),
                    kinds.join(", ")
                ),
                start,
            ));
        }
        Ok(Ast::Word { field, text })
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
            format!(
                "unknown field '{name}' at column {}{nearest} fields: {}",
                self.col(offset),
                all.join(", ")
            ),
            offset,
        )
    }
}

fn resolve_field(name: &str) -> Option<QueryField> {
    FIELD_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, f)| *f)
}

/// Levenshtein distance over chars, for suggesting field names.
fn edit_distance(a: &str, b: &str) -> usize {
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
            ("a -", 2, "'-' at column 3"),
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
            "unknown field 'persn' at column 1; did you mean 'person'? fields: person, place, org, topic, dateline, byline, headline, source, kind, date, said, quote"
        );
        let e = err("zzzzzzz:x");
        assert!(!e.message.contains("did you mean"), "{e}");
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("persn", "person"), 1);
        assert_eq!(edit_distance("", "org"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
