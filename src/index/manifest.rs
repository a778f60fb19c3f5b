//! What each indexed file looked like when it was indexed, so that a later
//! run skips unchanged files, replaces changed ones and removes gone ones.
//!
//! The manifest travels in the payload of each tantivy commit: it always
//! describes exactly the committed stories, even after a killed run.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// One file as indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: i128,
    /// xxh3 of the content.
    pub hash: u64,
}

/// Indexed files by the path stored in their articles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub files: BTreeMap<String, FileState>,
}

/// How a file on disk compares with the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    Changed,
    /// Same content; the size and time may have been touched.
    Unchanged,
}

impl Manifest {
    /// Reads the manifest from a commit payload (empty when there is none).
    pub fn from_payload(payload: Option<&str>) -> Manifest {
        payload
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default()
    }

    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serialises")
    }

    /// Compares a file with its recorded state. The content is hashed only
    /// when size or time differ, so an unchanged archive costs a `stat` a file.
    pub fn compare(
        &self,
        key: &str,
        size: u64,
        mtime: i128,
        hash: impl FnOnce() -> Option<u64>,
    ) -> (Change, Option<u64>) {
        match self.files.get(key) {
            None => (Change::New, None),
            Some(s) if s.size == size && s.mtime == mtime => (Change::Unchanged, Some(s.hash)),
            Some(s) => match hash() {
                Some(h) if h == s.hash => (Change::Unchanged, Some(h)),
                h => (Change::Changed, h),
            },
        }
    }

    /// Recorded files under any of `roots` (path-component prefix match).
    pub fn under<'a>(&'a self, roots: &'a [String]) -> impl Iterator<Item = &'a String> + 'a {
        self.files
            .keys()
            .filter(move |k| roots.iter().any(|r| is_under(k, r)))
    }
}

/// Whether `path` is `root` or lies below it.
pub fn is_under(path: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    path == root || (path.starts_with(root) && path[root.len()..].starts_with('/')) || root == "."
}

/// Size and modification time of a file.
pub fn stat(path: &Path) -> std::io::Result<(u64, i128)> {
    let m = std::fs::metadata(path)?;
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    Ok((m.len(), mtime))
}

/// Hash of a file's content.
pub fn hash_file(path: &Path) -> Option<u64> {
    std::fs::read(path)
        .ok()
        .map(|b| xxhash_rust::xxh3::xxh3_64(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_hashes_only_when_needed() {
        let mut m = Manifest::default();
        m.files.insert(
            "a".into(),
            FileState {
                size: 3,
                mtime: 5,
                hash: 9,
            },
        );
        assert_eq!(m.compare("b", 3, 5, || panic!()).0, Change::New);
        assert_eq!(
            m.compare("a", 3, 5, || panic!("no hash needed")).0,
            Change::Unchanged
        );
        assert_eq!(m.compare("a", 3, 6, || Some(9)).0, Change::Unchanged);
        assert_eq!(m.compare("a", 4, 6, || Some(1)).0, Change::Changed);
        let round = Manifest::from_payload(Some(&m.to_payload()));
        assert_eq!(round, m);
    }

    #[test]
    fn under_matches_whole_components() {
        assert!(is_under("corpus/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", "corpus/"));
        assert!(!is_under("corpus2/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", "corpus/a.txt"));
    }
}
