//! The one error type of the query language, with the position it points at.

use std::fmt;

/// A query that cannot be understood, with where the trouble starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong, in words meant for the person who typed the query.
    pub message: String,
    /// Byte offset into the query string where the problem starts.
    pub offset: usize,
}

impl QueryError {
    /// An error at `offset` (a byte offset into the query).
    pub fn new(message: impl Into<String>, offset: usize) -> QueryError {
        QueryError {
            message: message.into(),
            offset,
        }
    }

    /// The 1-based column (in characters) of the error in `query`, which
    /// is what a person counts when reading the query back.
    pub fn column(&self, query: &str) -> usize {
        let end = self.offset.min(query.len());
        // An offset inside a char (should not happen) still yields a column.
        query.char_indices().take_while(|&(i, _)| i < end).count() + 1
    }

    /// Two lines: the query, and a caret under the character the error
    /// points at, e.g. for a terminal.
    pub fn caret(&self, query: &str) -> String {
        let pad = " ".repeat(self.column(query) - 1);
        format!("{query}\n{pad}^")
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_counts_chars_not_bytes() {
        let q = "Zürich persn:x";
        let e = QueryError::new("unknown field", q.find("persn").unwrap());
        assert_eq!(e.column(q), 8);
        assert_eq!(e.caret(q), "Zürich persn:x\n       ^");
    }
}
