//! One search interface with two backends: the embedded tantivy index (the
//! default) and a SolrCloud collection (`--solr URL`). Printers and views
//! see only [`Results`]; they never know which backend answered.

use crate::article::Article;
use crate::index::store::IndexHandle;
use crate::solr::Solr;

use super::{Request, Results, SearchError};

/// Where searches are answered.
pub enum Backend<'a> {
    /// The local tantivy index.
    Local(&'a IndexHandle),
    /// A SolrCloud collection.
    Solr(&'a Solr),
}

impl Backend<'_> {
    /// Runs a search.
    pub fn search(&self, req: &Request) -> Result<Results, SearchError> {
        match self {
            Backend::Local(h) => super::search(h, req),
            Backend::Solr(s) => crate::solr::search::search(s, req),
        }
    }

    /// The quotations that match a request (`--quotes`).
    pub fn quotes(&self, req: &Request) -> Result<super::quotes::QuoteResults, SearchError> {
        match self {
            Backend::Local(h) => super::quotes::quotes(h, req),
            Backend::Solr(s) => crate::solr::search::quotes(s, req),
        }
    }

    /// Every version of the story with this id, oldest first (the last is
    /// the lead); `None` when there is no such story.
    pub fn versions(&self, id: &str) -> Result<Option<Vec<super::Hit>>, SearchError> {
        match self {
            Backend::Local(h) => super::versions(h, id),
            Backend::Solr(s) => crate::solr::search::versions(s, id),
        }
    }

    /// The stored article with this id.
    pub fn show(&self, id: &str) -> Result<Option<Article>, SearchError> {
        match self {
            Backend::Local(h) => super::show(h, id),
            Backend::Solr(s) => crate::solr::search::show(s, id),
        }
    }
}
