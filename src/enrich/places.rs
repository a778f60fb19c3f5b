//! Places a story mentions, resolved against the gazetteer.
//!
//! STUB: issue 4 replaces this.

use crate::article::Dateline;
use crate::enrich::gazetteer::Gazetteer;
use crate::enrich::ner::Mention;

/// The places of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    /// Canonical names of the places mentioned (unresolved ones as written).
    pub places: Vec<String>,
    /// Countries of those places and of the dateline.
    pub countries: Vec<String>,
    /// First-level regions of those places.
    pub regions: Vec<String>,
}

/// Resolve the LOC mentions of an article (and its dateline's country).
pub fn resolve(
    _mentions: &[Mention],
    dateline: Option<&Dateline>,
    _gazetteer: &Gazetteer,
) -> Places {
    let mut out = Places::default();
    if let Some(c) = dateline.and_then(|d| d.country.clone()) {
        out.countries.push(c);
    }
    out
}
