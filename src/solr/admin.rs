//! The collection's setup: Dateline's configset (shipped in the binary,
//! from `solr/configset/dateline/`) and the collection, made when missing.

use std::io::{Cursor, Write};

use super::client::{Solr, SolrError};

/// The configset's files, as in the repository.
pub const CONFIGSET: &[(&str, &str)] = &[
    (
        "managed-schema.xml",
        include_str!("../../solr/configset/dateline/managed-schema.xml"),
    ),
    (
        "solrconfig.xml",
        include_str!("../../solr/configset/dateline/solrconfig.xml"),
    ),
];

/// The configset's name in ZooKeeper: the schema version and a hash of
/// the files, so a collection made by an older Dateline keeps the
/// configset it was made with, and a changed analysis is a new configset
/// (Solr caches a schema by configset name, so reusing a name would keep
/// the old analysis even for new collections).
pub fn configset_name() -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (name, text) in CONFIGSET {
        h.update(name.as_bytes());
        h.update(&[0]);
        h.update(text.as_bytes());
        h.update(&[0]);
    }
    format!(
        "dateline-{}-{:08x}",
        crate::index::schema::SCHEMA_VERSION,
        h.digest() >> 32
    )
}

/// How to lay out a new collection.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub shards: usize,
    pub replicas: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            shards: 1,
            replicas: 1,
        }
    }
}

/// The configset as a zip, for the ConfigSets API.
pub fn configset_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in CONFIGSET {
        zip.start_file(*name, options)
            .and_then(|_| zip.write_all(text.as_bytes()).map_err(Into::into))
            .expect("writing a zip to memory");
    }
    zip.finish()
        .expect("finishing a zip in memory")
        .into_inner()
}

/// Whether the collection exists.
pub fn collection_exists(solr: &Solr) -> Result<bool, SolrError> {
    let list = solr.get("admin/collections", &[("action", "LIST")])?;
    Ok(list["collections"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c.as_str() == Some(solr.collection.as_str())))
}

/// Uploads the configset (when ZooKeeper lacks it) and creates the
/// collection (when missing), routed on the version cluster so that a
/// story's versions share a shard. Returns whether it was created.
pub fn ensure_collection(solr: &Solr, layout: Layout) -> Result<bool, SolrError> {
    if collection_exists(solr)? {
        return Ok(false);
    }
    let name = configset_name();
    let sets = solr.get("admin/configs", &[("action", "LIST")])?;
    let have = sets["configSets"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c.as_str() == Some(name.as_str()));
    if !have {
        solr.post(
            "admin/configs",
            &[("action", "UPLOAD"), ("name", &name)],
            "application/octet-stream",
            &configset_zip(),
        )?;
    }
    let shards = layout.shards.max(1).to_string();
    let replicas = layout.replicas.max(1).to_string();
    solr.get(
        "admin/collections",
        &[
            ("action", "CREATE"),
            ("name", &solr.collection),
            ("collection.configName", &name),
            ("numShards", &shards),
            ("replicationFactor", &replicas),
            ("router.name", "compositeId"),
            ("router.field", "cluster"),
            ("waitForFinalState", "true"),
        ],
    )?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configset_zips_every_file() {
        let bytes = configset_zip();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), CONFIGSET.len());
        for (name, text) in CONFIGSET {
            let mut f = zip.by_name(name).unwrap();
            let mut back = String::new();
            std::io::Read::read_to_string(&mut f, &mut back).unwrap();
            assert_eq!(&back, text);
        }
    }
}
