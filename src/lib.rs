//! Dateline: full-text search for archives of wire stories.
//!
//! One record flows one way through the pipeline, and the modules are its
//! stages:
//!
//! ```text
//! files ──read──▶ RawStory ──enrich──▶ Article ──index──▶ tantivy ◀──search── query
//!                                                                    │
//!                                                     Results ──print──▶ terminal / JSON Lines
//! ```
//!
//! - [`read`]: formats to [`read::RawStory`] (text, JSON, SGML, NITF, gzip).
//! - [`enrich`]: dateline, credits, named entities, people, places,
//!   organisations and topics, giving an [`article::Article`].
//! - [`index`]: the schema and analyzers (shared with [`search`]), documents,
//!   the manifest and index folders; [`ingest`] drives reading, enrichment
//!   and the writer in parallel.
//! - [`archive`]: what exists only across stories: version clusters.
//! - [`search`]: the query language, ranking, snippets and facets.
//! - [`views`]: timelines, query tables, co-mention networks, concordances
//!   and exports over the matches of a query.
//! - [`print`](mod@print): hits and views for terminals and for scripts.
//! - [`bench`](mod@bench): the benchmark of the full pipeline against raw tantivy.

pub mod archive;
pub mod article;
pub mod bench;
pub mod enrich;
pub mod index;
pub mod ingest;
pub mod print;
pub mod read;
pub mod search;
pub mod shared_data;
pub mod solr;
pub mod views;
