//! Dateline's query language: words, `OR`, `-word`/`NOT`, phrases, groups,
//! `field:` values and `date:` ranges.
//!
//! [`lexer`] splits the string, [`parser`] builds an [`Ast`], [`compile()`]
//! turns it into a tantivy query. Every failure is a [`QueryError`] with the
//! byte offset of its cause; no input panics.
//!
//! [`SYNTAX`] sums the language up for `--help`.

pub mod compile;
pub mod dates;
pub mod error;
pub mod lexer;
pub mod parser;
pub mod same_quote;

#[cfg(test)]
mod tests;

pub use compile::{compile, date_query, Analysis, Compiled, Needle};
pub use dates::DateSpan;
pub use error::QueryError;
pub use parser::{parse, Ast, QueryField, FIELD_NAMES};

/// A summary of the query language for `--help`.
pub const SYNTAX: &str = "\
war crimes             both words, anywhere (headline 2x, lead 1.5x, body, and
                       the person/place/org fields)
\"political transition\" the words in this order; straight or curly quotes
Assad OR Putin         either word; OR binds tighter than the implicit AND
-Russia, NOT Russia    without the word (a query that starts with - goes
                       after --: dateline -- -Russia Syria)
(Assad OR Putin) talks groups
person:Assad           in a field: person place org topic dateline byline
person:\"Bashar Assad\"    headline source kind date; a field takes one word,
person:(Assad OR Putin)  a phrase or a group
topic:reuters:crude    a source code
kind:table  -kind:table  the body's shape: story brief table list
said:Lavrov            stories quoting Lavrov (any of his names)
quote:Assad            a quotation holding the word; said: and quote: side by
said:Lavrov quote:Assad  side must hold in one quotation: Lavrov's words on Assad
date:2012  date:2012-12  date:2012-12-29
date:[2012-12-01 TO 2012-12-31]  date:[2012 TO *]   whole days, months, years
";
