//! Dateline's parsed query ([`Ast`]) in Lucene's syntax for Solr, with the
//! same fields and boosts as the tantivy compiler
//! ([`crate::search::query::compile`]). Words go to Solr quoted, so that
//! Solr analyses them with the field's own analyzer and nothing of the
//! user's typing is read as Solr syntax. What Solr's standard parser
//! cannot say the same way is an error that names it.

use super::identities::SolrIdentities;
use crate::index::analyzer;
use crate::search::query::lexer::Proximity;
use crate::search::query::{Ast, DateSpan, QueryError, QueryField};

/// Free words: the text fields with their boosts (as `TEXT_BOOSTS` in the
/// tantivy compiler), then the entity fields at 1.
const FREE_FIELDS: &[(&str, f32)] = &[
    ("headline", 2.0),
    ("lead", 1.5),
    ("body", 1.0),
    ("person", 1.0),
    ("place", 1.0),
    ("org", 1.0),
];

/// A value as a quoted Lucene phrase (a single-term phrase is a term).
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A wildcard pattern with everything but `*` and `?` escaped.
fn escaped_pattern(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || c == '*' || c == '?' {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// The Solr field a query field searches.
fn solr_field(f: QueryField) -> &'static str {
    match f {
        QueryField::Person => "person",
        QueryField::Place => "place",
        QueryField::Org => "org",
        QueryField::Topic => "topic",
        QueryField::Dateline => "dateline",
        QueryField::Byline => "byline",
        QueryField::Headline => "headline",
        QueryField::Source => "source",
        QueryField::Kind => "kind",
        QueryField::Date => "date",
        QueryField::Said => "said",
        QueryField::Quote => "quote",
    }
}

/// A date span as a constant-score range on `date` (seconds to ISO).
pub fn date_range(span: DateSpan) -> String {
    let iso = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| "*".to_string())
    };
    let start = span.start.map_or("*".to_string(), iso);
    let end = span.end.map_or("*".to_string(), iso);
    format!("date:[{start} TO {end}}}^=0")
}

/// Translates a parsed query. `None` when nothing searchable is left
/// (a word of punctuation), as the tantivy compiler does. Nearness needs
/// the collection ([`translate_with`]) and is an error here.
pub fn translate(ast: &Ast) -> Result<Option<String>, QueryError> {
    translate_with(ast, None, &[])
}

/// [`translate`] with `person:` and `said:` values expanded to the stories
/// of the people they mean across the archive, as the local backend does,
/// and each nearness expression of the query (in the order of
/// [`nearness::expressions`](super::nearness::expressions)) standing for
/// the stories `near` lists for it.
pub fn translate_with(
    ast: &Ast,
    people: Option<&SolrIdentities>,
    near: &[Vec<String>],
) -> Result<Option<String>, QueryError> {
    let mut t = Translator {
        stemmed: analyzer::stemmed(),
        stories_of_quotes: false,
        people,
        near,
        next_near: 0,
    };
    t.node(ast)
}

/// Translates a query for the stories whose quotations may match it
/// (`--quotes`): `said:` and `quote:` side by side ask only that the story
/// has both, and each quotation is then checked by Dateline itself.
pub fn translate_stories_of_quotes(
    ast: &Ast,
    people: Option<&SolrIdentities>,
    near: &[Vec<String>],
) -> Result<Option<String>, QueryError> {
    let mut t = Translator {
        stemmed: analyzer::stemmed(),
        stories_of_quotes: true,
        people,
        near,
        next_near: 0,
    };
    t.node(ast)
}

struct Translator<'a> {
    stemmed: tantivy::tokenizer::TextAnalyzer,
    /// One quotation's words need only be in one story (a superset).
    stories_of_quotes: bool,
    people: Option<&'a SolrIdentities>,
    /// The checked stories of each nearness expression, in order.
    near: &'a [Vec<String>],
    next_near: usize,
}

/// The stories with these ids (a terms query: no clause limit).
fn stories(ids: &[&str]) -> String {
    if ids.is_empty() {
        return "(+*:* -*:*)".to_string();
    }
    format!(
        "_query_:{}",
        quoted(&format!("{{!terms f=id}}{}", ids.join(",")))
    )
}

