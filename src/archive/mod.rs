//! What exists only across stories: version clusters (and, beside them,
//! the identity registry). Built as stories are indexed, from compact
//! statistics, never by re-reading the archive.

pub mod versions;
