//! Organisations a story mentions, short and long forms merged.
//!
//! STUB: issue 4 replaces this.

use crate::enrich::ner::Mention;

/// Canonical organisation names of one article, in order of first mention.
pub fn canonicalize(_mentions: &[Mention]) -> Vec<String> {
    Vec::new()
}