impl Translator<'_> {
    fn node(&mut self, ast: &Ast) -> Result<Option<String>, QueryError> {
        Ok(match ast {
            Ast::Word { field: None, text } | Ast::Phrase { field: None, text } => self.free(text),
            Ast::Word {
                field: Some(f),
                text,
            }
            | Ast::Phrase {
                field: Some(f),
                text,
            } => self.fielded(*f, text),
            Ast::Wildcard { field, pattern, .. } => {
                let p = escaped_pattern(pattern);
                Some(match field {
                    Some(f) => format!("{}:{p}", solr_field(*f)),
                    None => any_field(|name| format!("{name}:{p}")),
                })
            }
            Ast::Fuzzy {
                field,
                text,
                distance,
                ..
            } => {
                let word = escaped_pattern(text);
                Some(match field {
                    Some(f) => format!("{}:{word}~{distance}", solr_field(*f)),
                    None => any_field(|name| format!("{name}:{word}~{distance}")),
                })
            }
            Ast::Sloppy { at, .. } | Ast::Near { at, .. } => return self.nearness(ast, *at),
            Ast::Date(span) => Some(date_range(*span)),
            Ast::And(items) => {
                if !self.stories_of_quotes && same_quote(items) {
                    return Err(QueryError::new(
                        "said: and quote: side by side (one quotation) cannot be translated to Solr; use it without --solr",
                        0,
                    ));
                }
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Ast::Not(inner) => {
                            if let Some(q) = self.node(inner)? {
                                clauses.push(format!("-{q}"));
                            }
                        }
                        _ => {
                            if let Some(q) = self.node(item)? {
                                clauses.push(format!("+{q}"));
                            }
                        }
                    }
                }
                group(clauses)
            }
            Ast::Or(items) => {
                let mut clauses = Vec::new();
                for i in items {
                    if let Some(q) = self.node(i)? {
                        clauses.push(q);
                    }
                }
                group(clauses)
            }
            Ast::Not(inner) => self.node(inner)?.map(|q| format!("(-{q})")),
        })
    }

    /// A nearness expression: its words (scored as the local compiler
    /// scores them), among the stories where it was found to hold.
    fn nearness(&mut self, ast: &Ast, at: usize) -> Result<Option<String>, QueryError> {
        let Some(ids) = self.near.get(self.next_near) else {
            let name = match ast {
                Ast::Near {
                    op: Proximity::Words(n),
                    ..
                } => format!("NEAR/{n}"),
                Ast::Near {
                    op: Proximity::Sentence,
                    ..
                } => "SAME_SENTENCE".to_string(),
                Ast::Near {
                    op: Proximity::Paragraph,
                    ..
                } => "SAME_PARAGRAPH".to_string(),
                _ => "\"…\"~N".to_string(),
            };
            return Err(QueryError::new(
                format!(
                    "{name} on Solr needs its stories checked first (nearness::checked_stories)"
                ),
                at,
            ));
        };
        self.next_near += 1;
        let words = self.node(&super::nearness::words_of(ast))?;
        let among = format!(
            "({})^=0",
            stories(&ids.iter().map(String::as_str).collect::<Vec<_>>())
        );
        Ok(Some(match words {
            Some(w) => format!("(+{w} +{among})"),
            None => among,
        }))
    }

    fn free(&mut self, text: &str) -> Option<String> {
        let stems = analyzer::terms(&mut self.stemmed, text);
        if stems.is_empty() {
            return None;
        }
        let value = quoted(text);
        let mut parts = Vec::new();
        for (name, boost) in FREE_FIELDS {
            // The lead keeps no positions: phrases are matched elsewhere.
            if *name == "lead" && stems.len() > 1 {
                continue;
            }
            parts.push(if *boost == 1.0 {
                format!("{name}:{value}")
            } else {
                format!("{name}:{value}^{boost}")
            });
        }
        Some(format!("({})", parts.join(" ")))
    }

    fn fielded(&mut self, f: QueryField, text: &str) -> Option<String> {
        if f == QueryField::Topic && is_code(text) {
            return Some(format!("code:{}", quoted(&text.trim().to_lowercase())));
        }
        if f == QueryField::Kind {
            return Some(format!("kind:{}", quoted(&text.trim().to_lowercase())));
        }
        if analyzer::terms(&mut self.stemmed, text).is_empty() {
            return None;
        }
        let as_spelled = format!("{}:{}", solr_field(f), quoted(text));
        if f == QueryField::Org {
            if let Some(ids) = self.people.and_then(|p| p.stories_of_org(text)) {
                // As the tantivy compiler: the stories naming it as
                // written (ranked as before), or any of its identities'.
                return Some(format!("({as_spelled} {})", stories(&ids)));
            }
        }
        if matches!(f, QueryField::Person | QueryField::Said) {
            if let Some(ids) = self.people.and_then(|p| p.stories_of(text)) {
                // As the tantivy compiler: the identity's stories, ranked
                // by (person:) or holding (said:) the surname, in which
                // every form of the name ends.
                let surname = text.split_whitespace().last().unwrap_or(text);
                let surname = format!("{}:{}", solr_field(f), quoted(surname));
                let must = if f == QueryField::Said { "+" } else { "" };
                return Some(format!("(+{} {must}{surname})", stories(&ids)));
            }
        }
        Some(as_spelled)
    }
}

/// `make` for each free-word field, as one disjunction (no boosts: as in
/// the tantivy compiler, a pattern's expansions score alike).
fn any_field(make: impl Fn(&str) -> String) -> String {
    let parts: Vec<String> = FREE_FIELDS.iter().map(|(name, _)| make(name)).collect();
    format!("({})", parts.join(" "))
}

