//! Canonical people: titles and possessives removed, surnames merged into
//! the full name the same article gives.
//!
//! STUB: issue 4 replaces this.

use crate::enrich::ner::Mention;

/// The people of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct People {
    /// Canonical full names, in order of first mention.
    pub names: Vec<String>,
    /// Every searchable form (surname, full name) of those names.
    pub aliases: Vec<String>,
}

/// Canonicalise the PER mentions of one article. Names in `byline` are
/// credits, not mentions, and are left out.
pub fn canonicalize(_mentions: &[Mention], _byline: &[String]) -> People {
    People::default()
}
