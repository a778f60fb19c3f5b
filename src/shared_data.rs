//! Where the shared evaluation data lives.
//!
//! The data sets (Reuters-21578, CoNLL-2003, GeoNames, …) are not part of the
//! repository. They are found through `DATELINE_SHARED` or, by default, the
//! `../shared` folder beside the checkout. Tests that need them skip with a
//! message naming what is missing.

use std::path::PathBuf;

/// The shared folder: `$DATELINE_SHARED`, else `../shared` relative to the
/// crate root.
pub fn root() -> PathBuf {
    if let Some(p) = std::env::var_os("DATELINE_SHARED") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// A path below the shared folder, if it exists.
pub fn path(relative: &str) -> Option<PathBuf> {
    let p = root().join(relative);
    p.exists().then_some(p)
}

/// A path below the shared folder, or `None` after printing a skip notice.
/// Meant for tests: `let Some(p) = shared_data::require("data/conll2003/eng.testa") else { return };`
pub fn require(relative: &str) -> Option<PathBuf> {
    let p = path(relative);
    if p.is_none() {
        eprintln!(
            "skipping: shared data {} not found (set DATELINE_SHARED or place it at {})",
            relative,
            root().display()
        );
    }
    p
}
