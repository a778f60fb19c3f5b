//! Sending documents to the collection: batches, commits, and a report of
//! whatever Solr would not take, by story id.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::client::{Solr, SolrError};

/// Stories per batch.
pub const BATCH_DOCS: usize = 500;
/// Most JSON bytes per batch (stories vary from a line to a book).
pub const BATCH_BYTES: usize = 8 << 20;

/// Stories Solr refused for good, with why.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The file of each refused story (its stories stay out of the
    /// manifest, so the next run sends them again).
    pub file: String,
    /// The story's id.
    pub id: String,
    pub message: String,
}

/// Batches documents into a collection's `/update`.
pub struct Writer<'a> {
    solr: &'a Solr,
    docs: Vec<(String, String, Value)>,
    bytes: usize,
    /// Stories Solr accepted.
    pub sent: usize,
    pub failures: Vec<Failure>,
}

impl<'a> Writer<'a> {
    pub fn new(solr: &'a Solr) -> Writer<'a> {
        Writer {
            solr,
            docs: Vec::new(),
            bytes: 0,
            sent: 0,
            failures: Vec::new(),
        }
    }

    fn update_path(&self) -> String {
        format!("{}/update", self.solr.collection)
    }

    /// Queues a story of `file`, sending the batch when it is full.
    pub fn add(&mut self, file: &str, id: &str, doc: Value) {
        self.bytes += doc["article"].as_str().map_or(0, str::len) * 2 + 256;
        self.docs.push((file.to_string(), id.to_string(), doc));
        if self.docs.len() >= BATCH_DOCS || self.bytes >= BATCH_BYTES {
            self.flush();
        }
    }

    /// Sends the queued stories. A batch Solr refuses (a 4xx, or a 5xx or
    /// no answer after every retry) is sent again one story at a time, so
    /// that only the stories at fault are reported and the rest go in.
    pub fn flush(&mut self) {
        if self.docs.is_empty() {
            return;
        }
        let docs = std::mem::take(&mut self.docs);
        self.bytes = 0;
        let path = self.update_path();
        let body = serde_json::to_vec(&docs.iter().map(|(_, _, d)| d).collect::<Vec<_>>())
            .expect("JSON values serialise");
        match self.solr.post(&path, &[], "application/json", &body) {
            Ok(_) => self.sent += docs.len(),
            Err(_) if docs.len() > 1 => {
                for (file, id, doc) in docs {
                    let body = serde_json::to_vec(&[&doc]).expect("JSON values serialise");
                    match self.solr.post(&path, &[], "application/json", &body) {
                        Ok(_) => self.sent += 1,
                        Err(e) => self.failures.push(Failure {
                            file,
                            id,
                            message: e.to_string(),
                        }),
                    }
                }
            }
            Err(e) => {
                let (file, id, _) = docs.into_iter().next().expect("one document");
                self.failures.push(Failure {
                    file,
                    id,
                    message: e.to_string(),
                });
            }
        }
    }

    /// Deletes every story of these files (changed, or gone from disk).
    pub fn delete_files(&mut self, files: &[String]) -> Result<(), SolrError> {
        // A few hundred files a request keeps the query well inside
        // Solr's clause limit.
        for chunk in files.chunks(256) {
            let terms: Vec<String> = chunk.iter().map(|f| super::query::quoted(f)).collect();
            let query = format!("doc_type:article AND file:({})", terms.join(" OR "));
            let body = serde_json::to_vec(&json!({ "delete": { "query": query } }))
                .expect("JSON values serialise");
            self.solr
                .post(&self.update_path(), &[], "application/json", &body)?;
        }
        Ok(())
    }

    /// Deletes every story in the collection.
    pub fn delete_all(&mut self) -> Result<(), SolrError> {
        let body = serde_json::to_vec(&json!({ "delete": { "query": "*:*" } }))
            .expect("JSON values serialise");
        self.solr
            .post(&self.update_path(), &[], "application/json", &body)?;
        Ok(())
    }

    /// Sends what is queued, then the manifest document, and commits, so
    /// that what the manifest lists is searchable.
    pub fn commit(&mut self, meta: Vec<Value>) -> Result<(), SolrError> {
        self.flush();
        if !meta.is_empty() {
            let body = serde_json::to_vec(&meta).expect("JSON values serialise");
            self.solr
                .post(&self.update_path(), &[], "application/json", &body)?;
        }
        self.solr.get(
            &self.update_path(),
            &[("commit", "true"), ("waitSearcher", "true")],
        )?;
        Ok(())
    }

    /// The files with a refused story.
    pub fn failed_files(&self) -> BTreeSet<String> {
        self.failures.iter().map(|f| f.file.clone()).collect()
    }
}
