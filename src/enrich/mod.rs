//! Enrichment: raw stories become [`Article`](crate::article::Article)s.
//!
//! Each submodule adds one kind of knowledge: the dateline, the credits,
//! the named entities (a trained tagger), canonical people, places resolved
//! against a gazetteer, organisations, topics, the near-duplicate fingerprint,
//! and who said what (quotations).

pub mod credits;
pub mod dateline;
pub mod fingerprint;
pub mod gazetteer;
pub mod headline_names;
pub mod ner;
pub mod orgs;
pub mod people;
pub mod pipeline;
pub mod places;
pub mod quotes;
pub mod topics;

pub use pipeline::enrich;
