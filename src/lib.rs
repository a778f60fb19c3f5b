//! Dateline: full-text search for archives of wire stories.
//!
//! The pipeline reads files into [`read::RawStory`] records, enriches them
//! into [`article::Article`]s (dateline, people, places, organisations,
//! topics), writes them to a tantivy index, and answers queries with ranked,
//! highlighted hits.

pub mod article;
pub mod bench;
pub mod enrich;
pub mod index;
pub mod ingest;
pub mod print;
pub mod read;
pub mod search;
pub mod shared_data;
