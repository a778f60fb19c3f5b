//! One person, one identity across the archive.
//!
//! Each story keeps the names it gives ([`crate::enrich::people`]); the
//! registry ([`Registry`]) is built from those names and their evidence
//! (dates, co-mentioned people, organisations, datelines, topics) as the
//! index's fast fields hold them, and applied at query time:
//! `person:` queries, person facets and the `people` of hits go through it.
//!
//! Why this design: adding a file to the archive must not re-enrich or
//! rewrite the stories already indexed, yet a new story can change who a
//! bare "Baker" in an old one is. So nothing archive-wide is written into
//! stories. The index itself is the compact statistics: one column scan
//! of the per-story names (a few bytes a story, no stored document read)
//! recomputes the registry, which is cached beside the index
//! ([`store`]) under a fingerprint of the index's segments and of the
//! corrections file, and recomputed when either changes. Every indexing
//! run refreshes the cache at its end; corrections take effect at once.

pub mod book;
pub mod cache;
pub mod context;
pub mod corrections;
pub mod names;
pub mod orgs;
pub mod registry;
pub mod store;

pub use book::{Book, OrgBook};
pub use context::Evidence;
pub use corrections::Corrections;
pub use orgs::OrgRegistry;
pub use registry::{Identity, IdentityId, Kind, Registry};
pub use store::{load, Identities};
