//! Finding the files under the paths the user gives.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::read::Problem;

/// Extensions that never hold stories; skipped without a message.
const IGNORED: &[&str] = &[
    "dtd", "md", "lc", "csv", "tsv", "pdf", "jpg", "jpeg", "png", "gif", "zip",
];

/// Every regular file under `roots` (recursively, sorted), plus the
/// problems met on the way (unreadable folders, symlink loops). Symlinks
/// are followed only when `follow_links` is set; walkdir detects loops.
pub fn files(roots: &[PathBuf], follow_links: bool) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for root in roots {
        if !root.exists() {
            problems.push(Problem {
                path: root.display().to_string(),
                line: None,
                message: "no such file or folder".into(),
            });
            continue;
        }
        for entry in WalkDir::new(root)
            .follow_links(follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_index_folder(e.path()))
        {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if !ignored(e.path()) {
                        files.push(e.into_path());
                    }
                }
                Ok(e) if e.path_is_symlink() && !follow_links && e.depth() > 0 => {
                    // Not followed unless asked: report dangling ones only.
                    if std::fs::metadata(e.path()).is_err() {
                        problems.push(Problem {
                            path: e.path().display().to_string(),
                            line: None,
                            message: "dangling symlink, skipped".into(),
                        });
                    }
                }
                Ok(_) => {}
                Err(err) => problems.push(Problem {
                    path: err
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| root.display().to_string()),
                    line: None,
                    message: if err.loop_ancestor().is_some() {
                        "symlink loop, not followed".into()
                    } else {
                        format!(
                            "cannot read: {}",
                            err.io_error().map_or(err.to_string(), |e| e.to_string())
                        )
                    },
                }),
            }
        }
    }
    (files, problems)
}

/// Whether a folder is a Dateline index (tantivy's meta.json beside our
/// version file). An index kept inside the archive it indexes
/// (`--index docs/index docs`) had its own files read as stories: the
/// version file became a story, the segments "bad binary files" on every
/// run (found by tests/hostile.rs).
fn is_index_folder(path: &Path) -> bool {
    path.join("dateline-version").is_file() && path.join("meta.json").is_file()
}

/// File names (without extension) of documentation, not stories.
const DOCS: &[&str] = &[
    "README",
    "LICENSE",
    "LICENCE",
    "NOTICE",
    "COPYING",
    "CHANGELOG",
];

fn ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') {
        return true;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    // Documentation that archives ship beside their stories.
    IGNORED.contains(&ext.as_str()) || DOCS.contains(&stem.as_str())
}
