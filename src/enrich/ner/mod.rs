//! Named-entity recognition: PER, LOC, ORG and MISC mentions in raw text.
//!
//! STUB: the trained tagger replaces this (issue 4). The signatures below are
//! the interface the pipeline calls.

/// The type of a named entity, as in CoNLL-2003.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Person,
    Location,
    Organization,
    Misc,
}

/// One entity mention in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub kind: EntityKind,
    /// The mention as written (tokens joined as in the text).
    pub text: String,
    /// Byte offsets of the mention in the text given to the tagger.
    pub start: usize,
    pub end: usize,
}

/// The shipped tagger.
pub struct Tagger {}

impl Tagger {
    /// The model shipped with this build, loaded once per process.
    pub fn shipped() -> &'static Tagger {
        static TAGGER: Tagger = Tagger {};
        &TAGGER
    }

    /// Every entity mention in an article's text (headline and body joined
    /// by blank lines), in order.
    pub fn mentions(&self, _text: &str) -> Vec<Mention> {
        Vec::new()
    }
}
