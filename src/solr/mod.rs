//! SolrCloud as Dateline's second backend: the same documents, the same
//! query language and the same output as the embedded tantivy index, in a
//! collection of an existing (or local) SolrCloud.
//!
//! ```text
//! Article ──document──▶ Solr JSON ──writer (batches, retries)──▶ /update
//! Ast ──query──▶ Lucene syntax + fq ──search──▶ stored article ──▶ Results
//! ```
//!
//! [`client`] speaks HTTP (with retries across the cluster's live nodes),
//! [`admin`] uploads the configset and creates the collection, [`document`]
//! and [`writer`] index, [`ingest`] drives a run, [`query`] translates the
//! parsed query (with [`nearness`] checked on the stored stories), [`search`] answers a [`Request`](crate::search::Request)
//! and [`views`] gives the research views their matches.

pub mod admin;
pub mod client;
pub mod document;
pub mod identities;
pub mod ingest;
pub mod nearness;
pub mod query;
pub mod search;
pub mod views;
pub mod writer;

pub use client::{Solr, SolrError, Target};