/// Clauses as a group. A group of only exclusions matches nothing in
/// Lucene, and the whole of the rest in Dateline: `*:*` makes it so.
fn group(clauses: Vec<String>) -> Option<String> {
    if clauses.is_empty() {
        return None;
    }
    if clauses.iter().all(|c| c.starts_with('-')) {
        return Some(format!("(*:* {})", clauses.join(" ")));
    }
    Some(format!("({})", clauses.join(" ")))
}

/// Whether a group asks for `said:`/`quote:` words inside one quotation
/// (the tantivy compiler's `split_same_quote`).
fn same_quote(items: &[Ast]) -> bool {
    let field = |a: &Ast| match a {
        Ast::Word { field, .. } | Ast::Phrase { field, .. } => *field,
        _ => None,
    };
    let quote_words = items
        .iter()
        .filter(|a| field(a) == Some(QueryField::Quote))
        .count();
    let scoped = items
        .iter()
        .filter(|a| matches!(field(a), Some(QueryField::Quote | QueryField::Said)))
        .count();
    quote_words > 0 && scoped >= 2
}

/// Whether a topic value is a source code such as `reuters:acq`.
fn is_code(text: &str) -> bool {
    let t = text.trim();
    t.split_once(':').is_some_and(|(ns, code)| {
        !ns.is_empty()
            && !code.is_empty()
            && ns.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !code.contains(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn solr(q: &str) -> Result<Option<String>, QueryError> {
        translate(&parse(q).unwrap())
    }

    #[test]
    fn words_search_every_field_with_the_local_boosts() {
        let q = solr("Assad").unwrap().unwrap();
        assert_eq!(
            q,
            "(headline:\"Assad\"^2 lead:\"Assad\"^1.5 body:\"Assad\" person:\"Assad\" place:\"Assad\" org:\"Assad\")"
        );
        // Phrases skip the lead, which has no positions.
        let q = solr("\"oil prices\"").unwrap().unwrap();
        assert!(!q.contains("lead:"), "{q}");
    }

    #[test]
    fn operators_become_explicit_clauses() {
        let q = solr("oil -Iran").unwrap().unwrap();
        assert!(q.starts_with("(+(headline:\"oil\""), "{q}");
        assert!(q.contains(" -(headline:\"Iran\""), "{q}");
        let q = solr("place:Iran OR place:Iraq").unwrap().unwrap();
        assert_eq!(q, "(place:\"Iran\" place:\"Iraq\")");
        let q = solr("topic:reuters:ACQ kind:table").unwrap().unwrap();
        assert_eq!(q, "(+code:\"reuters:acq\" +kind:\"table\")");
    }

    #[test]
    fn user_text_cannot_inject_solr_syntax() {
        let ast = Ast::Phrase {
            field: Some(QueryField::Person),
            text: "a\" OR *:* \\".into(),
        };
        let q = translate(&ast).unwrap().unwrap();
        assert_eq!(q, "person:\"a\\\" OR *:* \\\\\"");
        let q = solr("oil*").unwrap().unwrap();
        assert!(q.contains("body:oil*"), "{q}");
    }

    #[test]
    fn dates_are_half_open_ranges() {
        let q = solr("date:1987-03").unwrap().unwrap();
        assert_eq!(q, "date:[1987-03-01T00:00:00Z TO 1987-04-01T00:00:00Z}^=0");
    }

    #[test]
    fn stories_of_quotations_need_only_have_the_words() {
        let ast = parse("said:Lavrov quote:Assad").unwrap();
        assert!(translate(&ast).is_err());
        let q = translate_stories_of_quotes(&ast, None, &[])
            .unwrap()
            .unwrap();
        assert_eq!(q, "(+said:\"Lavrov\" +quote:\"Assad\")");
    }

    #[test]
    fn nearness_is_its_words_among_the_checked_stories() {
        let ast = parse("oil NEAR/5 prices -(\"gas prices\"~2)").unwrap();
        let near = vec![vec!["a1".to_string(), "a2".to_string()], Vec::new()];
        let q = translate_with(&ast, None, &near).unwrap().unwrap();
        assert!(q.starts_with("(+(+(+(headline:\"oil\""), "{q}");
        assert!(q.contains("+(_query_:\"{!terms f=id}a1,a2\")^=0)"), "{q}");
        // No stories hold the second: its exclusion excludes nothing.
        assert!(q.contains(" -(+(+(headline:\"gas\""), "{q}");
        assert!(q.ends_with("+((+*:* -*:*))^=0))"), "{q}");
    }

    #[test]
    fn untranslatable_syntax_is_an_error_naming_it() {
        for q in [
            "oil NEAR/5 prices",
            "\"oil prices\"~3",
            "said:Lavrov quote:Assad",
        ] {
            let e = solr(q).unwrap_err();
            assert!(e.message.contains("Solr"), "{q}: {}", e.message);
        }
    }
}
