//! Opening and creating index folders, with the schema version check.

use std::path::{Path, PathBuf};

use std::sync::{Arc, OnceLock};

use crate::archive::identities::{self, Identities};
use tantivy::directory::MmapDirectory;
use tantivy::store::{Compressor, ZstdCompressor};

use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy, Searcher};
use thiserror::Error;

use crate::index::analyzer;
use crate::index::schema::{Fields, SCHEMA_VERSION};

/// The file beside tantivy's that records which schema wrote the index.
const VERSION_FILE: &str = "dateline-version";

/// Why an index could not be opened.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error("no index at {0}: create it with `dateline-index --index {0} PATH...`")]
    Missing(PathBuf),
    #[error("the index at {path} was written by schema version {found}, this is version {SCHEMA_VERSION}: rebuild it with `dateline-index --rebuild --index {path}`")]
    WrongVersion { path: PathBuf, found: String },
    #[error("cannot open the index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("cannot use the index folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Index settings: the stored articles, most of the index's bytes, are
/// compressed with zstd in blocks large enough for it to find repeats.
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 64 * 1024,
        ..IndexSettings::default()
    }
}

/// An open index with its resolved fields and analyzers registered.
pub struct IndexHandle {
    pub index: Index,
    pub fields: Fields,
    /// Opened on first search and kept: opening a reader costs more than a
    /// query.
    reader: OnceLock<IndexReader>,
    /// The folder, for files kept beside the index (none in RAM).
    dir: Option<PathBuf>,
    /// A corrections file given instead of the folder's own.
    corrections: Option<PathBuf>,
    /// The identity registry, loaded on first use.
    identities: OnceLock<Arc<Identities>>,
}

impl IndexHandle {
    /// A searcher over the last commit as of the first call. The reader is
    /// not reloaded: a handle serves one command or one benchmark run; open
    /// a new handle to see later commits.
    pub fn searcher(&self) -> tantivy::Result<Searcher> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.searcher());
        }
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(self.reader.get_or_init(|| reader).searcher())
    }

    /// A new index in memory, for tests and benchmarks.
    pub fn in_ram() -> IndexHandle {
        let fields = Fields::new();
        let index = Index::builder()
            .schema(fields.schema.clone())
            .settings(settings())
            .create_in_ram()
            .expect("an index in RAM can always be created");
        analyzer::register(&index);
        IndexHandle {
            index,
            fields,
            reader: OnceLock::new(),
            dir: None,
            corrections: None,
            identities: OnceLock::new(),
        }
    }

    /// The index folder, for an index on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Uses this identity corrections file instead of the index folder's
    /// `corrections.txt` (before the identities are first used).
    pub fn set_corrections(&mut self, path: PathBuf) {
        self.corrections = Some(path);
    }

    /// The archive's identities, loaded (or computed) once per handle
    /// over the handle's searcher.
    pub fn identities(&self) -> anyhow::Result<Arc<Identities>> {
        if let Some(i) = self.identities.get() {
            return Ok(i.clone());
        }
        let loaded = Arc::new(identities::load(self, self.corrections.as_deref())?);
        Ok(self.identities.get_or_init(|| loaded).clone())
    }

    /// Opens an existing index, checking its schema version.
    pub fn open(dir: &Path) -> Result<IndexHandle, OpenError> {
        if !dir.join("meta.json").exists() {
            return Err(OpenError::Missing(dir.to_path_buf()));
        }
        let found = std::fs::read_to_string(dir.join(VERSION_FILE)).unwrap_or_default();
        if found.trim() != SCHEMA_VERSION.to_string() {
            let found = if found.trim().is_empty() {
                "unknown".into()
            } else {
                found.trim().into()
            };
            return Err(OpenError::WrongVersion {
                path: dir.to_path_buf(),
                found,
            });
        }
        let tantivy_err = |source| OpenError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        let index = Index::open_in_dir(dir).map_err(tantivy_err)?;
        analyzer::register(&index);
        Ok(IndexHandle {
            index,
            fields: Fields::new(),
            reader: OnceLock::new(),
            dir: Some(dir.to_path_buf()),
            corrections: None,
            identities: OnceLock::new(),
        })
    }

    /// Creates an empty index in `dir` (which must not hold one).
    pub fn create(dir: &Path) -> Result<IndexHandle, OpenError> {
        let io_err = |source| OpenError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io_err)?;
        let fields = Fields::new();
        let tantivy_err = |source| OpenError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        let directory =
            MmapDirectory::open(dir).map_err(|e| tantivy_err(tantivy::TantivyError::from(e)))?;
        let index =
            Index::create(directory, fields.schema.clone(), settings()).map_err(tantivy_err)?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string()).map_err(io_err)?;
        analyzer::register(&index);
        Ok(IndexHandle {
            index,
            fields,
            reader: OnceLock::new(),
            dir: Some(dir.to_path_buf()),
            corrections: None,
            identities: OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_wrong_version_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        assert!(matches!(
            IndexHandle::open(&path),
            Err(OpenError::Missing(_))
        ));
        IndexHandle::create(&path).unwrap();
        assert!(IndexHandle::open(&path).is_ok());
        std::fs::write(path.join(VERSION_FILE), "0").unwrap();
        let err = IndexHandle::open(&path).err().unwrap().to_string();
        assert!(err.contains("--rebuild"), "{err}");
    }
}
