//! Dateline's query language: words, `OR`, `-word`/`NOT`, phrases, groups,
//! `field:` values, `date:` ranges, wildcards, fuzzy words and nearness.
//!
//! [`lexer`] splits the string, [`parser`] builds an [`Ast`], [`compile()`]
//! turns it into a tantivy query, [`expand`]ing wildcards and fuzzy words
//! against the index and checking nearness with [`proximity`]. Every failure is a [`QueryError`] with the
//! byte offset of its cause; no input panics.
//!
//! [`SYNTAX`] sums the language up for `--help`.

pub mod compile;
pub mod dates;
pub mod error;
pub mod expand;
pub mod lexer;
pub mod parser;
pub mod proximity;
pub mod same_quote;

#[cfg(test)]
mod tests;

pub use compile::{compile, compile_in, date_query, Analysis, Compiled, Needle, PersonExpansion};
pub use dates::DateSpan;
pub use error::QueryError;
pub use parser::{parse, Ast, QueryField, FIELD_NAMES};

/// A summary of the query language for `--help`.
pub const SYNTAX: &str = "\
war crimes             both words, anywhere (headline 2x, lead 1.5x, body, and
                       the person/place/org fields)
\"political transition\" the words in this order, in one sentence; straight or
                       curly quotes
Assad OR Putin         either word; OR binds tighter than nearness, nearness
                       tighter than the implicit AND
-Russia, NOT Russia    without the word (a query that starts with - goes
                       after --: dateline -- -Russia Syria)
(Assad OR Putin) talks groups
negotiat*  negotiat!   words that start so (stems too: negotiate, negotiations);
                       at most 300 words, else an error
wom?n                  ? is one character; a word cannot start with * or ?
Brahimi~1  Brahimi~    spellings within 1 or 2 edits (~ alone is 2), the 50
                       closest
\"Lavrov Assad\"~10     the words in any order with at most 10 others among them
Lavrov NEAR/5 Assad    within 5 words of each other, any order; also w/5, NEAR5
Lavrov SAME_SENTENCE Assad    in one sentence (also w/s)
Lavrov SAME_PARAGRAPH Assad   in one paragraph (also w/p); nearness takes
                       words, phrases, wildcards and OR groups, in the text
                       or headline:
person:Assad           in a field: person place org topic dateline byline
person:\"Bashar Assad\"    headline source kind date; a field takes one word,
person:(Assad OR Putin)  a phrase or a group; person:Kad* and person:Asad~1 too
topic:reuters:crude    a source code
kind:table  -kind:table  the body's shape: story brief table list
said:Lavrov            stories quoting Lavrov (any of his names)
quote:Assad            a quotation holding the word; said: and quote: side by
said:Lavrov quote:Assad  side must hold in one quotation: Lavrov's words on Assad
date:2012  date:2012-12  date:2012-12-29
date:[2012-12-01 TO 2012-12-31]  date:[2012 TO *]   whole days, months, years
Not supported, and refused with a message: PRE/n, ADJn, ^boosts, /regex/,
{ranges}, a leading wildcard.
";
