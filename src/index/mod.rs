//! Indexing: the schema and analysis (shared with the query side), the
//! conversion of articles to documents, and the incremental writer.

pub mod analyzer;
pub mod breaks;
pub mod document;
pub mod manifest;
pub mod schema;
pub mod store;
