//! Dateline's query language: words, `OR`, `-word`/`NOT`, phrases, groups,
//! `field:` values and `date:` ranges.
//!
//! [`lexer`] splits the string, [`parser`] builds an [`Ast`], [`compile()`]
//! turns it into a tantivy query. Every failure is a [`QueryError`] with the
//! byte offset of its cause; no input panics.

pub mod compile;
pub mod dates;
pub mod error;
pub mod lexer;
pub mod parser;

#[cfg(test)]
mod tests;

pub use compile::{compile, date_query, Analysis, Compiled, Needle};
pub use dates::DateSpan;
pub use error::QueryError;
pub use parser::{parse, Ast, QueryField, FIELD_NAMES};
