//! What exists only across stories: version clusters and the identity
//! registry of people. Built from compact statistics, never by re-reading
//! or re-enriching the archive.

pub mod identities;
pub mod versions;
